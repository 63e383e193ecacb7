"""Turning a form schema into Django forms, one per step.

``FormBuilder`` follows Wagtail's form builder: one ``create_<type>_field``
method per field type, so a project can add or change a type by subclassing.
``StepForm`` enforces conditions on the server: a field hidden by the
answers is neither required nor stored, whatever the browser sent.
"""

from decimal import Decimal
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forms_app.builder import fields as f
from forms_app.builder import validators as v
from forms_app.builder.models import Region
from forms_app.builder.schema import STATIC_TYPES


class StepForm(forms.Form):
    """One step of an application form; drops the fields its conditions hide."""

    schema = None
    step = None

    def __init__(self, *args, answers=None, **kwargs):
        self.answers = dict(answers or {})
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            spec = self.schema.get_field(key)
            field.condition = spec.get("condition")
            field.unit = spec.get("options", {}).get("unit", "")
            field.field_type = spec["type"]
            if spec["type"] == "long_text":
                field.widget.attrs.setdefault("data-counter", "true")

    def get_visible_keys(self):
        """Return the keys of this step's fields that the answers (so far and here) show."""
        answers = dict(self.answers)
        visible = set()
        for key, field in self.fields.items():
            spec = self.schema.get_field(key)
            if self.schema.field_visible(spec, answers):
                visible.add(key)
                if self.is_bound:
                    answers[key] = self._peek(key, field)
            else:
                answers[key] = None
        return visible

    def _peek(self, key, field):
        """The cleaned value of one field, for the conditions of the fields after it."""
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(key))
        try:
            return field.clean(raw)
        except ValidationError:
            return None

    def full_clean(self):
        if self.is_bound:
            self.hidden_keys = set(self.fields) - self.get_visible_keys()
            for key in self.hidden_keys:
                self.fields[key].required = False
        super().full_clean()
        if self.is_bound:
            for key in self.hidden_keys:
                self.cleaned_data.pop(key, None)
                if self._errors is not None:
                    self._errors.pop(key, None)
            self._name_fields_in_errors()

    def _name_fields_in_errors(self):
        # Django's own messages ("Enter a valid date.") do not say which field they
        # concern; ours do. Prefix the label so every message reads on its own, as
        # it must in an import report.
        for key, errors in (self._errors or {}).items():
            if key not in self.fields:
                continue
            label = str(self.fields[key].label)
            for index, error in enumerate(errors.data):
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                if not text.startswith(label):
                    # The code and a table cell's place (row, column) are kept for the importer.
                    inner = getattr(error, "params", None) if isinstance(error, ValidationError) else None
                    errors.data[index] = ValidationError(
                        _("%(field)s: %(message)s"),
                        code=getattr(error, "code", None),
                        params={"field": label, "message": text, "cell": inner or {}},
                    )

    def get_answers(self):
        """Return the cleaned, visible answers of this step, JSON-ready, keyed by field key."""
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if self.schema.get_field(key)["type"] != "file"
        }


class FormBuilder:
    """Builds the Django form of each step of a form schema."""

    form_class = StepForm

    def __init__(self, schema):
        self.schema = schema

    def get_form_class(self, step):
        """Return a ``StepForm`` subclass with the fields of ``step``."""
        fields = {
            spec["key"]: self.create_field(spec)
            for spec in step["fields"]
            if spec["type"] not in STATIC_TYPES
        }
        return type("StepForm", (self.form_class,), {**fields, "schema": self.schema, "step": step})

    def get_form(self, step, data=None, files=None, answers=None, **kwargs):
        """Return the form of ``step``, bound if ``data`` is given, prefixed by the step key."""
        kwargs.setdefault("prefix", step["key"])
        return self.get_form_class(step)(data, files, answers=answers, **kwargs)

    def get_all_step_forms(self):
        """Return ``[(step, unbound form)]`` for every step."""
        return [(step, self.get_form(step)) for step in self.schema.steps]

    def create_field(self, spec):
        """Create the Django field for one field of the schema."""
        method = getattr(self, f"create_{spec['type']}_field", None)
        if method is None:
            raise ValueError(f"Unknown field type {spec['type']!r}")
        field = method(spec, spec.get("options", {}))
        field.label = spec["label"]
        field.help_text = spec.get("help_text", "")
        field.required = spec.get("required", False)
        field.error_messages["required"] = _("%(field)s: this is required.") % {"field": spec["label"]}
        return field

    def bound(self, validator, spec):
        """Return ``validator`` with the field's label bound, as a Django validator."""
        return partial(validator, label=spec["label"])

    def create_short_text_field(self, spec, options):
        return forms.CharField(max_length=options.get("max_length") or 200)

    def create_long_text_field(self, spec, options):
        attrs = {"rows": options.get("rows") or 6}
        return forms.CharField(
            min_length=options.get("min_length"),
            max_length=options.get("max_length"),
            widget=forms.Textarea(attrs=attrs),
        )

    def create_integer_field(self, spec, options):
        return forms.IntegerField(min_value=options.get("min_value"), max_value=options.get("max_value"))

    def create_decimal_field(self, spec, options):
        places = options.get("decimal_places", 2)
        # The schema keeps decimal limits as strings ("0.5") so JSON stays exact.
        low, high = options.get("min_value"), options.get("max_value")
        return DecimalAnswerField(
            decimal_places=places,
            max_digits=18,
            min_value=None if low in (None, "") else Decimal(str(low)),
            max_value=None if high in (None, "") else Decimal(str(high)),
        )

    def create_date_field(self, spec, options):
        return DateAnswerField(widget=forms.DateInput(attrs={"type": "date"}))

    def create_date_range_field(self, spec, options):
        return f.DateRangeField(options.get("start_label", ""), options.get("end_label", ""))

    def create_email_field(self, spec, options):
        return forms.CharField(
            max_length=254, validators=[self.bound(v.validate_email, spec)], widget=forms.EmailInput
        )

    def _code_field(self, spec, validator, max_length=40, inputmode="numeric"):
        return f.CodeField(
            max_length=max_length,
            validators=[self.bound(validator, spec)],
            widget=forms.TextInput(attrs={"inputmode": inputmode, "autocomplete": "off"}),
        )

    def create_mobile_field(self, spec, options):
        return self._code_field(spec, v.validate_mobile, 20, "tel")

    def create_landline_field(self, spec, options):
        return f.HalfWidthCharField(
            max_length=30,
            validators=[self.bound(v.validate_landline, spec)],
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
        )

    def create_phone_field(self, spec, options):
        return f.HalfWidthCharField(
            max_length=30,
            validators=[self.bound(v.validate_phone, spec)],
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
        )

    def create_id_number_field(self, spec, options):
        return f.IdentityDocumentField(options.get("document_types") or ["resident_id"])

    def create_credit_code_field(self, spec, options):
        return self._code_field(spec, v.validate_credit_code, 30, "text")

    def create_bank_code_field(self, spec, options):
        return self._code_field(spec, v.validate_bank_code, 20)

    def create_bank_account_field(self, spec, options):
        return self._code_field(spec, v.validate_bank_account, 40)

    def create_postcode_field(self, spec, options):
        return self._code_field(spec, v.validate_postcode, 10)

    def create_single_choice_field(self, spec, options):
        return f.ChoiceWithOtherField(
            options.get("choices", []),
            multiple=False,
            allow_other=options.get("allow_other", False),
            other_label=options.get("other_label") or "其他",
            widget_style=options.get("widget", "radio"),
        )

    def create_multiple_choice_field(self, spec, options):
        return f.ChoiceWithOtherField(
            options.get("choices", []),
            multiple=True,
            allow_other=options.get("allow_other", False),
            other_label=options.get("other_label") or "其他",
            min_choices=options.get("min_choices"),
            max_choices=options.get("max_choices"),
        )

    def create_yes_no_field(self, spec, options):
        return f.YesNoField(options.get("yes_label") or "是", options.get("no_label") or "否")

    def create_region_field(self, spec, options):
        return f.RegionChoiceField(self.get_regions(options))

    def get_regions(self, options):
        """Return the regions a region field offers: below ``parent`` at ``level``."""

        level = options.get("level") or "city"
        parent = Region.objects.filter(code=options.get("parent")).first() if options.get("parent") else None
        if parent is not None:
            return list(parent.get_descendants_at_level(level))
        return list(Region.objects.filter(level=level))

    def create_file_field(self, spec, options):
        return f.UploadField(
            allowed_types=options.get("allowed_types") or ["pdf"],
            max_size_mb=options.get("max_size_mb") or 10,
            max_files=options.get("max_files") or 1,
        )

    def create_table_field(self, spec, options):
        return f.TableField(
            options["columns"],
            min_rows=options.get("min_rows") or 0,
            max_rows=options.get("max_rows") or 20,
            numbered=options.get("numbered", True),
            show_totals=options.get("show_totals", False),
        )

    def create_matrix_field(self, spec, options):
        return f.MatrixField(
            options["rows"],
            options["columns"],
            row_heading=options.get("row_heading", ""),
            row_totals=options.get("row_totals", False),
            column_totals=options.get("column_totals", True),
        )


class DecimalAnswerField(forms.DecimalField):
    """A decimal answer stored as an exact string, e.g. "12.50"."""

    def clean(self, value):
        return f.cell_to_json(super().clean(value))


class DateAnswerField(forms.DateField):
    """A date answer stored as "YYYY-MM-DD"."""

    def clean(self, value):
        return f.cell_to_json(super().clean(value))
