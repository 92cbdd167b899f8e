"""Bulk enrolment from an uploaded XLSX: all rows checked first, then all saved, or nothing.

A spreadsheet from outside is untrusted input. Before openpyxl parses it, the raw bytes are
checked: size, zip structure, macros (a .xlsm renamed to .xlsx still declares its macro
content type and carries a vbaProject part) and the unpacked size (a small zip can inflate to
gigabytes). Formula cells are refused rather than evaluated: their cached value is whatever
the last program to save the file said, not what the coordinator sees.
"""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from courses.models import CourseRun
from enrolment.models import Enrolment, EnrolmentStatus, Learner, normalise_phone
from enrolment.services.enrolling import (
    enrolment_create,
    learner_check_eligible,
    run_check_open,
)
from enrolment.services.errors import EnrolmentError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
# Rows read at most, blank ones included: a sheet "used" down to row 1,048,576 is refused
# quickly instead of being walked.
MAX_SHEET_ROWS = 20 * MAX_ROWS
# A legitimate 500-row sheet unpacks to well under a megabyte; anything far beyond is a bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
HEADINGS = ("learner", "run")
LEARNER_ID = re.compile(r"^L\s*-?\s*(\d+)$", re.IGNORECASE)
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")


@dataclass(frozen=True)
class ImportProblem:
    """Why the file, or one row of it, cannot be imported."""

    message: str
    row: int | None = None
    column: str = ""  # letter, e.g. "B"
    heading: str = ""

    def __str__(self) -> str:
        values = {
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "message": self.message,
        }
        if self.row is not None and self.column and self.heading:
            return _("Row %(row)d, column %(column)s (%(heading)s): %(message)s") % values
        if self.row is not None and self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % values
        if self.row is not None:
            return _("Row %(row)d: %(message)s") % values
        return self.message


@dataclass
class ImportResult:
    enrolments: list[Enrolment] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def count(self, status: str) -> int:
        return sum(1 for enrolment in self.enrolments if enrolment.status == status)


@dataclass
class _Row:
    number: int
    learner_raw: str
    run_raw: str
    learner: Learner | None = None
    run: CourseRun | None = None


class _Refused(Exception):
    def __init__(self, problem: ImportProblem):
        self.problem = problem


# --- the template -----------------------------------------------------------------------------


def enrolments_import_template() -> bytes:
    """An empty workbook with the two headings, and a second sheet that explains them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Enrolments")[:31]
    sheet.append(list(HEADINGS))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 28
    help_sheet = workbook.create_sheet(_("How to fill in")[:31])
    for line in import_instructions():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def import_instructions() -> list[str]:
    return [
        _("Keep the headings of the first sheet: learner in column A, run in column B."),
        _(
            "learner: the learner's phone number in any format (9123 4567, +852 9123 4567), "
            "their email address, or their learner number such as L123."
        ),
        _("run: the class code exactly as in the timetable, e.g. ENG-A1-2026T3-A."),
        _("One learner and class per row; at most %(rows)d rows; type values, no formulas.")
        % {"rows": MAX_ROWS},
        _("Only the first sheet is read. Nothing is saved unless every row is correct."),
    ]


# --- reading the file -------------------------------------------------------------------------


def _read_bytes(file) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _Refused(_too_big())
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _Refused(_too_big())
    if not data:
        raise _Refused(ImportProblem(_("The file is empty.")))
    return data


def _too_big() -> ImportProblem:
    return ImportProblem(
        _("The file is larger than %(size)d MB. Split it into smaller files.")
        % {"size": MAX_BYTES // (1024 * 1024)}
    )


def _not_a_spreadsheet() -> ImportProblem:
    return ImportProblem(
        _(
            "This file is not an Excel spreadsheet (.xlsx) or it is damaged. "
            "Save it from Excel, LibreOffice or Google Sheets as .xlsx and try again."
        )
    )


def _macro_refused() -> ImportProblem:
    return ImportProblem(
        _(
            "Files with macros (.xlsm) are refused. Save the sheet as an ordinary "
            "Excel workbook (.xlsx) and try again."
        )
    )


def _check_package(name: str, data: bytes) -> None:
    """Refuse by name and by content: a macro workbook, a non-zip, a zip that is no workbook."""
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise _Refused(_macro_refused())
    if lower and not lower.endswith(".xlsx"):
        raise _Refused(_not_a_spreadsheet())
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _Refused(_not_a_spreadsheet())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename.lower() for info in infos}
            if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
                raise _Refused(_not_a_spreadsheet())
            if any(part.rsplit("/", 1)[-1] in MACRO_PARTS for part in names):
                raise _Refused(_macro_refused())
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise _Refused(
                    ImportProblem(
                        _(
                            "This spreadsheet unpacks to more than %(size)d MB, far more than "
                            "%(rows)d rows need. Copy the two columns into the template."
                        )
                        % {"size": MAX_UNPACKED_BYTES // (1024 * 1024), "rows": MAX_ROWS}
                    )
                )
            content_types = package.read("[Content_Types].xml").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        raise _Refused(_not_a_spreadsheet()) from None
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise _Refused(_macro_refused())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell: 91234567.0
    return str(value).strip()


def _read_rows(data: bytes) -> tuple[list[_Row], list[ImportProblem], dict[str, str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors...)
        raise _Refused(_not_a_spreadsheet()) from None
    try:
        return _read_sheet(workbook)
    except _Refused:
        raise
    except Exception:  # a damaged sheet part only shows while iterating
        raise _Refused(_not_a_spreadsheet()) from None
    finally:
        workbook.close()


def _read_sheet(workbook) -> tuple[list[_Row], list[ImportProblem], dict[str, str]]:
    if not workbook.worksheets:
        raise _Refused(_not_a_spreadsheet())
    rows_iter = workbook.worksheets[0].iter_rows()
    header = next(rows_iter, None)
    if header is None:
        raise _Refused(ImportProblem(_("The sheet is empty: it has no headings and no rows.")))

    problems: list[ImportProblem] = []
    columns: dict[str, int] = {}
    names: dict[int, str] = {}
    for index, cell in enumerate(header):
        if cell.data_type == "f":
            problems.append(_formula(1, index, _cell_text(cell.value), ""))
            continue
        heading = _cell_text(cell.value).lower()
        names[index] = heading[:40]
        if heading in HEADINGS:
            if heading in columns:
                raise _Refused(
                    ImportProblem(
                        _('The heading "%(heading)s" appears twice.') % {"heading": heading},
                        row=1,
                    )
                )
            columns[heading] = index
    missing = [heading for heading in HEADINGS if heading not in columns]
    if missing:
        raise _Refused(
            ImportProblem(
                _(
                    'The column "%(missing)s" is missing. The first row must have the '
                    "headings learner and run, as in the template."
                )
                % {"missing": '", "'.join(missing)},
                row=1,
            )
        )
    letters = {heading: get_column_letter(index + 1) for heading, index in columns.items()}

    rows: list[_Row] = []
    data_rows = 0
    for number, cells in enumerate(rows_iter, start=2):
        if number > MAX_SHEET_ROWS:
            raise _Refused(_too_many_rows())
        if not any(_cell_text(cell.value) for cell in cells):
            continue  # blank lines between blocks are harmless
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise _Refused(_too_many_rows())
        row_problems = [
            _formula(number, index, _cell_text(cell.value), names.get(index, ""))
            for index, cell in enumerate(cells)
            if cell.data_type == "f"
        ]
        if row_problems:
            problems += row_problems
            continue
        values = {
            heading: _cell_text(cells[index].value) if index < len(cells) else ""
            for heading, index in columns.items()
        }
        rows.append(_Row(number=number, learner_raw=values["learner"], run_raw=values["run"]))
    if not rows and not problems:
        raise _Refused(ImportProblem(_("The sheet has headings but no rows to import.")))
    return rows, problems, letters


def _too_many_rows() -> ImportProblem:
    return ImportProblem(
        _("The file has more than %(max)d rows. Split it into files of %(max)d rows or fewer.")
        % {"max": MAX_ROWS}
    )


def _formula(row: int, index: int, text: str, heading: str) -> ImportProblem:
    return ImportProblem(
        _("this cell holds a formula (%(formula)s). Type the value itself instead.")
        % {"formula": text[:40]},
        row=row,
        column=get_column_letter(index + 1),
        heading=heading,
    )


# --- checking the rows ------------------------------------------------------------------------


def _learner_key(raw: str) -> tuple[str, str] | None:
    """What the identifier is: ("id", "123"), ("email", "a@b.org") or ("phone", "+852...")."""
    if match := LEARNER_ID.match(raw):
        return "id", match.group(1)
    if "@" in raw:
        return "email", raw.lower()
    if re.fullmatch(r"[\d\s()+\-.]+", raw) and sum(ch.isdigit() for ch in raw) >= 7:
        return "phone", normalise_phone(raw)
    return None


def _resolve_learners(rows: list[_Row], problem) -> None:
    keys = {row.number: _learner_key(row.learner_raw) for row in rows}
    wanted: dict[str, set[str]] = {"id": set(), "email": set(), "phone": set()}
    for key in keys.values():
        if key:
            wanted[key[0]].add(key[1])
    ids = {int(pk) for pk in wanted["id"]}
    found = {("id", str(learner.pk)): [learner] for learner in Learner.objects.filter(pk__in=ids)}
    for learner in Learner.objects.filter(phone__in=wanted["phone"]):
        found.setdefault(("phone", learner.phone), []).append(learner)
    for learner in Learner.objects.filter(email__in=wanted["email"]):
        found.setdefault(("email", learner.email), []).append(learner)

    for row in rows:
        key = keys[row.number]
        if not row.learner_raw:
            problem(row, "learner", _("the learner is missing."))
        elif key is None:
            problem(
                row,
                "learner",
                _('"%(value)s" is not a phone number, an email address or a learner number.')
                % {"value": row.learner_raw[:60]},
            )
        elif not (matches := found.get(key)):
            problem(
                row, "learner", _("no learner with %(value)s.") % {"value": row.learner_raw[:60]}
            )
        elif len(matches) > 1:
            problem(
                row,
                "learner",
                _(
                    "%(count)d learners share the email %(value)s. Use their phone number "
                    "or learner number instead."
                )
                % {"count": len(matches), "value": row.learner_raw[:60]},
            )
        else:
            row.learner = matches[0]


def _resolve_runs(rows: list[_Row], problem) -> None:
    codes = {row.run_raw.upper() for row in rows if row.run_raw}
    runs = {
        run.code_upper: run
        for run in CourseRun.objects.select_related("course")
        .annotate(code_upper=Upper("code"))
        .filter(code_upper__in=codes)
    }
    for row in rows:
        if not row.run_raw:
            problem(row, "run", _("the class code is missing."))
        elif (run := runs.get(row.run_raw.upper())) is None:
            problem(row, "run", _("no class with code %(code)s.") % {"code": row.run_raw[:60]})
        else:
            row.run = run


def _already_message(learner: Learner, run: CourseRun, status: str) -> str:
    values = {"learner": learner.preferred_name, "code": run.code}
    if status == EnrolmentStatus.ENROLLED:
        return _("%(learner)s is already enrolled in %(code)s.") % values
    if status == EnrolmentStatus.WAITLISTED:
        return _("%(learner)s is already on the waitlist of %(code)s.") % values
    return _("%(learner)s has already applied for %(code)s.") % values


def _check_rows(rows: list[_Row], letters: dict[str, str], today: dt.date) -> list[ImportProblem]:
    problems: list[ImportProblem] = []

    def problem(row: _Row, heading: str, message: str) -> None:
        problems.append(
            ImportProblem(message, row=row.number, column=letters[heading], heading=heading)
        )

    _resolve_learners(rows, problem)
    _resolve_runs(rows, problem)

    complete = [row for row in rows if row.learner and row.run]
    active = {
        (learner_id, run_id): status
        for learner_id, run_id, status in Enrolment.objects.active()
        .filter(
            learner__in={row.learner.pk for row in complete},
            run__in={row.run.pk for row in complete},
        )
        .values_list("learner_id", "run_id", "status")
    }
    first_seen: dict[tuple[int, int], int] = {}
    run_problems: dict[int, str | None] = {}
    for row in complete:
        pair = (row.learner.pk, row.run.pk)
        if pair in first_seen:
            problem(
                row,
                "learner",
                _("the same learner and class as row %(row)d (a duplicate row).")
                % {"row": first_seen[pair]},
            )
            continue
        first_seen[pair] = row.number
        if row.run.pk not in run_problems:
            try:
                run_check_open(run=row.run, today=today)
                run_problems[row.run.pk] = None
            except EnrolmentError as error:
                run_problems[row.run.pk] = error.message
        if run_problems[row.run.pk]:
            problem(row, "run", f"{row.run.code}: {run_problems[row.run.pk]}")
            continue
        try:
            learner_check_eligible(learner=row.learner, run=row.run, today=today)
        except EnrolmentError as error:
            problem(row, "learner", f"{row.learner.preferred_name}: {error.message}")
            continue
        if status := active.get(pair):
            problem(row, "learner", _already_message(row.learner, row.run, status))
    problems.sort(key=lambda p: (p.row or 0, p.column))
    return problems


# --- the service ------------------------------------------------------------------------------


def enrolments_import(
    *, file, by: AbstractBaseUser | None, today: dt.date | None = None
) -> ImportResult:
    """Enrol every (learner, run) row of an uploaded XLSX, or nobody.

    Every row is checked before anything is written: the learner exists, the run exists and
    is open, the learner is eligible and not already on it, the row is not a repeat. Any
    problem means nothing is saved. Only then are the enrolments created, in one transaction,
    so that a refusal at the last moment (the database changed meanwhile) undoes them all.
    Full runs put the extra learners on their waitlists, as a single enrolment would.
    """
    today = today or timezone.localdate()
    try:
        data = _read_bytes(file)
        _check_package(getattr(file, "name", "") or "", data)
        rows, problems, letters = _read_rows(data)
    except _Refused as refused:
        return ImportResult(problems=[refused.problem])

    problems += _check_rows(rows, letters, today)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        return ImportResult(problems=problems)

    created: list[Enrolment] = []
    current = None
    try:
        with transaction.atomic():
            for current in rows:
                created.append(
                    enrolment_create(learner=current.learner, run=current.run, by=by, today=today)
                )
    except EnrolmentError as error:
        return ImportResult(
            problems=[
                ImportProblem(
                    _("%(message)s Nothing was saved.") % {"message": error.message},
                    row=current.number if current else None,
                )
            ]
        )
    return ImportResult(enrolments=created)
