"""Two registers of the same class saved at the same instant: the teacher takes last week's
while the coordinator enters the week before from a phone call. Each save recounts the totals
Amina's enrolment keeps, which the at-risk list reads.

Each thread has its own database connection, so these are real concurrent transactions.
Without the lock on the enrolments, each save counts only its own new mark (the other's is
not committed yet) and the last to write leaves the other's out. With it, the second waits
and counts both. PostgreSQL only: SQLite serialises every writer.

A register save also locks the class's run row today (its session is read with the run, for
update), which happens to queue two saves of one class. The tests lock only the session, so
that they show the enrolments' lock alone keeps the totals right, as it must for any writer
that does not take the run's lock (a session moved while a register is saved).
"""

import threading
import time

import pytest

from courses.models import Session
from enrolment.models import AttendanceStatus, Enrolment
from enrolment.services import attendance_totals, registers
from enrolment.services.registers import Mark, register_mark
from tests.enrolment.services.test_races import RACE, TIMEOUT, race

A = AttendanceStatus

pytestmark = RACE


@pytest.fixture
def both_wrote(monkeypatch):
    """Both saves have written their marks before either recounts, and each pauses after
    reading the marks: the window a lost update needs, so a missing lock shows."""
    wrote = threading.Barrier(2, timeout=TIMEOUT)
    refresh, read = (
        attendance_totals.enrolment_attendance_refresh,
        attendance_totals._marks_in_order,
    )

    def wait_then_refresh(**kwargs):
        wrote.wait()
        return refresh(**kwargs)

    def read_then_pause(ids):
        marks = read(ids)
        time.sleep(0.2)
        return marks

    monkeypatch.setattr(registers, "enrolment_attendance_refresh", wait_then_refresh)
    monkeypatch.setattr(
        registers,
        "_locked_session",
        lambda pk: Session.objects.select_for_update(of=("self",)).select_related("run").get(pk=pk),
    )
    monkeypatch.setattr(attendance_totals, "_marks_in_order", read_then_pause)


def both_save(english, cast):
    amina = english.amina.pk
    results, errors = race(
        [
            lambda: register_mark(
                session=english.past, marks={amina: Mark(A.ABSENT)}, by=cast.teacher
            ),
            lambda: register_mark(
                session=english.earlier, marks={amina: Mark(A.ABSENT)}, by=cast.coordinator
            ),
        ]
    )
    assert not errors, errors
    return Enrolment.objects.get(pk=amina)


def test_without_the_lock_one_absence_is_lost(english, cast, both_wrote, monkeypatch):
    monkeypatch.setattr(
        attendance_totals,
        "_locked_enrolments",
        lambda ids: list(Enrolment.objects.filter(pk__in=ids).only("pk")),
    )

    amina = both_save(english, cast)

    assert (amina.marks_absent, amina.absences_in_a_row) == (1, 1)


def test_with_the_lock_both_absences_are_counted(english, cast, both_wrote):
    amina = both_save(english, cast)

    assert (amina.marks_absent, amina.absences_in_a_row) == (2, 2)
