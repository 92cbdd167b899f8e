"""A run's paper register: learners as rows, classes as columns, out as XLSX or print, back in.

The download lists everyone who held a seat at any scheduled class of the run, with the marks
already saved (P, L, E, A) and a drop-down of those four letters in every cell. A cancelled
class has no register, so it has no column, in the download or the upload. Grey cells are
classes a learner was not enrolled for.

The Key sheet carries the time of the download. A sheet is filled in over days, while others
mark the same classes on the website: a mark saved after the download is newer than anything
typed into the sheet, and the upload keeps it (register_uploads).

Reading a filled-in register back in is register_uploads'.
"""

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import openpyxl
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cms.exports import xlsx_cell
from courses.choices import SessionStatus
from courses.models import CourseRun, Session
from enrolment.models import (
    ATTENDANCE_CODES,
    CODE_FOR_STATUS,
    Attendance,
    Enrolment,
)
from enrolment.services.registers import (
    held_seat,
    session_ends_at,
    session_starts_at,
)
from enrolment.services.workbooks import XlsxLimits

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
DOWNLOADED_HEADING = gettext_noop("Downloaded")  # in the Key sheet's A2, the time in B2
OLDER_THAN_ANY_MARK = dt.datetime.min.replace(tzinfo=dt.UTC)

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


def register_limits(*, sessions: int) -> XlsxLimits:
    """What an upload of a register with `sessions` classes may hold: its rows, its columns
    and a few beyond, and a Key sheet."""
    read_width = FIRST_MARK_COLUMN - 1 + sessions + EXTRA_COLUMNS
    return XlsxLimits(
        max_rows=MAX_SHEET_ROWS + 1,  # one more than allowed, to see that there are more
        max_columns=read_width,
        max_cells=(MAX_ROWS + 1) * read_width + 1000,
        hint=_("Download the register again and fill that in."),
    )


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
            "A mark saved on the website after you downloaded the register is newer than the "
            "sheet: the upload keeps it and tells you which."
        ),
        _(
            "Upload the file on the Teach page. Nothing is saved unless every cell is right; "
            "uploading the same file again changes nothing."
        ),
    ]


def register_workbook_write(*, run: CourseRun, output, now: dt.datetime | None = None) -> None:
    """Write the run's register as XLSX into a binary file-like object.

    Rows are streamed (openpyxl's write-only mode): memory stays small however many learners.
    """
    # Taken before the marks are read: a mark saved while the file is written counts as newer
    # than the sheet, never the other way round.
    downloaded = timezone.localtime(now or timezone.now())
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
        values = [row.code, xlsx_cell(sheet, row.name)]
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
    key.append([xlsx_cell(key, run.code), xlsx_cell(key, run.course.title)])
    # Text, not a date cell: spreadsheet programs keep it as written, with its time zone.
    key.append([_(DOWNLOADED_HEADING), downloaded.isoformat(timespec="microseconds")])
    key.append([])
    key.append([heading(pgettext("attendance mark", "Code")), heading(_("Meaning"))])
    for code, status in ATTENDANCE_CODES.items():
        key.append([code, str(status.label)])
    key.append([])
    for line in register_key_lines(run=run):
        key.append(["", line])
    workbook.save(output)


def register_workbook(*, run: CourseRun, now: dt.datetime | None = None) -> bytes:
    output = io.BytesIO()
    register_workbook_write(run=run, output=output, now=now)
    return output.getvalue()


def sheet_downloaded_at(workbook) -> dt.datetime:
    """When the register was downloaded, from its Key sheet.

    A sheet whose time is gone or garbled counts as older than every saved mark: it may add
    marks, never overwrite one.
    """
    for sheet in workbook.worksheets[1:3]:
        for row in sheet.iter_rows(min_row=2, max_row=2, max_col=2, values_only=True):
            label, value = (*row, None, None)[:2]
            if label not in (DOWNLOADED_HEADING, _(DOWNLOADED_HEADING)):
                continue
            if isinstance(value, dt.datetime):  # retyped, and made a date by the program
                return value if timezone.is_aware(value) else timezone.make_aware(value)
            try:
                moment = dt.datetime.fromisoformat(str(value).strip())
            except ValueError:
                break
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return OLDER_THAN_ANY_MARK


def register_filename(*, run: CourseRun) -> str:
    return f"register-{run.code}.xlsx"
