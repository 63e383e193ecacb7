"""The region list in the admin, as a snippet editors maintain, and the condition editor's script."""

from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from forms_app.builder.models import Region


class RegionViewSet(SnippetViewSet):
    """Regions (provinces, cities, counties) used by region fields, summary tables and reviewers."""

    model = Region
    icon = "site"
    menu_label = _("Regions")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    # No ``search_fields``: SQLite's full-text index cannot be limited to some fields; the model's
    # own index holds names and codes.
    ordering = ["sort_order", "code"]


register_snippet(RegionViewSet)


@hooks.register("insert_editor_js")
def condition_editor_js():
    """Conditions pick earlier fields by label (``condition-editor.js``), with its words translated."""
    words = {
        "choose": gettext("Choose a field above"),
        "field": gettext("Field"),
        "value": gettext("Value"),
        "unknown": gettext("%s (no such field above)"),
    }
    return format_html(
        '{}<script src="{}"></script>',
        json_script(words, "shenbao-condition-strings"),
        static("shenbao/js/condition-editor.js"),
    )
