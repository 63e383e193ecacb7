"""A notice's status follows from its deadline, on the server, to the second."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from notices.models import NoticePage, NoticeStatus, status_for_deadline
from tests.factories import NoticePageFactory

BEIJING = ZoneInfo("Asia/Shanghai")
# Zhejiang 2024: applications close 26 January 2024, 17:00 Beijing time (09:00 UTC).
DEADLINE = datetime(2024, 1, 26, 17, 0, tzinfo=BEIJING)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (DEADLINE - timedelta(days=8), NoticeStatus.OPEN),
        (DEADLINE - timedelta(days=7) - SECOND, NoticeStatus.OPEN),
        (DEADLINE - timedelta(days=7), NoticeStatus.CLOSING_SOON),
        (DEADLINE - SECOND, NoticeStatus.CLOSING_SOON),
        (DEADLINE, NoticeStatus.CLOSED),
        (DEADLINE + SECOND, NoticeStatus.CLOSED),
    ],
)
def test_status_around_the_boundaries(now, expected):
    assert status_for_deadline(DEADLINE, now) == expected


def test_time_zone_is_beijing_not_utc():
    # 16:59:59 in Beijing is 08:59:59 UTC: still open. A UTC reading of "17:00"
    # would close it eight hours late.
    utc_now = datetime(2024, 1, 26, 8, 59, 59, tzinfo=ZoneInfo("UTC"))
    assert status_for_deadline(DEADLINE, utc_now) == NoticeStatus.CLOSING_SOON
    assert status_for_deadline(DEADLINE, utc_now + SECOND) == NoticeStatus.CLOSED


@override_settings(SHENBAO_NOTICES_CLOSING_SOON_DAYS=3)
def test_closing_soon_window_is_a_setting():
    assert status_for_deadline(DEADLINE, DEADLINE - timedelta(days=4)) == NoticeStatus.OPEN
    assert status_for_deadline(DEADLINE, DEADLINE - timedelta(days=3)) == NoticeStatus.CLOSING_SOON


def test_queryset_agrees_with_the_rule_at_every_boundary(notice_index):
    now = timezone.now()
    offsets = {
        "long-open": timedelta(days=30),
        "just-open": timedelta(days=7) + SECOND,
        "soon-edge": timedelta(days=7),
        "last-second": SECOND,
        "closed-now": timedelta(0),
        "closed-past": -timedelta(days=400),
    }
    for slug, offset in offsets.items():
        NoticePageFactory(parent=notice_index, slug=slug, deadline=now + offset)
    notices = NoticePage.objects.live()
    for status in NoticeStatus:
        by_query = set(notices.with_status(status, now=now).values_list("slug", flat=True))
        by_rule = {n.slug for n in notices if n.get_status(now) == status}
        assert by_query == by_rule, status
    assert set(notices.with_status(NoticeStatus.CLOSED, now=now).values_list("slug", flat=True)) == {
        "closed-now",
        "closed-past",
    }
    assert list(notices.accepting(now=now).values_list("slug", flat=True)) == [
        "last-second",
        "soon-edge",
        "just-open",
        "long-open",
    ]


def test_days_left(notice_index):
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=3, hours=1))
    assert notice.days_left == 3
    notice.deadline = timezone.now() - SECOND
    assert notice.days_left is None
