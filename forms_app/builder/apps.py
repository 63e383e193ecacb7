from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from forms_app import conf


class BuilderConfig(AppConfig):
    """Field types, the blocks editors build forms from, the schema, Django forms and the answer renderer."""

    name = "forms_app.builder"
    label = "shenbao_builder"
    verbose_name = _("Form builder")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The lowest of the plugin's apps, always installed: the site-wide check of the public address.
        checks.register(conf.check_public_url, "shenbao")
