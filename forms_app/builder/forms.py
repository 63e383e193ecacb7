"""Turning a form schema into Django forms, one per step.

``FormBuilder`` follows Wagtail's form builder: each field type's Django field
comes from its registered type (``registry.FieldType.create_field``), and a
subclass may still override one with a ``create_<type>_field`` method.
``StepForm`` enforces conditions on the server: a field hidden by the
answers is neither required nor stored, whatever the browser sent.
"""

import copy
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forms_app.builder import types  # noqa: F401  (registers the built-in field types)
from forms_app.builder.conditions import normalise
from forms_app.builder.messages import plain_messages
from forms_app.builder.models import Region
from forms_app.builder.registry import field_type
from forms_app.builder.schema import STATIC_TYPES
from forms_app.builder.uploads import check_budget


class SharedWidgetFields(dict):
    """Base fields whose per-form copies share their widgets (see ``StepForm.for_checking_rows``)."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, field in self.items():
            copied = copy.copy(field)
            # What Field.__deepcopy__ copies besides the widget, so a form may still change them.
            copied.error_messages, copied.validators = field.error_messages.copy(), field.validators[:]
            copies[name] = copied
        return copies


class StepForm(forms.Form):
    """One step of an application form; drops the fields its conditions hide."""

    schema = None
    step = None
    # ``fn(keys)`` → ``(bytes, cap)``: what the new uploads of the file fields ``keys`` may take, set by
    # whoever knows the account (the wizard). None: no cap.
    upload_budget = None

    @classmethod
    def for_checking_rows(cls):
        """Return a subclass for validating many rows that are never shown: forms share their widgets.

        Django deep-copies every field's widget for each form, which was most of the time of checking
        an imported file; cleaning only reads widgets, so forms that are never rendered can share them.
        """
        subclass = type(cls.__name__, (cls,), {"__module__": cls.__module__})
        subclass.base_fields = SharedWidgetFields(copy.deepcopy(cls.base_fields))
        return subclass

    def __init__(self, *args, answers=None, **kwargs):
        self.answers = dict(answers or {})
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            spec = self.schema.get_field(key)
            field.condition = self._decided_elsewhere(spec.get("condition"))
            field.unit = spec.get("options", {}).get("unit", "")
            field.field_type = spec["type"]
            if spec["type"] == "long_text":
                field.widget.attrs.setdefault("data-counter", "true")

    def _decided_elsewhere(self, condition):
        """The condition for the browser, each rule on an answer of another step already decided.

        The page's script sees only this step's inputs; what earlier steps answered, the server
        knows, so such a rule carries its result (``known``) and *any* and *all* still join right.
        """
        condition = normalise(condition)
        for rule in condition["rules"] if condition else ():
            if rule["field"] not in self.fields:
                rule["known"] = self.schema.rule_holds(rule, self.answers)
        return condition

    def get_visible_keys(self):
        """Return the keys of this step's fields that the answers (so far and here) show."""
        answers = dict(self.answers)
        visible = set()
        read_by_conditions = self.schema.condition_keys
        for key, field in self.fields.items():
            spec = self.schema.get_field(key)
            if self.schema.field_visible(spec, answers):
                visible.add(key)
                # Only an answer some condition reads needs cleaning ahead of the form's own clean.
                if self.is_bound and key in read_by_conditions:
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
            self._check_upload_budget()
            self._name_fields_in_errors()

    def _check_upload_budget(self):
        """Refuse this step's new uploads, next to their fields, when together they exceed the budget."""
        if self.upload_budget is None:
            return
        new = {}
        for key, value in self.cleaned_data.items():
            if self.schema.get_field(key)["type"] == "file":
                # Files uploaded before are answers (dicts); only new uploads are files.
                uploads = [item for item in value or [] if not isinstance(item, dict)]
                if uploads:
                    new[key] = uploads
        if not new:
            return
        budget = self.upload_budget(list(new))
        together = [upload for uploads in new.values() for upload in uploads]
        for key in new:
            try:
                check_budget(together, budget, self.fields[key].label)
            except ValidationError as error:
                self.add_error(key, error)

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
        """Create the Django field for one field of the schema.

        As in Wagtail's form builder, a ``create_<type>_field(spec, options)`` method of a subclass
        wins; otherwise the registered field type makes it.
        """
        method = getattr(self, f"create_{spec['type']}_field", None)
        if method is not None:
            field = method(spec, spec.get("options", {}))
        else:
            try:
                field_type_ = field_type(spec["type"])
            except KeyError:
                raise ValueError(f"Unknown field type {spec['type']!r}") from None
            field = field_type_.create_field(spec, spec.get("options", {}), self)
        field.label = spec["label"]
        field.help_text = spec.get("help_text", "")
        field.required = spec.get("required", False)
        field.error_messages["required"] = _("%(field)s: this is required.") % {"field": spec["label"]}
        return plain_messages(field)

    def bound(self, validator, spec):
        """Return ``validator`` with the field's label bound, as a Django validator."""
        return partial(validator, label=spec["label"])

    def get_regions(self, options):
        """Return the regions a region field offers: below ``parent`` at ``level``."""

        level = options.get("level") or "city"
        parent = Region.objects.filter(code=options.get("parent")).first() if options.get("parent") else None
        if parent is not None:
            return list(parent.get_descendants_at_level(level))
        return list(Region.objects.filter(level=level))
