"""Bulk exports run as jobs: asked for in the admin, written in the background, downloaded when done."""

from django.conf import settings
from django.db import connections, models
from django.db.models import Max
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.applications.models import Submission
from forms_app.applications.models.pages import ApplicationFormPage
from forms_app.applications.storage import delete_after_commit, get_private_storage
from forms_app.background.models import BackgroundWork


class ExportJob(BackgroundWork):
    """One export of submissions to a file, and the record that it was made (who, what, how many, masked).

    The submissions are fixed when the job is asked for: a whole form by a keyset (``upto``, its
    newest submission then), a filtered list or a selection by ``ExportItem`` rows written with one
    INSERT … SELECT. The reviewer's access is checked again when it runs, so a desk removed in
    between exports nothing.
    """

    # A record, not content: Wagtail's usage listings need not count it, and every save would
    # queue a reference-index task.
    wagtail_reference_index_ignore = True

    class Format(models.TextChoices):
        # XLSX first: the file for people. CSV has no cell types, so Excel and LibreOffice opening it
        # round bank accounts and drop postcodes' leading zeros; it is exact for programs only.
        XLSX = "xlsx", _("XLSX (for Excel, WPS, LibreOffice)")
        CSV = "csv", _("CSV (for other programs; spreadsheets round long numbers)")
        JSON = "json", "JSON"
        PDF = "pdf", _("PDF of each (ZIP)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        ApplicationFormPage, verbose_name=_("form"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    unmasked = models.BooleanField(_("personal data in full"), default=False)
    file = models.FileField(storage=get_private_storage, upload_to="exports/%Y/%m/", blank=True)
    file_format = models.CharField(max_length=8, blank=True)
    upto = models.BigIntegerField(null=True, blank=True, editable=False)  # a whole form: its newest id then
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        made = timezone.localtime(self.created_at)
        return f"{self.page} · {self.get_format_display()} · {made:%Y-%m-%d %H:%M}"

    def fix_set(self, queryset, whole_form=False):
        """Record the submissions of ``queryset`` as this job's set, in the database; return how many.

        ``whole_form``: ``queryset`` is every submission to the form the user may see, so the newest
        one's id is enough to fix it (the access is applied again when the job runs).
        """
        if whole_form:
            self.upto = queryset.aggregate(upto=Max("pk"))["upto"] or 0
            self.save(update_fields=["upto"])
            return queryset.count()
        return ExportItem.objects.fill(self, queryset)

    def submissions(self):
        """The job's submissions, with no list of ids in the SQL however many there are."""
        if self.upto is not None:
            return Submission.objects.filter(page=self.page, pk__lte=self.upto)
        return Submission.objects.filter(page=self.page, pk__in=self.items.values("submission_id"))


class ExportItemManager(models.Manager):
    def fill(self, job, queryset):
        """Insert one row per submission of ``queryset`` for ``job`` with one INSERT … SELECT."""
        select, params = queryset.order_by().values("pk").query.sql_with_params()
        db = connections[queryset.db]
        table = db.ops.quote_name(self.model._meta.db_table)
        with db.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (job_id, submission_id) SELECT %s, chosen.pk FROM ({select}) chosen",  # noqa: S608
                [job.pk, *params],
            )
            return cursor.rowcount


class ExportItem(models.Model):
    """One submission of an export job's set, fixed when the export was asked for."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="items")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="export_items")

    objects = ExportItemManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "submission"], name="one_export_item")]

    def __str__(self):
        return f"{self.job_id} · {self.submission_id}"


class ImportBatch(BackgroundWork):
    """An uploaded file of applications: checked with every error, then saved all at once, or not at all.

    Two tasks work on it in turn: the check (``stage`` uploaded → checked, its findings kept in
    ``report`` so the preview never parses the file again) and, once the reviewer confirms, the
    save (checked → saving → saved), from the rows the check kept in ``checked`` when nothing they
    depend on changed since. ``status`` and the progress are those of the task at hand.
    """

    class Stage(models.TextChoices):
        UPLOADED = "uploaded", _("Being checked")
        CHECKED = "checked", _("Checked, not saved")
        SAVING = "saving", _("Being saved")
        SAVED = "saved", _("Saved")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        ApplicationFormPage, verbose_name=_("form"), on_delete=models.CASCADE, related_name="import_batches"
    )
    file = models.FileField(storage=get_private_storage, upload_to="imports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    file_key = models.CharField(max_length=32, editable=False)
    language = models.CharField(max_length=16, blank=True, editable=False)  # the messages' language
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.UPLOADED)
    report = models.JSONField(default=dict, editable=False)  # rows, updates, errors, file errors, ignored
    # The rows as the check cleaned them, and what that verdict rests on, so the save need not check the
    # file again unless the form or the reviewer's desks changed. A file: it is read by the save alone.
    checked = models.FileField(
        storage=get_private_storage, upload_to="imports/%Y/%m/", blank=True, editable=False
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    @property
    def can_save(self):
        """Whether the check found rows and nothing wrong with them."""
        report = self.report
        return (
            self.stage == self.Stage.CHECKED
            and report.get("rows")
            and not report.get("errors")
            and not report.get("header_errors")
        )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.page} · {self.name}"


@receiver(post_delete, sender=ExportJob, dispatch_uid="shenbao.export_job_files")
@receiver(post_delete, sender=ImportBatch, dispatch_uid="shenbao.import_batch_files")
def remove_stored_files(sender, instance, **kwargs):
    """An export's or an import's files hold personal data: they go with their row (its user's or its
    form's deletion included), once the deletion commits."""
    for field in ("file", "checked"):
        stored = getattr(instance, field, None)
        delete_after_commit(stored.name if stored else "")
