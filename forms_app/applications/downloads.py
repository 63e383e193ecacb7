"""Responses for private downloads and generated documents: never cached, never sniffed."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_response(content, filename, content_type="application/pdf", inline=True):
    """Return a generated document (PDF, Word) as a response that no cache keeps."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(stored, filename, content_type=None, attachment=True):
    """Return a privately stored file as a download that no cache keeps and no browser sniffs."""
    response = FileResponse(
        stored.open("rb"),
        as_attachment=attachment,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
