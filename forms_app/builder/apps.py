from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuilderConfig(AppConfig):
    """Field types, the blocks editors build forms from, the schema, Django forms and the answer renderer."""

    name = "forms_app.builder"
    label = "shenbao_builder"
    verbose_name = _("Form builder")
    default_auto_field = "django.db.models.BigAutoField"
