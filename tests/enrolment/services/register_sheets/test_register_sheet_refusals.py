"""The paper register's import refuses bad cells, headings and files, naming each problem
and saving nothing."""

import datetime as dt
import os

import openpyxl
import pytest

from enrolment.models import AttendanceStatus
from enrolment.services import register_sheets
from enrolment.services.register_sheets import register_workbook
from tests.enrolment.services.register_sheets.conftest import (
    assert_nothing_saved,
    filled,
    heading,
    load,
    run_import,
    save,
)
from tests.worlds.registers import at, days, seat

pytestmark = pytest.mark.django_db
A = AttendanceStatus


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
