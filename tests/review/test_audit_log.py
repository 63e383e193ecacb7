"""The audit log is append-only for everyone, read and exported only by administrators."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from forms_app.review import audit
from forms_app.review.models import AppendOnly, AuditLogEntry
from tests.factories import UserFactory
from tests.review_helpers import build_world, make_reviewer

INDEX = "shenbao_review_auditlogentry_modeladmin_index"
INSPECT = "shenbao_review_auditlogentry_modeladmin_inspect"
EXPORT = "shenbao_review_audit_export"
A = AuditLogEntry.Action


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def entry_of(user, submission=None, detail="Submission detail", **fields):
    return audit.record(None, A.VIEW, submission, detail, user=user, **fields)


def test_entries_are_never_changed_or_deleted_through_django(world):
    reviewer = world.reviewers["xihu"]
    entry = entry_of(reviewer, world.subs["xihu"])
    entry.detail = "nothing happened"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnly):
        AuditLogEntry.objects.filter(pk=entry.pk).update(detail="nothing happened")
    with pytest.raises(AppendOnly):
        AuditLogEntry.objects.filter(pk=entry.pk).update(user=world.reviewers["hz"])
    assert AuditLogEntry.objects.get(pk=entry.pk).detail == "Submission detail"


def test_deleting_the_reader_keeps_the_entry_and_their_name(world):
    """Deleting an account detaches its entries (the only change the log allows, on PostgreSQL too)."""
    reviewer = world.reviewers["xihu"]
    entry = entry_of(reviewer, world.subs["xihu"])
    reviewer.delete()
    entry = AuditLogEntry.objects.get(pk=entry.pk)
    assert entry.user is None and entry.actor_name == "reviewer_xihu"
    assert entry.reference == world.subs["xihu"].reference


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database-level guard is a PostgreSQL trigger"
)
def test_the_database_refuses_raw_updates_and_deletes(world):
    entry = entry_of(world.reviewers["xihu"], world.subs["xihu"])
    statements = [
        ("UPDATE shenbao_review_auditlogentry SET detail = %s WHERE id = %s", ["forged", entry.pk]),
        (
            "UPDATE shenbao_review_auditlogentry SET user_id = NULL, detail = %s WHERE id = %s",
            ["x", entry.pk],
        ),
        (
            "UPDATE shenbao_review_auditlogentry SET user_id = %s WHERE id = %s",
            [world.reviewers["hz"].pk, entry.pk],
        ),
        ("DELETE FROM shenbao_review_auditlogentry WHERE id = %s", [entry.pk]),
    ]
    for sql, params in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert AuditLogEntry.objects.get(pk=entry.pk).detail == "Submission detail"


def test_the_admin_lists_and_inspects_only_for_administrators(client, world, admin_user):
    entry = entry_of(world.reviewers["xihu"], world.subs["xihu"])
    for action in ("create", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(
                f"shenbao_review_auditlogentry_modeladmin_{action}", args=[entry.pk][: action != "create"]
            )
    client.force_login(admin_user)
    listing = client.get(reverse(INDEX))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "reviewer_xihu" in page and reverse(EXPORT) in page
    assert "/edit/" not in page and "/delete/" not in page and "/create/" not in page
    inspect = client.get(reverse(INSPECT, args=[entry.pk]))
    assert inspect.status_code == 200 and world.subs["xihu"].reference in inspect.content.decode()
    assert client.get(f"/admin/shenbao_review/auditlogentry/edit/{entry.pk}/").status_code == 404
    assert client.get(f"/admin/shenbao_review/auditlogentry/delete/{entry.pk}/").status_code == 404
    # A reviewer, even one who may unmask, has no way in.
    client.force_login(make_reviewer("trusted", world.regions["xihu"], personal=True))
    assert client.get(reverse(INDEX)).status_code in {302, 403}
    assert client.get(reverse(INSPECT, args=[entry.pk])).status_code in {302, 403}
    # The log's one permission is to read it; a group may be given it.
    assert set(
        Permission.objects.filter(content_type__model="auditlogentry").values_list("codename", flat=True)
    ) >= {"view_auditlogentry"}
    auditor = UserFactory(username="auditor", is_staff=True)
    group = Group.objects.create(name="auditors")
    group.permissions.set(Permission.objects.filter(codename__in=["access_admin", "view_auditlogentry"]))
    auditor.groups.add(group)
    client.force_login(auditor)
    assert client.get(reverse(INDEX)).status_code == 200


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_administrators_export_the_log_filtered_and_the_export_is_recorded(client, world, admin_user):
    xihu, hz = world.reviewers["xihu"], world.reviewers["hz"]
    entry_of(xihu, world.subs["xihu"], reason="desk 西湖区")
    entry_of(hz, world.subs["shangcheng"], detail='=HYPERLINK("http://x")')
    today = timezone.localdate()
    client.force_login(admin_user)
    assert client.get(reverse(EXPORT)).status_code == 200
    response = client.get(reverse(EXPORT), {"format": "csv", "actor": "xihu", "date_from": today.isoformat()})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = read_csv(response)
    assert rows[0][:3] == ["At", "Who", "Action"]
    assert [row[1] for row in rows[1:]] == ["reviewer_xihu"]
    assert rows[1][3] == world.subs["xihu"].reference and rows[1][6] == "desk 西湖区"
    recorded = AuditLogEntry.objects.latest("pk")
    assert (recorded.user, recorded.action, recorded.count) == (admin_user, A.LOG_EXPORT, 1)
    assert recorded.reason == "administrator"
    # A range before any entry holds none; the XLSX holds every entry, formulas escaped, its own export not.
    yesterday = (today - timedelta(days=1)).isoformat()
    assert len(read_csv(client.get(reverse(EXPORT), {"format": "csv", "date_to": yesterday}))) == 1
    response = client.get(reverse(EXPORT), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[1] for row in cells[1:]] == ["reviewer_xihu", "reviewer_hz", "root", "root"]
    # The time is a date cell, in Beijing time, to the second.
    first = AuditLogEntry.objects.order_by("created_at", "pk").first()
    assert cells[1][0] == timezone.localtime(first.created_at).replace(tzinfo=None, microsecond=0)
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert '\'=HYPERLINK("http://x")' in cells[2]
    assert AuditLogEntry.objects.filter(action=A.LOG_EXPORT).count() == 3


def test_a_wrong_range_is_answered_next_to_the_field(client, admin_user):
    client.force_login(admin_user)
    response = client.get(
        reverse(EXPORT), {"format": "csv", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 422
    assert "The end of the range comes before its start." in response.content.decode()
    response = client.get(reverse(EXPORT), {"format": "csv", "date_from": "not a date"})
    assert response.status_code == 422 and not AuditLogEntry.objects.exists()


def test_others_may_not_export_the_log(client, world):
    client.force_login(make_reviewer("trusted", world.regions["xihu"], personal=True))
    assert client.get(reverse(EXPORT), {"format": "csv"}).status_code == 403
    client.logout()
    assert client.get(reverse(EXPORT), {"format": "csv"}).status_code in {302, 403}
