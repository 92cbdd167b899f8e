import datetime as dt
import io
import os

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrolment.models import Attendance, AttendanceChange, AttendanceStatus
from enrolment.services import register_sheets
from enrolment.services.register_sheets import (
    register_import,
    register_sessions,
    register_workbook,
    session_headings,
)
from enrolment.services.registers import (
    Mark,
    RegisterError,
    held_seat,
    register_enrolments,
    register_mark,
)
from tests.factories import EnrolmentFactory, SessionFactory
from tests.worlds.registers import at, days, seat

pytestmark = pytest.mark.django_db
A = AttendanceStatus


def heading(session) -> str:
    return f"{session.date:%Y-%m-%d} {session.start_time:%H:%M}"


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(data: bytes, name: str = "register.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def run_import(english, data: bytes, by, name: str = "register.xlsx"):
    return register_import(run=english.run, file=upload(data, name), by=by)


def filled(english, cells: dict[str, object]) -> bytes:
    """The downloaded register with some cells typed in."""
    workbook = load(register_workbook(run=english.run))
    for where, value in cells.items():
        workbook["Register"][where] = value
    return save(workbook)


def marks():
    return dict(
        Attendance.objects.values_list("enrolment__learner__preferred_name", "status").order_by()
    )


def assert_nothing_saved(before=None):
    assert marks() == (before or {})
    assert not AttendanceChange.objects.exists()


# --- the download ------------------------------------------------------------------------------


def test_the_download_has_learners_as_rows_and_scheduled_classes_as_columns(english, cast):
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "Sick"), english.bilal.pk: Mark(A.LATE)},
        by=cast.teacher,
    )
    workbook = load(register_workbook(run=english.run))

    assert workbook.sheetnames == ["Register", "Key"]
    sheet = workbook["Register"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # The cancelled class has no column: it has no register.
    assert rows[0] == [
        "ID",
        "Learner",
        heading(english.earlier),
        heading(english.past),
        heading(english.future),
    ]
    assert rows[1:] == [
        [f"E{english.amina.pk}", "Amina", None, "A", None],
        [f"E{english.bilal.pk}", "Bilal", None, "L", None],
        [f"E{english.chloe.pk}", "Chloe", None, None, None],
    ]
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width >= 20
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"P,L,E,A"'
    assert str(validation.sqref) == "C2:E4"
    key = [cell.value for row in workbook["Key"].iter_rows() for cell in row if cell.value]
    assert "ENG-A1" in key
    assert {"P", "L", "E", "A", "Present", "Late", "Excused", "Absent"} <= set(key)
    assert any("Do not change the headings" in str(line) for line in key)


def test_the_download_lists_who_held_a_seat_at_any_class_and_greys_the_rest(english):
    (late_comer,) = seat(english.run, ["Zainab"], since=at(days(-1), 9))  # after the past classes
    (waiting,) = seat(english.run, ["Yusuf"])
    waiting.status, waiting.enrolled_at = "waitlisted", None
    waiting.save()
    (left,) = seat(english.run, ["Xavier"])
    left.status, left.left_at = "withdrawn", at(days(-30), 9)  # before the first class
    left.save()

    sheet = load(register_workbook(run=english.run))["Register"]
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["Amina", "Bilal", "Chloe", "Zainab"]
    zainab = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Zainab")
    assert zainab[0].value == f"E{late_comer.pk}"
    grey = [cell.fill.fgColor.rgb.endswith("D9D9D9") for cell in zainab[2:]]
    assert grey == [True, True, False]  # earlier, past: not enrolled; future: on it


def test_the_grid_follows_the_same_rule_as_each_registers_list(english):
    seat(english.run, ["Zainab"], since=at(days(-10), 9))
    (left,) = seat(english.run, ["Xavier"])
    left.status, left.left_at = "withdrawn", at(days(-10), 9)
    left.save()
    enrolments = list(english.run.enrolments.all())
    for session in register_sessions(run=english.run):
        on_register = set(register_enrolments(session=session))
        assert {e for e in enrolments if held_seat(e, session=session)} == on_register


def test_a_name_that_looks_like_a_formula_is_neutralised(english):
    english.amina.learner.preferred_name = "=HYPERLINK(1)"
    english.amina.learner.save()
    sheet = load(register_workbook(run=english.run))["Register"]
    names = {row[1].value for row in sheet.iter_rows(min_row=2)}
    assert "'=HYPERLINK(1)" in names


def test_two_classes_at_the_same_time_get_headings_told_apart(english):
    moved = SessionFactory(run=english.run, date=days(14), scheduled_date=days(15))
    SessionFactory(run=english.run, date=days(14), scheduled_date=days(14))
    headings = session_headings(register_sessions(run=english.run))
    assert headings[-2:] == [heading(moved), heading(moved) + " (2)"]
    assert run_import(english, register_workbook(run=english.run), by=english.run.teachers.get()).ok


def test_a_run_without_classes_downloads_an_empty_register(english):
    english.run.sessions.all().delete()
    sheet = load(register_workbook(run=english.run))["Register"]
    assert [cell.value for cell in next(sheet.iter_rows())] == ["ID", "Learner"]


# --- the round trip ----------------------------------------------------------------------------


def test_an_unchanged_register_goes_back_in_with_no_change(english, cast):
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "Sick"), english.bilal.pk: Mark(A.PRESENT)},
        by=cast.teacher,
    )
    before = marks()

    result = run_import(english, register_workbook(run=english.run), by=cast.teacher)

    assert result.ok, result.errors
    assert (result.created, result.changed, result.unchanged) == (0, 0, 2)
    assert marks() == before
    assert Attendance.objects.get(enrolment=english.amina).note == "Sick"
    assert not AttendanceChange.objects.exists()


def test_a_filled_register_saves_the_marks_and_twice_changes_nothing(english, cast):
    data = filled(english, {"C2": "P", "C3": "A", "C4": "l", "D2": " e ", "D3": "P"})

    first = run_import(english, data, by=cast.teacher)
    second = run_import(english, data, by=cast.teacher)

    assert first.ok, first.errors
    assert (first.created, first.changed, first.unchanged) == (5, 0, 0)
    assert (second.created, second.changed, second.unchanged) == (0, 0, 5)
    saved = {
        (a.enrolment.learner.preferred_name, a.session_id): a.status
        for a in Attendance.objects.select_related("enrolment__learner")
    }
    assert saved == {
        ("Amina", english.earlier.pk): A.PRESENT,
        ("Bilal", english.earlier.pk): A.ABSENT,
        ("Chloe", english.earlier.pk): A.LATE,  # lower case is read as upper case
        ("Amina", english.past.pk): A.EXCUSED,
        ("Bilal", english.past.pk): A.PRESENT,
    }
    assert {a.marked_by for a in Attendance.objects.all()} == {cast.teacher}


def test_an_empty_cell_keeps_a_saved_mark_and_a_change_keeps_the_note(english, cast):
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "Bus strike"), english.bilal.pk: Mark(A.LATE)},
        by=cast.teacher,
    )
    data = filled(english, {"D2": "L", "D3": None})

    result = run_import(english, data, by=cast.coordinator)

    assert result.ok, result.errors
    assert (result.created, result.changed, result.unchanged) == (0, 1, 0)
    amina = Attendance.objects.get(enrolment=english.amina)
    assert (amina.status, amina.note, amina.marked_by) == (A.LATE, "Bus strike", cast.coordinator)
    assert amina.changes.get().from_status == A.ABSENT
    assert Attendance.objects.get(enrolment=english.bilal).status == A.LATE


def test_a_coordinator_may_mark_a_class_that_has_not_started(english, cast):
    result = run_import(english, filled(english, {"E2": "E"}), by=cast.coordinator)
    assert result.ok, result.errors
    assert marks() == {"Amina": A.EXCUSED}


def test_a_teacher_may_not_mark_a_class_that_has_not_started(english, cast):
    result = run_import(
        english, filled(english, {"D2": "P", "E2": "E", "E4": "A"}), by=cast.teacher
    )
    future = heading(english.future)
    assert result.errors == [
        f"Cell E2 (class on {future}): You can take the register once the class has started.",
        f"Cell E4 (class on {future}): You can take the register once the class has started.",
    ]
    assert_nothing_saved()


def test_a_mark_a_coordinator_saved_ahead_goes_back_in_unchanged_for_the_teacher(english, cast):
    register_mark(
        session=english.future, marks={english.amina.pk: Mark(A.EXCUSED)}, by=cast.coordinator
    )
    result = run_import(english, register_workbook(run=english.run), by=cast.teacher)
    assert result.ok, result.errors
    assert (result.created, result.changed, result.unchanged) == (0, 0, 1)


# --- bad cells: each named, nothing saved -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [("X", "X"), ("Present", "Present"), (1, "1"), ("P L", "P L"), (True, "True")],
)
def test_a_code_that_is_not_p_l_e_or_a(english, cast, value, shown):
    result = run_import(english, filled(english, {"C2": "P", "D3": value}), by=cast.teacher)
    assert result.errors == [f"Cell D3: “{shown}” is not one of P, L, E, A."]
    assert_nothing_saved()


def test_every_bad_cell_is_reported_in_sheet_order(english, cast):
    data = filled(english, {"D4": "Q", "C2": "=1+1", "C3": "?", "A4": '="E1"', "E2": "P"})
    result = run_import(english, data, by=cast.teacher)
    assert result.errors == [
        "Cell C2: this cell holds a formula (=1+1). Type the value itself instead.",
        f"Cell E2 (class on {heading(english.future)}): You can take the register once the class "
        "has started.",
        "Cell C3: “?” is not one of P, L, E, A.",
        'Cell A4: this cell holds a formula (="E1"). Type the value itself instead.',
        "Cell D4: “Q” is not one of P, L, E, A.",
    ]
    assert_nothing_saved()


def test_an_unknown_or_changed_learner_id(english, cast, site):
    from tests.worlds.registers import build_class as build

    other = build(site, cast, names=["Omar"], code="ENG-B1", title="English B1")
    data = filled(
        english,
        {
            "A2": "E999999",
            "A3": "Bilal",
            "A4": f"E{other.omar.pk}",  # a learner of another class
            "C2": "P",
            "C3": "P",
            "C4": "P",
        },
    )
    result = run_import(english, data, by=cast.teacher)
    assert result.errors == [
        "Cell A2: “E999999” is not a learner of ENG-A1. Keep the ids of the downloaded register.",
        "Cell A3: “Bilal” is not a learner of ENG-A1. Keep the ids of the downloaded register.",
        f"Cell A4: “E{other.omar.pk}” is not a learner of ENG-A1. Keep the ids of the "
        "downloaded register.",
    ]
    assert_nothing_saved()


def test_a_row_added_by_hand_or_repeated(english, cast):
    data = filled(
        english,
        {"B5": "Dalia", "C5": "P", "A6": f"E{english.amina.pk}", "B6": "Amina", "C6": "A"},
    )
    result = run_import(english, data, by=cast.teacher)
    assert result.errors == [
        "Cell A5: the learner id is missing. Keep the ids of the downloaded register; add "
        "learners on the website, not in the sheet.",
        f"Cell A6: E{english.amina.pk} is on row 2 already. Keep one row per learner.",
    ]
    assert_nothing_saved()


def test_a_mark_for_someone_not_on_that_classs_register(english, cast):
    (late_comer,) = seat(english.run, ["Zainab"], since=at(days(-1), 9))
    data = filled(english, {"C5": "P", "E5": "P"})  # row 5: Zainab; the future class is hers
    result = run_import(english, data, by=cast.coordinator)
    assert result.errors == [
        f"Cell C5: Zainab was not enrolled at the class on {heading(english.earlier)}, so is not "
        "on its register. Leave the cell empty."
    ]
    assert_nothing_saved()
    assert late_comer.pk  # she is on the sheet, only not on that class's register


# --- bad headings -----------------------------------------------------------------------------


def test_a_changed_session_heading_is_named_by_cell(english, cast):
    result = run_import(
        english, filled(english, {"D1": "2026-01-01 09:00", "C2": "P"}), by=cast.teacher
    )
    assert len(result.errors) == 1
    assert result.errors[0].startswith(
        f"Cell D1: expected the class on {heading(english.past)}, found “2026-01-01 09:00”."
    )
    assert_nothing_saved()


def test_swapped_columns(english, cast):
    data = filled(english, {"C1": heading(english.past), "D1": heading(english.earlier)})
    errors = run_import(english, data, by=cast.teacher).errors
    assert errors[0].startswith(f"Cell C1: expected the class on {heading(english.earlier)} here")
    assert errors[1].startswith(f"Cell D1: expected the class on {heading(english.past)} here")


def test_a_missing_session_column(english, cast):
    workbook = load(register_workbook(run=english.run))
    workbook["Register"].delete_cols(5)
    result = run_import(english, save(workbook), by=cast.teacher)
    assert result.errors == [
        f"Cell E1: the column of the class on {heading(english.future)} is missing. Keep every "
        "column of the downloaded register."
    ]


def test_an_extra_column(english, cast):
    result = run_import(english, filled(english, {"F1": "Notes", "F2": "good"}), by=cast.teacher)
    assert result.errors == [
        "Cell F1: “Notes” is not a class on this register. Remove the column: the register "
        "ends at column E."
    ]


def test_a_value_beside_the_register(english, cast):
    result = run_import(english, filled(english, {"G3": "called"}), by=cast.teacher)
    assert result.errors == [
        "Cell G3: this cell is outside the register, which ends at column E. Leave it empty."
    ]


def test_renamed_id_and_name_headings(english, cast):
    result = run_import(english, filled(english, {"A1": "Number", "B1": None}), by=cast.teacher)
    assert result.errors == [
        "Cell A1: expected the heading “ID”, found “Number”.",
        "Cell B1: expected the heading “Learner”, found “”.",
    ]


def test_a_class_cancelled_since_the_download(english, cast):
    data = filled(english, {"C2": "P"})
    english.past.status = "cancelled"
    english.past.save()
    errors = run_import(english, data, by=cast.teacher).errors
    assert errors[0].startswith(f"Cell D1: expected the class on {heading(english.future)}")
    assert_nothing_saved()


def test_a_heading_excel_turned_into_a_date_is_still_read(english, cast):
    when = dt.datetime.combine(english.past.date, english.past.start_time)
    result = run_import(english, filled(english, {"D1": when, "D2": "P"}), by=cast.teacher)
    assert result.ok, result.errors


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "register.xlsx", "not an Excel"),
        (os.urandom(4096), "register.xlsx", "not an Excel"),
        (None, "register.xlsm", "Files with macros (.xlsm) are refused"),
        (b"", "register.xlsx", "The file is empty."),
        (os.urandom(2 * 1024 * 1024 + 1), "register.xlsx", "larger than 2 MB"),
    ],
    ids=["renamed-pdf", "random-bytes", "xlsm", "empty", "oversized"],
)
def test_a_wrong_file_is_refused_whole(english, cast, data, name, message):
    data = filled(english, {"C2": "P"}) if data is None else data
    result = run_import(english, data, by=cast.teacher, name=name)
    assert len(result.errors) == 1
    assert message in result.errors[0]
    assert_nothing_saved()


def test_a_sheet_with_only_other_things_in_it(english, cast):
    workbook = openpyxl.Workbook()
    workbook.active.append(["learner", "run"])
    result = run_import(english, save(workbook), by=cast.teacher)
    assert result.errors[0].startswith("Cell A1: expected the heading “ID”, found “learner”.")


def test_more_rows_than_any_class_has(english, cast, monkeypatch):
    monkeypatch.setattr(register_sheets, "MAX_ROWS", 3)
    result = run_import(english, filled(english, {"A5": "E1", "C5": "P"}), by=cast.teacher)
    assert result.errors == ["The register has more than 3 rows; no class has that many learners."]
    assert_nothing_saved()


def test_a_sheet_used_far_down_is_refused_quickly(english, cast):
    data = filled(english, {"C2": "P", "A200000": "far away"})
    result = run_import(english, data, by=cast.teacher)
    assert "more than 1000 rows" in result.errors[0]
    assert_nothing_saved()


# --- all or nothing at the last moment --------------------------------------------------------


def test_a_refusal_while_saving_undoes_the_classes_already_saved(english, cast, monkeypatch):
    real_mark = register_sheets.register_mark
    calls = []

    def mark_then_refuse(**kwargs):
        calls.append(kwargs["session"])
        if len(calls) == 2:
            raise RegisterError("This session was cancelled; there is no register to take.")
        return real_mark(**kwargs)

    monkeypatch.setattr(register_sheets, "register_mark", mark_then_refuse)
    result = run_import(english, filled(english, {"C2": "P", "D2": "A"}), by=cast.teacher)
    assert result.errors == [
        "This session was cancelled; there is no register to take. Nothing was saved."
    ]
    assert len(calls) == 2
    assert_nothing_saved()


def test_a_large_register_is_written_in_chunks(english, cast, monkeypatch):
    monkeypatch.setattr(register_sheets, "CHUNK", 2)
    seat(english.run, ["Dalia", "Emre", "Farah"])
    EnrolmentFactory(run=english.run, status="waitlisted")  # never on a register
    register_mark(
        session=english.past,
        marks={e.pk: Mark(A.LATE) for e in english.enrolments},
        by=cast.teacher,
    )
    sheet = load(register_workbook(run=english.run))["Register"]
    rows = [[c.value for c in row[1:4:2]] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["Amina", "L"],
        ["Bilal", "L"],
        ["Chloe", "L"],
        ["Dalia", None],
        ["Emre", None],
        ["Farah", None],
    ]


def test_a_formula_in_a_heading_is_reported_once(english, cast):
    result = run_import(english, filled(english, {"D1": '=TEXT(TODAY(),"yyyy")'}), by=cast.teacher)
    assert result.errors == [
        'Cell D1: this cell holds a formula (=TEXT(TODAY(),"yyyy")). Type the value itself instead.'
    ]
