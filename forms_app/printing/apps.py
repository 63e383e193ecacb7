from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    """PDF and Word copies, verifiable printouts and stamped scans."""

    name = "forms_app.printing"
    label = "shenbao_printing"
    verbose_name = _("Printouts")
    default_auto_field = "django.db.models.BigAutoField"
