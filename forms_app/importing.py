"""Importing applications that arrived on paper or in Excel, with the online form's own validators.

A per-form XLSX template has the labels as headers and an example row. An
uploaded file is read (python-calamine when installed, else openpyxl), each
row is turned into the data a browser would post for each step and checked
by the same ``StepForm`` classes the wizard uses (conditions included), and
every error is reported by row and column. Nothing is saved until the
reviewer confirms; then all rows are saved in one transaction, or none.

Rows update instead of duplicating: a row with a reference updates that
submission; a row without one is remembered by the file's hash and its row
number, so importing the same file again updates what it created.
"""

import hashlib
import re
from datetime import date, datetime
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .display import search_words
from .models import FormVersion, Organisation, Region, Submission, SubmissionEvent
from .validators import DOCUMENT_TYPES

# Repeating tables, matrices and files cannot come from one spreadsheet row; they are left out.
NOT_IMPORTED = {"table", "matrix", "file"}
LIST_SPLIT = re.compile(r"\s*[、，,;；]\s*")
OTHER_TEXT = re.compile(r"^(?P<label>.+?)[（(](?P<other>.*)[）)]$")
RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|to)\s*")
YES = {"是", "yes", "y", "true", "1", "有"}
NO = {"否", "no", "n", "false", "0", "无"}


class ImportFileError(Exception):
    """The file cannot be read as a table at all; the message says why."""


def fixed_labels():
    return [_("Reference"), _("Organisation"), _("Region")]


def importable_fields(schema):
    """Return the fields that a spreadsheet row can carry."""
    return [spec for spec in schema.input_fields() if spec["type"] not in NOT_IMPORTED]


# --- the template --------------------------------------------------------------------------------


def example_cell(spec):
    """Return an example value for the template's second row."""
    options = spec.get("options", {})
    examples = {
        "integer": 10, "decimal": "12.50", "date": "2024-03-01", "email": "contact@example.cn",
        "mobile": "13800138000", "landline": "0571-88888888", "phone": "13800138000",
        "credit_code": "91350100M000100Y43", "bank_code": "102331000011", "postcode": "310000",
        "id_number": "11010519491231002X", "bank_account": "6222021234567890128",
        "date_range": "2024-03-01 至 2024-11-30",
    }  # fmt: skip
    if spec["type"] in examples:
        return examples[spec["type"]]
    if spec["type"] in {"single_choice", "multiple_choice"}:
        return (options.get("choices") or [""])[0]
    if spec["type"] == "yes_no":
        return options.get("yes_label") or "是"
    if spec["type"] == "region":
        return _("(region name)")
    return spec["label"]


def template_xlsx(page):
    """Return the import template of ``page`` as XLSX bytes: labels, then one example row."""
    from .exports.writers import XlsxWriter

    fields = importable_fields(page.schema)
    buffer = BytesIO()
    writer = XlsxWriter(buffer)
    sheet = writer.add_sheet(page.title, fixed_labels() + [spec["label"] for spec in fields])
    sheet.add(["", _("(organisation name)"), _("(region name)")] + [example_cell(spec) for spec in fields])
    writer.close()
    return buffer.getvalue()


# --- reading -------------------------------------------------------------------------------------


def read_rows(content, name=""):
    """Return the first sheet as a list of rows (lists of cells), header first."""
    is_workbook = content.startswith((b"PK", b"\xd0\xcf"))  # XLSX (zip) or XLS (OLE)
    if not is_workbook or name.lower().endswith(".csv"):
        return read_csv(content)
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - calamine is in the requirements; openpyxl is the fallback
        return read_openpyxl(content)
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(content))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:
        raise ImportFileError(_("This file cannot be read as a spreadsheet (XLSX, XLS or CSV).")) from error


def read_openpyxl(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(_("This file cannot be read as a spreadsheet (XLSX, XLS or CSV).")) from error
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def read_csv(content):
    import csv
    import io

    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("This CSV file is neither UTF-8 nor GB18030 text."))
    return list(csv.reader(io.StringIO(text, newline="")))


# --- one row → form data -------------------------------------------------------------------------


def cell_text(cell):
    """Return a cell as the text a person would have typed."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    return (
        text[1:] if text.startswith("'") and text[1:2] in {"=", "+", "-", "@"} else text
    )  # our export's escape


def choice_parts(text, other_label):
    """Split "国家级" or "其他（区级）" into (label, other text)."""
    match = OTHER_TEXT.match(text)
    if match and match.group("label") == other_label:
        return other_label, match.group("other").strip()
    return text, ""


def field_data(spec, text, prefix, regions):
    """Return the POST data for one field from its cell text, as the field's widget would send it."""
    name = f"{prefix}-{spec['key']}"
    kind, options = spec["type"], spec.get("options", {})
    if not text:
        return {}
    if kind == "single_choice":
        label, other = choice_parts(text, options.get("other_label") or "其他")
        return {f"{name}_0": label, f"{name}_1": other}
    if kind == "multiple_choice":
        labels, others = [], []
        for part in LIST_SPLIT.split(text):
            label, other = choice_parts(part, options.get("other_label") or "其他")
            labels.append(label)
            if other:
                others.append(other)
        return {f"{name}_0": labels, f"{name}_1": "；".join(others)}
    if kind == "id_number":
        names = {str(label): code for code, label in DOCUMENT_TYPES}
        doc_type, number = "", text
        for label, code in names.items():
            if text.startswith(label):
                doc_type, number = code, text[len(label) :].strip()
        return {f"{name}_0": doc_type, f"{name}_1": number}
    if kind == "date_range":
        parts = RANGE_SPLIT.split(text, maxsplit=1)
        return {f"{name}_0": parts[0], f"{name}_1": parts[1] if len(parts) > 1 else ""}
    if kind == "yes_no":
        lowered = text.lower()
        yes = {options.get("yes_label") or "是", *YES}
        no = {options.get("no_label") or "否", *NO}
        return {name: "yes" if lowered in yes else "no" if lowered in no else text}
    if kind == "region":
        code = regions.get(text, text)
        return {name: code}
    return {name: text}


class RowResult:
    """One row of the file: what it becomes, or what is wrong with it."""

    def __init__(self, number):
        self.number = number
        self.errors = []  # (column label, message)
        self.answers = {}
        self.reference = ""
        self.organisation = ""
        self.region = None

    def add_error(self, column, message):
        self.errors.append((column, message))


def check_rows(page, rows, access, version=None):
    """Validate the data rows of ``rows`` (header first) for ``page``; return ``(results, header errors)``.

    Header errors (missing columns) stop the import; columns the form does not have are only
    reported (``ignored_columns``), so that an export of the list can be imported back.
    """
    from django.http import QueryDict

    schema = (version or page).schema
    builder = page.get_form_builder()
    fields = importable_fields(schema)
    labels = fixed_labels() + [spec["label"] for spec in fields]
    if not rows:
        return [], [_("The file is empty.")]
    header = [cell_text(c) for c in rows[0]]
    missing = [label for label in labels[1:] if label not in header]
    header_errors = []
    if missing:
        header_errors.append(
            _("Columns missing: %(labels)s. Start from the template.") % {"labels": "、".join(missing)}
        )
    if missing:
        return [], header_errors
    index = {label: header.index(label) for label in labels if label in header}
    allowed_regions = {r.name: r for r in access_regions(access)}
    region_codes = {r.name: r.code for r in Region.objects.all()}
    # One form class per step for the whole file; each row only binds its data.
    form_classes = {step["key"]: builder.get_form_class(step) for step in schema.steps}
    imported_keys = {spec["key"] for spec in fields}
    results = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {label: cell_text(row[i]) if i < len(row) else "" for label, i in index.items()}
        if not any(cells.values()):
            continue  # blank line
        result = RowResult(number)
        result.reference = cells.get(_("Reference"), "")
        result.organisation = cells[_("Organisation")]
        if not result.organisation:
            result.add_error(_("Organisation"), _("Name the organisation that applies."))
        region = allowed_regions.get(cells[_("Region")])
        if region is None:
            result.add_error(
                _("Region"), _("“%(name)s” is not a region you review.") % {"name": cells[_("Region")]}
            )
        result.region = region
        answers = {}
        for step in schema.steps:
            if not schema.step_visible(step, answers):
                continue
            data = QueryDict(mutable=True)
            step_fields = [s for s in step["fields"] if s.get("key") in imported_keys]
            for spec in step_fields:
                for key, value in field_data(spec, cells[spec["label"]], step["key"], region_codes).items():
                    data.setlist(key, value if isinstance(value, list) else [value])
            form = form_classes[step["key"]](data, prefix=step["key"], answers=answers)
            for key in [k for k in form.fields if k not in imported_keys]:
                del form.fields[key]  # tables and files: given online later, not in a spreadsheet row
            if form.is_valid():
                answers.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "", [], {})})
            else:
                for key, messages in form.errors.items():
                    spec = schema.get_field(key) if key != "__all__" else None
                    column = spec["label"] if spec else step["title"]
                    for message in messages:
                        result.add_error(column, message)
        result.answers = answers
        results.append(result)
    return results, header_errors


def ignored_columns(page, rows):
    """Return the header cells of ``rows`` that the import leaves out (e.g. status, submitted at)."""
    labels = set(fixed_labels()) | {spec["label"] for spec in importable_fields(page.schema)}
    return [cell_text(c) for c in (rows[0] if rows else []) if cell_text(c) and cell_text(c) not in labels]


def importing_desk(access, region):
    """Return the importer's nearest desk covering ``region`` (``region`` itself for administrators)."""
    from .review.access import ancestors

    if access.is_superuser:
        return region
    chain = [region, *ancestors(region)]
    for candidate in chain:
        if candidate.pk in access.region_ids:
            return candidate
    return region


def access_regions(access):
    """Return the regions whose submissions ``access`` may import: its desks' regions and below."""
    from .review.access import subtree_q

    if access.is_superuser:
        return Region.objects.all()
    condition = None
    for region in access.regions:
        condition = subtree_q(region, None) if condition is None else condition | subtree_q(region, None)
    return Region.objects.filter(condition) if condition is not None else Region.objects.none()


# --- saving --------------------------------------------------------------------------------------


def source_key(content):
    return hashlib.sha256(content).hexdigest()[:32]


@transaction.atomic
def save_rows(page, results, user, access, file_key):
    """Create or update one submission per row, all in one transaction; return ``(created, updated)``.

    Work is done in bulk: organisations, existing submissions and new references are each fetched or
    made with a handful of queries, whatever the number of rows.
    """
    if any(result.errors for result in results):
        raise ValueError("rows with errors cannot be saved")
    version = FormVersion.objects.latest_for(page) or FormVersion.objects.record(page)
    now = timezone.now()
    organisations = ensure_organisations({(r.organisation, r.region.pk): r.region for r in results})
    visible = access.submissions(Submission.objects.filter(page=page))
    sources = {result.number: f"{file_key}:{result.number}" for result in results}
    existing = {
        **{s.import_source: s for s in visible.filter(import_source__in=sources.values())},
        **{
            s.reference: s
            for s in visible.filter(reference__in=[r.reference for r in results if r.reference])
        },
    }
    for result in results:
        if result.reference and result.reference not in existing:
            raise ValueError(f"row {result.number}: unknown reference")
    new_rows = [r for r in results if (r.reference or sources[r.number]) not in existing]
    references = iter(Submission.objects.issue_references(page, len(new_rows), now))
    to_create, to_update, notes = [], [], []
    for result in results:
        fields = {
            "answers": result.answers,
            "form_version": version,
            "organisation": organisations[(result.organisation, result.region.pk)],
            "region": result.region,
            "search_text": search_words(version.schema, result.answers),
            "imported_by": user,
            "imported_at": now,
        }
        submission = existing.get(result.reference or sources[result.number])
        if submission is None:
            # Paper applications are handled by the desk that imports them, not sent back down.
            submission = Submission(
                page=page,
                reference=next(references),
                import_source=sources[result.number],
                submitted_at=now,
                stage_region=importing_desk(access, result.region),
                **fields,
            )
            to_create.append(submission)
            notes.append((submission, "", _("Imported from a file (row %(n)s).") % {"n": result.number}))
        else:
            for name, value in fields.items():
                setattr(submission, name, value)
            submission.revision += 1
            submission.updated_at = now  # bulk_update does not apply auto_now
            to_update.append(submission)
            text = _("Updated from a file (row %(n)s).") % {"n": result.number}
            notes.append((submission, submission.status, text))
    Submission.objects.bulk_create(to_create, batch_size=1000)
    Submission.objects.bulk_update(
        to_update,
        ["answers", "form_version", "organisation", "region", "search_text", "imported_by", "imported_at",
         "revision", "updated_at"],
        batch_size=1000,
    )  # fmt: skip
    SubmissionEvent.objects.bulk_create(
        [
            SubmissionEvent(
                submission=submission,
                actor=user,
                from_status=previous,
                to_status=submission.status,
                revision=submission.revision,
                text=text,
                desk=submission.stage_region,
                created_at=now,
            )
            for submission, previous, text in notes
        ],
        batch_size=1000,
    )
    return len(to_create), len(to_update)


def ensure_organisations(wanted):
    """Return ``{(name, region id): Organisation}`` for ``wanted``, creating the missing ones at once."""
    names = {name for name, _region in wanted}
    found = {
        (o.name, o.region_id): o
        for o in Organisation.objects.filter(
            name__in=names, region__in={r.pk for r in wanted.values()}
        ).order_by("pk")
    }
    missing = [
        Organisation(name=name, region=region)
        for (name, _rid), region in wanted.items()
        if (name, _rid) not in found
    ]
    for organisation in Organisation.objects.bulk_create(missing):
        found[(organisation.name, organisation.region_id)] = organisation
    return found
