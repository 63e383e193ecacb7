"""Admin widgets for the builder's models."""

from wagtail.coreutils import resolve_model_string
from wagtail.snippets.widgets import AdminSnippetChooser


class RegionChooser(AdminSnippetChooser):
    """The region chooser, which shows no region when a form comes back with a value that is no id.

    Wagtail's chooser looks the value up as given; text that is no number raised an error while the
    form was shown again with its messages.
    """

    region_model = "shenbao_builder.Region"  # by name: the region model's own panels use this widget

    def __init__(self, **kwargs):
        super().__init__(resolve_model_string(self.region_model), **kwargs)

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError):
            return None
