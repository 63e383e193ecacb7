from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Published notices (通知) that call for applications."""

    name = "notices"
    label = "shenbao_notices"
    verbose_name = _("Notices")
    default_auto_field = "django.db.models.BigAutoField"
