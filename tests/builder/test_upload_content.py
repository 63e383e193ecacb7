"""Uploads are what their content is: opened by a real parser, named as they are, never active content.

The first bytes only propose a type; PDFs are then opened with pypdf, images decoded with Pillow and
Office files read as the packages they claim to be. A file whose name says another type is refused
rather than renamed, so the applicant learns that they picked the wrong file.
"""

import io
import zipfile

import pytest
from django.utils.translation import override
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.builder.test_field_types import bind, errors_of, field, files, upload
from tests.samples import DOCX, JPEG, PDF, PNG, XLSX

ANY = field(
    "file",
    label="附件",
    options={"allowed_types": ["pdf", "jpg", "png", "docx", "xlsx"], "max_size_mb": 1, "max_files": 1},
)
NEVER = (
    "附件: “{name}” contains web content or a script (HTML, SVG, JavaScript or macros), "
    "which is never accepted."
)
UNREADABLE = "附件: “{name}” cannot be opened as a {type} file: it is damaged, or not a {type} file at all."
MISNAMED = (
    "附件: “{name}” is a {type} file, but its name says otherwise. "
    "Rename it to end in .{ext}, or upload the right file."
)


def message_for(name, content):
    with override("en"):
        [message] = errors_of(ANY, {}, files(upload(name, content)))
    return message


def accepted(name, content):
    form = bind(ANY, {}, files(upload(name, content)))
    assert form.is_valid(), form.errors
    [cleaned] = form.cleaned_data["f"]
    return cleaned


def with_members(base, **members):
    """A copy of the zip ``base`` with more members (name → text)."""
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def bare_zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_html_behind_a_pdf_header_is_never_accepted():
    assert message_for("x.pdf.html", b"%PDF-1.4\n" + HTML) == NEVER.format(name="x.pdf.html")
    assert message_for("x.pdf", b"%PDF-1.4\n" + HTML) == NEVER.format(name="x.pdf")


@pytest.mark.parametrize("name", ["logo.pdf", "logo.png", "logo.svg"])
def test_svg_is_never_accepted_whatever_its_name(name):
    assert message_for(name, SVG) == NEVER.format(name=name)
    assert message_for(name, b'<?xml version="1.0"?>\n' + SVG) == NEVER.format(name=name)
    assert message_for(name, b"%PDF-1.4\n" + SVG) == NEVER.format(name=name)


def test_a_pdf_that_runs_a_script_is_never_accepted():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    assert message_for("申报书.pdf", buffer.getvalue()) == NEVER.format(name="申报书.pdf")


def test_a_word_file_with_a_web_page_inside_is_never_accepted():
    evil = {"evil.html": HTML.decode()}
    assert message_for("plan.docx", bare_zip("word/document.xml", "evil.html")) == NEVER.format(
        name="plan.docx"
    )
    assert message_for("plan.docx", with_members(DOCX, **evil)) == NEVER.format(name="plan.docx")
    assert message_for("plan.docx", with_members(DOCX, **{"word/media/a.svg": SVG.decode()})) == NEVER.format(
        name="plan.docx"
    )
    assert message_for("book.xlsx", with_members(XLSX, **{"xl/x.js": "alert(1)"})) == NEVER.format(
        name="book.xlsx"
    )


def test_office_files_with_macros_are_never_accepted():
    macro = with_members(DOCX, **{"word/vbaProject.bin": "Attribute VB_Name"})
    assert message_for("plan.docx", macro) == NEVER.format(name="plan.docx")


def test_a_zip_that_only_names_the_word_part_is_not_a_word_file():
    assert message_for("plan.docx", bare_zip("word/document.xml")) == UNREADABLE.format(
        name="plan.docx", type="Word (.docx)"
    )


@pytest.mark.parametrize(
    "content",
    [PDF[: len(PDF) // 2], PDF[:-40], b"%PDF-1.7\n" + b"\x00" * 500, b"%PDF-1.4\n1 0 obj\n<< >>\n%%EOF\n"],
    ids=["half", "no-trailer", "zeros", "no-pages"],
)
def test_a_pdf_that_does_not_parse_is_refused(content):
    assert message_for("申报书.pdf", content) == UNREADABLE.format(name="申报书.pdf", type="PDF")


@pytest.mark.parametrize(
    ("name", "content", "type_"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
        ("photo.png", PNG[:-20], "PNG"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPEG"),
        ("photo.jpg", JPEG[: len(JPEG) // 2], "JPEG"),
    ],
    ids=["png-zeros", "png-cut", "jpeg-zeros", "jpeg-cut"],
)
def test_an_image_that_does_not_decode_is_refused(name, content, type_):
    assert message_for(name, content) == UNREADABLE.format(name=name, type=type_)


@pytest.mark.parametrize(
    ("name", "content", "type_", "ext"),
    [
        ("申报书.pdf", PNG, "PNG", "png"),
        ("scan.png", JPEG, "JPEG", "jpg"),
        ("plan.pdf", DOCX, "Word (.docx)", "docx"),
        ("申报书.pdf.html", PDF, "PDF", "pdf"),
        ("申报书.exe", PDF, "PDF", "pdf"),
    ],
    ids=["png-as-pdf", "jpeg-as-png", "docx-as-pdf", "pdf-as-html", "pdf-as-exe"],
)
def test_a_file_whose_name_says_another_type_is_refused(name, content, type_, ext):
    assert message_for(name, content) == MISNAMED.format(name=name, type=type_, ext=ext)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申报书.PDF", PDF),
        ("申报书.pdf", PDF),
        ("photo.jpeg", JPEG),
        ("photo.JPG", JPEG),
        ("scan.png", PNG),
        ("plan.docx", DOCX),
        ("book.xlsx", XLSX),
        ("无扩展名", PDF),
    ],
)
def test_real_files_named_as_their_type_are_accepted(name, content):
    assert accepted(name, content).name == name


def test_a_refused_file_is_named_next_to_its_field_with_the_others_kept():
    form = bind(
        [ANY, field("short_text", key="t", label="名称")], {"s1-t": "服务团"}, files(upload("x.pdf", PNG))
    )
    assert not form.is_valid()
    assert list(form.errors) == ["f"]
    assert form.cleaned_data["t"] == "服务团"
