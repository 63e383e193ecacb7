"""PDFs of submissions and blank forms: text checked with pdftotext, pages kept as PNG artifacts."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from forms_app.printing import pdf
from forms_app.review.models import AuditLogEntry
from tests.review_helpers import BANK_ACCOUNT, build_world, make_reviewer
from tests.samples import KNOWN_ID

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "pdf"


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def pdf_text(content, name):
    """Return the PDF's text (pdftotext -layout) and keep its first page as a PNG artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / name)], check=True
    )
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_title(content, tmp_path):
    path = tmp_path / "title.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title:"))


def fonts(content, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def test_submission_pdf_has_the_answers_options_tables_and_stamp_area(world, tmp_path):
    submission = world.subs["xihu"]
    content = pdf.submission_pdf(submission)
    text = pdf_text(content, "submission")
    for expected in (
        "附件1",
        "测试申报表",
        "项目名称",
        "西湖区项目",
        "☑上半年",
        "□下半年",
        "活动次数",
        "杭州市",
        "110***********002X",
    ):
        assert expected in text, expected
    assert KNOWN_ID not in text and BANK_ACCOUNT not in text
    assert submission.reference in text
    assert "■" not in text and "\ufffd" not in text  # no glyph was missing
    embedded = fonts(content, tmp_path)
    assert "BousungEG" in embedded or "Sungti" in embedded  # the CJK TrueType is embedded
    assert "DejaVuSans" in embedded
    assert (ARTIFACTS / "submission-1.png").exists() or (ARTIFACTS / "submission-01.png").exists()
    full = pdf_text(pdf.submission_pdf(submission, masked=False), "submission-unmasked")
    assert KNOWN_ID in full
    assert pdf_title(content, tmp_path) == f"测试申报表 {submission.reference}"


def test_blank_form_pdf_lists_every_field_with_empty_boxes(client, world, tmp_path):
    response = client.get(world.page.url + "blank-pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_title(response.content, tmp_path) == "测试申报表"
    text = pdf_text(response.content, "blank")
    assert "项目名称" in text and "□上半年" in text and "□下半年" in text and "☑" not in text
    assert "杭州市" in text and "宁波市" in text  # the matrix rows, empty
    notice_page = client.get(world.page.get_parent().url).content.decode()
    assert world.page.url + "blank-pdf/" in notice_page


def test_blank_form_pdf_is_cached_until_the_form_is_published_again(client, world):
    from django.core.cache import cache

    first = client.get(world.page.url + "blank-pdf/").content
    cached = [key for key in cache._cache if "blank-pdf" in key]  # locmem in tests
    assert len(cached) == 1 and client.get(world.page.url + "blank-pdf/").content == first
    page = world.page
    page.steps[0].value["fields"][0].value["label"] = "服务项目名称"
    page.save_revision().publish()
    text = pdf_text(client.get(page.url + "blank-pdf/").content, "blank-republished")
    assert "服务项目名称" in text


def test_pdf_urls_follow_the_access_rule(client, world):
    target = world.subs["xihu"]
    url = reverse("shenbao_review_pdf", args=[target.pk])
    client.force_login(world.reviewers["haishu"])
    assert client.get(url).status_code == 404
    client.force_login(world.reviewers["xihu"])
    response = client.get(url, {"personal": "1"})
    assert response.status_code == 200 and KNOWN_ID not in pdf_text(response.content, "reviewer")
    trusted = make_reviewer("trusted", world.regions["xihu"], personal=True)
    client.force_login(trusted)
    response = client.get(url, {"personal": "1"})
    assert KNOWN_ID in pdf_text(response.content, "reviewer-unmasked")
    assert AuditLogEntry.objects.filter(user=trusted, submission=target, unmasked=True).count() == 1
    # The applicant prints their own, in full; another applicant gets a 404.
    page, draft = target.page, target.draft
    own = page.url + page.reverse_subpage("draft_pdf", args=[draft.pk])
    client.force_login(target.user)
    assert KNOWN_ID in pdf_text(client.get(own).content, "applicant")
    client.force_login(world.subs["haishu"].user)
    assert client.get(own).status_code == 404


def test_missing_font_is_a_clear_error(settings, tmp_path):
    settings.SHENBAO_PDF_CJK_FONT = "/nonexistent/font.ttf"
    with pytest.raises(pdf.PdfFontMissing, match=r"fonts-arphic-gbsn00lp.*SHENBAO_PDF_CJK_FONT"):
        pdf.font_paths()
    collection = tmp_path / "NotoSansCJK-Regular.ttc"
    collection.write_bytes(b"ttcf")
    settings.SHENBAO_PDF_CJK_FONT = str(collection)
    with pytest.raises(pdf.PdfFontMissing, match="TrueType"):
        pdf.font_paths()


def test_without_the_fonts_pdf_pages_say_so_and_nothing_is_lost(client, world, settings, caplog):
    settings.SHENBAO_PDF_CJK_FONT = "/nonexistent/font.ttf"
    target = world.subs["xihu"]
    page, draft = target.page, target.draft
    client.force_login(target.user)
    own = client.get(page.url + page.reverse_subpage("draft_pdf", args=[draft.pk]))
    assert own.status_code == 503
    assert "中文字体" in own.content.decode()
    assert client.get(page.url + "blank-pdf/").status_code == 503
    client.force_login(world.reviewers["xihu"])
    desk = client.get(reverse("shenbao_review_pdf", args=[target.pk]))
    assert desk.status_code == 503 and "SHENBAO_PDF_CJK_FONT" in desk.content.decode()
    assert "/nonexistent/font.ttf" in caplog.text  # the administrators learn which file is missing
    target.refresh_from_db()
    assert target.answers  # the submission is untouched
