"""Admin views of form pages: export a form's definition as JSON, import one under a notice."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.applications.definitions import export_definition, import_definition
from forms_app.applications.models import ApplicationFormPage
from notices.models import NoticePage


class DefinitionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Form definition (JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("A form definition is never larger than 2 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise forms.ValidationError(_("This file is not JSON.")) from error
        except RecursionError as error:
            raise forms.ValidationError(
                _("This file nests its values too deeply to be a definition.")
            ) from error


def export_view(request, page_id):
    """Download a form's definition, for a user who may edit the form."""
    page = get_object_or_404(ApplicationFormPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    content = json.dumps(export_definition(page), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{page.slug}.json")
    return response


def import_view(request, notice_id):
    """Upload a definition to create an unpublished form under a notice."""
    notice = get_object_or_404(NoticePage, pk=notice_id)
    if not notice.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    form = DefinitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = import_definition(notice, form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("“%(title)s” was created as a draft. Check it before publishing.") % {"title": page.title},
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "shenbao_applications/admin/import_definition.html",
        {"notice": notice, "form": form},
        status=422 if form.errors else 200,
    )
