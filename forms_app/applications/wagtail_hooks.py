"""Admin and routing hooks of form pages: definition export/import buttons, and the journey's routes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.models import Page

from forms_app.applications import admin_urls, views
from forms_app.applications.hooks import FORM_PAGE_URLS_HOOK, page_view
from forms_app.applications.models import ApplicationFormPage, Submission
from notices.models import NoticePage


# Last (order=100): ``apply/<draft>/<step>/`` would otherwise take the other apps' ``apply/<draft>/pdf/``.
@hooks.register(FORM_PAGE_URLS_HOOK, order=100)
def journey_urls():
    return [
        path("", page_view(views.landing), name="landing"),
        path("start/", page_view(views.start_draft), name="start"),
        path("resume/<str:token>/", page_view(views.resume_draft), name="resume"),
        path("apply/<id:draft_id>/check/", page_view(views.check_answers), name="draft_check"),
        path("apply/<id:draft_id>/submitted/", page_view(views.submitted), name="draft_submitted"),
        path("apply/<id:draft_id>/saved/", page_view(views.saved), name="draft_saved"),
        path("apply/<id:draft_id>/", page_view(views.wizard_step), {"step": None}, name="draft"),
        path("apply/<id:draft_id>/<str:step>/", page_view(views.wizard_step), name="draft_step"),
    ]


@hooks.register("register_admin_urls")
def register_form_admin_urls():
    return [path("shenbao/forms/", include(admin_urls, namespace="shenbao_forms_admin"))]


def definition_buttons(page, user, priority):
    specific = page.specific_deferred
    if isinstance(specific, ApplicationFormPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Export definition (JSON)"),
            reverse("shenbao_forms_admin:export_definition", args=[page.pk]),
            icon_name="download",
            priority=priority,
        )
    if isinstance(specific, NoticePage) and page.permissions_for_user(user).can_add_subpage():
        yield Button(
            _("Import a form (JSON)"),
            reverse("shenbao_forms_admin:import_definition", args=[page.pk]),
            icon_name="upload",
            priority=priority + 1,
        )


@hooks.register("register_page_listing_more_buttons")
def form_listing_buttons(page, user, next_url=None):
    yield from definition_buttons(page, user, priority=30)


@hooks.register("register_page_header_buttons")
def form_header_buttons(page, user, view_name, next_url=None):
    yield from definition_buttons(page, user, priority=30)


def warn_of_deadline(request, page):
    """After a publication, repeat the edit view's warning of a form open beyond its notice."""
    specific = page.specific_deferred
    if "action-publish" in request.POST and isinstance(specific, ApplicationFormPage):
        warning = specific.deadline_warning()
        if warning:
            messages.warning(request, warning)


hooks.register("after_create_page", warn_of_deadline)
hooks.register("after_edit_page", warn_of_deadline)


def submissions_below(pages):
    """Return how many submissions the forms at or below ``pages`` hold."""
    forms = ApplicationFormPage.objects.none()
    for page in pages:
        forms |= ApplicationFormPage.objects.descendant_of(page, inclusive=True)
    return Submission.objects.filter(page__in=forms.values("pk")).count()


def refuse_deletion(request, pages, count):
    titles = "、".join(f"“{page.title}”" for page in pages)
    messages.error(
        request,
        ngettext(
            "%(pages)s cannot be deleted: %(n)s submission was made to its forms and is kept as the "
            "bureau's record. Unpublish it instead.",
            "%(pages)s cannot be deleted: %(n)s submissions were made to its forms and are kept as the "
            "bureau's record. Unpublish it instead.",
            count,
        )
        % {"pages": titles, "n": count},
    )
    parent = pages[0].get_parent()
    return redirect("wagtailadmin_explore", parent.pk if parent else pages[0].pk)


@hooks.register("before_delete_page")
def keep_forms_with_submissions(request, page):
    """A notice or form whose forms hold submissions is not deleted: submissions are records."""
    count = submissions_below([page])
    return refuse_deletion(request, [page], count) if count else None


@hooks.register("before_bulk_action")
def keep_forms_with_submissions_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    holding = [page for page in objects if submissions_below([page])]
    return refuse_deletion(request, holding, submissions_below(holding)) if holding else None
