from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsAppConfig(AppConfig):
    """Form pages, the form builder, form versions, and (later) the wizard and submissions."""

    name = "forms_app"
    verbose_name = _("Application forms")

    def ready(self):
        from . import signals

        signals.connect()
