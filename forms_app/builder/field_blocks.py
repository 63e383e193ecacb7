"""What every field block shares: the label, the stable key, the help text, the required flag and a condition.

Each field type's own block (in ``forms_app/builder/types/``) extends ``BaseFieldBlock`` with its
settings; ``get_options`` turns them into the plain data of the schema.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from forms_app.builder.conditions import JOINS, OPERATORS, upgrade_block_value
from forms_app.builder.keys import suggest_key, validate_key

REGION_LEVEL_CHOICES = [
    ("province", _("Province or municipality")),
    ("city", _("City")),
    ("county", _("County or district")),
]
CONDITION_OPERATORS = OPERATORS


def choice_lines(text):
    """Return the non-empty, stripped, de-duplicated lines of a choices box."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def schema_number(value):
    """Schema numbers: ints stay ints, decimals become strings so JSON keeps them exact."""
    if value is None or value == "":
        return None
    return value if isinstance(value, int) else str(value)


def fill_keys(items):
    """Give items without a key one suggested from their label; report duplicates by index."""
    taken = {item["key"] for item in items if item.get("key")}
    seen, errors = set(), {}
    for index, item in enumerate(items):
        if not item.get("key"):
            item["key"] = suggest_key(item.get("label"), taken)
            taken.add(item["key"])
        if item["key"] in seen:
            errors[index] = ValidationError(
                _("The key “%(key)s” is used twice."), params={"key": item["key"]}
            )
        seen.add(item["key"])
    return errors


class ConditionRuleBlock(blocks.StructBlock):
    """One rule of a condition: an earlier field, an operator and a value.

    ``field`` holds the key of the earlier field; the editor picks it from a list of the form's
    fields by label (``condition-rule`` controller), and before the first save, when a new field
    has no key yet, names it by its block id (``#<id>``), which the form's ``clean`` turns into
    the key it suggests.
    """

    field = blocks.CharBlock(label=_("Field"), required=False, max_length=40)
    operator = blocks.ChoiceBlock(label=_("Condition"), choices=CONDITION_OPERATORS, default="equals")
    value = blocks.CharBlock(label=_("Value"), required=False, max_length=255)

    class Meta:
        icon = "cogs"
        form_classname = "condition-rule"
        form_attrs = {"data-controller": "shenbao-condition-rule"}


class ConditionBlock(blocks.StructBlock):
    """Show a field or step only when the rules on earlier answers hold (no rules: always shown)."""

    join = blocks.ChoiceBlock(label=_("Show when"), choices=JOINS, default="all")
    rules = blocks.ListBlock(ConditionRuleBlock(), label=_("Rules"))

    class Meta:
        icon = "cogs"
        form_classname = "condition-block"
        collapsed = True

    # Forms saved before rules could be joined hold one rule, ``{field, operator, value}``.
    def to_python(self, value):
        return super().to_python(upgrade_block_value(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([upgrade_block_value(value) for value in values])

    def normalize(self, value):
        return super().normalize(upgrade_block_value(value))

    @staticmethod
    def to_schema(value):
        """The condition as the schema stores it: ``{"join", "rules"}``, or None when it has no rule."""
        value = upgrade_block_value(value)
        rules = [
            {
                "field": rule["field"],
                "op": rule.get("operator") or "equals",
                "value": rule.get("value") or "",
            }
            for rule in (value or {}).get("rules") or []
            if rule and rule.get("field")
        ]
        if not rules:
            return None
        return {"join": value.get("join") or "all", "rules": rules}


class BaseFieldBlock(blocks.StructBlock):
    """What every input shares: label, stable key, help text, required flag and a condition."""

    field_type = None

    label = blocks.CharBlock(label=_("Label"), max_length=255)
    key = blocks.CharBlock(
        label=_("Key"),
        required=False,
        max_length=40,
        validators=[validate_key],
        help_text=_(
            "Names the answer in exports. Suggested from the label when left empty, then kept "
            "when the label changes."
        ),
    )
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    condition = ConditionBlock(label=_("Show only if"), required=False)

    # Pairs of (minimum, maximum) settings that must not cross.
    ranges = ()

    class Meta:
        icon = "form"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for low_name, high_name in self.ranges:
            low, high = value.get(low_name), value.get(high_name)
            if low is not None and high is not None and low > high:
                errors[low_name] = ValidationError(_("The minimum cannot be larger than the maximum."))
        errors.update(self.get_setting_errors(value))
        if errors:
            raise StructBlockValidationError(errors)
        return value

    def get_setting_errors(self, value):
        """Return ``{setting: ValidationError}`` for settings that do not make sense together."""
        return {}

    def get_options(self, value):
        """Return this field type's own settings as plain data."""
        return {}

    def to_schema(self, value):
        return {
            "type": self.field_type,
            "key": value["key"],
            "label": value["label"],
            "help_text": value.get("help_text") or "",
            "required": bool(value.get("required")),
            "condition": ConditionBlock.to_schema(value.get("condition")),
            "options": self.get_options(value),
        }


def simple_block(field_type, icon, label):
    """Declare the block of a field type that has no settings of its own."""
    return type(
        f"{field_type.title().replace('_', '')}FieldBlock",
        (BaseFieldBlock,),
        {
            "field_type": field_type,
            "__module__": __name__,
            "Meta": type("Meta", (), {"icon": icon, "label": label}),
        },
    )
