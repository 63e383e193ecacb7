from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    """Copy to next year, comparison with last year, extensions, reminders and recommendation batches."""

    name = "forms_app.rounds"
    label = "shenbao_rounds"
    verbose_name = _("Yearly rounds")
    default_auto_field = "django.db.models.BigAutoField"
