"""Notices (通知) that call for applications, and the index that lists them.

A notice is what a human-resources bureau publishes once a year for a
programme: who issues it, to whom, the text, the deadline and the forms to fill.
Its open/closing-soon/closed status is never stored: it is derived from the
deadline on the server, so it cannot drift.
"""

from datetime import date

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from forms_app.builder.validators import validate_landline, validate_mobile
from notices import conf
from notices.blocks import NoticeBodyBlock
from notices.forms import NoticeFilterForm
from notices.routing import DirectRouteMixin, KnownAncestryMixin
from notices.search import index_terms, query_terms
from notices.status import NoticeStatus, closing_soon_window, status_for_deadline


class NoticeQuerySet(PageQuerySet):
    """Notice queries by status; the same rule as ``status_for_deadline``."""

    def with_status(self, status, now=None):
        """Notices whose deadline puts them in ``status`` at ``now``."""
        now = now or timezone.now()
        soon = now + closing_soon_window()
        if status == NoticeStatus.CLOSED:
            return self.filter(deadline__lte=now)
        if status == NoticeStatus.CLOSING_SOON:
            return self.filter(deadline__gt=now, deadline__lte=soon)
        if status == NoticeStatus.OPEN:
            return self.filter(deadline__gt=soon)
        return self.none()

    def accepting(self, now=None):
        """Notices still taking applications (open or closing soon), nearest deadline first."""
        return self.filter(deadline__gt=now or timezone.now()).order_by("deadline")

    def issued_in(self, year):
        """Notices issued in calendar ``year`` (a range, so search backends can filter it)."""
        return self.filter(issue_date__gte=date(year, 1, 1), issue_date__lt=date(year + 1, 1, 1))


NoticeManager = PageManager.from_queryset(NoticeQuerySet)


class NoticeListingMixin:
    """Lists the notices below a page; shared by the home page and the index."""

    def get_notices(self):
        """Return the live, public notices below this page."""
        return NoticePage.objects.live().public().descendant_of(self)


class NoticeIndexPage(DirectRouteMixin, NoticeListingMixin, Page):
    """The list of notices: searchable, filterable by year, issuer and status."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["shenbao_notices.NoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("notice index page")
        verbose_name_plural = _("notice index pages")

    def get_filter_form(self, request):
        """Return the bound search-and-filter form for this index."""
        return NoticeFilterForm(request.GET or None, notices=self.get_notices())

    def filter_notices(self, form):
        """Apply a valid filter form to the notices; return a queryset or search results."""
        notices = self.get_notices()
        if not form.is_bound or not form.is_valid():
            return notices.order_by("-issue_date", "-first_published_at")
        data = form.cleaned_data
        if data.get("year"):
            notices = notices.issued_in(int(data["year"]))
        if data.get("issuer"):
            notices = notices.filter(issuing_authority=data["issuer"])
        if data.get("status"):
            notices = notices.with_status(data["status"])
        terms = query_terms(data.get("q", ""))
        if terms:
            return notices.search(terms, operator="and")
        return notices.order_by("-issue_date", "-first_published_at")

    def paginate(self, request, items):
        """Return the requested page of ``items``, falling back to the first or last page."""
        paginator = Paginator(items, conf.per_page())
        try:
            return paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            return paginator.page(1)
        except EmptyPage:
            return paginator.page(paginator.num_pages)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = self.get_filter_form(request)
        page_obj = self.paginate(request, self.filter_notices(form))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=form,
            notices=page_obj,
            page_obj=page_obj,
            query_string=query.urlencode(),
            is_filtered=form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
        )
        return context


class NoticePage(KnownAncestryMixin, Page):
    """One notice calling for applications, laid out like the printed document."""

    issuing_authority = models.CharField(
        _("issuing authority"),
        max_length=200,
        help_text=_("The bureau that issues the notice, e.g. 浙江省人力资源和社会保障厅办公室."),
    )
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The official number (文号), e.g. 浙人社发〔2024〕1号, if the notice has one."),
    )
    issue_date = models.DateField(_("issue date"), help_text=_("The date signed on the notice."))
    print_authority = models.CharField(
        _("printed by"),
        max_length=200,
        blank=True,
        help_text=_("The office named on the print line (印发机关), if different from the issuer."),
    )
    print_date = models.DateField(_("print date"), null=True, blank=True)
    recipients = models.TextField(
        _("recipients"),
        help_text=_("Who the notice is addressed to (主送机关), as printed."),
    )
    deadline = models.DateTimeField(
        _("application deadline"),
        help_text=_("Date and time (Beijing time) after which applications close."),
    )
    # A notice and its forms are one yearly round of a programme; copying to next year copies the round.
    programme = models.CharField(
        _("programme"),
        max_length=100,
        blank=True,
        help_text=_("The programme this yearly round belongs to, e.g. 专家服务基层; the same every year."),
    )
    previous_round = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("Two or three sentences shown in lists and search results."),
    )
    body = StreamField(NoticeBodyBlock(), verbose_name=_("body"))

    objects = NoticeManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("issuing_authority"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issue_date")]),
                FieldRowPanel([FieldPanel("print_authority"), FieldPanel("print_date")]),
                FieldPanel("recipients"),
                FieldPanel("programme"),
            ],
            heading=_("Document details"),
        ),
        FieldPanel("deadline"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("contacts", heading=_("Contacts"), label=_("Contact")),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("search_text"),
        index.FilterField("issuing_authority"),
        index.FilterField("issue_date"),
        index.FilterField("deadline"),
    ]

    parent_page_types = ["shenbao_notices.NoticeIndexPage"]
    subpage_types = ["shenbao_applications.ApplicationFormPage"]

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def search_text(self):
        """Return title, issuer, summary and body as Chinese-searchable terms."""
        parts = [
            self.title,
            self.issuing_authority,
            self.document_number,
            self.recipients,
            self.summary,
            strip_tags(self.body.render_as_block()) if self.body else "",
        ]
        parts += [contact.organisation for contact in self.contacts.all()]
        return index_terms(" ".join(parts))

    @property
    def round_year(self):
        """The year of this round: the year the notice was issued."""
        return self.issue_date.year if self.issue_date else None

    def round_label(self):
        """Return how lists name this round: programme and year, else the title."""
        if self.programme and self.round_year:
            return f"{self.programme} {self.round_year}"
        return self.title

    def get_status(self, now=None):
        """Return this notice's ``NoticeStatus`` at ``now``."""
        return status_for_deadline(self.deadline, now)

    @cached_property
    def status(self):
        return self.get_status()

    @property
    def status_label(self):
        return NoticeStatus(self.status).label

    @property
    def days_left(self):
        """Whole days until the deadline, or None once closed."""
        remaining = self.deadline - timezone.now()
        if remaining.total_seconds() <= 0:
            return None
        return remaining.days

    def get_form_pages(self):
        """Return the live application forms attached to this notice, in menu order."""
        return Page.objects.live().public().child_of(self).type(*self.allowed_subpage_models()).specific()

    def get_attachments(self):
        """Return the attachments that have a document to download."""
        return [a for a in self.attachments.select_related("document") if a.document_id]


class NoticeContact(Orderable):
    """A person to contact about the notice (联系人)."""

    page = ParentalKey(NoticePage, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    office_phone = models.CharField(
        _("office phone"), max_length=30, blank=True, validators=[validate_landline]
    )
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("organisation")]),
        FieldRowPanel([FieldPanel("office_phone"), FieldPanel("mobile"), FieldPanel("email")]),
        FieldPanel("postal_address"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class NoticeAttachment(Orderable):
    """A downloadable file attached to the notice (附件), e.g. a Word form."""

    page = ParentalKey(NoticePage, related_name="attachments", on_delete=models.CASCADE)
    label = models.CharField(
        _("label"), max_length=50, blank=True, help_text=_("As numbered in the notice, e.g. 附件1.")
    )
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("title")]),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.label} {self.title}".strip()
