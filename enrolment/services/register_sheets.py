"""A run's paper register: learners as rows, classes as columns, out as XLSX or print, back in.

The download lists everyone who held a seat at any scheduled class of the run, with the marks
already saved (P, L, E, A) and a drop-down of those four letters in every cell. A cancelled
class has no register, so it has no column, in the download or the upload. Grey cells are
classes a learner was not enrolled for.

The upload is checked whole before anything is written: the file itself (workbooks.py), the
headings exactly as downloaded, every learner id, every code, every formula. Each problem
names its cell. Only then are the marks saved, a class at a time through register_mark, in
one transaction: all or nothing. An empty cell means "not marked here": it never removes a
mark, and a saved note is kept. Uploading the same file again changes nothing.
"""

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

import openpyxl
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cms.exports import neutralise
from courses.choices import SessionStatus
from courses.models import CourseRun, Session
from enrolment.models import (
    ATTENDANCE_CODES,
    CODE_FOR_STATUS,
    Attendance,
    Enrolment,
)
from enrolment.services.registers import (
    Mark,
    RegisterError,
    held_seat,
    register_check_can_mark,
    register_mark,
    session_ends_at,
    session_starts_at,
)
from enrolment.services.workbooks import (
    MAX_BYTES,
    MAX_UNPACKED_BYTES,
    FileRefused,
    cell_text,
    is_formula,
    upload_read,
    xlsx_check_package,
    xlsx_read,
)

# The first two headings, in English in the file whatever the language of the page, so that a
# register downloaded in one language can be uploaded in another; the translation is accepted.
ID_HEADING = gettext_noop("ID")
NAME_HEADING = gettext_noop("Learner")
FIRST_MARK_COLUMN = 3  # C: columns A and B hold the id and the name
CODES = ", ".join(ATTENDANCE_CODES)  # "P, L, E, A"
# A run seats at most 500; with learners who came and went a register can be longer.
MAX_ROWS = 1000
# Rows read at most, blank ones included: a sheet "used" down to row 1,048,576 is refused
# quickly instead of being walked.
MAX_SHEET_ROWS = 5 * MAX_ROWS
# Columns read after the last class, where stray values are looked for; further right is not
# read at all (a row padded out to column XFD would cost 16,384 cells).
EXTRA_COLUMNS = 20
LEARNER_ID = re.compile(r"^E\s*(\d+)$", re.IGNORECASE)
CHUNK = 500  # learners whose marks are read in one query when writing a register

HEADING_FONT = Font(bold=True)
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
MARK_ALIGNMENT = Alignment(horizontal="center")
NOT_ON_REGISTER = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")


# --- what is on the register ------------------------------------------------------------------


def register_sessions(*, run: CourseRun) -> list[Session]:
    """The classes on the paper register: every scheduled one, in time order."""
    return list(
        run.sessions.filter(status=SessionStatus.SCHEDULED)
        .select_related("run")
        .order_by("date", "start_time", "pk")
    )


def session_heading(session: Session) -> str:
    return f"{session.date:%Y-%m-%d} {session.start_time:%H:%M}"


def session_headings(sessions: list[Session]) -> list[str]:
    """One heading per class, "2026-11-23 18:30"; two classes at the same time (a moved one
    landing on another) are told apart as "2026-11-23 18:30 (2)"."""
    seen: dict[str, int] = {}
    headings = []
    for session in sessions:
        heading = session_heading(session)
        seen[heading] = seen.get(heading, 0) + 1
        headings.append(heading if seen[heading] == 1 else f"{heading} ({seen[heading]})")
    return headings


def learner_code(enrolment: Enrolment) -> str:
    return f"E{enrolment.pk}"


@dataclass(frozen=True)
class GridCell:
    session: Session
    code: str  # P, L, E, A, or "" when not marked
    on_register: bool  # held a seat at this class, or is marked for it


@dataclass(frozen=True)
class GridRow:
    enrolment: Enrolment
    cells: list[GridCell]

    @property
    def code(self) -> str:
        return learner_code(self.enrolment)

    @property
    def name(self) -> str:
        return self.enrolment.learner.preferred_name


def _register_enrolments(run: CourseRun, sessions: list[Session]):
    """Everyone who may be on the register of one of `sessions`; a superset that held_seat
    narrows per class (the same rule as registers.register_enrolments)."""
    first_start = min(session_starts_at(s) for s in sessions)
    last_end = max(session_ends_at(s) for s in sessions)
    held_some_seat = Q(enrolled_at__isnull=False, enrolled_at__lt=last_end) & (
        Q(left_at__isnull=True) | Q(left_at__gt=first_start)
    )
    marked = Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), session__in=sessions))
    return (
        Enrolment.objects.filter(run=run)
        .filter(held_some_seat | marked)
        .select_related("learner")
        .order_by("learner__preferred_name", "pk")
    )


def register_grid_rows(*, run: CourseRun, sessions: list[Session]) -> Iterator[GridRow]:
    """The register's rows, in name order, read a chunk of learners at a time so that a large
    run never holds every learner and mark in memory at once."""
    if not sessions:
        return
    enrolments = _register_enrolments(run, sessions).iterator(chunk_size=CHUNK)
    while chunk := list(islice(enrolments, CHUNK)):
        codes = {
            (enrolment_id, session_id): CODE_FOR_STATUS[status]
            for enrolment_id, session_id, status in Attendance.objects.filter(
                enrolment__in=[e.pk for e in chunk], session__in=sessions
            ).values_list("enrolment_id", "session_id", "status")
        }
        for enrolment in chunk:
            cells = []
            for session in sessions:
                code = codes.get((enrolment.pk, session.pk), "")
                on_register = bool(code) or held_seat(enrolment, session=session)
                cells.append(GridCell(session=session, code=code, on_register=on_register))
            if any(cell.on_register for cell in cells):
                yield GridRow(enrolment=enrolment, cells=cells)


# --- the download -----------------------------------------------------------------------------


def register_key_lines(*, run: CourseRun) -> list[str]:
    """What the Key sheet (and the upload page) says about filling in a register."""
    return [
        _("How to fill in the register of %(code)s") % {"code": run.code},
        _("One letter per learner and class: P present, L late, E excused, A absent."),
        _("Lower case letters are fine: p is read as P."),
        _(
            "Leave a cell empty if you did not take that register. An empty cell never "
            "removes a mark that is already saved."
        ),
        _("Grey cells: the learner was not enrolled at that class. Leave them empty."),
        _(
            "Do not change the headings in row 1, the learner ids in column A or the order of "
            "the columns, and do not add columns or learners. Type letters, not formulas."
        ),
        _("Teachers can mark only classes that have started; coordinators can correct any class."),
        _(
            "Upload the file on the Teach page. Nothing is saved unless every cell is right; "
            "uploading the same file again changes nothing."
        ),
    ]


def register_workbook_write(*, run: CourseRun, output) -> None:
    """Write the run's register as XLSX into a binary file-like object.

    Rows are streamed (openpyxl's write-only mode): memory stays small however many learners.
    """
    sessions = register_sessions(run=run)
    headings = session_headings(sessions)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register")[:31])
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 24
    for index in range(len(sessions)):
        sheet.column_dimensions[get_column_letter(FIRST_MARK_COLUMN + index)].width = 11
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "1:1"

    def heading(text):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = HEADING_FONT, HEADING_ALIGNMENT
        return cell

    sheet.append([heading(ID_HEADING), heading(NAME_HEADING), *map(heading, headings)])
    rows = 0
    for row in register_grid_rows(run=run, sessions=sessions):
        rows += 1
        values = [row.code, neutralise(row.name)]
        for grid_cell in row.cells:
            cell = WriteOnlyCell(sheet, value=grid_cell.code or None)
            cell.alignment = MARK_ALIGNMENT
            if not grid_cell.on_register:
                cell.fill = NOT_ON_REGISTER
            values.append(cell)
        sheet.append(values)

    if sessions:
        validation = DataValidation(
            type="list",
            formula1=f'"{",".join(ATTENDANCE_CODES)}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not a register mark")[:32],
            error=_("Type P, L, E or A, or leave the cell empty."),
            showInputMessage=True,
            promptTitle=_("Mark")[:32],
            prompt=_("P present, L late, E excused, A absent"),
        )
        first = get_column_letter(FIRST_MARK_COLUMN)
        last = get_column_letter(FIRST_MARK_COLUMN + len(sessions) - 1)
        validation.add(f"{first}2:{last}{max(rows + 1, 2)}")
        sheet.data_validations.append(validation)

    key = workbook.create_sheet(_("Key")[:31])
    key.column_dimensions["A"].width = 12
    key.column_dimensions["B"].width = 90
    key.append([neutralise(run.code), neutralise(run.course.title)])
    key.append([])
    key.append([heading(_("Code")), heading(_("Meaning"))])
    for code, status in ATTENDANCE_CODES.items():
        key.append([code, str(status.label)])
    key.append([])
    for line in register_key_lines(run=run):
        key.append(["", line])
    workbook.save(output)


def register_workbook(*, run: CourseRun) -> bytes:
    output = io.BytesIO()
    register_workbook_write(run=run, output=output)
    return output.getvalue()


def register_filename(*, run: CourseRun) -> str:
    return f"register-{run.code}.xlsx"


# --- the upload -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    """Why the file, or one cell of it, cannot be imported."""

    message: str
    cell: str = ""  # e.g. "D7"
    context: str = ""  # e.g. the class the cell is for

    @property
    def sort_key(self) -> tuple[int, int]:
        match = re.match(r"([A-Z]+)(\d+)$", self.cell)
        if not match:
            return (0, 0)
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        return (int(match.group(2)), column)

    def __str__(self) -> str:
        values = {"cell": self.cell, "context": self.context, "message": self.message}
        if self.cell and self.context:
            return _("Cell %(cell)s (%(context)s): %(message)s") % values
        if self.cell:
            return _("Cell %(cell)s: %(message)s") % values
        return self.message


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def marked(self) -> int:
        return self.created + self.changed + self.unchanged

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]


@dataclass
class _Line:
    number: int  # the sheet's row number
    id_raw: str
    marks: dict[int, str]  # session index -> code
    id_refused: bool = False  # the id cell has a problem of its own already


def _heading_text(value) -> str:
    # A heading retyped by hand may have become a date and time in Excel.
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return cell_text(value)


def _check_headings(header, headings: list[str]) -> list[CellProblem]:
    problems = []
    fixed = [(ID_HEADING, _(ID_HEADING)), (NAME_HEADING, _(NAME_HEADING))]
    for index, (source, translated) in enumerate(fixed):
        cell = header[index] if index < len(header) else None
        if is_formula(cell):
            continue  # reported as a formula
        text = _heading_text(cell.value) if cell is not None else ""
        if text not in (source, translated):
            problems.append(
                CellProblem(
                    _("expected the heading “%(expected)s”, found “%(found)s”.")
                    % {"expected": translated, "found": text[:40]},
                    cell=f"{get_column_letter(index + 1)}1",
                )
            )
    for index, expected in enumerate(headings):
        column = FIRST_MARK_COLUMN - 1 + index
        cell = header[column] if column < len(header) else None
        text = _heading_text(cell.value) if cell is not None else ""
        if text == expected or is_formula(cell):
            continue
        where = f"{get_column_letter(column + 1)}1"
        if not text:
            message = _(
                "the column of the class on %(expected)s is missing. Keep every column of the "
                "downloaded register."
            ) % {"expected": expected}
        elif text in headings:
            message = _(
                "expected the class on %(expected)s here, found %(found)s. Keep the columns "
                "in the order of the downloaded register."
            ) % {"expected": expected, "found": text}
        else:
            message = _(
                "expected the class on %(expected)s, found “%(found)s”. The classes may have "
                "changed since you downloaded the register: download it again."
            ) % {"expected": expected, "found": text[:40]}
        problems.append(CellProblem(message, cell=where))
    width = FIRST_MARK_COLUMN - 1 + len(headings)
    for column in range(width, len(header)):
        text = _heading_text(header[column].value)
        if text and not is_formula(header[column]):
            problems.append(
                CellProblem(
                    _(
                        "“%(found)s” is not a class on this register. Remove the column: "
                        "the register ends at column %(last)s."
                    )
                    % {"found": text[:40], "last": get_column_letter(width)},
                    cell=f"{get_column_letter(column + 1)}1",
                )
            )
    return problems


def _too_many_rows() -> FileRefused:
    return FileRefused(
        _("The register has more than %(max)d rows; no class has that many learners.")
        % {"max": MAX_ROWS}
    )


def _read_register(workbook, headings: list[str]) -> tuple[list[_Line] | None, list[CellProblem]]:
    """The rows of the sheet, and the problems found reading them; no rows at all when the
    headings are wrong, since then no column can be trusted to be the class it says."""
    sheet = workbook.worksheets[0]
    width = FIRST_MARK_COLUMN - 1 + len(headings)
    read_width = width + EXTRA_COLUMNS
    rows = sheet.iter_rows(min_row=1, max_row=MAX_SHEET_ROWS + 1, max_col=read_width)
    header = next(rows, None)
    if header is None or not any(cell_text(cell.value) for cell in header):
        raise FileRefused(_("The sheet is empty: it has no headings. Download the register again."))
    problems = [
        CellProblem(_formula_message(cell.value), cell=f"{get_column_letter(i + 1)}1")
        for i, cell in enumerate(header)
        if is_formula(cell)
    ]
    problems += _check_headings(header, headings)
    if problems:
        return None, problems  # the columns cannot be trusted: nothing below is read
    if (sheet.max_column or 0) > read_width:
        problems.append(
            CellProblem(
                _(
                    "The sheet has values far to the right of the register (up to column "
                    "%(column)s). Remove them: the register ends at column %(last)s."
                )
                % {
                    "column": get_column_letter(sheet.max_column),
                    "last": get_column_letter(width),
                }
            )
        )

    lines: list[_Line] = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows()
        if not any(cell_text(cell.value) or is_formula(cell) for cell in cells):
            continue  # blank lines are harmless
        if len(lines) >= MAX_ROWS:
            raise _too_many_rows()
        line = _Line(number=number, id_raw="", marks={})
        for index, cell in enumerate(cells):
            where = f"{get_column_letter(index + 1)}{number}"
            if is_formula(cell):
                problems.append(CellProblem(_formula_message(cell.value), cell=where))
                line.id_refused = line.id_refused or index == 0
                continue
            if index == 0:
                line.id_raw = cell_text(cell.value)
            elif index == 1:
                continue  # the name is for the reader; the id says who it is
            elif index < width:
                if (code := _code(cell.value, where, problems)) is not None:
                    line.marks[index - (FIRST_MARK_COLUMN - 1)] = code
            elif cell_text(cell.value):
                problems.append(
                    CellProblem(
                        _(
                            "this cell is outside the register, which ends at column "
                            "%(last)s. Leave it empty."
                        )
                        % {"last": get_column_letter(width)},
                        cell=where,
                    )
                )
        lines.append(line)
    return lines, problems


def _formula_message(value) -> str:
    return _("this cell holds a formula (%(formula)s). Type the value itself instead.") % {
        "formula": cell_text(value)[:40]
    }


def _code(value, where: str, problems: list[CellProblem]) -> str | None:
    """The mark a cell holds: a code, None when empty, or a problem."""
    text = cell_text(value)
    if not text:
        return None
    code = text.upper() if isinstance(value, str) else ""
    if code not in ATTENDANCE_CODES:
        problems.append(
            CellProblem(
                _("“%(value)s” is not one of %(codes)s.") % {"value": text[:20], "codes": CODES},
                cell=where,
            )
        )
        return None
    return code


def register_import(
    *, run: CourseRun, file, by: AbstractBaseUser, now: dt.datetime | None = None
) -> ImportResult:
    """Save the marks of a filled-in paper register of `run`, or none of them.

    Problems are reported by cell: changed or missing headings, unknown learner ids, a mark
    for someone not on that class's register, codes other than P, L, E, A (lower case is
    accepted), formulas, and marks a teacher may not make (a class that has not started).
    A mark that is already saved may stay in any column, so an unchanged file always goes
    back in cleanly.
    """
    now = now or timezone.now()
    sessions = register_sessions(run=run)
    headings = session_headings(sessions)
    try:
        data = upload_read(file, max_bytes=MAX_BYTES)
        xlsx_check_package(
            name=getattr(file, "name", "") or "",
            data=data,
            max_unpacked_bytes=MAX_UNPACKED_BYTES,
            unpacked_hint=_("Download the register again and fill that in."),
        )
        lines, problems = xlsx_read(data, lambda workbook: _read_register(workbook, headings))
    except FileRefused as refused:
        return ImportResult(problems=[CellProblem(refused.message)])
    if lines is None:
        return _refused(problems)

    # Who each row is.
    wanted = {int(m.group(1)) for line in lines if (m := LEARNER_ID.match(line.id_raw))}
    enrolments = {
        e.pk: e for e in Enrolment.objects.filter(run=run, pk__in=wanted).select_related("learner")
    }
    existing = {
        (enrolment_id, session_id): (status, note)
        for enrolment_id, session_id, status, note in Attendance.objects.filter(
            enrolment__in=list(enrolments), session__in=sessions
        ).values_list("enrolment_id", "session_id", "status", "note")
    }
    first_row: dict[int, int] = {}
    marks: dict[int, dict[int, Mark]] = {}  # session index -> enrolment id -> mark
    changes: dict[int, list[str]] = {}  # session index -> cells that change a saved mark
    for line in lines:
        match = LEARNER_ID.match(line.id_raw)
        where = f"A{line.number}"
        if line.id_refused:
            continue
        if not line.id_raw:
            problems.append(
                CellProblem(
                    _(
                        "the learner id is missing. Keep the ids of the downloaded register; "
                        "add learners on the website, not in the sheet."
                    ),
                    cell=where,
                )
            )
            continue
        if not match or int(match.group(1)) not in enrolments:
            problems.append(
                CellProblem(
                    _(
                        "“%(id)s” is not a learner of %(code)s. Keep the ids of the downloaded "
                        "register."
                    )
                    % {"id": line.id_raw[:20], "code": run.code},
                    cell=where,
                )
            )
            continue
        enrolment = enrolments[int(match.group(1))]
        if enrolment.pk in first_row:
            problems.append(
                CellProblem(
                    _("%(id)s is on row %(row)d already. Keep one row per learner.")
                    % {"id": learner_code(enrolment), "row": first_row[enrolment.pk]},
                    cell=where,
                )
            )
            continue
        first_row[enrolment.pk] = line.number
        for index, code in line.marks.items():
            session = sessions[index]
            where = f"{get_column_letter(FIRST_MARK_COLUMN + index)}{line.number}"
            saved = existing.get((enrolment.pk, session.pk))
            if saved is None and not held_seat(enrolment, session=session):
                problems.append(
                    CellProblem(
                        _(
                            "%(name)s was not enrolled at the class on %(session)s, so is not "
                            "on its register. Leave the cell empty."
                        )
                        % {"name": enrolment.learner.preferred_name, "session": headings[index]},
                        cell=where,
                    )
                )
                continue
            status = ATTENDANCE_CODES[code]
            marks.setdefault(index, {})[enrolment.pk] = Mark(status, saved[1] if saved else "")
            if saved is None or saved[0] != status:
                changes.setdefault(index, []).append(where)

    # Whether this person may make the changes: the same rule as the register page.
    for index, cells in changes.items():
        try:
            register_check_can_mark(user=by, session=sessions[index], now=now)
        except RegisterError as error:
            context = _("class on %(session)s") % {"session": headings[index]}
            problems += [CellProblem(error.message, cell=c, context=context) for c in cells]
    if problems:
        return _refused(problems)

    result = ImportResult()
    try:
        with transaction.atomic():
            for index, session_marks in marks.items():
                if index not in changes:
                    result.unchanged += len(session_marks)
                    continue
                saved = register_mark(session=sessions[index], marks=session_marks, by=by, now=now)
                result.created += saved.created
                result.changed += saved.changed
                result.unchanged += saved.unchanged
    except RegisterError as error:
        # The register changed between the checks and the save (a learner withdrew, a class
        # was cancelled): the transaction undid every class saved so far.
        return ImportResult(
            problems=[CellProblem(_("%(message)s Nothing was saved.") % {"message": error.message})]
        )
    return result


def _refused(problems: list[CellProblem]) -> ImportResult:
    return ImportResult(problems=sorted(problems, key=lambda problem: problem.sort_key))
