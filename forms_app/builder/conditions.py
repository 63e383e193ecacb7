"""The one shape of a condition, and how older shapes read in it.

A field or step is shown only when its condition holds. A condition is several rules joined by
*all* or *any*::

    {"join": "all" | "any", "rules": [{"field": key, "op": operator, "value": text}]}

which maps one to one onto JSON Logic (``{"and"|"or": [{"==": [{"var": key}, value]}, ...]}``).
Forms published before rules could be joined stored one rule, ``{"field", "op", "value"}``; their
frozen versions are read through ``normalise`` unchanged, and the editor's blocks upgrade the
old raw value (``{"field", "operator", "value"}``) when they load it.

The operators here are the ones the editor offers and the browser script applies; ``FormSchema``
is where the server decides them.
"""

from django.utils.translation import gettext_lazy as _

OPERATORS = [
    ("equals", _("is")),
    ("not_equals", _("is not")),
    ("contains", _("includes")),
    ("filled", _("is answered")),
    ("not_filled", _("is not answered")),
]
#: Operators that compare with no value.
VALUELESS = {"filled", "not_filled"}
JOINS = [
    ("all", _("all of these rules hold")),
    ("any", _("any of these rules holds")),
]
#: Before its first save a new field has no key; the editor names it by its block id after this mark.
BLOCK_REFERENCE = "#"


def normalise(condition):
    """Return a schema condition in either stored shape as ``{"join", "rules"}``, or None for none."""
    if not condition:
        return None
    if "rules" in condition:
        join = condition.get("join") if condition.get("join") in dict(JOINS) else "all"
        # ``known``: what the server found for a rule on an answer of another step (see ``StepForm``).
        rules = [
            {
                "field": rule["field"],
                "op": rule.get("op") or "equals",
                "value": rule.get("value") or "",
                **({"known": rule["known"]} if "known" in rule else {}),
            }
            for rule in condition.get("rules") or []
            if rule and rule.get("field")
        ]
    else:
        join = "all"
        rules = (
            [
                {
                    "field": condition["field"],
                    "op": condition.get("op") or "equals",
                    "value": condition.get("value") or "",
                }
            ]
            if condition.get("field")
            else []
        )
    return {"join": join, "rules": rules} if rules else None


def keys_of(condition):
    """The keys of the fields a schema condition reads."""
    condition = normalise(condition)
    return [rule["field"] for rule in condition["rules"]] if condition else []


def upgrade_block_value(value):
    """The raw value of a condition block, in the shape of today's block (one rule → a list of one)."""
    if isinstance(value, dict) and "rules" not in value and ("field" in value or "operator" in value):
        rule = {
            "field": value.get("field") or "",
            "operator": value.get("operator") or "equals",
            "value": value.get("value") or "",
        }
        return {"join": "all", "rules": [rule] if rule["field"] else []}
    return value
