from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from forms_app import converters
from forms_app.applications.search import restore_sqlite_triggers


class ApplicationsConfig(AppConfig):
    """Form pages under notices, their versions, drafts, the wizard and submissions."""

    name = "forms_app.applications"
    label = "shenbao_applications"
    verbose_name = _("Application forms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        converters.register()
        post_migrate.connect(restore_sqlite_triggers, sender=self, dispatch_uid="shenbao.search_triggers")
