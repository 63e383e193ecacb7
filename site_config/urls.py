"""URL configuration: admin, documents, language switch, applicant accounts, then Wagtail pages."""

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # Before the admin's own URLs: staff reach them signed in but not yet past the second factor.
    path("admin/two-factor/", include("forms_app.accounts.two_factor.urls")),
    # Before the admin's own URLs: Wagtail's script catalogue with the plugin's Chinese beside it.
    path("admin/", include("forms_app.wagtail_zh.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("forms_app.accounts.urls")),
    path("applications/", include("forms_app.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Everything else is a Wagtail page; this must stay last.
    path("", include(wagtail_urls)),
]
