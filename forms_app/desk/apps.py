from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The 申报审核 admin menu: review list and detail, summary lists, exports, imports and rounds."""

    name = "forms_app.desk"
    label = "shenbao_desk"
    verbose_name = _("Review desk")
    default_auto_field = "django.db.models.BigAutoField"
