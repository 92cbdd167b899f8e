"""The paper register's import: a filled register goes back in, all of it or nothing."""

import pytest

from enrolment.models import Attendance, AttendanceChange, AttendanceStatus
from enrolment.services import register_sheets, register_uploads
from enrolment.services.register_sheets import register_workbook
from enrolment.services.registers import Mark, RegisterError, register_mark
from tests.enrolment.services.register_sheets.conftest import (
    assert_nothing_saved,
    filled,
    heading,
    load,
    marks,
    run_import,
)
from tests.factories import EnrolmentFactory
from tests.worlds.registers import seat

pytestmark = pytest.mark.django_db
A = AttendanceStatus


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


# --- all or nothing at the last moment --------------------------------------------------------


def test_a_refusal_while_saving_undoes_the_classes_already_saved(english, cast, monkeypatch):
    real_mark = register_uploads.register_mark
    calls = []

    def mark_then_refuse(**kwargs):
        calls.append(kwargs["session"])
        if len(calls) == 2:
            raise RegisterError("This session was cancelled; there is no register to take.")
        return real_mark(**kwargs)

    monkeypatch.setattr(register_uploads, "register_mark", mark_then_refuse)
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
