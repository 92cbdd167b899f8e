"""A paper register is filled in over days while others mark the same classes on the website:
a mark saved after the sheet was downloaded is newer than the sheet, and the upload keeps it."""

import datetime as dt

import pytest
from django.utils import timezone

from enrolment.models import Attendance, AttendanceStatus
from enrolment.services.register_sheets import register_workbook
from enrolment.services.registers import Mark, register_mark
from tests.enrolment.services.register_sheets.conftest import load, marks, run_import, save

pytestmark = pytest.mark.django_db
A = AttendanceStatus


def typed_into(
    data: bytes, cells: dict[str, object], *, key: dict[str, object] | None = None
) -> bytes:
    workbook = load(data)
    for where, value in cells.items():
        workbook["Register"][where] = value
    for where, value in (key or {}).items():
        workbook["Key"][where] = value
    return save(workbook)


def test_the_key_sheet_says_when_the_register_was_downloaded(english):
    now = timezone.now()
    key = load(register_workbook(run=english.run, now=now))["Key"]
    assert key["A2"].value == "Downloaded"
    assert dt.datetime.fromisoformat(key["B2"].value) == now


def test_a_mark_saved_after_the_download_is_kept_and_the_rest_saved(english, cast):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.PRESENT)}, by=cast.teacher)
    sheet = register_workbook(run=english.run)  # Amina shows as P at the past class (D2)
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "sick - called family", seen=1)},
        by=cast.coordinator,
    )
    # The teacher types the week's marks in and uploads; Amina's cell still says P.
    data = typed_into(sheet, {"C2": "P", "C3": "L", "D3": "A"})

    result = run_import(english, data, by=cast.teacher)

    assert result.ok, result.errors
    amina = Attendance.objects.get(enrolment=english.amina, session=english.past)
    assert (amina.status, amina.note, amina.marked_by) == (
        A.ABSENT,
        "sick - called family",
        cast.coordinator,
    )
    assert [(kept.name, kept.attendance.status) for kept in result.kept] == [("Amina", A.ABSENT)]
    assert (result.created, result.changed, result.unchanged) == (3, 0, 0)
    assert result.marked == 4


def test_a_sheet_downloaded_after_the_mark_may_change_it(english, cast):
    register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.ABSENT)}, by=cast.coordinator
    )
    data = typed_into(register_workbook(run=english.run), {"D2": "E"})

    result = run_import(english, data, by=cast.teacher)

    assert (result.changed, result.kept) == (1, [])
    assert Attendance.objects.get(enrolment=english.amina).status == A.EXCUSED


@pytest.mark.parametrize("stamp", [None, "last Tuesday", 45000])
def test_a_sheet_that_lost_its_download_time_adds_marks_but_overwrites_none(english, cast, stamp):
    register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.ABSENT)}, by=cast.coordinator
    )
    data = typed_into(register_workbook(run=english.run), {"D2": "P", "D3": "L"}, key={"B2": stamp})

    result = run_import(english, data, by=cast.teacher)

    assert result.ok, result.errors
    assert marks() == {"Amina": A.ABSENT, "Bilal": A.LATE}
    assert [kept.name for kept in result.kept] == ["Amina"]


def test_a_download_time_retyped_as_a_date_still_counts(english, cast):
    register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.ABSENT)}, by=cast.coordinator
    )
    later = timezone.localtime() + dt.timedelta(minutes=1)
    retyped = later.replace(tzinfo=None, microsecond=0)  # a date cell has no time zone
    data = typed_into(register_workbook(run=english.run), {"D2": "P"}, key={"B2": retyped})

    result = run_import(english, data, by=cast.teacher)

    assert (result.changed, result.kept) == (1, [])
