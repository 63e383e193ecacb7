"""Files that applicants upload, kept private and tied to their draft and submission.

A file is checked by content when uploaded (see ``uploads.py``), stored under
SHENBAO_PRIVATE_MEDIA_ROOT with a random name that ends in the extension of its
content's type, and read only through the download view, which checks that the
reader owns the application or may review it.
The answer of a file field holds references to these rows, never a path.
"""

import hashlib
import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.applications.storage import get_private_storage
from forms_app.builder.filetypes import named_as


def upload_to(instance, filename):
    """Return a random path: the original name is kept in the row, never on disk.

    ``filename`` is the row's name, whose extension ``store`` took from the content.
    """
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def discard(storage, name):
    """Remove what a failed write may have left at ``name``; a store that fails again changes nothing."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        pass


class UploadedFileQuerySet(models.QuerySet):
    def for_answer(self, answer):
        """Return the files an answer of a file field refers to, in its order."""
        ids = [item["id"] for item in answer or [] if isinstance(item, dict) and "id" in item]
        files = {f.pk: f for f in self.filter(pk__in=ids)}
        return [files[i] for i in ids if i in files]


class UploadedFile(models.Model):
    """One applicant upload: stored privately, referred to from a file field's answer."""

    # A submitted file outlives its draft (deleted with the applicant's account): it belongs to the
    # submission then. A draft's files that were never submitted go with it (``models/archive.py``).
    draft = models.ForeignKey(
        "shenbao_applications.Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    submission = models.ForeignKey(
        "shenbao_applications.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    field_key = models.CharField(_("field"), max_length=40)
    file = models.FileField(upload_to=upload_to, storage=get_private_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = UploadedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def store(cls, upload, *, draft, field_key, kind, user=None):
        """Save an upload checked by ``check_upload`` and return its row.

        The row is named after the upload with the extension of ``kind``, the type its content
        showed, so the name the uploader chose never decides how the file is stored or opened.
        """
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        row = cls(
            draft=draft,
            field_key=field_key,
            name=named_as(upload.name, kind),
            kind=kind,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        # Stored first, the row saved after: a row never names a file that was not written. Whatever a
        # failed write leaves (the empty file of a full disk) is removed before the error goes on.
        storage = row.file.storage
        name = row.file.field.generate_filename(row, row.name)
        try:
            row.file = storage.save(name, upload, max_length=row.file.field.max_length)
            row.save()
        except BaseException:
            discard(storage, row.file.name or name)
            raise
        return row

    def as_answer(self):
        """Return what a file field's answer keeps of this file."""
        return {"id": self.pk, "name": self.name, "size": self.size, "type": self.kind}
