"""What every field block shares: the label, the stable key, the help text, the required flag and a condition.

Each field type's own block (in ``forms_app/builder/types/``) extends ``BaseFieldBlock`` with its
settings; ``get_options`` turns them into the plain data of the schema.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from forms_app.builder.keys import suggest_key, validate_key

REGION_LEVEL_CHOICES = [
    ("province", _("Province or municipality")),
    ("city", _("City")),
    ("county", _("County or district")),
]
CONDITION_OPERATORS = [
    ("equals", _("is")),
    ("not_equals", _("is not")),
    ("contains", _("includes")),
    ("filled", _("is answered")),
]


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


class ConditionBlock(blocks.StructBlock):
    """Show a field or step only when an earlier answer matches (leave empty to always show)."""

    field = blocks.CharBlock(
        label=_("Depends on field (key)"),
        required=False,
        max_length=40,
        help_text=_("The key of an earlier field, e.g. is_provincial_base."),
    )
    operator = blocks.ChoiceBlock(label=_("Condition"), choices=CONDITION_OPERATORS, default="equals")
    value = blocks.CharBlock(label=_("Value"), required=False, max_length=255)

    class Meta:
        icon = "cogs"
        form_classname = "condition-block"
        collapsed = True

    @staticmethod
    def to_schema(value):
        if not value or not value.get("field"):
            return None
        return {
            "field": value["field"],
            "op": value.get("operator") or "equals",
            "value": value.get("value") or "",
        }


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
