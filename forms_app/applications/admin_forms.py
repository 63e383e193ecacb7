"""Admin forms of the form pages: what the Wagtail editor shows beyond plain model fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

# Types whose answer fits one cell of a summary list; tables, matrices and files do not.
SUMMARY_TYPES_EXCLUDED = {"table", "matrix", "file"}


class ApplicationFormPageForm(WagtailAdminPageForm):
    """The form page's admin form: summary-list columns are picked from the form's own fields."""

    summary_columns = forms.MultipleChoiceField(
        label=_("Summary list columns"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Answers shown in the summary list (一览表). Publish new fields first to choose them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = self.instance.schema if self.instance.pk else None
        self.fields["summary_columns"].choices = [
            (spec["key"], spec["label"])
            for spec in (schema.input_fields() if schema else [])
            if spec["type"] not in SUMMARY_TYPES_EXCLUDED
        ]
