"""Wagtail's admin answers hostile input with a page, never a traceback.

The plugin's own views check every parameter they read (``forms_app/desk/listing.py``). A few of
Wagtail's own admin views trust theirs: a POST without a field their form always sends, the root
page where they expect a page with a parent, a revision id that is not the page's, chooser ids that
are not numbers. Each raised an exception and answered 500, which hides real faults among noise and
tells a prober where to push. This middleware checks those inputs before the view runs and answers
400 or 404; anywhere, a missing request field is a 400 and a page number beyond a list a 404.
"""

import logging

from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponseBadRequest
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _
from wagtail.admin.views.generic.chooser import CreateViewMixin
from wagtail.models import Page, Revision

logger = logging.getLogger(__name__)

# Views that act on a page's place under its parent; the root page has none.
NEEDS_A_PARENT = {
    "wagtailadmin_pages:set_page_position": "page_to_move_id",
    "wagtailadmin_pages:lock": "page_id",
    "wagtailadmin_pages:unlock": "page_id",
}
# Views of one revision of a page.
ONE_REVISION = {
    "wagtailadmin_pages:revisions_view",
    "wagtailadmin_pages:revisions_revert",
    "wagtailadmin_pages:revisions_unschedule",
}
# Wagtail's deliberate "test the error page" view: a page that fails on purpose is not for a live site.
FAILS_ON_PURPOSE = {"wagtailadmin_error_test"}
# Forms that read these fields without looking whether they were sent.
NEEDS_FIELDS = {
    "wagtailadmin_choose_page_external_link": ("url",),
    "wagtailredirects:process_import": ("import_file_name", "input_format"),
}


def bad_request():
    """The answer to a request no page of the admin sends."""
    return HttpResponseBadRequest(_("This request is not one this page sends. Go back and try again."))


def is_an_id(value):
    """Whether ``value`` is a number a database id column can hold."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19


def is_a_chooser(name, action):
    """Whether view ``name`` is a chooser's ``action`` view (its pks are numbers on every model here)."""
    return name.endswith((f":{action}", f"_{action}")) and "choose" in name


def creates_nothing(view_func):
    """Whether ``view_func`` is a chooser's create view that was given no form to create with."""
    view_class = getattr(view_func, "view_class", None)
    if view_class is None or not issubclass(view_class, CreateViewMixin):
        return False
    given = getattr(view_func, "view_initkwargs", {})  # what as_view() was called with wins

    def option(name):
        return given.get(name, getattr(view_class, name))

    return not (
        option("creation_form_class")
        or option("form_fields") is not None
        or option("exclude_form_fields") is not None
    )


def not_found(name, view_func, view_kwargs, method):
    """Whether view ``name`` asked with ``view_kwargs`` names something that is not there to act on."""
    if name in FAILS_ON_PURPOSE:
        return True
    if name in NEEDS_A_PARENT:
        return not Page.objects.filter(pk=view_kwargs.get(NEEDS_A_PARENT[name]), depth__gt=1).exists()
    if name in ONE_REVISION:
        revisions = Revision.page_revisions.filter(object_id=str(view_kwargs.get("page_id")))
        return not revisions.filter(pk=view_kwargs.get("revision_id")).exists()
    if is_a_chooser(name, "chosen"):
        return not is_an_id(view_kwargs.get("pk"))
    return method == "POST" and creates_nothing(view_func)


class AdminInputMiddleware:
    """Answer 400 or 404 for the inputs that some of Wagtail's admin views would fail on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name if request.resolver_match else ""
        if not_found(name, view_func, view_kwargs, request.method):
            raise Http404
        if is_a_chooser(name, "chosen_multiple") and not all(map(is_an_id, request.GET.getlist("id"))):
            return bad_request()
        missing = [field for field in NEEDS_FIELDS.get(name, ()) if field not in request.POST]
        if request.method == "POST" and missing:
            return bad_request()
        return None

    def process_exception(self, request, exception):
        # A MultiValueDict is the request's data: a key missing from it is a field the client did
        # not send, a bad request rather than a fault. It is logged, so a page that truly forgot a
        # field shows up.
        if isinstance(exception, MultiValueDictKeyError):
            logger.warning("%s %s lacks the field %s", request.method, request.path, exception)
            return bad_request()
        # A page number beyond the list (or no number): not found, as Django's own list views answer.
        if isinstance(exception, InvalidPage):
            raise Http404 from exception
        return None
