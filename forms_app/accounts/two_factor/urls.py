"""The two-factor pages, mounted beside the admin: ``path("admin/two-factor/", include(...))``."""

from django.urls import path

from forms_app.accounts.two_factor import views

app_name = "shenbao_two_factor"

urlpatterns = [
    path("enrol/", views.EnrolView.as_view(), name="enrol"),
    path("enrol/qr.png", views.enrolment_qr, name="qr"),
    path("code/", views.VerifyView.as_view(), name="verify"),
]
