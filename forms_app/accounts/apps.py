from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Applicants' accounts and the organisations (申报单位) they apply for."""

    name = "forms_app.accounts"
    label = "shenbao_accounts"
    verbose_name = _("Applicant accounts")
    default_auto_field = "django.db.models.BigAutoField"
