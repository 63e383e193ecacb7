"""The audit log as a file for administrators: the entries of a date range and an actor, as CSV or XLSX.

Cells a spreadsheet would run as formulas are escaped (``summary.safe_cell``); the CSV starts with a
BOM so that Excel reads its Chinese. The time of an entry is Beijing time: a date cell in the XLSX.
The export is itself an entry of the log (``desk.audit_views``).
"""

import csv
import io

from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from forms_app.builder.cells import local_datetime
from forms_app.review.models import AuditLogEntry
from forms_app.review.summary import safe_cell


def may_read_log(user):
    """Whether ``user`` may read and export the audit log: administrators or holders of its permission."""
    return user.is_active and (user.is_superuser or user.has_perm("shenbao_review.view_auditlogentry"))


def log_entries(date_from=None, date_to=None, actor=""):
    """Return the entries written on or after ``date_from`` and on or before ``date_to`` (local dates), by
    users whose name contains ``actor``; oldest first, fixed to those written up to now."""
    entries = AuditLogEntry.objects.all()
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    # Fixed now, so an entry written while the file streams (this export's own) is not in it.
    upto = AuditLogEntry.objects.aggregate(upto=Max("pk"))["upto"] or 0
    return entries.filter(pk__lte=upto).order_by("created_at", "pk")


def headers():
    """The file's column headings."""
    return [
        _("At"),
        _("Who"),
        _("Action"),
        _("Reference"),
        _("Submissions"),
        _("ID and bank numbers in full"),
        _("Why visible"),
        _("Detail"),
        _("IP address"),
    ]


AT_FORMAT = "%Y-%m-%d %H:%M:%S"  # to the second: entries of one minute keep their order when read
AT_NUMBER_FORMAT = "yyyy-mm-dd hh:mm:ss"


def rows(entries):
    """Yield each entry as a row of cells, as the file shows them."""
    labels = dict(AuditLogEntry.Action.choices)
    yes, no = _("yes"), _("no")
    for entry in entries.iterator(chunk_size=2000):
        yield [
            local_datetime(entry.created_at),
            entry.actor_name,
            str(labels.get(entry.action, entry.action)),
            entry.reference,
            "" if entry.count is None else entry.count,
            yes if entry.unmasked else no,
            entry.reason,
            entry.detail,
            entry.ip_address or "",
        ]


def as_csv(entries):
    """Yield the CSV file in pieces, a BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(headers())
    for at, *row in rows(entries):
        writer.writerow([at.strftime(AT_FORMAT), *(safe_cell(cell) for cell in row)])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_xlsx(entries):
    """Return the XLSX file's bytes: one sheet, a header row, one row per entry."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log")[:31])
    sheet.append(headers())
    for at, *row in rows(entries):
        when = WriteOnlyCell(sheet, value=at)
        when.number_format = AT_NUMBER_FORMAT
        sheet.append([when, *(safe_cell(cell) for cell in row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
