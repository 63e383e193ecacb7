"""Checking uploaded files by what they contain, not by what they are called.

A file renamed from .exe to .pdf must be refused, so the first bytes (the
"magic number") decide the type. Office Open XML files are zip archives; we
look inside for the part that makes them a Word or Excel file.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc and .xls (OLE2 compound file)
    (b"PK\x03\x04", "zip"),
]
TYPE_NAMES = {
    "pdf": "PDF",
    "jpg": "JPEG",
    "png": "PNG",
    "doc": "Word (.doc)",
    "docx": "Word (.docx)",
    "xls": "Excel (.xls)",
    "xlsx": "Excel (.xlsx)",
}


def sniff_type(upload):
    """Return the file type a file's content shows ("pdf", "docx", ...), or None if unknown."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((name for magic, name in _SIGNATURES if head.startswith(magic)), None)
    if kind == "zip":
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if kind == "ole":
        # Both .doc and .xls are OLE2 files; the name decides between two equally safe types.
        name = (getattr(upload, "name", "") or "").lower()
        return "xls" if name.endswith(".xls") else "doc"
    return kind


def check_upload(upload, allowed_types, max_size_mb, label):
    """Raise a ValidationError naming ``label`` unless the file is of an allowed type and size."""
    size = getattr(upload, "size", None) or 0
    if size > max_size_mb * 1024 * 1024:
        raise ValidationError(
            _("%(field)s: “%(name)s” is larger than %(max)s MB."),
            params={"field": label, "name": upload.name, "max": max_size_mb},
        )
    if size == 0:
        raise ValidationError(
            _("%(field)s: “%(name)s” is empty."), params={"field": label, "name": upload.name}
        )
    kind = sniff_type(upload)
    if kind not in allowed_types:
        allowed = "、".join(TYPE_NAMES.get(t, t) for t in allowed_types)
        raise ValidationError(
            _("%(field)s: “%(name)s” is not an allowed file (allowed: %(allowed)s)."),
            params={"field": label, "name": upload.name, "allowed": allowed},
        )
    return kind
