"""Two people marking one register: a save from an old copy of the page keeps a colleague's
newer mark and says so, and saves the rest."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from enrolment.models import Attendance, AttendanceChange, AttendanceStatus
from enrolment.services.registers import Mark, register_mark

pytestmark = pytest.mark.django_db
A = AttendanceStatus


def mark_of(enrolment) -> tuple[str, str]:
    attendance = Attendance.objects.get(enrolment=enrolment)
    return attendance.status, attendance.note


@pytest.fixture
def lee(cast):
    cast.coordinator.first_name, cast.coordinator.last_name = "Mei", "Lee"
    cast.coordinator.save()
    return cast.coordinator


@pytest.fixture
def marked(english, cast):
    """The past class marked by its teacher: everyone present, each mark at version 1."""
    register_mark(
        session=english.past,
        marks={e.pk: Mark(A.PRESENT) for e in english.enrolments},
        by=cast.teacher,
    )
    return {e.pk: 1 for e in english.enrolments}


def test_each_change_raises_the_marks_version(english, cast, marked):
    assert set(Attendance.objects.values_list("version", flat=True)) == {1}
    register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.LATE, seen=1)}, by=cast.teacher
    )
    register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.LATE, seen=2)}, by=cast.teacher
    )
    assert Attendance.objects.get(enrolment=english.amina).version == 2  # unchanged: no new one


def test_a_stale_save_keeps_the_newer_mark_and_saves_the_rest(english, cast, marked, lee):
    # The coordinator hears from Amina's family and marks her absent...
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "sick - called family", seen=1)},
        by=lee,
    )
    # ...while the teacher, from the page loaded before, marks Bilal late and leaves Amina as
    # the page showed her: present.
    result = register_mark(
        session=english.past,
        marks={
            english.amina.pk: Mark(A.PRESENT, seen=1),
            english.bilal.pk: Mark(A.LATE, "bus", seen=1),
            english.chloe.pk: Mark(A.PRESENT, seen=1),
        },
        by=cast.teacher,
    )

    assert mark_of(english.amina) == (A.ABSENT, "sick - called family")
    assert mark_of(english.bilal) == (A.LATE, "bus")
    assert (result.created, result.changed, result.unchanged) == (0, 1, 1)
    (kept,) = result.kept
    marked_at = Attendance.objects.get(enrolment=english.amina).marked_at
    time = date_format(timezone.localtime(marked_at), "H:i")
    assert str(kept) == f"Amina: kept Absent (sick - called family), changed by Mei Lee at {time}."
    assert kept.wanted == Mark(A.PRESENT, seen=1)
    # The history holds the coordinator's change and Bilal's, not a reversal of Amina's.
    assert sorted(AttendanceChange.objects.values_list("to_status", "by")) == [
        (A.ABSENT, lee.pk),
        (A.LATE, cast.teacher.pk),
    ]


def test_a_stale_save_that_agrees_with_the_newer_mark_is_no_conflict(english, cast, marked, lee):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.ABSENT, seen=1)}, by=lee)
    result = register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.ABSENT, seen=1)}, by=cast.teacher
    )
    assert (result.unchanged, result.kept) == (1, ())


def test_a_mark_a_colleague_made_on_a_page_shown_unmarked_is_kept(english, cast, lee):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.EXCUSED)}, by=lee)
    result = register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.PRESENT, seen=0), english.bilal.pk: Mark(A.LATE, seen=0)},
        by=cast.teacher,
    )
    assert mark_of(english.amina) == (A.EXCUSED, "")
    assert mark_of(english.bilal) == (A.LATE, "")
    assert [kept.name for kept in result.kept] == ["Amina"]
    assert result.created == 1


def test_a_mark_saved_after_a_sheet_was_downloaded_is_kept(english, cast, marked, lee):
    downloaded = timezone.now()
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "sick")},
        by=lee,
        now=downloaded + dt.timedelta(hours=1),
    )
    result = register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.PRESENT), english.bilal.pk: Mark(A.LATE)},
        by=cast.teacher,
        seen_at=downloaded,
    )
    assert mark_of(english.amina) == (A.ABSENT, "sick")
    assert mark_of(english.bilal) == (A.LATE, "")
    assert [kept.name for kept in result.kept] == ["Amina"]


def test_a_kept_mark_from_another_day_says_the_day(english, cast, marked, lee):
    yesterday = timezone.now() - dt.timedelta(days=1)
    register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.LATE)}, by=lee, now=yesterday
    )
    result = register_mark(
        session=english.past, marks={english.amina.pk: Mark(A.PRESENT, seen=1)}, by=cast.teacher
    )
    when = date_format(timezone.localtime(yesterday), "j M Y, H:i")
    assert str(result.kept[0]) == f"Amina: kept Late, changed by Mei Lee on {when}."
