"""The audit log's export for administrators: entries of a date range and an actor as CSV or XLSX.

The log itself is listed and inspected, read-only, by ``AuditLogAdmin``; this page adds the
download, which is written to the log like every other reading.
"""

from django.http import HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from forms_app.desk.forms import AuditExportForm
from forms_app.exchange.exports.names import export_file_name
from forms_app.review import audit
from forms_app.review.log_export import as_csv, as_xlsx, log_entries, may_read_log
from forms_app.review.models import AuditLogEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audit_export(request):
    """Show the export's filters; with a valid ``format``, send the file and record that it was sent."""
    if not may_read_log(request.user):
        # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
        return HttpResponseForbidden(_("Only administrators may export the audit log."))
    form = AuditExportForm(request.GET if "format" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = log_entries(data["date_from"], data["date_to"], data["actor"].strip())
        audit.record(
            request,
            AuditLogEntry.Action.LOG_EXPORT,
            detail=_("Audit log from %(start)s to %(end)s, user “%(actor)s”")
            % {"start": data["date_from"] or "…", "end": data["date_to"] or "…", "actor": data["actor"]},
            count=entries.count(),
            reason=_("administrator") if request.user.is_superuser else _("permission to read the audit log"),
        )
        name = export_file_name(_("Audit log"), data["format"])
        if data["format"] == "csv":
            response = StreamingHttpResponse(as_csv(entries), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(as_xlsx(entries), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "private, no-store"
        return response
    return TemplateResponse(
        request,
        "shenbao_desk/audit_export.html",
        {"form": form, "index_url": reverse("shenbao_review_auditlogentry_modeladmin_index")},
        status=422 if form.errors else 200,
    )
