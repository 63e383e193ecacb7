"""Notices made in code, as an editor makes them in the admin: added under a notice index and published.

For the demo content, the tests, the benchmarks and a host site's own fixtures.
"""

from datetime import date, timedelta

from django.utils import timezone

from notices.models import NoticePage


def publish_notice(parent, title, slug, deadline=None, **fields):
    """Add a notice under ``parent`` (a notice index), publish it and return it.

    Fields not given get a plain default: issued today by a provincial bureau, due in 30 days.
    """
    defaults = {
        "issuing_authority": "浙江省人力资源和社会保障厅",
        "issue_date": date.today(),
        "recipients": "各市人力资源和社会保障局：",
        "summary": title,
        "body": [],
    }
    notice = NoticePage(
        title=title,
        slug=slug,
        deadline=deadline or timezone.now() + timedelta(days=30),
        **{**defaults, **fields},
    )
    parent.add_child(instance=notice)
    notice.save_revision().publish()
    notice.refresh_from_db()
    return notice
