"""A filled-in paper register, back in (the download is register_sheets'). The upload is
checked whole before anything is written: the file itself (workbooks.py), the headings exactly
as downloaded, every learner id, every code, every formula. Each problem names its cell. Only
then are the marks saved, a class at a time through register_mark, in one transaction: all or
nothing. An empty cell means "not marked here": it never removes a mark, and a saved note is
kept. Uploading the same file again changes nothing."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import coordinate_to_tuple, get_column_letter

from courses.models import CourseRun
from enrolment.models import ATTENDANCE_CODES, Attendance, Enrolment

# The layout the download wrote (headings, columns, codes, limits) is the one read back.
from enrolment.services import register_sheets as layout
from enrolment.services.registers import (
    KeptMark,
    Mark,
    RegisterError,
    held_seat,
    register_check_can_mark,
    register_mark,
)
from enrolment.services.workbooks import (
    BoundedSheet,
    FileRefused,
    cell_text,
    is_formula,
    xlsx_upload_read,
)


@dataclass(frozen=True)
class CellProblem:
    """Why the file, or one cell of it, cannot be imported."""

    message: str
    cell: str = ""  # e.g. "D7"
    context: str = ""  # e.g. the class the cell is for

    @property
    def sort_key(self) -> tuple[int, int]:
        return coordinate_to_tuple(self.cell) if re.match(r"[A-Z]{1,3}\d+$", self.cell) else (0, 0)

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
    kept: list[KeptMark] = field(default_factory=list)  # newer than the sheet, so not changed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def marked(self) -> int:
        return self.created + self.changed + self.unchanged + len(self.kept)

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
    fixed = [
        (layout.ID_HEADING, _(layout.ID_HEADING)),
        (layout.NAME_HEADING, _(layout.NAME_HEADING)),
    ]
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
        column = layout.FIRST_MARK_COLUMN - 1 + index
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
    width = layout.FIRST_MARK_COLUMN - 1 + len(headings)
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
        % {"max": layout.MAX_ROWS}
    )


def _read_register(
    sheet: BoundedSheet, headings: list[str]
) -> tuple[list[_Line] | None, list[CellProblem]]:
    """The rows of the sheet, and the problems found reading them; no rows at all when the
    headings are wrong, since then no column can be trusted to be the class it says."""
    width = layout.FIRST_MARK_COLUMN - 1 + len(headings)
    read_width = sheet.limits.max_columns
    rows = sheet.rows()
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
        if number > layout.MAX_SHEET_ROWS:
            raise _too_many_rows()
        if not any(cell_text(cell.value) or is_formula(cell) for cell in cells):
            continue  # blank lines are harmless
        if len(lines) >= layout.MAX_ROWS:
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
                    line.marks[index - (layout.FIRST_MARK_COLUMN - 1)] = code
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
                _("“%(value)s” is not one of %(codes)s.")
                % {"value": text[:20], "codes": layout.CODES},
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
    back in cleanly; one saved after the download is newer than the sheet, so it is kept.
    """
    now = now or timezone.now()
    sessions = layout.register_sessions(run=run)
    headings = layout.session_headings(sessions)
    try:
        (lines, problems), seen_at = xlsx_upload_read(
            file=file,
            limits=layout.register_limits(sessions=len(sessions)),
            read=lambda sheet: (
                _read_register(sheet, headings),
                layout.sheet_downloaded_at(sheet.workbook),
            ),
        )
    except FileRefused as refused:
        return ImportResult(problems=[CellProblem(refused.message)])
    if lines is None:
        return _refused(problems)

    # Who each row is.
    wanted = {int(m.group(1)) for line in lines if (m := layout.LEARNER_ID.match(line.id_raw))}
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
        match = layout.LEARNER_ID.match(line.id_raw)
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
                    % {"id": layout.learner_code(enrolment), "row": first_row[enrolment.pk]},
                    cell=where,
                )
            )
            continue
        first_row[enrolment.pk] = line.number
        for index, code in line.marks.items():
            session = sessions[index]
            where = f"{get_column_letter(layout.FIRST_MARK_COLUMN + index)}{line.number}"
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
                saved = register_mark(
                    session=sessions[index], marks=session_marks, by=by, now=now, seen_at=seen_at
                )
                result.created += saved.created
                result.changed += saved.changed
                result.unchanged += saved.unchanged
                result.kept += saved.kept
    except RegisterError as error:
        # The register changed between the checks and the save (a learner withdrew, a class
        # was cancelled): the transaction undid every class saved so far.
        return ImportResult(
            problems=[CellProblem(_("%(message)s Nothing was saved.") % {"message": error.message})]
        )
    return result


def _refused(problems: list[CellProblem]) -> ImportResult:
    return ImportResult(problems=sorted(problems, key=lambda problem: problem.sort_key))
