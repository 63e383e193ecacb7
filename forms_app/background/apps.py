from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    """Progress, outcome and retry of the plugin's background work (exports, imports, batch lists)."""

    name = "forms_app.background"
    label = "shenbao_background"
    verbose_name = _("Background work")
