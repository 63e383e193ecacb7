from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Exports of submissions (XLSX, CSV, JSON, PDF bundles) and imports from spreadsheets."""

    name = "forms_app.exchange"
    label = "shenbao_exchange"
    verbose_name = _("Import and export")
    default_auto_field = "django.db.models.BigAutoField"
