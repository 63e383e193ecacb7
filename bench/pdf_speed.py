"""The PDF benchmark: seconds per page of a filled form, against reportlab drawing the same cells.

    .venv/bin/python bench/pdf_speed.py --documents 20 --rows 60

Renders ``--documents`` filled copies of a form (20 labelled answers with ☑/□
choices, and a repeating table of ``--rows`` rows, so each copy runs over
several pages) with the product's path (``forms_app.printing.pdf.printout_pdf``,
as ``submission_pdf`` calls it: the print tree laid out by ``attachment.py``, CJK
font embedded). The baseline, in the same run, builds the same label/value and
table cells with plain reportlab platypus (``SimpleDocTemplate`` + ``Table``) and
the same font: no borders, QR code, footer or page count. Prints seconds per
page for both and the ratio.
No database is needed.
"""

import argparse
import os
import secrets
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import django  # noqa: E402

# No database: the test settings are enough to render templates.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.test")
django.setup()

from forms_app.applications.models import Submission, SubmissionVersion  # noqa: E402
from forms_app.printing.pdf import font_paths, pdf_context, printout_pdf  # noqa: E402
from forms_app.printing.printouts import verification_url  # noqa: E402


def sections(rows):
    text = "第{}项的填写内容，较长的说明文字" * 2
    items = [
        {
            "key": f"f{n}",
            "label": f"字段{n}名称",
            "type": "short_text",
            "text": text.format(n, n),
            "empty": False,
        }
        for n in range(16)
    ]
    marks = [("☑", "国家级", ""), ("□", "省级", ""), ("□", "其他", "")]
    items += [
        {"key": f"c{n}", "label": f"选项{n}", "type": "single_choice", "marks": marks, "empty": False}
        for n in range(4)
    ]
    table = {
        "headers": ["序号", "活动名称", "日期", "人数", "经费（万元）"],
        "rows": [[n, f"专家服务活动{n}", "2024-03-01", 20 + n, "1.50"] for n in range(1, rows + 1)],
        "totals": ["合计", "", "", sum(20 + n for n in range(1, rows + 1)), ""],
    }
    items.append({"key": "t", "label": "活动安排", "type": "table", "table": table, "empty": False})
    return [{"step": {"title": "基本信息", "key": "basic"}, "items": items}]


class Page:
    title = "2024年专家服务基层示范团申报表"
    attachment_label = "附件1"
    pdf_header = "填报市局：（盖章）；填报日期："


class Notice:
    title = "关于组织申报的通知"


def product(data, number=1):
    """A filled copy as ``submission_pdf`` renders it: the version row and the QR code of its own URL."""
    context = pdf_context(Page(), None, [dict(section) for section in data])
    submission = Submission(reference=f"ZJ2024-F1-{number:05d}", revision=1)
    version = SubmissionVersion(submission=submission, revision=1, fingerprint=secrets.token_hex(6))
    context.update(
        {
            "notice": Notice(),
            "submission": submission,
            "version": version,
            "verify_url": verification_url(version),  # a different QR code in every copy
        }
    )
    return printout_pdf(context)


def baseline(data, fonts):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    if "cjk" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("cjk", fonts["cjk"]))
    style = ParagraphStyle("cjk", fontName="cjk", fontSize=10.5, leading=14, wordWrap="CJK")
    story = [Paragraph(Page.attachment_label, style), Paragraph(Page.title, style)]
    for section in data:
        story.append(Paragraph(section["step"]["title"], style))
        rows = []
        for item in section["items"]:
            if item.get("table"):
                grid = [item["table"]["headers"], *item["table"]["rows"], item["table"]["totals"]]
                story.append(Table([[Paragraph(str(c), style) for c in row] for row in grid], repeatRows=1))
            else:
                text = item.get("text") or "  ".join(m + label for m, label, _o in item["marks"])
                rows.append([Paragraph(item["label"], style), Paragraph(text, style)])
        story.insert(3, Table(rows, colWidths=[120, 330]))
    output = BytesIO()
    SimpleDocTemplate(output, pagesize=A4).build(story)
    return output.getvalue()


def pages(content):
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--rows", type=int, default=60)
    args = parser.parse_args()
    data = sections(args.rows)
    product(data), baseline(data, font_paths())  # warm up: fonts parsed once per process in both
    figures = {}
    for name, render in (
        ("product", lambda n: product(data, n)),
        ("baseline", lambda n: baseline(data, font_paths())),
    ):
        start = time.perf_counter()
        total_pages = sum(pages(render(n)) for n in range(args.documents))
        seconds = time.perf_counter() - start
        figures[name] = seconds / total_pages
        print(f"{name:>9}: {args.documents} documents, {total_pages} pages, {seconds:.2f} s, "
              f"{1000 * figures[name]:.0f} ms per page", flush=True)  # fmt: skip
    print(f"ratio product / baseline per page: {figures['product'] / figures['baseline']:.2f}")


if __name__ == "__main__":
    main()
