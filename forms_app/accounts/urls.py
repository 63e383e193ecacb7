"""URLs of applicant accounts, mounted at /accounts/ before Wagtail's pages."""

from django.urls import path

from forms_app.accounts import unit_views, views

app_name = "shenbao_accounts"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/check-your-inbox/", views.VerificationSentView.as_view(), name="verification_sent"),
    path("verify/<uidb64>/<token>/", views.VerifyEmailView.as_view(), name="verify"),
    path("verify/resend/", views.ResendVerificationView.as_view(), name="resend_verification"),
    path("login/", views.EmailLoginView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("unit/", unit_views.my_unit, name="unit"),
    path("unit/ask/", unit_views.ask_to_join, name="unit_ask"),
    path("unit/members/<id:pk>/<slug:action>/", unit_views.member_action, name="unit_member"),
    path("password-reset/", views.RequestPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.SetNewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.NewPasswordSetView.as_view(), name="password_reset_done"),
]
