"""Two people saving the same register at the same instant, from pages that showed the same
marks: a teacher marks Amina late while the coordinator marks her absent.

Each thread has its own database connection, so these are real concurrent transactions. The
first two tests show what goes wrong without each half of the rule: without the version check
the later save silently reverts the earlier one; without the locks both read the same
version, both pass the check and both "win". The last shows that with both, one save wins and
the other is told whose mark was kept. PostgreSQL only: SQLite serialises every writer.
"""

import threading
import time

import pytest

from courses.models import Session
from enrolment.models import Attendance, AttendanceChange, AttendanceStatus
from enrolment.services import registers
from enrolment.services.registers import Mark, register_mark
from tests.enrolment.services.test_races import RACE, TIMEOUT, race

A = AttendanceStatus

pytestmark = RACE


@pytest.fixture
def amina(english, cast):
    """Amina marked present by her teacher: the mark both pages showed, at version 1."""
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.PRESENT)}, by=cast.teacher)
    return english.amina


def both_save(english, cast, amina, *, seen: int | None):
    """The teacher and the coordinator save their marks for Amina at the same instant."""
    results, errors = race(
        [
            lambda: register_mark(
                session=english.past, marks={amina.pk: Mark(A.LATE, seen=seen)}, by=cast.teacher
            ),
            lambda: register_mark(
                session=english.past,
                marks={amina.pk: Mark(A.ABSENT, "sick - called family", seen=seen)},
                by=cast.coordinator,
            ),
        ]
    )
    assert not errors, errors
    return results


@pytest.fixture
def slow_read(monkeypatch):
    """Hold each save a moment after it read the marks, before it writes: the window a lost
    update needs, so that a missing lock or check shows rather than passing by luck."""
    read = registers._marks_for_update

    def read_then_pause(session):
        marks = read(session)
        time.sleep(0.05)
        return marks

    monkeypatch.setattr(registers, "_marks_for_update", read_then_pause)


def test_without_the_check_the_later_save_silently_reverts_the_earlier(
    english, cast, amina, slow_read
):
    results = both_save(english, cast, amina, seen=None)

    assert sorted((r.changed, len(r.kept)) for r in results) == [(1, 0), (1, 0)]
    assert AttendanceChange.objects.count() == 2  # the second overwrote the first, unasked


def test_without_the_locks_both_saves_pass_the_check(english, cast, amina, monkeypatch):
    both_read = threading.Barrier(2, timeout=TIMEOUT)

    def read_unlocked(session):
        marks = list(Attendance.objects.filter(session=session))
        both_read.wait()  # each has read version 1 before either writes
        return marks

    monkeypatch.setattr(registers, "_locked_session", lambda pk: Session.objects.get(pk=pk))
    monkeypatch.setattr(registers, "_marks_for_update", read_unlocked)

    results = both_save(english, cast, amina, seen=1)

    assert sorted((r.changed, len(r.kept)) for r in results) == [(1, 0), (1, 0)]
    assert AttendanceChange.objects.count() == 2


def test_with_the_check_and_the_locks_one_wins_and_the_other_is_told(
    english, cast, amina, slow_read
):
    results = both_save(english, cast, amina, seen=1)

    (winner,) = [r for r in results if r.changed]
    (told,) = [r for r in results if r.kept]
    assert (winner.changed, len(winner.kept), told.changed) == (1, 0, 0)
    final = Attendance.objects.get(enrolment=amina)
    (change,) = AttendanceChange.objects.all()
    assert (final.status, final.version) == (change.to_status, 2)
    assert told.kept[0].attendance.status == final.status  # told what the mark is now
    assert told.kept[0].name == "Amina"
