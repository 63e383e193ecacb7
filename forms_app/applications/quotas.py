"""What one account may keep: how many applications in progress and how many bytes of files.

Without caps, one account could start drafts and upload files until the database or the private
storage is full. An anonymous draft has no account: its files count for that draft alone.
"""

from django.db.models import Sum
from wagtail import hooks

from forms_app import conf
from forms_app.applications.hooks import STORED_BYTES_HOOK
from forms_app.applications.models import Draft, UploadedFile


def may_start_draft(user):
    """Whether ``user`` may start one more draft: submitted applications do not count."""
    cap = conf.max_drafts_per_account()
    if not cap or not user.is_authenticated:
        return True
    return Draft.objects.filter(user=user, submission__isnull=True).count() < cap


def stored_bytes(user, draft=None):
    """Return the bytes of files the account of ``user`` (or the anonymous ``draft``) keeps."""
    if not user.is_authenticated:
        return _total(draft.files.all()) if draft is not None else 0
    own = _total(UploadedFile.objects.filter(uploaded_by=user))
    return own + sum(count(user) for count in hooks.get_hooks(STORED_BYTES_HOOK))


def upload_budget(user, draft, replacing=()):
    """Return ``(bytes, cap)``: what new uploads may still take, and the cap; None without a cap.

    The files of ``draft`` for the field keys ``replacing`` are about to be replaced by the new
    uploads (see the wizard's ``forget_replaced_files``), so what they take is free again.
    """
    cap = conf.max_upload_bytes_per_account()
    if not cap:
        return None
    freed = 0
    if draft is not None and replacing:
        freed = _total(draft.files.filter(field_key__in=list(replacing), submission__isnull=True))
    return cap - stored_bytes(user, draft) + freed, cap


def _total(files):
    return files.aggregate(total=Sum("size"))["total"] or 0
