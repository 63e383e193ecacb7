"""Forms written in code: the raw StreamField value that the form builder saves for a form's steps.

The demo content, the tests, the benchmarks and a host site's own fixtures build their forms with
these helpers, so the shape of a saved form is written in one place, beside the blocks that read it.
"""


def field(kind, label, key="", required=True, help_text="", condition=None, **options):
    """One field block of type ``kind`` (``short_text``, ``table``, …) with its type's ``options``."""
    value = {
        "label": label,
        "key": key,
        "help_text": help_text,
        "required": required,
        "condition": condition or {},
    }
    value.update(options)
    return {"type": kind, "value": value}


def rule(key, value="", operator="equals"):
    """One rule of a condition: the answer to ``key`` compares so (``operator``) with ``value``."""
    return {"field": key, "operator": operator, "value": value}


def when(key, value="", operator="equals"):
    """A condition of one rule: show the field or step when the answer to ``key`` compares so."""
    return {"join": "all", "rules": [rule(key, value, operator)]}


def when_all(*rules):
    """A condition met when every one of ``rules`` (``rule(…)``) is."""
    return {"join": "all", "rules": list(rules)}


def when_any(*rules):
    """A condition met when at least one of ``rules`` (``rule(…)``) is."""
    return {"join": "any", "rules": list(rules)}


def heading(text):
    """A subheading between the fields of a step."""
    return {"type": "heading", "value": {"text": text}}


def note(text):
    """Fixed text shown between the fields of a step (instructions, not a question)."""
    return {"type": "static_text", "value": {"text": text}}


def step(key, title, *fields, description="", condition=None):
    """One step of the form, holding ``fields`` in order."""
    return {
        "type": "step",
        "value": {
            "title": title,
            "key": key,
            "description": description,
            "condition": condition or {},
            "fields": list(fields),
        },
    }


def column(label, key, kind="text", required=False, unit="", options=""):
    """One column of a repeating table (``field("table", …, columns=[column(…), …])``)."""
    return {"label": label, "key": key, "type": kind, "required": required, "choices": options, "unit": unit}


def choices(*labels):
    """The options of a choice field, one per line, as the editor types them."""
    return "\n".join(labels)
