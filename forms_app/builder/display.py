"""The answer renderer: stored answers as people read them, by step, with labels, in one tree.

The check page, "My applications", the review desk, the PDF, the Word copy, the summary lists and
the search text all read answers through ``render_answers`` (or ``answer_text`` for one answer), and
every answer's wording comes from its field type (``registry.FieldType``), so a change of wording
shows everywhere at once. Only the schema a submission was made with is used, never the live form.

Modes: ``screen`` (text, tables, files), ``print`` (the same, plus ☑/□ marks for every option of a
choice), ``blank`` (an empty printout: unticked options, empty table rows) and ``search`` (the words
the review list's search finds: no personal numbers). ``masked`` hides the middle of personal
numbers for readers who do not need them whole.
"""

from forms_app.builder import types  # noqa: F401  (registers the built-in field types)
from forms_app.builder.registry import type_of
from forms_app.builder.schema import STATIC_TYPES
from forms_app.builder.types.text import mask

__all__ = [
    "CHECKED",
    "UNCHECKED",
    "anonymised_answers",
    "answer_text",
    "is_empty",
    "mask",
    "render_answers",
    "search_words",
]

SCREEN, PRINT, BLANK, SEARCH = "screen", "print", "blank", "search"
CHECKED, UNCHECKED = "☑", "□"


def render_answers(schema, answers, mode=SCREEN, masked=False, steps=None):
    """Return ``[{"step", "items"}]`` for the shown steps, each item one rendered answer.

    ``steps`` limits the sections to those step keys (the check page lists the steps the wizard
    went through); otherwise the steps the answers show. A blank printout lists every step.
    """
    answers = answers or {}
    sections = []
    for step in schema.steps:
        if steps is not None and step["key"] not in steps:
            continue
        if steps is None and mode != BLANK and not schema.step_visible(step, answers):
            continue
        items = [
            render_answer(spec, answers.get(spec["key"]), mode, masked)
            for spec in step["fields"]
            if spec.get("type") not in STATIC_TYPES and (mode == BLANK or schema.field_visible(spec, answers))
        ]
        sections.append({"step": step, "items": items})
    return sections


def render_answer(spec, value, mode=SCREEN, masked=False):
    """Return one answer as ``{"key", "label", "type", "empty", "text"}``, with ``table``, ``files``
    or ``marks`` where the type has them."""
    field_type = type_of(spec)
    item = {
        "key": spec["key"],
        "label": spec["label"],
        "type": spec["type"],
        "text": "",
        "empty": True,
    }
    if mode == BLANK:
        item.update(field_type.render_blank(spec))
    else:
        item["empty"] = field_type.is_empty(value)
        if not item["empty"]:
            item.update(field_type.render(spec, value, masked))
        if mode == PRINT:
            item["marks"] = field_type.marks(spec, None if item["empty"] else value)
    if item.get("marks") is not None:
        item["marks"] = [
            (CHECKED if chosen else UNCHECKED, label, other) for chosen, label, other in item["marks"]
        ]
    else:
        item.pop("marks", None)
    return item


def is_empty(spec, value):
    """Whether ``value`` is no answer to the field ``spec``."""
    return type_of(spec).is_empty(value)


def answer_text(spec, value, masked=False):
    """One answer as one line of text ("" for no answer), as summary lists and cells show it."""
    field_type = type_of(spec)
    return "" if field_type.is_empty(value) else field_type.text(spec, value, masked)


def search_words(schema, answers):
    """Return the answers as one searchable text: labels for choices, table cells, no personal numbers."""
    words = []
    for spec in schema.input_fields():
        words.extend(type_of(spec).search_words(spec, answers.get(spec["key"])))
    return "\n".join(words)


def anonymised_answers(schema, answers):
    """Return ``answers`` as an anonymised submission keeps them: what each type says is not personal.

    Choices, numbers, dates, regions and tables of figures stay; free text, contacts, addresses, ID and
    bank numbers and files go (``FieldType.anonymised``), and so does any answer the schema does not name.
    """
    kept = {}
    for spec in schema.input_fields():
        key = spec["key"]
        if key not in answers:
            continue
        value = type_of(spec).anonymised(spec, answers[key])
        if value is not None:
            kept[key] = value
    return kept
