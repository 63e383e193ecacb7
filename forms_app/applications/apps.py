from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Form pages under notices, their versions, drafts, the wizard and submissions."""

    name = "forms_app.applications"
    label = "shenbao_applications"
    verbose_name = _("Application forms")
    default_auto_field = "django.db.models.BigAutoField"
