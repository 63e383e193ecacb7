"""Word copies of submissions: same sections as the PDF, read back with python-docx, under the access rule."""

import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from forms_app.builder.factories import field, step
from forms_app.printing.printouts import current_version, verification_url
from forms_app.printing.word import submission_docx
from forms_app.review.models import AuditLogEntry
from tests.applications.test_form_pages import make_form
from tests.factories import NoticePageFactory, OrganisationFactory
from tests.office import libreoffice
from tests.review_helpers import build_world, make_reviewer, submit
from tests.samples import KNOWN_ID


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def docx_text(content):
    """Return every paragraph and table cell of a .docx, nested tables included."""
    document = Document(BytesIO(content))
    texts = [p.text for p in document.paragraphs]

    def walk(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    texts.extend(p.text for p in cell.paragraphs)
                    walk(cell.tables)

    walk(document.tables)
    texts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return "\n".join(texts)


def test_word_copy_has_the_layout_and_answers(world):
    text = docx_text(submission_docx(world.subs["xihu"]))
    expected = ["附件1", "测试申报表", "基本信息", "项目名称", "西湖区项目", "☑上半年", "□下半年"]
    version = world.subs["xihu"].versions.get()
    expected += ["110***********002X", "活动次数", "杭州市", "合计", world.subs["xihu"].reference]
    expected += [version.fingerprint, f"/applications/verify/{world.subs['xihu'].reference}/1/"]
    for words in expected:
        assert words in text, words
    assert KNOWN_ID not in text


def test_word_urls_follow_the_access_rule(client, world):
    target = world.subs["xihu"]
    url = reverse("shenbao_review_docx", args=[target.pk])
    client.force_login(world.reviewers["haishu"])
    assert client.get(url).status_code == 404
    client.force_login(world.reviewers["xihu"])
    response = client.get(url, {"personal": "1"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert KNOWN_ID not in docx_text(response.content)
    trusted = make_reviewer("trusted", world.regions["xihu"], personal=True)
    client.force_login(trusted)
    assert KNOWN_ID in docx_text(client.get(url, {"personal": "1"}).content)
    assert AuditLogEntry.objects.filter(user=trusted, submission=target, unmasked=True).count() == 1
    own = target.page.url + target.page.reverse_subpage("draft_docx", args=[target.draft.pk])
    client.force_login(target.user)
    assert KNOWN_ID in docx_text(client.get(own).content)
    client.force_login(world.subs["haishu"].user)
    assert client.get(own).status_code == 404


def test_word_copy_is_a4_with_the_margins_of_official_documents(world):
    document = Document(BytesIO(submission_docx(world.subs["xihu"])))
    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured] == [210.0, 297.0, 37.0, 35.0, 28.0, 26.0]
    page_size = section._sectPr.find(qn("w:pgSz"))
    assert page_size.get(qn("w:orient")) in (None, "portrait")


def test_word_copy_carries_the_qr_code_of_the_verification_page(world, tmp_path):
    submission = world.subs["xihu"]
    document = Document(BytesIO(submission_docx(submission)))
    assert len(document.inline_shapes) == 1
    blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = tmp_path / "qr.png"
    image.write_bytes(document.part.related_parts[blip.embed].blob)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
    assert found.stdout.split() == [verification_url(current_version(submission))]
    assert "扫码核验" in docx_text(submission_docx(submission))


def test_word_copy_keeps_each_typed_line_break_once(world):
    submission = world.subs["xihu"]
    # CR LF as a browser sends it, a lone CR, a blank line
    submission.answers["project_name"] = "第一行\r\n第二行\r第三行\n\n第五行"
    document = Document(BytesIO(submission_docx(submission)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "第一行\n第二行\n第三行\n\n第五行" in cells
    assert "第一行\n\n第二行" not in "".join(cells)


def test_word_copy_is_titled_with_the_form_and_the_reference(world):
    submission = world.subs["xihu"]
    document = Document(BytesIO(submission_docx(submission)))
    assert document.core_properties.title == f"测试申报表 {submission.reference}"


def test_the_signature_line_stays_with_the_last_answers(world):
    document = Document(BytesIO(submission_docx(world.subs["xihu"])))
    last_row = document.tables[-1].rows[-1]
    assert all(p.paragraph_format.keep_with_next for cell in last_row.cells for p in cell.paragraphs)
    assert last_row._tr.trPr.find(qn("w:cantSplit")) is not None
    texts = [p.text for p in document.paragraphs]
    signature = next(n for n, text in enumerate(texts) if "申报人签字" in text)
    assert document.paragraphs[signature - 1].paragraph_format.keep_with_next


@pytest.mark.parametrize("length", [500, 900, 1200, 1500])
def test_as_word_lays_it_out_the_signature_shares_a_page_with_the_last_answer(notice_index, tmp_path, length):
    # Rendered by LibreOffice Writer: keep-with-next must hold on paper, whatever the answer's length.
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    plan = field("long_text", "实施方案", key="plan", max_length=3000)
    page = make_form(notice, [step("plan", "实施方案", field("short_text", "项目名称", key="name"), plan)])
    text = ("组织专家深入基层开展技术指导和培训。" * 200)[: length - 4] + "末尾标记"
    submission = submit(page, OrganisationFactory(), {"name": "乡村医疗服务", "plan": text})
    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes(libreoffice(submission_docx(submission), "docx", "pdf", tmp_path))
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = ["".join(page_text.split()) for page_text in pages.split("\f") if page_text.strip()]
    signed = [n for n, page_text in enumerate(pages) if "申报人签字" in page_text]
    assert signed, pages
    assert "末尾标记" in pages[signed[0]], (
        f"{len(pages)} pages; the signature is alone on page {signed[0] + 1}"
    )
