"""What changed in a form between two years: fields added, removed, relabelled, options changed.

Editors copy last year's round and adjust it; before publishing they check
the differences here. Fields are matched by key (keys survive copying and
relabelling), steps by key as well. Each change is a ``Change`` with words
an editor reads, never raw JSON.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.builder.blocks import FIELD_BLOCKS
from forms_app.builder.conditions import OPERATORS, VALUELESS, normalise
from forms_app.builder.schema import FormSchema

# Options worth naming when they change, with how an editor calls them.
OPTION_NAMES = {
    "max_length": gettext_lazy("Maximum characters"),
    "min_length": gettext_lazy("Minimum characters"),
    "min_value": gettext_lazy("Minimum"),
    "max_value": gettext_lazy("Maximum"),
    "unit": gettext_lazy("Unit"),
    "decimal_places": gettext_lazy("Decimal places"),
    "allow_other": gettext_lazy("Offer “其他” with a text box"),
    "other_label": gettext_lazy("Label of “other”"),
    "min_choices": gettext_lazy("At least"),
    "max_choices": gettext_lazy("At most"),
    "yes_label": gettext_lazy("Yes label"),
    "no_label": gettext_lazy("No label"),
    "document_types": gettext_lazy("Accepted documents"),
    "allowed_types": gettext_lazy("Allowed file types"),
    "max_size_mb": gettext_lazy("Maximum size (MB)"),
    "max_files": gettext_lazy("Maximum number of files"),
    "min_rows": gettext_lazy("Minimum rows"),
    "max_rows": gettext_lazy("Maximum rows"),
    "row_heading": gettext_lazy("Heading of the row column"),
    "rows": gettext_lazy("Height (lines)"),
}


@dataclass
class Change:
    """One difference: ``kind`` is added, removed, relabelled, retyped, options, required, condition
    or moved (or step_added, step_removed, step_renamed)."""

    kind: str
    label: str
    step: str
    details: list = field(default_factory=list)


def option_words(name):
    return str(OPTION_NAMES.get(name, name))


def type_words(kind):
    """Return the builder's name of a field type (e.g. "Short text")."""

    labels = {name: block.meta.label for name, block in FIELD_BLOCKS}
    return str(labels.get(kind, kind))


def listed(values):
    return "、".join(str(v) for v in values) or "—"


def option_changes(old, new):
    """Return readable lines for the options that differ between two specs of the same field."""
    lines = []
    old_options, new_options = old.get("options", {}), new.get("options", {})
    old_choices, new_choices = old_options.get("choices") or [], new_options.get("choices") or []
    if old_choices != new_choices:
        added = [c for c in new_choices if c not in old_choices]
        removed = [c for c in old_choices if c not in new_choices]
        if added:
            lines.append(_("choices added: %(list)s") % {"list": listed(added)})
        if removed:
            lines.append(_("choices removed: %(list)s") % {"list": listed(removed)})
        if not added and not removed:
            lines.append(_("choices reordered: %(list)s") % {"list": listed(new_choices)})
    for part, heading in (("columns", _("columns")), ("rows", _("rows"))):
        if new.get("type") not in {"table", "matrix"}:
            continue  # a long text's "rows" is its height, not a list
        old_labels = [c.get("label") for c in old_options.get(part) or []]
        new_labels = [c.get("label") for c in new_options.get(part) or []]
        if old_labels != new_labels:
            lines.append(
                _("%(part)s: %(old)s → %(new)s")
                % {"part": heading, "old": listed(old_labels), "new": listed(new_labels)}
            )
    for name in OPTION_NAMES:
        before, after = old_options.get(name), new_options.get(name)
        if before != after and not (before in (None, "", []) and after in (None, "", [])):
            shown = [
                listed(v) if isinstance(v, list) else ("—" if v in (None, "") else v) for v in (before, after)
            ]
            lines.append(
                _("%(option)s: %(old)s → %(new)s")
                % {"option": option_words(name), "old": shown[0], "new": shown[1]}
            )
    return lines


def condition_words(condition, fields):
    """A condition as an editor reads it: 单位性质 is 企业 and …, or "always shown"."""
    condition = normalise(condition)
    if condition is None:
        return _("always shown")
    operators = dict(OPERATORS)
    parts = []
    for rule in condition["rules"]:
        _step, spec = fields.get(rule["field"], (None, {"label": rule["field"]}))
        words = f"{spec['label']} {operators.get(rule['op'], rule['op'])}"
        parts.append(words if rule["op"] in VALUELESS else f"{words} “{rule['value']}”")
    joiner = _(" and ") if condition["join"] == "all" else _(" or ")
    return _("shown only if %(rules)s") % {"rules": joiner.join(parts)}


def fields_by_key(schema_data):
    """Return ``{key: (step, field)}`` for the input fields of a schema."""
    schema = FormSchema(schema_data)
    return {spec["key"]: (step, spec) for step in schema.steps for spec in schema.input_fields(step)}


def compare_schemas(old_data, new_data):
    """Return the ``Change`` list from ``old_data`` to ``new_data`` (schema dicts), in new order."""
    old_fields, new_fields = fields_by_key(old_data), fields_by_key(new_data)
    changes = []
    old_steps = {s["key"]: s for s in old_data.get("steps", [])}
    for step in new_data.get("steps", []):
        before = old_steps.get(step["key"])
        if before is None:
            changes.append(Change("step_added", step["title"], step["title"]))
        elif before["title"] != step["title"]:
            changes.append(
                Change(
                    "step_renamed",
                    step["title"],
                    step["title"],
                    [_("was “%(old)s”") % {"old": before["title"]}],
                )
            )
    for step in old_data.get("steps", []):
        if step["key"] not in {s["key"] for s in new_data.get("steps", [])}:
            changes.append(Change("step_removed", step["title"], step["title"]))
    for key, (step, spec) in new_fields.items():
        if key not in old_fields:
            changes.append(Change("added", spec["label"], step["title"], [type_words(spec["type"])]))
            continue
        old_step, old_spec = old_fields[key]
        if old_spec["label"] != spec["label"]:
            changes.append(
                Change(
                    "relabelled",
                    spec["label"],
                    step["title"],
                    [_("was “%(old)s”") % {"old": old_spec["label"]}],
                )
            )
        if old_spec["type"] != spec["type"]:
            changes.append(
                Change(
                    "retyped",
                    spec["label"],
                    step["title"],
                    [f"{type_words(old_spec['type'])} → {type_words(spec['type'])}"],
                )
            )
        elif lines := option_changes(old_spec, spec):
            changes.append(Change("options", spec["label"], step["title"], lines))
        if bool(old_spec.get("required")) != bool(spec.get("required")):
            changes.append(
                Change(
                    "required",
                    spec["label"],
                    step["title"],
                    [_("now required") if spec.get("required") else _("now optional")],
                )
            )
        if normalise(old_spec.get("condition")) != normalise(spec.get("condition")):
            words = condition_words(spec.get("condition"), new_fields)
            changes.append(Change("condition", spec["label"], step["title"], [words]))
        if old_step["key"] != step["key"]:
            changes.append(
                Change(
                    "moved",
                    spec["label"],
                    step["title"],
                    [_("was in “%(step)s”") % {"step": old_step["title"]}],
                )
            )
    for key, (step, spec) in old_fields.items():
        if key not in new_fields:
            changes.append(Change("removed", spec["label"], step["title"]))
    return changes


def draft_schema(page):
    """Return the schema of ``page`` as its editors last saved it (the draft, if newer than live)."""
    latest = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    return latest.get_schema_data()


def pair_forms(old_notice, new_notice):
    """Return ``[(old form or None, new form or None)]``: by copy link, else attachment label, else slug."""
    old_forms = list(old_notice.get_children().specific())
    new_forms = list(new_notice.get_children().specific())
    pairs, used = [], set()
    for form in new_forms:
        match = next((o for o in old_forms if o.pk == getattr(form, "previous_form_id", None)), None)
        match = match or next(
            (
                o
                for o in old_forms
                if o.pk not in used and form.attachment_label and o.attachment_label == form.attachment_label
            ),
            None,
        )
        match = match or next((o for o in old_forms if o.pk not in used and o.slug == form.slug), None)
        if match is not None:
            used.add(match.pk)
        pairs.append((match, form))
    pairs.extend((o, None) for o in old_forms if o.pk not in used)
    return pairs


def compare_rounds(old_notice, new_notice):
    """Return ``[{"old", "new", "changes"}]`` for the forms of two rounds."""
    rows = []
    for old, new in pair_forms(old_notice, new_notice):
        if old is None or new is None:
            rows.append({"old": old, "new": new, "changes": []})
            continue
        rows.append(
            {"old": old, "new": new, "changes": compare_schemas(draft_schema(old), draft_schema(new))}
        )
    return rows
