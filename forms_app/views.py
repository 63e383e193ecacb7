"""Serving a form page: every step shown, and a POST of one step validated.

The applicant's wizard (issue 4) replaces the POST handling with
django-formtools; what stays is that the server alone decides what is valid.
"""

from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def serve_form_page(page, request, *args, **kwargs):
    """Show all steps; on POST, validate the posted step and show its errors next to its fields."""
    context = page.get_context(request, *args, **kwargs)
    status = 200
    if request.method == "POST":
        if not page.is_open():
            messages.error(request, _("This form is not accepting applications now."))
            status = 403
        else:
            step_key = request.POST.get("step", "")
            steps = {step["key"]: step for step in page.schema.steps}
            step = steps.get(step_key)
            if step is None:
                messages.error(request, _("That step does not exist. Please use the form below."))
                status = 400
            else:
                form = page.get_form_builder().get_form(step, data=request.POST, files=request.FILES)
                # Only the posted step is bound; the others keep the unbound forms of the context.
                context["step_forms"] = [
                    (s, form if s["key"] == step_key else unbound) for s, unbound in context["step_forms"]
                ]
                context["checked_step"] = step_key
                if form.is_valid():
                    messages.success(
                        request, _("“%(step)s” is filled in correctly.") % {"step": step["title"]}
                    )
                else:
                    status = 422
    return TemplateResponse(request, page.get_template(request, *args, **kwargs), context, status=status)
