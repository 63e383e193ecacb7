"""Answers as people read them: by step, with labels, tables as tables, choices as words.

The check page, "My applications" and (later) the review desk and the PDF all
show stored answers; they read them through ``answer_sections`` so a choice,
a table or a masked ID number looks the same everywhere. Only the schema a
submission was made with is used, never the live form.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from forms_app.builder.fields import column_totals
from forms_app.builder.schema import STATIC_TYPES
from forms_app.builder.validators import DOCUMENT_TYPES

PERSONAL_TYPES = {"id_number", "bank_account"}


def mask(text, head=3, tail=4):
    """Hide the middle of a personal number: 330102199001011234 → 330***********1234."""
    text = str(text or "")
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def answer_sections(schema, answers, masked=False, steps=None):
    """Return ``[{"step", "items"}]`` for the shown steps, each item a displayable answer.

    ``masked`` hides the middle of ID and bank numbers, for readers who do not
    need them whole. ``steps`` limits the sections to those step keys.
    """
    sections = []
    for step in schema.steps:
        if steps is not None and step["key"] not in steps:
            continue
        if steps is None and not schema.step_visible(step, answers):
            continue
        items = [
            display_item(spec, answers.get(spec["key"]), masked)
            for spec in step["fields"]
            if spec.get("type") not in STATIC_TYPES and schema.field_visible(spec, answers)
        ]
        sections.append({"step": step, "items": items})
    return sections


def display_item(spec, value, masked=False):
    """Return one answer as ``{"key", "label", "type", "text"}`` plus ``table`` or ``files``."""
    options = spec.get("options", {})
    kind = spec["type"]
    item = {"key": spec["key"], "label": spec["label"], "type": kind, "text": "", "empty": is_empty(value)}
    if item["empty"]:
        return item
    if kind == "table":
        item["table"] = table_display(options, value)
    elif kind == "matrix":
        item["table"] = matrix_display(options, value)
    elif kind == "file":
        item["files"] = [f for f in value if isinstance(f, dict)]
    else:
        item["text"] = answer_text(spec, value, masked)
    return item


def is_empty(value):
    return value is None or value == "" or value == [] or value == {}


def answer_text(spec, value, masked=False):
    """Return a scalar answer as one line of text."""
    options = spec.get("options", {})
    kind = spec["type"]
    if kind == "yes_no":
        return (options.get("yes_label") or "是") if value else (options.get("no_label") or "否")
    if kind in {"single_choice", "multiple_choice"}:
        selected = value.get("selected") or []
        chosen = selected if isinstance(selected, list) else [selected]
        other_label = options.get("other_label") or "其他"
        words = [
            f"{c}（{value['other']}）" if c == other_label and value.get("other") else c for c in chosen if c
        ]
        return "、".join(words)
    if kind == "region":
        return value.get("name", "")
    if kind == "date_range":
        return _("%(start)s to %(end)s") % {"start": value.get("start", ""), "end": value.get("end", "")}
    if kind == "id_number":
        names = dict(DOCUMENT_TYPES)
        number = mask(value.get("number")) if masked else value.get("number", "")
        return f"{names.get(value.get('type'), '')} {number}".strip()
    if kind == "bank_account" and masked:
        return mask(value)
    unit = options.get("unit") or ""
    return f"{value} {unit}".strip() if unit and kind in {"integer", "decimal"} else str(value)


def table_display(options, rows):
    """Return a repeating table as headers, rows of cells and an optional totals row."""
    columns = options.get("columns", [])
    body = [[row.get(c["key"]) if row.get(c["key"]) is not None else "" for c in columns] for row in rows]
    numbered = options.get("numbered", True)
    headers = ([_("No.")] if numbered else []) + [c["label"] for c in columns]
    if numbered:
        body = [[index, *cells] for index, cells in enumerate(body, start=1)]
    totals = None
    if options.get("show_totals"):
        sums = column_totals(columns, rows)
        cells = [sums.get(c["key"], "") for c in columns]
        # The label goes in the number column, or in the first cell when that is not a number column.
        totals = [_("Total"), *cells] if numbered else [cells[0] or _("Total"), *cells[1:]]
    return {"headers": headers, "rows": body, "totals": totals}


def matrix_display(options, value):
    """Return a matrix (fixed rows × number columns) with its row and column totals."""
    rows, columns = options.get("rows", []), options.get("columns", [])
    number_keys = [c["key"] for c in columns if c.get("type") in {"integer", "decimal"}]
    headers = [options.get("row_heading") or ""] + [c["label"] for c in columns]
    if options.get("row_totals"):
        headers.append(_("Total"))
    body = []
    for row in rows:
        cells = value.get(row["key"]) or {}
        line = [row["label"]] + [
            cells.get(c["key"]) if cells.get(c["key"]) is not None else "" for c in columns
        ]
        if options.get("row_totals"):
            line.append(_number(sum(_decimal(cells.get(key)) for key in number_keys)))
        body.append(line)
    totals = None
    if options.get("column_totals", True):
        sums = column_totals(columns, [value.get(row["key"]) or {} for row in rows])
        totals = [_("Total")] + [sums.get(c["key"], "") for c in columns]
        if options.get("row_totals"):
            totals.append(_number(sum(_decimal(sums.get(key)) for key in number_keys)))
    return {"headers": headers, "rows": body, "totals": totals}


def _decimal(value):
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _number(value):
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def search_words(schema, answers):
    """Return the answers as one searchable text: labels for choices, table cells, no personal numbers."""
    words = []
    for spec in schema.input_fields():
        value = answers.get(spec["key"])
        if is_empty(value) or spec["type"] in PERSONAL_TYPES:
            continue
        item = display_item(spec, value)
        if "table" in item:
            words.extend(str(cell) for row in item["table"]["rows"] for cell in row if cell != "")
        elif "files" in item:
            words.extend(f.get("name", "") for f in item["files"])
        else:
            words.append(item["text"])
    return "\n".join(words)
