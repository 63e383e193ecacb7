"""The printed attachment: page count in one pass, long answers, markup, and what is kept per process.

No database: the page, submission and version are plain or unsaved objects, as ``bench/pdf_speed.py`` uses.
"""

import re
import subprocess

import pytest

from forms_app import qr
from forms_app.applications.models import Submission, SubmissionVersion
from forms_app.builder.display import BLANK, render_answer
from forms_app.printing import attachment, pdf
from forms_app.printing.printouts import verification_url
from tests.printing.test_printouts import qr_codes

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


class Page:
    title = "测试申报表"
    attachment_label = "附件2"
    pdf_header = "填报单位（盖章）；填报日期："


class Notice:
    title = "关于组织申报的通知"


def text_item(key, text):
    return {"key": key, "label": f"{key}说明", "type": "long_text", "text": text, "empty": False}


def table_item(rows):
    table = {
        "headers": ["序号", "名称"],
        "rows": [[n, f"活动{n}"] for n in range(1, rows + 1)],
        "totals": None,
    }
    return {"key": "t", "label": "活动安排", "type": "table", "table": table, "empty": False}


def printout(items, reference="ZJ2024-F1-00001", fingerprint="0123456789ab"):
    sections = [{"step": {"key": "s", "title": "基本信息"}, "items": items}]
    context = pdf.pdf_context(Page(), None, sections)
    submission = Submission(reference=reference, revision=1)
    version = SubmissionVersion(submission=submission, revision=1, fingerprint=fingerprint)
    context.update(
        {
            "notice": Notice(),
            "submission": submission,
            "version": version,
            "verify_url": verification_url(version),
            "document_title": pdf.document_title(Page(), submission),
        }
    )
    return pdf.printout_pdf(context), context["verify_url"]


def pages_text(content, tmp_path):
    """Return the text of each page (pdftotext -layout)."""
    path = tmp_path / "printout.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.rstrip("\f").split("\f")


def test_every_footer_counts_the_pages_of_one_pass(tmp_path):
    content, _url = printout([text_item("a", "内容"), table_item(120)])
    pages = pages_text(content, tmp_path)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        footer = text.strip().splitlines()[-1]
        assert "申报编号 ZJ2024-F1-00001" in footer and "关于组织申报的通知" in footer
        assert footer.endswith(f"{number}/{len(pages)}"), footer
    assert "活动120" in pages[-1] and "序号" in pages[-1]  # the header row repeats on every page


def test_an_answer_longer_than_a_page_is_cut_between_pages(tmp_path):
    long_text = "项目简介" * 900 + "结尾标记"  # about three pages in the value column
    content, _url = printout([text_item("a", long_text), text_item("b", "之后的回答")])
    pages = pages_text(content, tmp_path)
    assert len(pages) >= 3
    whole = "".join("".join(text.split()) for text in pages)
    assert "结尾标记" in whole and "之后的回答" in whole


def test_answers_are_text_not_markup_and_keep_their_line_breaks(tmp_path):
    content, _url = printout([text_item("a", "第一行 <b>x</b> & y\n第二行")])
    text = pages_text(content, tmp_path)[0]
    assert "第一行 <b>x</b> & y" in text
    assert "第二行" in text.split("第一行")[1].splitlines()[1]  # on a line of its own


def test_styles_are_kept_per_font_and_a_changed_font_setting_gets_its_own(settings, tmp_path):
    faces = pdf.register_fonts()
    assert attachment.styles(faces["cjk"], faces["symbols"]) is attachment.styles(
        faces["cjk"], faces["symbols"]
    )
    settings.SHENBAO_PDF_CJK_FONT = SERIF
    serif = pdf.register_fonts()
    assert serif["cjk"] != faces["cjk"] and serif["symbols"] == faces["symbols"]
    style = attachment.styles(serif["cjk"], serif["symbols"])
    assert style.body.fontName == serif["cjk"]
    path = tmp_path / "serif.pdf"
    path.write_bytes(printout([text_item("a", "Serif")])[0])
    embedded = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "DejaVuSerif" in embedded
    settings.SHENBAO_PDF_CJK_FONT = ""
    assert pdf.register_fonts() == faces  # back to the first file: its face, registered once


def test_the_qr_code_is_encoded_once_per_url(tmp_path):
    qr.qr_modules.cache_clear()
    first, first_url = printout([text_item("a", "内容")], fingerprint="aaaaaaaaaaaa")
    second, second_url = printout([text_item("a", "内容")], fingerprint="bbbbbbbbbbbb")
    assert qr.qr_modules(first_url) != qr.qr_modules(second_url)
    assert qr_codes(first, "attachment-first") == [first_url] and qr_codes(second, "attachment-second") == [
        second_url
    ]
    printout([text_item("a", "内容")], fingerprint="aaaaaaaaaaaa")  # the same copy printed again
    info = qr.qr_modules.cache_info()
    assert info.misses == 2 and info.hits >= 2


@pytest.mark.parametrize("url", ["", None])
def test_without_a_verification_url_there_is_no_qr_code(url, tmp_path):
    sections = [{"step": {"key": "s", "title": "基本信息"}, "items": [text_item("a", "内容")]}]
    context = pdf.pdf_context(Page(), None, sections)
    context["verify_url"] = url
    text = pages_text(pdf.printout_pdf(context), tmp_path)[0]
    assert "附件2" in text and "测试申报表" in text and "1/1" in text
    assert qr_codes(pdf.printout_pdf(context), "attachment-no-url") == []


def pdf_info(content, tmp_path):
    """Return pdfinfo's fields of ``content`` as a dict."""
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def value_lines(text, first, last):
    """The lines of the value column from the one holding ``first`` to the one holding ``last``."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if first in line)
    end = next(n for n, line in enumerate(lines) if last in line)
    return [line.strip() for line in lines[start : end + 1]]


@pytest.mark.parametrize(
    "typed",
    [
        "第一行\r\n第二行\r\n第三行",  # a browser's textarea
        "第一行\r第二行\r第三行",
        "第一行\u2028第二行\n第三行",
        "第一行\n第二行\n第三行",
    ],
)
def test_each_typed_line_break_is_one_line_break(typed, tmp_path):
    content, _url = printout([text_item("a", typed)])
    lines = value_lines(pages_text(content, tmp_path)[0], "第一行", "第三行")
    assert lines[0].endswith("第一行") and lines[1:] == ["第二行", "第三行"]


def test_a_blank_line_typed_stays_one_blank_line(tmp_path):
    content, _url = printout([text_item("a", "第一段\r\n\r\n第二段")])
    lines = value_lines(pages_text(content, tmp_path)[0], "第一段", "第二段")
    assert lines[0].endswith("第一段") and lines[1:] == ["", "第二段"]


def test_the_pdf_is_titled_with_the_form_and_the_reference(tmp_path):
    content, _url = printout([text_item("a", "内容")], reference="ZJ2024-F1-00007")
    assert pdf_info(content, tmp_path)["Title"].strip() == "测试申报表 ZJ2024-F1-00007"


def signature_page(content, tmp_path):
    pages = pages_text(content, tmp_path)
    return next(page for page in pages if "申报人签字" in page), len(pages)


@pytest.mark.parametrize("length", range(1100, 1300, 50))  # the last answer ends near the foot of page 1
def test_the_signature_block_is_on_the_page_of_the_last_answer(length, tmp_path):
    content, _url = printout([text_item("a", "字" * length), text_item("b", "最后的回答")])
    page, _count = signature_page(content, tmp_path)
    assert "最后的回答" in page and "b说明" in page


@pytest.mark.parametrize("rows", range(22, 31, 2))  # the table ends near the foot of page 1
def test_the_signature_block_takes_the_last_table_rows_and_their_header(rows, tmp_path):
    content, _url = printout([text_item("a", "内容"), table_item(rows)])
    page, _count = signature_page(content, tmp_path)
    assert f"活动{rows}" in page and "序号" in page


def word_tops(content, tmp_path):
    """Return ``{word: top}`` (points from the top of its page, first occurrence) from pdftotext -bbox."""
    path = tmp_path / "bbox.pdf"
    path.write_bytes(content)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    tops = {}
    for top, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html):
        tops.setdefault(word, float(top))
    return tops


def blank_item(label, kind, **options):
    spec = {"key": label, "label": label, "type": kind, "options": options}
    return render_answer(spec, None, mode=BLANK)


def test_a_blank_form_leaves_room_to_write_each_answer_by_hand(tmp_path):
    items = [
        blank_item("项目简介", "long_text", max_length=200, rows=6),  # 200 characters: 10 lines by hand
        blank_item("项目名称", "short_text", max_length=200),
        blank_item("联系人", "short_text", max_length=20),
        blank_item("备注", "long_text", rows=4),
        blank_item("结束", "short_text", max_length=20),
    ]
    assert [item["lines"] for item in items] == [10, 2, 1, 4, 1]
    sections = [{"step": {"key": "s", "title": "基本信息"}, "items": items}]
    context = pdf.pdf_context(Page(), None, sections)
    tops = word_tops(pdf.printout_pdf(context), tmp_path)
    line = attachment.HAND_LINE
    body_line = attachment.styles(*pdf.register_fonts().values()).body.leading
    heights = [tops[b] - tops[a] for a, b in [("项目简介", "项目名称"), ("项目名称", "联系人")]]
    heights += [tops["备注"] - tops["联系人"], tops["结束"] - tops["备注"]]
    assert heights == pytest.approx([10 * line, 2 * line, line, 4 * line], abs=1)
    assert heights[0] > 8 * body_line  # far more than the one typed line an empty answer had


def test_a_blank_table_has_rows_to_write_in(tmp_path):
    spec = {
        "key": "t",
        "label": "活动安排",
        "type": "table",
        "options": {"columns": [{"label": "名称", "key": "n", "type": "short_text"}], "min_rows": 3},
    }
    sections = [{"step": {"key": "s", "title": "基本信息"}, "items": [render_answer(spec, None, mode=BLANK)]}]
    path = tmp_path / "table.pdf"
    path.write_bytes(pdf.printout_pdf(pdf.pdf_context(Page(), None, sections)))
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    header = float(re.search(r'yMin="([\d.]+)"[^>]*>序号<', html).group(1))
    signature = float(re.search(r'yMin="([\d.]+)"[^>]*>申报人签字', html).group(1))
    assert signature - header > 3 * attachment.HAND_LINE  # three rows of at least a hand's line each
