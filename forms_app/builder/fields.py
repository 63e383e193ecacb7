"""Django form fields for the builder's field types that Django does not have.

Each field cleans to the JSON-ready answer shape documented in ``schema.py``
and reports problems with messages that name the field (and, in tables, the
row and column), never with an exception.
"""

import unicodedata
from decimal import Decimal
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from forms_app.builder import validators as v
from forms_app.builder.filetypes import TYPE_NAMES
from forms_app.builder.messages import plain_messages
from forms_app.builder.registry import column_type, numeric_types
from forms_app.builder.uploads import check_upload

MAX_TABLE_ROWS = 500  # hard cap on rows read from a POST, whatever the form says
MAX_CELL_LENGTH = 500


def to_half_width(value):
    """Turn full-width digits and letters (as Chinese input methods type them) into ASCII."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class HalfWidthCharField(forms.CharField):
    """Text whose full-width characters are folded to ASCII before validation: １３４ → 134."""

    def to_python(self, value):
        return to_half_width(super().to_python(value))


class CodeField(HalfWidthCharField):
    """A code typed with spaces or hyphens between groups; normalised before it is checked."""

    def to_python(self, value):
        value = super().to_python(value)
        return v.normalise_code(value) if value else value


class IdentityDocumentWidget(forms.MultiWidget):
    template_name = "shenbao_builder/widgets/identity_document.html"

    def __init__(self, document_types, attrs=None):
        choices = [(code, label) for code, label in v.DOCUMENT_TYPES if code in document_types]
        type_widget = forms.Select(choices=choices) if len(choices) > 1 else forms.HiddenInput()
        super().__init__(
            [type_widget, forms.TextInput(attrs={"autocomplete": "off", "maxlength": 30})], attrs
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("type"), value.get("number")]
        return [None, None]


class IdentityDocumentField(forms.MultiValueField):
    """An identity document's type and number, checked by type (GB 11643 for resident ID cards)."""

    def __init__(self, document_types=("resident_id",), **kwargs):
        self.document_types = list(document_types) or ["resident_id"]
        fields = (
            forms.ChoiceField(choices=[(c, c) for c in self.document_types], required=False),
            forms.CharField(max_length=30, required=False),
        )
        kwargs.setdefault("widget", IdentityDocumentWidget(self.document_types))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not data_list[1]:
            return None
        doc_type = data_list[0] or self.document_types[0]
        number = to_half_width(data_list[1])
        number = v.normalise_code(number) if doc_type != "other" else number.strip().upper()
        return {"type": doc_type, "number": number}

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) == 2 and not value[0]:
            value = [self.document_types[0], value[1]]
        result = super().clean(value)
        if result is None and self.required:
            # The default type filled in above (and a select, which always posts a type) means
            # MultiValueField never sees a blank value, so a missing number is caught here.
            raise ValidationError(self.error_messages["required"], code="required")
        if result:
            if result["type"] not in self.document_types:
                raise ValidationError(
                    _("%(field)s: choose a document type from the list."), params={"field": self.label}
                )
            v.DOCUMENT_VALIDATORS[result["type"]](result["number"], self.label)
        return result


class ChoiceWithOtherField(forms.MultiValueField):
    """Single or multiple choice with an optional "其他" that asks for text."""

    def __init__(
        self,
        choices,
        multiple,
        allow_other=False,
        other_label="其他",
        min_choices=None,
        max_choices=None,
        widget_style="radio",
        **kwargs,
    ):
        self.multiple = multiple
        self.allow_other = allow_other
        self.other_label = other_label
        self.min_choices, self.max_choices = min_choices, max_choices
        options = list(choices) + ([other_label] if allow_other and other_label not in choices else [])
        self.options = options
        pairs = [(c, c) for c in options]
        if multiple:
            choice_field = forms.MultipleChoiceField(choices=pairs, required=False)
            choice_widget = forms.CheckboxSelectMultiple(choices=pairs)
        else:
            choice_field = forms.ChoiceField(
                choices=[("", "")] + pairs if widget_style == "select" else pairs, required=False
            )
            choice_widget = (
                forms.Select(choices=[("", _("Please choose"))] + pairs)
                if widget_style == "select"
                else forms.RadioSelect(choices=pairs)
            )
        other_widget = forms.TextInput(attrs={"maxlength": 200}) if allow_other else forms.HiddenInput()
        widget = ChoiceWithOtherWidget(
            [choice_widget, other_widget], other_label=other_label if allow_other else ""
        )
        super().__init__(
            (choice_field, forms.CharField(max_length=200, required=False)),
            widget=widget,
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        selected, other = data_list[0], (data_list[1] or "").strip()
        if self.multiple:
            selected = list(selected or [])
            if not selected and not other:
                return None
        elif not selected and not other:
            return None
        return {"selected": selected, "other": other if self.allow_other else ""}

    def clean(self, value):
        result = super().clean(value)
        if not result:
            # Only blanks (e.g. spaces in the "other" box) are no answer, even if required.
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        selected = result["selected"]
        chosen = selected if self.multiple else [selected] if selected else []
        if self.allow_other:
            if result["other"] and self.other_label not in chosen:
                chosen.append(self.other_label)  # typing in "other" means choosing it
                result["selected"] = chosen if self.multiple else self.other_label
            if self.other_label in chosen and not result["other"]:
                raise ValidationError(
                    _("%(field)s: please say what “%(other)s” is."),
                    params={"field": self.label, "other": self.other_label},
                )
        elif not chosen:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if self.multiple:
            if self.min_choices and len(chosen) < self.min_choices:
                raise ValidationError(
                    _("%(field)s: choose at least %(n)s."),
                    params={"field": self.label, "n": self.min_choices},
                )
            if self.max_choices and len(chosen) > self.max_choices:
                raise ValidationError(
                    _("%(field)s: choose at most %(n)s."), params={"field": self.label, "n": self.max_choices}
                )
        return result


class ChoiceWithOtherWidget(forms.MultiWidget):
    template_name = "shenbao_builder/widgets/choice_with_other.html"

    def __init__(self, widgets, other_label="", attrs=None):
        self.other_label = other_label
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("selected"), value.get("other")]
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["other_label"] = self.other_label
        return context


class DateRangeWidget(forms.MultiWidget):
    template_name = "shenbao_builder/widgets/date_range.html"

    def __init__(self, start_label="", end_label="", attrs=None):
        self.start_label, self.end_label = start_label, end_label
        super().__init__(
            [forms.DateInput(attrs={"type": "date"}), forms.DateInput(attrs={"type": "date"})], attrs
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("start"), value.get("end")]
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["part_labels"] = [self.start_label or _("From"), self.end_label or _("To")]
        return context


class DateRangeField(forms.MultiValueField):
    """A start and an end date; the end may not come before the start."""

    def __init__(self, start_label="", end_label="", **kwargs):
        super().__init__(
            (forms.DateField(required=False), forms.DateField(required=False)),
            widget=DateRangeWidget(start_label, end_label),
            require_all_fields=False,
            **kwargs,
        )
        self.start_label, self.end_label = start_label, end_label

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        start, end = data_list
        if not start or not end:
            raise ValidationError(_("%(field)s: enter both dates."), params={"field": self.label})
        if end < start:
            raise ValidationError(
                _("%(field)s: the end date cannot be before the start date."), params={"field": self.label}
            )
        return {"start": start.isoformat(), "end": end.isoformat()}


class YesNoField(forms.TypedChoiceField):
    """是/否 as radio buttons; stored as true or false."""

    def __init__(self, yes_label="是", no_label="否", **kwargs):
        super().__init__(
            choices=[("yes", yes_label), ("no", no_label)],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )


class RegionChoiceField(forms.ChoiceField):
    """A region from the editors' region list; stored with its code and name."""

    def __init__(self, regions, **kwargs):
        self.regions = {region.code: region.name for region in regions}
        super().__init__(choices=[("", _("Please choose"))] + list(self.regions.items()), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return {"code": value, "name": self.regions[value]} if value else None


def upload_limits_text(allowed_types, max_size_mb, max_files):
    """What an upload field accepts, in words: its types, the size per file and how many files."""
    names = pgettext("list separator", ", ").join(
        TYPE_NAMES.get(kind, kind.upper()) for kind in allowed_types
    )
    text = _("Accepted: %(types)s, at most %(size)s MB per file.") % {"types": names, "size": max_size_mb}
    if max_files > 1:
        text = f"{text} " + _("Up to %(n)s files.") % {"n": max_files}
    return text


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that lists the files already uploaded, with links and a remove box.

    The value it is given is a file field's answer (``[{"id", "name", ...}]``),
    since uploads are private rows, not files with a public URL.
    """

    template_name = "shenbao_builder/widgets/upload.html"
    #: ``(types, megabytes per file, files)`` the field accepts, said next to the input before an upload.
    limits = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.limits is not None:
            widget = context["widget"]
            widget["limits"] = upload_limits_text(*self.limits)
            if widget["attrs"].get("id"):
                widget["limits_id"] = f"{widget['attrs']['id']}_limits"
                described = widget["attrs"].get("aria-describedby", "")
                widget["attrs"]["aria-describedby"] = f"{described} {widget['limits_id']}".strip()
        return context

    def is_initial(self, value):
        return bool(value) and isinstance(value, list | tuple)

    def format_value(self, value):
        return list(value) if self.is_initial(value) else None


class MultipleFileInput(PrivateFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """One or several files, checked by their content (not their name) and size.

    Cleans to the new uploads (a list of Django files) or, when nothing new is
    sent, to what was uploaded before (the ``initial`` answer): an applicant
    who goes back to a step does not have to upload again.
    """

    def __init__(self, allowed_types=("pdf",), max_size_mb=10, max_files=1, **kwargs):
        self.allowed_types, self.max_size_mb, self.max_files = list(allowed_types), max_size_mb, max_files
        accept = ",".join(f".{t}" for t in self.allowed_types) + (
            ",.jpeg" if "jpg" in self.allowed_types else ""
        )
        widget = MultipleFileInput if max_files > 1 else PrivateFileInput
        kwargs.setdefault("widget", widget(attrs={"accept": accept}))
        super().__init__(**kwargs)
        # Said before the upload from the very values ``check_upload`` holds the file to.
        self.widget.limits = (self.allowed_types, self.max_size_mb, self.max_files)

    def clean(self, data, initial=None):
        if data is forms.widgets.FILE_INPUT_CONTRADICTION:
            raise ValidationError(
                _("%(field)s: either upload a new file or tick “remove”, not both."),
                params={"field": self.label},
            )
        if data is False:
            # The applicant ticked "remove".
            initial = None
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [f for f in files if f]
        if not files:
            if self.required and not initial:
                raise ValidationError(self.error_messages["required"], code="required")
            return list(initial or [])
        if len(files) > self.max_files:
            raise ValidationError(
                _("%(field)s: upload at most %(n)s files."), params={"field": self.label, "n": self.max_files}
            )
        errors = []
        for upload in files:
            try:
                super().clean(upload, None)
                upload.checked_kind = check_upload(upload, self.allowed_types, self.max_size_mb, self.label)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def has_changed(self, initial, data):
        return bool(data) or data is False


def cell_field(column):
    """Return the Django field that checks one cell of a table column, with the applicant's messages."""
    return plain_messages(make_cell_field(column))


def make_cell_field(column):
    kind = column.get("type", "text")
    required = column.get("required", False)
    registered = column_type(kind)
    if registered is not None:
        # A column of a registered type (an address, …): its cell is that type's own field.
        field = registered.create_field(column, column.get("options", {}), None)
        field.required, field.label = required, column["label"]
        return field
    if kind == "integer":
        return forms.IntegerField(required=required, min_value=0, max_value=10**12)
    if kind == "decimal":
        return forms.DecimalField(required=required, min_value=0, max_digits=18, decimal_places=4)
    if kind == "date":
        return forms.DateField(required=required)
    if kind == "phone":
        return forms.CharField(
            required=required, max_length=30, validators=[partial(v.validate_phone, label=column["label"])]
        )
    if kind == "choice":
        return forms.ChoiceField(
            required=required, choices=[("", "")] + [(c, c) for c in column.get("choices", [])]
        )
    return forms.CharField(required=required, max_length=MAX_CELL_LENGTH)


def to_decimal(value):
    """A number cell as a ``Decimal`` for totals: blank or unreadable cells count as 0."""
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def cell_to_json(value):
    """Make a cleaned cell JSON-ready: dates as ISO strings, decimals as exact strings."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _cell_error(row_label, column, error):
    # Kept as params, not formatted in, so that an importer can place the error on its sheet row.
    # A cell's own field may already name the column ("单位地址：…"): the row message names it once.
    named = tuple(f"{column['label']}{sep}" for sep in ("：", ": "))
    messages = [
        str(m).removeprefix(next((n for n in named if str(m).startswith(n)), "")) for m in error.messages
    ]
    return ValidationError(
        _("Row %(row)s, “%(column)s”: %(message)s"),
        code="cell",
        params={"row": row_label, "column": column["label"], "message": " ".join(messages)},
    )


class TableWidget(forms.Widget):
    """Rows of inputs named ``<name>-<row>-<column>``; ``<name>-rows`` says how many were sent."""

    template_name = "shenbao_builder/widgets/table.html"
    use_fieldset = True

    def __init__(self, options, attrs=None, cell_widgets=None):
        self.options = options
        # The widgets of columns of a registered type, which post several inputs per cell.
        self.cell_widgets = cell_widgets or {}
        super().__init__(attrs)

    def cell_value(self, data, files, name, column):
        widget = self.cell_widgets.get(column["key"])
        if widget is not None:
            value = widget.value_from_datadict(data, files, name)
            return (
                [str(part or "")[: MAX_CELL_LENGTH * 2] for part in value]
                if isinstance(value, list)
                else value
            )
        return str(data.get(name, "") or "")[: MAX_CELL_LENGTH * 2]

    def value_from_datadict(self, data, files, name):
        try:
            count = int(data.get(f"{name}-rows", 0))
        except (TypeError, ValueError):
            count = 0
        count = max(0, min(count, MAX_TABLE_ROWS))
        rows = []
        for index in range(count):
            row = {
                c["key"]: self.cell_value(data, files, f"{name}-{index}-{c['key']}", c)
                for c in self.options["columns"]
            }
            rows.append(row)
        # Trailing blank rows are dropped; blank rows in between are kept so that
        # "Row N" in a message is the row the applicant sees as N.
        while rows and _is_blank(rows[-1]):
            rows.pop()
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = [dict(row) for row in value] if isinstance(value, list) else []
        blank = {c["key"]: "" for c in self.options["columns"]}
        shown = max(len(rows) + (0 if rows else 1), self.options.get("min_rows") or 0, 1)
        rows += [dict(blank) for _ in range(shown - len(rows))]
        table_id = context["widget"]["attrs"].get("id", "")
        context["widget"].update(
            columns=self.options["columns"],
            rows=[
                [
                    (c, row.get(c["key"], ""), self.cell_html(name, index, c, row.get(c["key"]), table_id))
                    for c in self.options["columns"]
                ]
                for index, row in enumerate(rows)
            ],
            row_count=len(rows),
            numbered=self.options.get("numbered"),
            show_totals=self.options.get("show_totals"),
            max_rows=self.options.get("max_rows"),
            min_rows=self.options.get("min_rows"),
        )
        return context

    def cell_html(self, name, index, column, value, table_id):
        """The inputs of a cell of a registered column type, rendered by its own widget; else None.

        Each input keeps its own label (e.g. 地区, 详细地址) and is described by the column heading.
        """
        widget = self.cell_widgets.get(column["key"])
        if widget is None:
            return None
        cell = f"{name}-{index}-{column['key']}"
        attrs = {"id": f"id_{cell}", "aria-describedby": f"{table_id}-h-{column['key']}"}
        return widget.render(cell, value if isinstance(value, dict | list) else None, attrs)

    def format_value(self, value):
        return value


class TableField(forms.Field):
    """A repeating table: rows the applicant adds, each cell checked by its column's type."""

    def __init__(self, columns, min_rows=0, max_rows=20, numbered=True, show_totals=False, **kwargs):
        self.columns, self.min_rows, self.max_rows = columns, min_rows, max_rows
        options = {
            "columns": columns,
            "min_rows": min_rows,
            "max_rows": max_rows,
            "numbered": numbered,
            "show_totals": show_totals,
        }
        # One field per column, made once: a cell of a registered type may read the region list.
        self.cell_fields = {column["key"]: cell_field(column) for column in columns}
        cell_widgets = {
            column["key"]: self.cell_fields[column["key"]].widget
            for column in columns
            if column_type(column.get("type", "text")) is not None
        }
        kwargs.setdefault("widget", TableWidget(options, cell_widgets=cell_widgets))
        super().__init__(**kwargs)

    def clean(self, value):
        numbered = list(enumerate(value, 1)) if isinstance(value, list) else []
        numbered = [(n, row) for n, row in numbered if not _is_blank(row)]
        rows = [row for _n, row in numbered]
        if not rows:
            if self.required or self.min_rows:
                raise ValidationError(
                    _("%(field)s: fill in at least %(n)s rows.")
                    % {"field": self.label, "n": max(self.min_rows, 1)}
                )
            return []
        errors = []
        if len(rows) < self.min_rows:
            errors.append(
                _("%(field)s: fill in at least %(n)s rows.") % {"field": self.label, "n": self.min_rows}
            )
        if len(rows) > self.max_rows:
            errors.append(_("%(field)s: at most %(n)s rows.") % {"field": self.label, "n": self.max_rows})
        cleaned = []
        for index, row in numbered:
            out = {}
            for column in self.columns:
                raw = row.get(column["key"], "") if isinstance(row, dict) else ""
                if column["key"] in self.widget.cell_widgets:  # several inputs: one part each
                    raw = [str(part).strip() for part in raw] if isinstance(raw, list) else [str(raw).strip()]
                else:
                    raw = str(raw).strip()
                try:
                    out[column["key"]] = cell_to_json(self.cell_fields[column["key"]].clean(raw))
                except ValidationError as error:
                    errors.append(_cell_error(index, column, error))
            cleaned.append(out)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _is_blank(row):
    """Whether a posted table row has nothing typed in it (a cell may be several inputs)."""
    if not isinstance(row, dict):
        return not row
    parts = [part for cell in row.values() for part in (cell if isinstance(cell, list) else [cell])]
    return not any(str(part).strip() for part in parts if part is not None)


def column_totals(columns, rows):
    """Return ``{column_key: total}`` for the number columns of table rows."""
    totals = {}
    for column in columns:
        if column.get("type") not in numeric_types():
            continue
        total = sum((to_decimal(row.get(column["key"])) for row in rows), Decimal(0))
        totals[column["key"]] = cell_to_json(total)
    return totals


class MatrixWidget(TableWidget):
    """Fixed rows × columns, inputs named ``<name>-<row key>-<column key>``."""

    template_name = "shenbao_builder/widgets/matrix.html"

    def value_from_datadict(self, data, files, name):
        return {
            row["key"]: {
                c["key"]: str(data.get(f"{name}-{row['key']}-{c['key']}", "") or "")[: MAX_CELL_LENGTH * 2]
                for c in self.options["columns"]
            }
            for row in self.options["rows"]
        }

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}-") for key in data)

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        value = value if isinstance(value, dict) else {}
        context["widget"].update(
            row_heading=self.options.get("row_heading"),
            columns=self.options["columns"],
            rows=[
                (row, [(c, (value.get(row["key"]) or {}).get(c["key"], "")) for c in self.options["columns"]])
                for row in self.options["rows"]
            ],
            row_totals=self.options.get("row_totals"),
            column_totals=self.options.get("column_totals"),
        )
        return context


class MatrixField(forms.Field):
    """A table with fixed rows (e.g. cities) and number columns, with computed totals."""

    def __init__(self, rows, columns, row_heading="", row_totals=False, column_totals=True, **kwargs):
        self.rows, self.columns = rows, columns
        options = {
            "rows": rows,
            "columns": columns,
            "row_heading": row_heading,
            "row_totals": row_totals,
            "column_totals": column_totals,
        }
        kwargs.setdefault("widget", MatrixWidget(options))
        super().__init__(**kwargs)
        self._cell_fields = {}

    def cell_field(self, column):
        """The field of a column's cells, made once: number cells are required when the matrix is."""
        required = self.required and column.get("type") in numeric_types()
        key = (column["key"], required)
        if key not in self._cell_fields:
            self._cell_fields[key] = cell_field({**column, "required": required})
        return self._cell_fields[key]

    def clean(self, value):
        value = value if isinstance(value, dict) else {}
        errors, cleaned, any_filled = [], {}, False
        for row in self.rows:
            raw_row = value.get(row["key"]) or {}
            out = {}
            for column in self.columns:
                raw = str(raw_row.get(column["key"], "") if isinstance(raw_row, dict) else "").strip()
                any_filled = any_filled or bool(raw)
                try:
                    out[column["key"]] = cell_to_json(self.cell_field(column).clean(raw))
                except ValidationError as error:
                    errors.append(_cell_error(row["label"], column, error))
            cleaned[row["key"]] = out
        if errors:
            raise ValidationError(errors)
        if not any_filled:
            return {}
        return cleaned


class DecimalAnswerField(forms.DecimalField):
    """A decimal answer stored as an exact string, e.g. "12.50"."""

    def clean(self, value):
        return cell_to_json(super().clean(value))


class DateAnswerField(forms.DateField):
    """A date answer stored as "YYYY-MM-DD"."""

    def clean(self, value):
        return cell_to_json(super().clean(value))
