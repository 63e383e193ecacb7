"""The kinds of spreadsheet cell an answer becomes, and what each kind means in a file.

Every writer of spreadsheets (exports, summary lists, import templates) asks a field type for its
``cell_kind`` and turns the cell into that kind here, so that a date is a date cell in Beijing time
with a date format, a number a number, and a code (bank account, postcode, 联行号, phone, ID) a text
cell that Excel, WPS and LibreOffice never round or strip of its leading zeros.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

TEXT = "text"
NUMBER = "number"
DATE = "date"
DATETIME = "datetime"
#: Text made of digits that a spreadsheet would otherwise read as a number: stored and formatted as text.
CODE = "code"

#: Number formats of the kinds that have one, as written to XLSX (openpyxl and our own writer alike).
NUMBER_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", CODE: "@"}
#: How a date or date and time reads in text files (CSV) and on screen.
TEXT_FORMATS = {DATE: "%Y-%m-%d", DATETIME: "%Y-%m-%d %H:%M"}

EPOCH = datetime(1899, 12, 30)  # day 0 of the 1900 date system that Excel, WPS and LibreOffice share


def with_unit(label, unit):
    """A column's header with its unit, so that the cells below can be plain numbers: 次数（次）."""
    return f"{label}（{unit}）" if unit else label


def local_datetime(value):
    """An aware instant as a naive date and time in the site's time zone (Beijing), as sheets hold it."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def as_date(value):
    """A stored date answer ("2024-03-01", a date) as a ``date``, or None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def serial(value):
    """A date or naive date and time as the day number spreadsheets store (days since 1899-12-30)."""
    if not isinstance(value, datetime):
        return str((value - EPOCH.date()).days)
    delta = value - EPOCH
    return repr(round(delta.days + delta.seconds / 86400, 10)) if delta.seconds else str(delta.days)


def text_of(kind, value):
    """A cell of ``kind`` as the text a CSV holds: dates as ISO dates, times to the minute."""
    if kind in TEXT_FORMATS and isinstance(value, date):
        return value.strftime(TEXT_FORMATS[kind])
    return "" if value is None else value


def typed(kind, value):
    """A cell of ``kind`` as the value a spreadsheet library writes with its type: a number, a date."""
    if value in ("", None):
        return None
    if kind == NUMBER and isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if kind == DATE:
        return as_date(value) or value
    return value
