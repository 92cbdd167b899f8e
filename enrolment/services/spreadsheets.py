"""Bulk enrolment from an uploaded XLSX: all rows checked first, then all saved, or nothing.

The file itself goes through the checks every upload shares (workbooks.py: size, zip
structure, macros, links, unpacked size, cells, damage), bounded by this import's rows and
columns. Formula cells are refused rather than evaluated:
their cached value is whatever the last program to save the file said, not what the
coordinator sees.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from courses.models import CourseRun
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus, Learner, normalise_phone
from enrolment.services.enrolling import (
    enrolment_create,
    learner_check_eligible,
    run_check_open,
)
from enrolment.services.workbooks import (
    MAX_BYTES,
    BoundedSheet,
    FileRefused,
    XlsxLimits,
    cell_text,
    is_formula,
    xlsx_upload_read,
)

MAX_ROWS = 500
# Rows read at most, blank ones included: a sheet "used" down to row 1,048,576 is refused
# quickly instead of being walked.
MAX_SHEET_ROWS = 20 * MAX_ROWS
# Columns read: learner and run, and room for a coordinator's own notes beside them.
MAX_COLUMNS = 50
HEADINGS = ("learner", "run")
LEARNER_ID = re.compile(r"^L\s*-?\s*(\d+)$", re.IGNORECASE)


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


class _Refused(FileRefused):
    """Refused with a problem that names a row."""

    def __init__(self, problem: ImportProblem):
        super().__init__(problem.message)
        self.problem = problem


# --- reading the file -------------------------------------------------------------------------


def import_limits() -> XlsxLimits:
    return XlsxLimits(
        max_rows=MAX_SHEET_ROWS + 1,  # one more than allowed, to see that there are more
        max_columns=MAX_COLUMNS,
        max_cells=(MAX_ROWS + 1) * MAX_COLUMNS,
        max_bytes=MAX_BYTES,
        hint=_("Copy the two columns into the template."),
    )


def _read_sheet(sheet: BoundedSheet) -> tuple[list[_Row], list[ImportProblem], dict[str, str]]:
    if sheet.max_column > MAX_COLUMNS:
        raise _Refused(
            ImportProblem(
                _(
                    "The sheet has values beyond column %(last)s. Keep the learner and run "
                    "columns and delete the columns far to the right."
                )
                % {"last": get_column_letter(MAX_COLUMNS)}
            )
        )
    rows_iter = sheet.rows()
    header = next(rows_iter, None)
    if header is None:
        raise _Refused(ImportProblem(_("The sheet is empty: it has no headings and no rows.")))

    problems: list[ImportProblem] = []
    columns: dict[str, int] = {}
    names: dict[int, str] = {}
    for index, cell in enumerate(header):
        if is_formula(cell):
            problems.append(_formula(1, index, cell_text(cell.value), ""))
            continue
        heading = cell_text(cell.value).lower()
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
        if not any(cell_text(cell.value) for cell in cells):
            continue  # blank lines between blocks are harmless
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise _Refused(_too_many_rows())
        row_problems = [
            _formula(number, index, cell_text(cell.value), names.get(index, ""))
            for index, cell in enumerate(cells)
            if is_formula(cell)
        ]
        if row_problems:
            problems += row_problems
            continue
        values = {
            heading: cell_text(cells[index].value) if index < len(cells) else ""
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
        # Finding a number on file, not storing one: an older, looser check may have let it in.
        phone = normalise_phone(raw, strict=False)
        return ("phone", phone) if phone else None
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
        rows, problems, letters = xlsx_upload_read(
            file=file, limits=import_limits(), read=_read_sheet
        )
    except _Refused as refused:
        return ImportResult(problems=[refused.problem])
    except FileRefused as refused:
        return ImportResult(problems=[ImportProblem(refused.message)])

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
