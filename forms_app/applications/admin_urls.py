"""Admin URLs of form pages, mounted under /admin/forms/."""

from django.urls import path

from forms_app.applications import admin_views

app_name = "shenbao_forms_admin"

urlpatterns = [
    path("<id:page_id>/definition/", admin_views.export_view, name="export_definition"),
    path("import/<id:notice_id>/", admin_views.import_view, name="import_definition"),
]
