"""A form definition as plain data, and the rules read from it.

The schema is what a ``FormVersion`` stores. Everything that must keep working
for old submissions (building forms, conditions, exports, PDFs) reads it from
here, never from the live blocks.

Stored answer shapes, by field type:
  text-like types → str;  integer → int;  decimal → str ("12.50");  date → "YYYY-MM-DD"
  date_range → {"start", "end"};  id_number → {"type", "number"};  yes_no → bool
  single_choice → {"selected": str, "other": str};  multiple_choice → {"selected": [str], "other": str}
  region → {"code", "name"};  address → {"region", "path", "street", "postcode"}
  table → [{column_key: value}];  matrix → {row_key: {column_key: value}}
Each type's module in ``forms_app/builder/types/`` says how its answer is stored and read.
"""

from forms_app.builder import types  # noqa: F401  (registers the built-in field types)
from forms_app.builder.conditions import keys_of, normalise
from forms_app.builder.registry import type_of

STATIC_TYPES = {"heading", "static_text"}
YES_WORDS = {"yes", "true", "1", "是"}
NO_WORDS = {"no", "false", "0", "否"}


class FormSchema:
    """Read-only access to a form definition: steps, fields and conditions."""

    def __init__(self, data):
        self.data = data or {"steps": []}
        self.steps = self.data.get("steps", [])
        self._fields = {
            f["key"]: f for step in self.steps for f in step["fields"] if f.get("type") not in STATIC_TYPES
        }
        # Read for every field of every row of an import: looked up once, not searched each time.
        self._step_by_key = {f.get("key"): step for step in reversed(self.steps) for f in step["fields"]}
        conditions = [item.get("condition") for step in self.steps for item in (step, *step["fields"])]
        self.condition_keys = frozenset(key for condition in conditions for key in keys_of(condition))

    def get_step(self, key):
        """Return the step with ``key``."""
        return next(step for step in self.steps if step["key"] == key)

    def get_field(self, key):
        """Return the input field with ``key``, or None."""
        return self._fields.get(key)

    def input_fields(self, step=None):
        """Return the input fields (no headings or static text) of one step or of the whole form."""
        steps = [step] if step is not None else self.steps
        return [f for s in steps for f in s["fields"] if f.get("type") not in STATIC_TYPES]

    def answer_strings(self, key, value):
        """Return the strings an answer stands for, for comparing it with a condition's value."""
        field = self.get_field(key) or {"type": "short_text"}
        return type_of(field).condition_strings(field, value)

    def condition_holds(self, condition, answers):
        """Whether ``condition`` (either stored shape, see ``conditions``) is met by ``answers``.

        ``answers`` is a dict of key → stored answer. *all* needs every rule, *any* one of them.
        """
        condition = normalise(condition)
        if condition is None:
            return True
        results = (self.rule_holds(rule, answers) for rule in condition["rules"])
        return all(results) if condition["join"] == "all" else any(results)

    def rule_holds(self, rule, answers):
        """Whether one rule ``{"field", "op", "value"}`` is met by ``answers``."""
        key = rule["field"]
        # A rule on a field that is itself hidden is not met, whatever its operator.
        controlling = self.get_field(key)
        if controlling is not None and not self.field_visible(controlling, answers):
            return False
        strings = self.answer_strings(key, answers.get(key))
        wanted = (rule.get("value") or "").strip()
        op = rule.get("op", "equals")
        if op == "filled":
            return bool(strings)
        if op == "not_filled":
            return not strings
        if (
            controlling is not None
            and controlling["type"] == "yes_no"
            and wanted.lower() in YES_WORDS | NO_WORDS
        ):
            wanted_bool = wanted.lower() in YES_WORDS
            actual = answers.get(key)
            matched = actual is not None and actual == wanted_bool
        elif op == "contains":
            matched = any(wanted in s for s in strings)
        else:
            matched = wanted in strings
        return not matched if op == "not_equals" else matched

    def field_visible(self, field, answers):
        """Whether a field is shown, given the answers so far (its step must be shown too)."""
        step = self._step_of(field["key"])
        if step is not None and not self.condition_holds(step.get("condition"), answers):
            return False
        return self.condition_holds(field.get("condition"), answers)

    def step_visible(self, step, answers):
        """Whether a step is shown, given the answers so far."""
        return self.condition_holds(step.get("condition"), answers)

    def visible_steps(self, answers):
        """Return the steps shown for these answers, in order."""
        return [step for step in self.steps if self.step_visible(step, answers)]

    def _step_of(self, key):
        return self._step_by_key.get(key)
