"""File uploads, checked by their content (not their name) and size, and kept private.

The answer lists the uploads (``[{"id", "name", "size", "type"}]``); the files themselves are rows
of the applications app, read only through permission-checked downloads. A spreadsheet cannot carry
a file back, so imports leave uploads as they are.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms_app.builder import fields as f
from forms_app.builder.field_blocks import BaseFieldBlock
from forms_app.builder.registry import FieldType, register

FILE_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
    ("doc", "Word 97–2003 (.doc)"),
    ("docx", "Word (.docx)"),
    ("xls", "Excel 97–2003 (.xls)"),
    ("xlsx", "Excel (.xlsx)"),
]


class FileFieldBlock(BaseFieldBlock):
    field_type = "file"
    allowed_types = blocks.MultipleChoiceBlock(
        label=_("Allowed file types"), choices=FILE_TYPE_CHOICES, default=["pdf", "jpg", "png"]
    )
    max_size_mb = blocks.IntegerBlock(label=_("Maximum size (MB)"), default=10, min_value=1, max_value=100)
    max_files = blocks.IntegerBlock(label=_("Maximum number of files"), default=1, min_value=1, max_value=20)

    class Meta:
        icon = "doc-full-inverse"
        label = _("File upload")

    def get_options(self, value):
        return {
            "allowed_types": list(value.get("allowed_types") or ["pdf"]),
            "max_size_mb": value.get("max_size_mb") or 10,
            "max_files": value.get("max_files") or 1,
        }


@register
class FileUpload(FieldType):
    name = "file"
    block_class = FileFieldBlock
    importable = False
    identifying = True  # anonymising removes the files themselves too (forms_app/rounds/retention.py)

    def create_field(self, spec, options, builder):
        return f.UploadField(
            allowed_types=options.get("allowed_types") or ["pdf"],
            max_size_mb=options.get("max_size_mb") or 10,
            max_files=options.get("max_files") or 1,
        )

    @staticmethod
    def files(value):
        return [item for item in value or [] if isinstance(item, dict)]

    def text(self, spec, value, masked=False):
        return "; ".join(item.get("name", "") for item in self.files(value))

    def render(self, spec, value, masked=False):
        return {"text": "", "files": self.files(value)}

    def search_words(self, spec, value):
        return [item.get("name", "") for item in self.files(value)]
