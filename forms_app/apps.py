from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsAppConfig(AppConfig):
    """Form pages, the form builder, the wizard and submissions (issues 3 onwards)."""

    name = "forms_app"
    verbose_name = _("Application forms")
