import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from courses.choices import SessionStatus
from courses.services import session_cancel, session_move, sessions_generate
from tests.factories import CourseRunFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_sessions_follow_the_weekdays_and_skip_hong_kong_public_holidays():
    # Mon 21 Dec 2026 - Sun 3 Jan 2027 on Mondays, Fridays and Saturdays. Christmas Day
    # (Fri 25 Dec), the first weekday after it (Sat 26 Dec: Saturday counts in Hong Kong)
    # and New Year's Day (Fri 1 Jan) are public holidays.
    run = CourseRunFactory(
        start_date=dt.date(2026, 12, 21), end_date=dt.date(2027, 1, 3), weekdays="045"
    )

    plan = sessions_generate(run=run)

    assert [s.date for s in run.sessions.all()] == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 28),
        dt.date(2027, 1, 2),
    ]
    assert {day for day, _name in plan.skipped_holidays} == {
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
        dt.date(2027, 1, 1),
    }


def test_sessions_take_the_runs_times():
    run = CourseRunFactory(
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 15),
        weekdays="13",
        start_time=dt.time(18, 30),
        end_time=dt.time(20, 30),
    )
    sessions_generate(run=run)
    sessions = list(run.sessions.all())
    assert [s.date.weekday() for s in sessions] == [1, 3, 1, 3]
    assert {(s.start_time, s.end_time) for s in sessions} == {(dt.time(18, 30), dt.time(20, 30))}


def test_generating_twice_creates_nothing_more():
    run = CourseRunFactory(start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 29))
    first = sessions_generate(run=run)
    second = sessions_generate(run=run)
    assert len(first.created) == 8
    assert second.created == []
    assert second.already_there == 8
    assert run.sessions.count() == 8


def test_a_moved_session_is_not_generated_again_at_its_old_date():
    run = CourseRunFactory(
        start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 8), weekdays="0"
    )
    sessions_generate(run=run)
    session = run.sessions.get()
    session_move(
        session=session,
        date=dt.date(2026, 3, 4),
        start_time=dt.time(10),
        end_time=dt.time(12),
        note="Room booked on Monday",
    )

    sessions_generate(run=run)

    assert [(s.date, s.scheduled_date) for s in run.sessions.all()] == [
        (dt.date(2026, 3, 4), dt.date(2026, 3, 2))
    ]


def test_a_session_can_move_to_another_venue():
    run = CourseRunFactory(
        start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 8), weekdays="0"
    )
    sessions_generate(run=run)
    hall = VenueFactory(name="Church hall")
    session = session_move(
        session=run.sessions.get(),
        date=dt.date(2026, 3, 2),
        start_time=dt.time(18, 30),
        end_time=dt.time(20, 30),
        venue=hall,
    )
    assert session.effective_venue == hall


def test_moving_a_session_to_end_before_it_starts_is_refused():
    run = CourseRunFactory(
        start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 8), weekdays="0"
    )
    sessions_generate(run=run)
    session = run.sessions.get()
    with pytest.raises(ValidationError):
        session_move(
            session=session, date=dt.date(2026, 3, 3), start_time=dt.time(12), end_time=dt.time(10)
        )
    session.refresh_from_db()
    assert session.date == dt.date(2026, 3, 2)


def test_cancelling_a_session_needs_a_reason():
    run = CourseRunFactory(
        start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 8), weekdays="0"
    )
    sessions_generate(run=run)
    session = run.sessions.get()
    with pytest.raises(ValidationError):
        session_cancel(session=session, note="  ")
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED

    session_cancel(session=session, note="Typhoon signal 8")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.note == "Typhoon signal 8"
