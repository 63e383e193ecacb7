"""Included under the admin's prefix, before Wagtail's admin URLs: ``path("admin/", include(...))``."""

from django.urls import path

from forms_app.wagtail_zh.views import javascript_catalogue

urlpatterns = [
    path("jsi18n/", javascript_catalogue, name="shenbao_wagtail_zh_javascript_catalogue"),
]
