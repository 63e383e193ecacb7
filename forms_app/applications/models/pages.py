"""Form pages attached to notices, and their frozen versions.

An ``ApplicationFormPage`` is one attachment of a notice (附件N): a multi-step
form that editors build from blocks. Each time a page is published with a
changed form, a ``FormVersion`` freezes its schema; submissions
point at the version they were made with, so editing a form never breaks the
reading, export or PDF of what was already submitted.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.signals import page_published

from forms_app import conf
from forms_app.applications.admin_forms import ApplicationFormPageForm
from forms_app.applications.hooks import FORM_PAGE_URLS_HOOK
from forms_app.applications.panels import DeadlineWarningPanel
from forms_app.builder.blocks import FormStepsBlock, steps_to_schema
from forms_app.builder.field_blocks import REGION_LEVEL_CHOICES
from forms_app.builder.forms import FormBuilder
from forms_app.builder.memo import form_cache
from forms_app.builder.models import Region
from forms_app.builder.schema import FormSchema
from notices.models import NoticePage
from notices.routing import KnownAncestryMixin


class ApplicationFormPage(KnownAncestryMixin, RoutablePageMixin, Page):
    """One attachment of a notice (附件N): a multi-step application form built in the admin.

    Its URL shows the form's rules and questions; the applicant's wizard,
    check page and confirmation are routes below it (see ``views.py``).
    """

    attachment_label = models.CharField(
        _("attachment label"),
        max_length=20,
        blank=True,
        help_text=_("As numbered in the notice, e.g. 附件1."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    steps = StreamField(FormStepsBlock(), verbose_name=_("steps"))
    form_builder = FormBuilder

    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: open on publication.")
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Empty: the notice's application deadline.")
    )
    login_required = models.BooleanField(
        _("applicants must sign in"),
        default=True,
        help_text=_("Without sign-in, applicants get a secret link to resume their application."),
    )
    max_per_organisation = models.PositiveIntegerField(
        _("maximum submissions per organisation"),
        null=True,
        blank=True,
        help_text=_("e.g. 1 for “每单位申报不超过1个项目”. Empty: no limit."),
    )
    max_per_region = models.PositiveIntegerField(
        _("maximum submissions per region"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    recommend_quota = models.PositiveIntegerField(
        _("most recommendations per region"),
        null=True,
        blank=True,
        help_text=_("e.g. 1 for “每个地市可推荐1项”: a desk cannot recommend more upward. Empty: no limit."),
    )
    recommend_minimum = models.PositiveIntegerField(
        _("fewest recommendations expected per region"),
        null=True,
        blank=True,
        help_text=_("e.g. 3 for “择优推荐不少于3名专家”: reviewers are warned while they have fewer."),
    )
    quota_level = models.CharField(
        _("level the recommendation quota counts at"),
        max_length=10,
        choices=REGION_LEVEL_CHOICES,
        default="city",
    )
    batch_recommendations = models.BooleanField(
        _("recommendations go up in batches"),
        default=False,
        help_text=_(
            "Each desk closes its recommendations as one batch with its summary list; the next level sees "
            "them only once the batch is passed on."
        ),
    )
    expected_organisations = ParentalManyToManyField(
        "shenbao_accounts.Organisation",
        verbose_name=_("expected organisations"),
        blank=True,
        related_name="+",
        help_text=_("Organisations expected to apply: reminded before the deadline even without a draft."),
    )
    # The form this one was copied from for this year's round, so that the two can be compared.
    previous_form = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    summary_title = models.CharField(
        _("summary list title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 2022年专家服务基层申报情况一览表. Empty: the form's title followed by 一览表."),
    )
    summary_columns = models.JSONField(
        _("summary list columns"),
        default=list,
        blank=True,
        help_text=_("The answers shown in the summary list (一览表), in this order."),
    )
    # How long a bureau keeps who applied: ``purge_personal_data`` anonymises the submissions of a form
    # whose round closed longer ago than this (see forms_app/rounds/retention.py).
    keep_submissions_years = models.PositiveSmallIntegerField(
        _("keep submissions for (years)"),
        default=0,
        help_text=_(
            "After this many years from the form's closing, its submissions are anonymised: personal "
            "answers and files removed, references and figures kept. 0: kept for ever."
        ),
    )
    confirmation_text = RichTextField(
        _("confirmation text"), blank=True, features=["bold", "link", "ol", "ul"]
    )
    notify_emails = models.TextField(
        _("addresses to notify"),
        blank=True,
        help_text=_("One e-mail address per line; told of each submission."),
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        blank=True,
        help_text=_("Starts every reference number, e.g. ZJ. Letters and digits only."),
    )
    pdf_header = models.CharField(
        _("PDF header line"),
        max_length=200,
        blank=True,
        help_text=_("Printed above the form, e.g. 填报市局：（盖章）；填报日期："),
    )

    content_panels = Page.content_panels + [
        DeadlineWarningPanel(),
        FieldRowPanel([FieldPanel("attachment_label")]),
        FieldPanel("intro"),
        FieldPanel("steps"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                DeadlineWarningPanel(),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("login_required"),
                FieldRowPanel([FieldPanel("max_per_organisation"), FieldPanel("max_per_region")]),
                FieldPanel("expected_organisations"),
            ],
            heading=_("Who may apply, and when"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("recommend_quota"),
                        FieldPanel("recommend_minimum"),
                        FieldPanel("quota_level"),
                    ]
                ),
                FieldPanel("batch_recommendations"),
                FieldPanel("summary_title"),
                FieldPanel("summary_columns"),
                FieldPanel("keep_submissions_years"),
            ],
            heading=_("Review"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("confirmation_text"),
                FieldPanel("notify_emails"),
                FieldRowPanel([FieldPanel("reference_prefix"), FieldPanel("pdf_header")]),
            ],
            heading=_("After submission"),
        ),
    ]

    parent_page_types = ["shenbao_notices.NoticePage"]
    subpage_types = []
    base_form_class = ApplicationFormPageForm

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")

    def clean(self):
        super().clean()
        errors = {}
        # The same checks as in the admin (and key suggestion) for forms built in code or imported.
        try:
            self.steps = self.steps.stream_block.clean(self.steps)
        except ValidationError as error:
            errors["steps"] = error
        for line in self.get_notify_emails():
            try:
                validate_email(line)
            except ValidationError:
                errors["notify_emails"] = _("“%(value)s” is not an e-mail address.") % {"value": line}
        if self.reference_prefix and not self.reference_prefix.isalnum():
            errors["reference_prefix"] = _("Use letters and digits only.")
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            errors["closes_at"] = _("The form must close after it opens.")
        if not self.login_required and (self.max_per_organisation or self.max_per_region):
            # Quotas count organisations and regions, which only signed-in applicants have.
            errors["login_required"] = _("A form with quotas must ask applicants to sign in.")
        if errors:
            raise ValidationError(errors)

    def get_summary_title(self):
        """Return the heading of this form's summary list (一览表)."""
        return self.summary_title or f"{self.title}一览表"

    def get_notify_emails(self):
        """Return the addresses told of each submission."""
        return [line.strip() for line in self.notify_emails.splitlines() if line.strip()]

    def get_notice(self):
        """Return the notice this form belongs to (read once per instance; see ``with_notices``)."""
        if "_notice" not in self.__dict__:
            self._notice = self.get_parent().specific
        return self._notice

    @classmethod
    def notices_with_forms(cls, live=False):
        """Return the notices that have form pages under them, with only the fields a label shows.

        A site keeps every notice it ever published, most without forms, so pickers list these.
        """
        pages = cls.objects.live() if live else cls.objects.all()
        parents = {path[: -cls.steplen] for path in pages.values_list("path", flat=True)}
        notices = NoticePage.objects.filter(path__in=parents)
        return (notices.live() if live else notices).only("pk", "title", "programme", "issue_date")

    @classmethod
    def with_notices(cls, pages):
        """Return ``pages`` with their notices read in one query, so deadlines cost no query per page."""
        pages = list(pages)
        parents = {page.path[: -cls.steplen] for page in pages}
        notices = {notice.path: notice for notice in NoticePage.objects.filter(path__in=parents)}
        for page in pages:
            if page.path[: -cls.steplen] in notices:
                page._notice = notices[page.path[: -cls.steplen]]
        return pages

    def get_extension(self, organisation):
        """Return ``organisation``'s extension of this form's deadline, or None."""
        if organisation is None or organisation.pk is None:
            return None
        cache = self.__dict__.setdefault("_extensions", {})
        if organisation.pk not in cache:
            cache[organisation.pk] = self.extensions.filter(organisation=organisation).first()
        return cache[organisation.pk]

    def get_closes_at(self, organisation=None):
        """Return when the form closes (for ``organisation``, with its extension if it has a later one)."""
        closes_at = self.closes_at or getattr(self.get_notice(), "deadline", None)
        extension = self.get_extension(organisation)
        if extension is not None and (closes_at is None or extension.closes_at > closes_at):
            return extension.closes_at
        return closes_at

    def deadline_warning(self):
        """The editor's warning when the form closes after its notice's deadline, else "".

        Applicants read the notice's deadline first; a form still open after it is most often a
        closing time copied from last year or mistyped, and sometimes meant (late paper copies).
        """
        notice = self.get_notice() if self.closes_at and self.path else None
        deadline = getattr(notice, "deadline", None)
        if deadline is None or self.closes_at <= deadline:
            return ""
        return gettext(
            "This form closes at %(closes)s, after its notice's deadline (%(deadline)s). Applicants "
            "read the notice's deadline; check that the form's closing time is meant."
        ) % {
            "closes": date_format(timezone.localtime(self.closes_at), "DATETIME_FORMAT"),
            "deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT"),
        }

    def is_open(self, now=None, organisation=None):
        """Whether applications are accepted at ``now`` (from ``organisation``, given its extension)."""
        now = now or timezone.now()
        closes_at = self.get_closes_at(organisation)
        return (self.opens_at is None or self.opens_at <= now) and (closes_at is None or now < closes_at)

    def get_closed_message(self, now=None, organisation=None):
        """Return, in plain words, why the form does not accept applications at ``now``."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return gettext("This form opens at %(time)s.") % {
                "time": date_format(timezone.localtime(self.opens_at), "DATETIME_FORMAT")
            }
        closes_at = self.get_closes_at(organisation)
        if closes_at and now >= closes_at:
            return gettext(
                "This form closed at %(time)s. Drafts stay readable but can no longer be submitted."
            ) % {"time": date_format(timezone.localtime(closes_at), "DATETIME_FORMAT")}
        return ""

    def get_schema_data(self):
        """Return the current form definition as plain data."""
        return steps_to_schema(self.steps)

    @cached_property
    def content_key(self):
        """What this form's schema is built from: its steps as stored, and the region list."""
        steps = json.dumps(self.steps.get_prep_value(), sort_keys=True, default=str, ensure_ascii=False)
        return (hashlib.sha256(steps.encode()).hexdigest(), Region.list_signature())

    @cached_property
    def schema(self):
        return form_cache.get(("schema", self.content_key), lambda: FormSchema(self.get_schema_data()))

    def get_step_form_classes(self):
        """``[(step key, StepForm class)]``, built once per content, language and builder in a process."""

        def build():
            builder = self.get_form_builder()
            return [(step["key"], builder.get_form_class(step)) for step in self.schema.steps]

        return form_cache.get(("step forms", self.content_key, get_language(), self.form_builder), build)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("content_key", None)
        self.__dict__.pop("schema", None)
        self.__dict__.pop("_notice", None)
        self.__dict__.pop("_extensions", None)

    def get_form_builder(self):
        """Return the builder that turns this form's schema into Django forms."""
        return self.form_builder(self.schema)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("step_forms", self.get_form_builder().get_all_step_forms())
        context["notice"] = self.get_notice()
        return context

    def get_draft_url(self, draft, action, step=None):
        """Return the URL of a draft's route: ``draft`` (where it stands), ``step`` (with ``step=``),
        ``check``, ``saved`` or ``submitted``."""
        name = "draft" if action == "draft" else f"draft_{action}"
        args = [draft.pk] if step is None else [draft.pk, step]
        return self.url + self.reverse_subpage(name, args=args)

    def get_resume_url(self, draft):
        """Return the secret link by which an anonymous applicant comes back to ``draft``."""
        return conf.absolute_url(self.url + self.reverse_subpage("resume", args=[draft.token]))

    @classmethod
    def get_subpage_urls(cls):
        """Return the journey's routes, registered through the form-page-URLs hook, before the default."""
        routes = [route for register in hooks.get_hooks(FORM_PAGE_URLS_HOOK) for route in register()]
        return tuple(routes) + super().get_subpage_urls()


def definition_hash(definition):
    """Return a stable hash of a form definition, to tell whether it changed."""
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class FormVersionQuerySet(models.QuerySet):
    def latest_for(self, page):
        """Return the newest version of ``page``'s form, or None."""
        return self.filter(page=page).order_by("-number").first()

    @transaction.atomic
    def record(self, page, revision=None):
        """Freeze ``page``'s current form as a new version if it changed; return the latest version."""
        definition = page.get_schema_data()
        digest = definition_hash(definition)
        # Lock the page row so two simultaneous publications cannot take the same number.
        Page.objects.select_for_update().filter(pk=page.pk).first()
        latest = self.latest_for(page)
        if latest is not None and latest.definition_hash == digest:
            return latest
        return self.create(
            page=page,
            number=(latest.number + 1) if latest else 1,
            definition=definition,
            definition_hash=digest,
            revision=revision,
        )


class FormVersion(models.Model):
    """A frozen copy of a form's definition, as published; submissions point at one."""

    page = models.ForeignKey(
        ApplicationFormPage, verbose_name=_("form"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    definition_hash = models.CharField(max_length=64, editable=False)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    objects = FormVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="unique_form_version_number")]
        ordering = ["page", "number"]

    def __str__(self):
        return f"{self.page} v{self.number}"

    @cached_property
    def schema(self):
        return FormSchema(self.definition)


@receiver(page_published, sender=ApplicationFormPage, dispatch_uid="shenbao.record_form_version")
def record_form_version(sender, instance, revision=None, **kwargs):
    """Freeze a form version whenever a form page is published with a changed form."""
    FormVersion.objects.record(instance, revision=revision)
