"""The field types a form can hold: one class per type knows everything about its kind of answer.

A type holds its editor block and settings (the block's ``get_options`` is its schema), its Django
form field, how its stored answer reads on screen, on paper and in a spreadsheet cell, how a cell is
parsed back on import (the inverse of the cell), its marks on a printout, its search words, when it
is empty and what its conditions compare. Every reader of answers (the answer renderer, exports,
imports, the PDF, conditions) asks the type, so a type is added in one module and registered here
with ``@register``; ``forms_app/builder/types/__init__.py`` lists the built-in ones.
"""

from functools import partial

from forms_app.builder import cells

#: Characters of handwriting on one line of a printout's answer column (A4 portrait, about 12 cm).
HANDWRITTEN_CHARACTERS_PER_LINE = 20
#: What a masked personal number shows in place of its hidden digits.
MASK_CHARACTER = "*"


class FieldType:
    """What one kind of field knows; subclasses override only what differs from plain text."""

    name = ""
    block_class = None
    #: ID and bank numbers: masked for readers who do not need them whole, never searchable.
    personal = False
    #: Answers that name or reach a person beyond ID and bank numbers (free text, which holds names;
    #: contacts, addresses, files): removed, with the personal ones, when a submission is anonymised.
    identifying = False
    #: What the answer is in a spreadsheet cell (``forms_app.builder.cells``): text, a number, a date,
    #: or a code made of digits that must stay text (bank accounts, postcodes, phones, ID numbers).
    cell_kind = cells.TEXT
    #: Repeating tables and matrices: exported and imported on a sheet of their own.
    own_sheet = False
    #: Uploaded files: a spreadsheet cell cannot carry them back.
    importable = True
    #: The stored answer is its own spreadsheet cell (text, numbers, ISO dates): no conversion per row.
    plain_cell = False
    #: Offered as a column type of repeating tables; a cell is then this type's form field.
    column = False

    @property
    def numeric(self):
        """Whole and decimal numbers: right-aligned, and typed as numbers in spreadsheets."""
        return self.cell_kind == cells.NUMBER

    def header(self, spec):
        """The heading of the answer's column in a spreadsheet: its label (and unit, for numbers)."""
        return spec["label"]

    def template_choices(self, spec):
        """The cells an import template offers in a drop-down list, or None for free input."""
        return None

    def input_rule(self, spec):
        """``(fewest, most)`` characters an import template's cell accepts, or None for no rule."""
        return None

    def get_block(self):
        """The StreamField block editors add to a step for this type."""
        return self.block_class()

    def create_field(self, spec, options, builder):
        """The Django form field that asks for and checks the answer."""
        raise NotImplementedError

    def is_empty(self, value):
        """Whether ``value`` is no answer at all."""
        return value is None or value == "" or value == [] or value == {}

    def text(self, spec, value, masked=False):
        """The answer as one line, on screen and on paper (``masked`` hides personal numbers)."""
        return str(value)

    def cell(self, spec, value, masked=False):
        """The answer as a spreadsheet cell; ``parse`` reads it back."""
        return "" if self.is_empty(value) else self.text(spec, value, masked)

    def cell_converter(self, spec, masked=False):
        """``cell`` as a one-argument callable for one export: a type may prepare what every row shares."""
        return partial(self.cell, spec, masked=masked)

    def looks_masked(self, spec, text):
        """Whether an imported cell holds a number as a masked export writes it (its middle as ``*``).

        Only personal types are masked, and no ID or bank number has a ``*`` of its own.
        """
        return self.personal and MASK_CHARACTER in (text or "")

    def keeps_stored(self, spec, text, stored):
        """Whether ``text`` is exactly the masked cell an export writes for the ``stored`` answer."""
        return not self.is_empty(stored) and self.cell_converter(spec, masked=True)(stored) == text

    def parse(self, spec, text, context):
        """The raw form value that ``create_field(...).clean`` accepts, read from an imported cell.

        A list for fields made of several inputs (one item per input), else the text. ``context``
        is an ``ImportContext`` (region codes by name).
        """
        return text

    def example(self, spec):
        """An example cell for the import template."""
        return spec["label"]

    def marks(self, spec, value):
        """``[(chosen, label, other text)]`` of every option, for printouts that tick boxes; else None."""
        return None

    def condition_strings(self, spec, value):
        """The strings a condition's value is compared with: the stored answer, not its wording."""
        if self.is_empty(value):
            return []
        if isinstance(value, dict):
            return [str(v) for v in value.values() if v not in (None, "")]
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)]

    def anonymised(self, spec, value):
        """The answer as an anonymised submission keeps it: nothing when it is personal or identifying."""
        return None if self.personal or self.identifying else value

    def search_words(self, spec, value):
        """The words of the answer that the review list's search finds."""
        if self.personal or self.is_empty(value):
            return []
        return [self.text(spec, value)]

    def render(self, spec, value, masked=False):
        """The parts of a rendered answer beyond its label: ``text``, or ``table`` or ``files``."""
        return {"text": self.text(spec, value, masked)}

    def render_blank(self, spec):
        """The parts of an empty printout field (blank lines, unticked options, empty table rows)."""
        return {"text": "", "lines": self.handwritten_lines(spec)}

    def handwritten_lines(self, spec):
        """How many lines of handwriting a blank printout leaves for the answer."""
        return 1


class ImportContext:
    """What parsing a cell may need beyond the cell: the region list, read once per file."""

    def __init__(self, regions=()):
        self.region_codes = {region.name: region.code for region in regions}
        self.regions = {region.code: region for region in regions}
        self._cache = {}

    def cached(self, name, make):
        """What ``make()`` returns, computed once per file (e.g. a type's lookup table)."""
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]


_types = {}


def register(cls):
    """Class decorator: make ``cls`` (a ``FieldType``) the type named ``cls.name``."""
    _types[cls.name] = cls()
    return cls


def field_type(name):
    """The registered type called ``name``; ``KeyError`` for an unknown one."""
    return _types[name]


def type_of(spec):
    """The registered type of a schema field; a field whose type was removed reads as plain text."""
    return _types.get(spec["type"]) or _types["short_text"]


def column_type(name):
    """The registered type that table columns of type ``name`` take their cells from, or None."""
    kind = _types.get(name)
    return kind if kind is not None and kind.column else None


def numeric_types():
    """The names of the number types, which table columns and matrix cells may also be."""
    return {name for name, kind in _types.items() if kind.numeric}


def column_cell_kind(column):
    """The spreadsheet cell kind of a table or matrix column, from the type of that name."""
    kind = _types.get(column.get("type"))
    return kind.cell_kind if kind is not None else cells.TEXT


def column_header(column):
    """The heading of a table or matrix column in a spreadsheet: its label, with its unit if any."""
    return cells.with_unit(column["label"], column.get("unit") or "")


def field_types():
    """Every registered type, in registration order (the order of the editor's menu)."""
    return list(_types.values())
