"""What a file is, decided from its content alone: the one place that names a file's type.

The first bytes (the "magic number") only propose a type, since anything can start with ``%PDF-``:
the proposal stands once the parser of that type has opened the file (pypdf for PDFs, Pillow for
images, python-docx and openpyxl for Office files). Web content (HTML, SVG) and scripts are never a
type at all: a browser or an office suite would run them on a reviewer's machine.

The type found here also names the file: stored and downloaded files take its extension
(``named_as``), so a file is never saved, or handed to a reviewer, as something it is not.
"""

import io
import os
import re
import warnings
import zipfile

import openpyxl
from docx import Document
from PIL import Image
from pypdf import PdfReader

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc and .xls (OLE2 compound file)
    (b"PK\x03\x04", "zip"),
]
# The first extension of each type is the one files are stored and downloaded under.
EXTENSIONS = {
    "pdf": ("pdf",),
    "jpg": ("jpg", "jpeg"),
    "png": ("png",),
    "doc": ("doc",),
    "xls": ("xls",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
}
TYPE_NAMES = {
    "ole": "Word (.doc) / Excel (.xls)",  # proposed by the first bytes, before the streams tell which
    "pdf": "PDF",
    "jpg": "JPEG",
    "png": "PNG",
    "doc": "Word (.doc)",
    "docx": "Word (.docx)",
    "xls": "Excel (.xls)",
    "xlsx": "Excel (.xlsx)",
}

# Browsers decide whether bytes are a web page from the first 1445 (the WHATWG "resource header");
# markup there is refused whatever comes before it. A tag must be followed by a space, "/" or ">", so
# that the compressed bytes of a real file do not match by chance.
_RESOURCE_HEADER = 1445
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|\?xml-stylesheet)[\s/>]", re.I
)
# Actions that make a PDF reader run code or a program. Object streams can hide them from this scan,
# so the document catalogue is also asked (see ``_check_pdf``).
_PDF_ACTIONS = re.compile(rb"/(?:JavaScript|Launch)\b")
# Members of an Office package that a browser, Windows or the office suite itself would run.
_ACTIVE_MEMBERS = re.compile(
    r"\.(?:html?|xhtml|xht|mht|mhtml|svgz?|js|mjs|vbs|vbe|wsf|hta|exe|dll|bat|cmd|ps1|jar|swf)$"
    r"|(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$|(?:^|/)activeX/",
    re.I,
)
_OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# An Office file is a zip: its directory holds it to what it may unpack to, before any part is read.
_MAX_UNPACKED = 200 * 1024 * 1024
_MAX_MEMBERS = 10_000


class FileRefused(Exception):
    """A file that may not be kept; ``kind`` is the type its first bytes proposed, if any."""

    def __init__(self, kind=None):
        super().__init__(kind)
        self.kind = kind


class ActiveContent(FileRefused):
    """Web content, a script or macros: never accepted, whatever the field allows."""


class Unreadable(FileRefused):
    """The first bytes say ``kind`` but the parser of that type cannot open the file."""


def identify(upload):
    """Return the type of ``upload`` ("pdf", "docx", …), or None when its content is of no known type.

    Raise ``ActiveContent`` for web content and scripts, ``Unreadable`` when the proposed type's parser
    refuses the file. Callers check the size first: the content is read whole.
    """
    upload.seek(0)
    try:
        data = upload.read()
    finally:
        upload.seek(0)
    if _MARKUP.search(data[:_RESOURCE_HEADER]):
        raise ActiveContent()
    proposed = next((name for magic, name in _SIGNATURES if data.startswith(magic)), None)
    if proposed is None:
        return None
    return _CHECKS[proposed](data)


def name_agrees(name, kind):
    """Whether a file name's extension, if it has one, is one of ``kind``'s."""
    extension = os.path.splitext(os.path.basename(name or ""))[1].lower().lstrip(".")
    return not extension or extension in EXTENSIONS[kind]


def named_as(name, kind):
    """Return ``name``'s stem with ``kind``'s extension: "申报书.PDF" → "申报书.pdf".

    A type this module does not know (a row from before it) leaves the name as it is.
    """
    base = os.path.basename(name or "")
    if kind not in EXTENSIONS:
        return base[:255]
    stem = os.path.splitext(base)[0] or base or "file"
    extension = "." + EXTENSIONS[kind][0]
    return stem[: 255 - len(extension)] + extension


def _check_pdf(data):
    if _PDF_ACTIONS.search(data):
        raise ActiveContent("pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("pdf")  # a password-protected file cannot be read by its reviewers
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading each page's size makes pypdf resolve the page tree
        catalogue = reader.trailer["/Root"].get_object()
        names = catalogue.get("/Names")
        opening = catalogue.get("/OpenAction")
        opening = opening.get_object() if opening is not None else None
        runs_code = (
            (names is not None and "/JavaScript" in names.get_object())
            or "/AA" in catalogue
            or (hasattr(opening, "get") and opening.get("/S") in ("/JavaScript", "/Launch"))
        )
        has_pages = len(reader.pages) > 0
    except FileRefused:
        raise
    except Exception as error:
        raise Unreadable("pdf") from error
    if runs_code:
        raise ActiveContent("pdf")
    if not has_pages:
        raise Unreadable("pdf")
    return "pdf"


def _check_image(kind, pillow_format):
    def check(data):
        try:
            with warnings.catch_warnings():
                # An image that would decode to more pixels than Pillow's limit is refused, not decoded.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    if image.format != pillow_format:
                        raise Unreadable(kind)
                    image.verify()  # checksums and structure; the image must be opened again to decode
                with Image.open(io.BytesIO(data)) as image:
                    if pillow_format == "JPEG":
                        # Decoding at an eighth of the size still reads every byte of the scan.
                        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()
        except FileRefused:
            raise
        except Exception as error:
            raise Unreadable(kind) from error
        return kind

    return check


def _check_zip(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    names = [member.filename for member in members]
    kind = next((kind for kind, part in _OFFICE_PARTS.items() if part in names), None)
    if any(_ACTIVE_MEMBERS.search(name) for name in names):
        raise ActiveContent(kind)
    if kind is None:
        return None
    if len(members) > _MAX_MEMBERS or sum(member.file_size for member in members) > _MAX_UNPACKED:
        raise Unreadable(kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content_types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in content_types or b"vbaProject" in content_types:
            raise ActiveContent(kind)
        _open_office(kind, data)
    except FileRefused:
        raise
    except Exception as error:
        raise Unreadable(kind) from error
    return kind


def _open_office(kind, data):
    """Open the package as its office suite would: the main part, its relationships and styles."""
    if kind == "docx":
        Document(io.BytesIO(data))
        return
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        if not workbook.sheetnames:
            raise Unreadable(kind)
    finally:
        workbook.close()


def _check_ole(data):
    """Tell .doc from .xls by the streams the compound file holds; refuse macros.

    Stream names are stored in UTF-16 in the file's directory, which can be anywhere in it.
    """
    if data[28:30] != b"\xfe\xff" or len(data) < 512:
        raise Unreadable("ole")
    if "_VBA_PROJECT".encode("utf-16-le") in data or "Macros".encode("utf-16-le") in data:
        raise ActiveContent("ole")
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "xls"
    raise Unreadable("ole")


_CHECKS = {
    "pdf": _check_pdf,
    "jpg": _check_image("jpg", "JPEG"),
    "png": _check_image("png", "PNG"),
    "zip": _check_zip,
    "ole": _check_ole,
}
