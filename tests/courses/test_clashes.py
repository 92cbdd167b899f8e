"""Double booking: a teacher or a venue in two sessions at overlapping times on the same day is
found in the database and warned about (not refused) when a run is saved or a session edited."""

import datetime as dt

import pytest
from django.urls import reverse

from courses.choices import SessionStatus
from courses.services import run_clashes, session_clashes
from tests.conftest import messages_of
from tests.dates import local_today
from tests.factories import CourseRunFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def clash_day(later: int = 0) -> dt.date:
    """Ten days from today (read when the test runs), or `later` days after that."""
    return local_today() + dt.timedelta(days=10 + later)


@pytest.fixture
def english(site, cast):
    """English, 18:30-20:30 at the church hall with Grace, one session on clash_day()."""
    run = CourseRunFactory(
        course__title="English A1",
        course__parent=site.catalogue,
        code="ENG-A1",
        venue=VenueFactory(name="Church hall"),
        teachers=[cast.teacher],
    )
    SessionFactory(run=run, date=clash_day())
    return run


def other_run(site, *, teachers=(), venue=None, start=dt.time(19), end=dt.time(21), day=None):
    run = CourseRunFactory(
        course__title="Computers",
        course__parent=site.catalogue,
        code="IT-1",
        start_time=start,
        end_time=end,
        venue=venue or VenueFactory(name="Library"),
        teachers=list(teachers),
    )
    SessionFactory(run=run, date=day or clash_day())
    return run


def test_a_teacher_in_two_overlapping_sessions_is_a_clash(site, cast, english):
    other_run(site, teachers=[cast.teacher])
    [clash] = run_clashes(run=english)
    assert clash.other.run.code == "IT-1"
    assert clash.teachers == ("Grace Ho",)
    assert clash.venue == ""


def test_a_venue_with_two_overlapping_sessions_is_a_clash(site, cast, english):
    other_run(site, teachers=[cast.other_teacher], venue=english.venue)
    [clash] = run_clashes(run=english)
    assert (clash.teachers, clash.venue) == ((), "Church hall")


def test_a_session_moved_to_another_venue_is_judged_by_its_own_venue(site, english):
    other = other_run(site)
    session = other.sessions.get()
    session.venue = english.venue
    session.save()
    assert [c.venue for c in run_clashes(run=english)] == ["Church hall"]
    assert [c.other.run.code for c in session_clashes(session=session)] == ["ENG-A1"]


@pytest.mark.parametrize(
    ("start", "end", "day"),
    [
        (dt.time(20, 30), dt.time(22), 0),  # starts as English ends: back to back
        (dt.time(16), dt.time(18, 30), 0),  # ends as English starts
        (dt.time(19), dt.time(21), 1),  # another day
    ],
)
def test_adjacent_times_or_another_day_are_no_clash(site, cast, english, start, end, day):
    other_run(
        site, teachers=[cast.teacher], venue=english.venue, start=start, end=end, day=clash_day(day)
    )
    assert run_clashes(run=english) == []


def test_a_cancelled_session_clashes_with_nothing(site, cast, english):
    other = other_run(site, teachers=[cast.teacher], venue=english.venue)
    other.sessions.update(status=SessionStatus.CANCELLED, note="Typhoon")
    assert run_clashes(run=english) == []


def test_different_teachers_and_venues_are_no_clash(site, cast, english):
    other_run(site, teachers=[cast.other_teacher])
    assert run_clashes(run=english) == []


def test_saving_a_run_warns_of_a_double_booked_teacher_and_saves(client, cast, site, english):
    other = other_run(site)
    client.force_login(cast.coordinator)
    url = reverse("course_runs:edit", args=[other.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["teachers"] = [cast.teacher.pk]
    data["weekdays"] = list(other.weekdays)
    response = client.post(url, data, follow=True)
    day = clash_day().strftime("%-d %b %Y")
    warnings = [m for m in messages_of(response) if m.startswith("Double booking")]
    assert warnings == [
        f"Double booking: Grace Ho teaches IT-1 on {day} 19:00–21:00 and ENG-A1 (English A1) "
        "at 18:30–20:30."
    ]
    assert list(other.teachers.all()) == [cast.teacher]  # saved all the same


def test_editing_a_session_into_a_busy_venue_warns(client, cast, site, english):
    other = other_run(site, start=dt.time(9), end=dt.time(11))
    session = other.sessions.get()
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("course_sessions:edit", args=[session.pk]),
        {
            "run": other.pk,
            "date": clash_day().isoformat(),
            "start_time": "19:00",
            "end_time": "20:00",
            "venue": english.venue.pk,
            "status": SessionStatus.SCHEDULED,
            "note": "Moved to the hall",
        },
        follow=True,
    )
    warnings = [m for m in messages_of(response) if m.startswith("Double booking")]
    assert len(warnings) == 1 and "Church hall hosts IT-1" in warnings[0]
    assert "ENG-A1 (English A1)" in warnings[0]
    session.refresh_from_db()
    assert session.start_time == dt.time(19)


def test_editing_a_session_without_a_clash_warns_of_nothing(client, cast, site, english):
    other = other_run(site, start=dt.time(9), end=dt.time(11))
    session = other.sessions.get()
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("course_sessions:edit", args=[session.pk]),
        {
            "run": other.pk,
            "date": clash_day().isoformat(),
            "start_time": "20:30",
            "end_time": "21:30",
            "venue": english.venue.pk,
            "status": SessionStatus.SCHEDULED,
            "note": "",
        },
        follow=True,
    )
    assert not [m for m in messages_of(response) if m.startswith("Double booking")]
