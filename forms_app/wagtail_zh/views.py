"""The admin's JavaScript catalogue, with this app's translations beside Wagtail's own."""

from django.views.i18n import JavaScriptCatalog
from wagtail.admin.localization import get_localized_response

# Later packages win where both translate a string: ours completes Wagtail's.
_catalogue = JavaScriptCatalog.as_view(packages=["wagtail.admin", "forms_app.wagtail_zh"])


def javascript_catalogue(request, *args, **kwargs):
    """Wagtail's ``jsi18n`` view (in the signed-in user's language), reading this app's ``djangojs.po`` too.

    Wagtail's own view reads the ``wagtail.admin`` package only, so the site routes ``admin/jsi18n/`` here,
    before Wagtail's admin URLs; Wagtail's templates keep naming it ``wagtailadmin_javascript_catalog``.
    """
    return get_localized_response(_catalogue, request, *args, **kwargs)
