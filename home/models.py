"""The site's home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from notices.models import NoticeIndexPage, NoticeListingMixin
from notices.routing import DirectRouteMixin


class HomePage(DirectRouteMixin, NoticeListingMixin, Page):
    """The front door: notices that are open or closing soon, then the latest ones."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["shenbao_notices.NoticeIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_notice_index(self):
        """Return the live notice index below this page, if there is one."""
        return NoticeIndexPage.objects.live().child_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notices = self.get_notices()
        context.update(
            accepting_notices=notices.accepting()[:10],
            latest_notices=notices.order_by("-issue_date", "-first_published_at")[:5],
            notice_index=self.get_notice_index(),
        )
        return context
