"""Identity documents: the document's type and its number, checked by type (GB 11643 for ID cards).

Personal: masked for readers who do not need the number whole, and never searchable.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms_app.builder import cells
from forms_app.builder import fields as f
from forms_app.builder.field_blocks import BaseFieldBlock
from forms_app.builder.registry import FieldType, register
from forms_app.builder.types.text import mask
from forms_app.builder.validators import DOCUMENT_TYPES


class IdNumberFieldBlock(BaseFieldBlock):
    """An identity document: its type and its number, checked by type (GB 11643 for ID cards)."""

    field_type = "id_number"
    document_types = blocks.MultipleChoiceBlock(
        label=_("Accepted documents"),
        choices=DOCUMENT_TYPES,
        default=["resident_id"],
        help_text=_("With only the ID card selected, no document type is asked."),
    )

    class Meta:
        icon = "user"
        label = _("Identity document number")

    def get_options(self, value):
        chosen = list(value.get("document_types") or ["resident_id"])
        return {"document_types": [code for code, _label in DOCUMENT_TYPES if code in chosen]}


def document_names():
    """The documents' names in the active language."""
    return {code: str(name) for code, name in DOCUMENT_TYPES}


@register
class IdNumber(FieldType):
    name = "id_number"
    block_class = IdNumberFieldBlock
    personal = True
    cell_kind = cells.CODE  # an 18-digit number typed into a template must not become 1.1E+17

    def create_field(self, spec, options, builder):
        return f.IdentityDocumentField(options.get("document_types") or ["resident_id"])

    def text(self, spec, value, masked=False, names=None):
        names = names if names is not None else document_names()
        number = mask(value.get("number")) if masked else value.get("number", "")
        return f"{names.get(value.get('type'), '')} {number}".strip()

    def cell_converter(self, spec, masked=False):
        names = document_names()  # translated once per export, not once per row
        return lambda value: self.text(spec, value, masked, names) if value else ""

    def parse(self, spec, text, context):
        doc_type, number = "", text
        for code, label in DOCUMENT_TYPES:
            if text.startswith(str(label)):
                doc_type, number = code, text[len(str(label)) :].strip()
        return [doc_type, number]

    def example(self, spec):
        return "11010519491231002X"
