"""A warning on the form page's edit view, shown above the form when its closing time needs a look."""

from wagtail.admin.panels import Panel


class DeadlineWarningPanel(Panel):
    """Warns, without refusing anything, when the form closes after its notice's deadline.

    A bureau sometimes keeps a form open beyond the notice on purpose (late paper copies), so this
    is a warning; but most often the form's own closing time was copied from last year or mistyped.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "shenbao_applications/admin/deadline_warning.html"

        def is_shown(self):
            # A new page has no notice above it yet; the publication's warning covers it.
            return bool(self.instance.pk and self.instance.deadline_warning())

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["warning"] = self.instance.deadline_warning()
            return context
