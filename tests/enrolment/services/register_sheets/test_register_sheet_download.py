"""The paper register's download: learners as rows, scheduled classes as columns."""

import pytest

from enrolment.models import AttendanceStatus
from enrolment.services.register_sheets import (
    register_sessions,
    register_workbook,
    session_headings,
)
from enrolment.services.registers import Mark, held_seat, register_enrolments, register_mark
from tests.enrolment.services.register_sheets.conftest import heading, load, run_import
from tests.exports import xlsx_formulas, xlsx_text_cells
from tests.factories import SessionFactory
from tests.worlds.registers import at, days, seat

pytestmark = pytest.mark.django_db
A = AttendanceStatus


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
    data = register_workbook(run=english.run)
    assert xlsx_text_cells(data)["=HYPERLINK(1)"] == ("s", True)
    assert xlsx_formulas(data) == []


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
