"""The summary list (一览表) PDF: columns sized by their content, codes never split, a title; no database."""

import subprocess

import pytest

from forms_app.printing import columns, pdf

HEADERS = [
    "序号",
    "申报编号",
    "申报单位",
    "所在地区",
    "状态",
    "负责人身份证号",
    "统一社会信用代码",
    "项目简介",
]
LONG_TEXT = "本项目面向基层医疗机构开展专家服务活动，" * 6


def row(number, reference, identity="110***********002X"):
    return [
        number,
        reference,
        "杭州市第一人民医院",
        "西湖区",
        "已推荐",
        identity,
        "91330100MA2AXXXX0X",
        LONG_TEXT,
    ]


def layout_text(content, tmp_path, name="summary"):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_title(content, tmp_path):
    path = tmp_path / "title.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in info.splitlines() if ":" in line)


def test_references_and_id_numbers_stay_whole_on_one_line(tmp_path):
    rows = [row(n, f"ZJ2026-F1-{n:05d}-REVISED-COPY", "110105199001011234") for n in range(1, 31)]
    content = pdf.summary_pdf(
        "2026年专家服务基层推荐人选一览表", "填报单位：杭州市（盖章）    日期：", HEADERS, rows
    )
    text = layout_text(content, tmp_path)
    for n in range(1, 31):
        assert f"ZJ2026-F1-{n:05d}-REVISED-COPY" in text, n  # the whole reference on one line
    assert text.count("110105199001011234") == 30 and text.count("91330100MA2AXXXX0X") == 30
    assert "本项目面向基层" in text  # the free text wrapped instead
    info = pdf_title(content, tmp_path)
    assert info["Title"].strip() == "2026年专家服务基层推荐人选一览表"
    assert info["Page size"].split()[:3] == ["841.89", "x", "595.276"]  # A4 landscape


def test_with_many_code_columns_the_text_gets_smaller_rather_than_split(tmp_path):
    headers = ["序号", *[f"代码{n}" for n in range(1, 13)]]
    rows = [[n, *[f"ZJ2026-F{c}-{n:05d}X" for c in range(1, 13)]] for n in range(1, 4)]
    text = layout_text(pdf.summary_pdf("一览表", "", headers, rows), tmp_path, "many")
    for n in range(1, 4):
        for c in range(1, 13):
            assert f"ZJ2026-F{c}-{n:05d}X" in text


def test_columns_take_the_width_their_content_needs():
    faces = pdf.register_fonts()
    measure = columns.Measure(faces["cjk"], 9)
    texts = [HEADERS, *[[str(v) for v in row(n, f"ZJ2026-F1-{n:05d}")] for n in range(1, 4)]]
    widths = columns.widths(texts, 750, measure, 6)
    assert sum(widths) == pytest.approx(750)
    number, reference, *_rest, identity, _code, free_text = widths
    assert number < reference and reference >= measure.width("ZJ2026-F1-00001") + 6
    assert identity >= measure.width("110***********002X") + 6
    assert free_text == max(widths)  # what is left goes to the column that wraps


def test_lines_break_between_characters_and_never_inside_a_code():
    faces = pdf.register_fonts()
    measure = columns.Measure(faces["cjk"], 9)
    text = "负责人编号ZJ2026-F1-00001，联系电话0571-88888888。\r\n第二行"
    width = measure.width("ZJ2026-F1-00001，") + 1
    lines = columns.break_lines(text, width, measure)
    assert "ZJ2026-F1-00001，" in lines and "0571-88888888。" in "".join(lines)
    assert all(measure.width(line) <= width for line in lines)
    assert lines[-1] == "第二行" and not any(line.startswith("，") for line in lines)
