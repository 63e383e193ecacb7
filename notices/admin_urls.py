"""Admin URLs of the notices app, mounted under /admin/notices/."""

from django.urls import path

from . import views

app_name = "notices_admin"

urlpatterns = [
    path("<int:page_id>/copy-to-next-year/", views.CopyToNextYearView.as_view(), name="copy_to_next_year"),
    path("<int:page_id>/compare/", views.CompareRoundsView.as_view(), name="compare_rounds"),
]
