"""The baseline: a bare Django form view with the fields of the bench form's steps.

Same fields, same validators and the same upload check as the wizard (the
field classes of ``forms_app.builder.fields`` and the validator of
``forms_app.builder.validators``), behind the same middleware (sessions, CSRF, auth,
messages), but no Wagtail page, no draft and no database write: a valid POST
answers 302, an invalid one 200 with its errors.
"""

from functools import partial

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.views.decorators.http import require_http_methods

from forms_app.builder import fields as f
from forms_app.builder import validators as v

ACTIVITY_COLUMNS = [
    {"label": "活动名称", "key": "name", "type": "text", "required": True, "choices": ""},
    {"label": "活动预算", "key": "budget", "type": "integer", "required": False, "choices": ""},
]


class BareForm(forms.Form):
    """The three steps of the bench form in one plain form (the date is optional, as its step is)."""

    team_name = forms.CharField(label="服务团名称", max_length=30)
    is_base = f.YesNoField("是", "否", label="是否省级专家服务基地")
    bank_code = f.CodeField(
        label="开户行联行号", max_length=20, validators=[partial(v.validate_bank_code, label="开户行联行号")]
    )
    established = forms.DateField(
        label="设立时间", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    plan_file = f.UploadField(label="申报书", allowed_types=["pdf"], max_size_mb=1, max_files=1)
    activities = f.TableField(ACTIVITY_COLUMNS, min_rows=1, max_rows=5, numbered=True, show_totals=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_base") and not cleaned.get("established"):
            self.add_error("established", "设立时间: this is required.")
        return cleaned


PAGE = engines["django"].from_string(
    """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>Bare form</title></head>
<body><form method="post" enctype="multipart/form-data" novalidate>{% csrf_token %}
{{ form }}<button type="submit">提交</button></form></body></html>"""
)


@require_http_methods(["GET", "POST"])
def bare_form(request):
    """Show the form; on a valid POST redirect (nothing is stored), else show the errors."""
    if request.method == "POST":
        form = BareForm(request.POST, request.FILES, prefix="bare")
        if form.is_valid():
            return redirect(request.path + "?ok=1")
    else:
        form = BareForm(prefix="bare")
    return HttpResponse(PAGE.render({"form": form}, request))
