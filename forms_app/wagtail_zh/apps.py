from django.apps import AppConfig


class WagtailChineseConfig(AppConfig):
    """Completes Wagtail's Simplified Chinese; listed before the ``wagtail.*`` apps so its catalogue wins.

    Wagtail 8's own zh_Hans catalogues leave out about a third of the admin's strings, so a Chinese
    editor met "Privacy and access" or "Toggle checks" beside Chinese text. This app holds only a
    catalogue (``django.po`` for templates and Python, ``djangojs.po`` for the admin's scripts, served by
    ``views.javascript_catalog``) and the migration that gives Wagtail's default workflow a Chinese name.
    """

    name = "forms_app.wagtail_zh"
    label = "shenbao_wagtail_zh"
    default_auto_field = "django.db.models.BigAutoField"
