"""Admin URLs of rounds on notices, mounted under /admin/shenbao-rounds/."""

from django.urls import path

from forms_app.rounds import admin_views as views

app_name = "shenbao_notices_admin"

urlpatterns = [
    path("<id:page_id>/copy-to-next-year/", views.CopyToNextYearView.as_view(), name="copy_to_next_year"),
    path("<id:page_id>/compare/", views.CompareRoundsView.as_view(), name="compare_rounds"),
    path("<id:page_id>/versions/", views.FormVersionsView.as_view(), name="form_versions"),
]
