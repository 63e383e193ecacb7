"""Sample values shared by the field-type, validator and hostile-input tests.

The sample files are real ones, made by the libraries that write them, because uploads are opened by
the parsers that read them: a file that only starts with the right bytes is refused.
"""

import io

from docx import Document
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

# A resident ID and a credit code with correct check characters (GB 11643, GB 32100).
KNOWN_ID = "11010519491231002X"
KNOWN_CREDIT_CODE = "91350100M000100Y43"


def _written(save):
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


def _pdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    return _written(writer.write)


def _image(kind):
    return _written(lambda out: Image.new("RGB", (40, 30), "white").save(out, kind))


PDF = _pdf()  # one blank A4 page
PNG = _image("PNG")
JPEG = _image("JPEG")
DOCX = _written(Document().save)
XLSX = _written(Workbook().save)

TABLE_COLUMNS = [
    {"key": "name", "label": "活动名称", "type": "text", "required": True, "unit": ""},
    {"key": "held_on", "label": "拟举办日期", "type": "date", "required": True, "unit": ""},
    {"key": "people", "label": "参与人数", "type": "integer", "required": False, "unit": "人"},
    {"key": "budget", "label": "经费", "type": "decimal", "required": False, "unit": "万元"},
    {"key": "contact", "label": "联系电话", "type": "phone", "required": False, "unit": ""},
    {
        "key": "kind",
        "label": "类型",
        "type": "choice",
        "required": False,
        "unit": "",
        "choices": ["讲座", "义诊"],
    },
]
MATRIX_ROWS = [{"key": "330100", "label": "杭州市"}, {"key": "330200", "label": "宁波市"}]
MATRIX_COLUMNS = [
    {"key": "teams", "label": "服务团数", "type": "integer", "unit": "个"},
    {"key": "funds", "label": "经费", "type": "decimal", "unit": "万元"},
    {"key": "note", "label": "备注", "type": "text", "unit": ""},
]
