"""StreamField blocks for the body of an official notice (公文).

Government notices follow GB/T 9704: numbered section headings ("一、",
"（一）"), plain paragraphs, numbered items and the odd table. The blocks
mirror that structure so that the text keeps its hierarchy on screen, in
print and in search.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; its level decides the HTML heading and the indentation."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[
            ("section", _("Section (一、)")),
            ("subsection", _("Subsection (（一）)")),
        ],
        default="section",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "shenbao_notices/blocks/heading_block.html"


class ParagraphBlock(blocks.RichTextBlock):
    """One paragraph of the notice text, with the little formatting notices use."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "shenbao_notices/blocks/paragraph_block.html"


class NumberedListBlock(blocks.StructBlock):
    """Numbered items such as the list of attachments or requirements."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    style = blocks.ChoiceBlock(
        label=_("Numbering"),
        choices=[
            ("decimal", _("1. 2. 3.")),
            ("paren", _("(1) (2) (3)")),
        ],
        default="decimal",
    )
    items = blocks.ListBlock(blocks.TextBlock(label=_("Item")), label=_("Items"))

    class Meta:
        icon = "list-ol"
        label = _("Numbered list")
        template = "shenbao_notices/blocks/numbered_list_block.html"


class NoticeTableBlock(blocks.StructBlock):
    """A table in the notice text, with an optional caption for screen readers."""

    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)
    table = TableBlock(label=_("Table"))

    class Meta:
        icon = "table"
        label = _("Table")
        template = "shenbao_notices/blocks/table_block.html"


class NoticeBodyBlock(blocks.StreamBlock):
    """The body of a notice."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    numbered_list = NumberedListBlock()
    table = NoticeTableBlock()
