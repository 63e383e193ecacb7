from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Review desks by region and level, who sees what, the workflow, quotas and summary lists."""

    name = "forms_app.review"
    label = "shenbao_review"
    verbose_name = _("Review")
    default_auto_field = "django.db.models.BigAutoField"
