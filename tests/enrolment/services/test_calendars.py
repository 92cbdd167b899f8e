import datetime as dt

import icalendar
import pytest
from django.utils import timezone, translation

from courses.choices import RunStatus, SessionStatus
from enrolment.models import CalendarToken, EnrolmentStatus
from enrolment.services.calendars import (
    calendar_for_user,
    calendar_token_get_or_create,
    calendar_token_revoke,
    calendar_user_for_token,
)
from tests.dates import local_today
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    VenueFactory,
    translate_page,
    translate_snippet,
)

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def at(n: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day(n), dt.time(hour)))


def events(user) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(calendar_for_user(user=user))
    return list(calendar.walk("VEVENT"))


def summaries(user) -> list[str]:
    return [str(event["summary"]) for event in events(user)]


@pytest.fixture
def world(site, cast):
    venue = VenueFactory(name="Main centre", address="3/F, 128 Un Chau Street\nSham Shui Po")
    english = CoursePageFactory(title="English A1", parent=site.catalogue)
    photo = CoursePageFactory(title="Photography", parent=site.catalogue)
    run = CourseRunFactory(
        course=english,
        code="ENG-A1",
        venue=venue,
        teachers=[cast.teacher],
        start_date=day(-20),
        end_date=day(40),
    )
    other = CourseRunFactory(course=photo, code="PHOTO", teachers=[cast.other_teacher])
    lea, omar = cast.learner.learner, cast.other_learner.learner
    EnrolmentFactory(learner=lea, run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=at(-10))
    EnrolmentFactory(learner=omar, run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=at(-30))
    EnrolmentFactory(learner=omar, run=other, status=EnrolmentStatus.ENROLLED, enrolled_at=at(-30))
    before_lea = SessionFactory(run=run, date=day(-14))
    held = SessionFactory(run=run, date=day(-7))
    cancelled = SessionFactory(
        run=run, date=day(7), status=SessionStatus.CANCELLED, note="Typhoon signal 8"
    )
    coming = SessionFactory(run=run, date=day(14))
    photo_session = SessionFactory(run=other, date=day(3))
    return {
        "run": run,
        "other": other,
        "before_lea": before_lea,
        "held": held,
        "cancelled": cancelled,
        "coming": coming,
        "photo": photo_session,
    }


def uid(session) -> str:
    return f"session-{session.pk}@testserver"  # the host of WAGTAILADMIN_BASE_URL


def test_a_learners_feed_has_the_sessions_since_they_took_their_seat(cast, world):
    found = events(cast.learner)

    assert [str(e["uid"]) for e in found] == [
        uid(world["held"]),
        uid(world["cancelled"]),
        uid(world["coming"]),
    ]
    held = found[0]
    assert str(held["summary"]) == "English A1"
    assert held["dtstart"].dt == dt.datetime.combine(day(-7), dt.time(18, 30)).replace(
        tzinfo=held["dtstart"].dt.tzinfo
    )
    assert held["dtstart"].params["TZID"] == "Asia/Hong_Kong"
    assert held["dtend"].dt.hour == 20 and held["dtend"].dt.minute == 30
    assert str(held["location"]) == "Main centre, 3/F, 128 Un Chau Street, Sham Shui Po"
    assert str(held["status"]) == "CONFIRMED"
    assert "ENG-A1" in str(held["description"])


def test_a_cancelled_session_is_marked_cancelled_with_its_note(cast, world):
    cancelled = next(e for e in events(cast.learner) if str(e["uid"]) == uid(world["cancelled"]))

    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]) == "English A1 (cancelled)"
    assert "Typhoon signal 8" in str(cancelled["description"])


def test_the_feed_carries_the_timezone(cast, world):
    calendar = icalendar.Calendar.from_ical(calendar_for_user(user=cast.learner))
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Hong_Kong"]


def test_a_learner_who_left_keeps_only_the_sessions_while_they_had_a_seat(cast, world):
    enrolment = cast.learner.learner.enrolments.get()
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.left_at = at(0)
    enrolment.save()
    assert [str(e["uid"]) for e in events(cast.learner)] == [uid(world["held"])]


def test_waiting_or_applying_puts_nothing_in_the_feed(cast, world):
    lea = cast.learner.learner
    EnrolmentFactory(learner=lea, run=world["other"], status=EnrolmentStatus.WAITLISTED)
    assert uid(world["photo"]) not in [str(e["uid"]) for e in events(cast.learner)]


def test_a_teachers_feed_has_the_sessions_they_teach_and_names_no_learner(cast, world):
    lea = cast.learner.learner
    lea.preferred_name, lea.legal_name, lea.phone = "Amarech", "Amarech Tesfaye", "91239876"
    lea.save()
    ics = calendar_for_user(user=cast.teacher).decode()

    found = [str(e["uid"]) for e in events(cast.teacher)]

    assert found == [uid(world[k]) for k in ("before_lea", "held", "cancelled", "coming")]
    for name in ("Amarech", "Tesfaye", "9876", "Omar", cast.learner.username):
        assert name not in ics


def test_other_people_get_only_their_own(cast, world):
    assert summaries(cast.other_teacher) == ["Photography"]
    assert "Photography" not in summaries(cast.learner)
    assert summaries(cast.other_learner).count("Photography") == 1


def test_a_coordinator_or_sponsor_has_an_empty_feed_unless_they_teach(cast, world):
    assert events(cast.coordinator) == []
    assert events(cast.sponsor) == []
    world["other"].teachers.add(cast.coordinator)
    assert summaries(cast.coordinator) == ["Photography"]


def test_draft_runs_stay_out_and_cancelled_runs_show_as_cancelled(cast, world):
    world["other"].status = RunStatus.CANCELLED
    world["other"].save()
    assert summaries(cast.other_teacher) == ["Photography (cancelled)"]
    world["other"].status = RunStatus.DRAFT
    world["other"].save()
    assert summaries(cast.other_teacher) == []


def test_event_ids_are_stable_between_fetches(cast, world):
    first = [str(e["uid"]) for e in events(cast.teacher)]
    world["coming"].date = day(15)
    world["coming"].save()  # moved: the same event, at a new time
    again = events(cast.teacher)
    assert [str(e["uid"]) for e in again] == first
    assert "Moved from" in str(again[-1]["description"])


def test_a_token_is_made_once_and_replaced_on_revoke(cast):
    first = calendar_token_get_or_create(user=cast.learner)
    assert calendar_token_get_or_create(user=cast.learner).token == first.token
    assert len(first.token) >= 40

    renewed = calendar_token_revoke(user=cast.learner)

    assert renewed.token != first.token
    assert CalendarToken.objects.filter(user=cast.learner).count() == 1
    assert calendar_user_for_token(first.token) is None
    assert calendar_user_for_token(renewed.token) == cast.learner


def test_an_inactive_account_has_no_feed(cast):
    token = calendar_token_get_or_create(user=cast.learner)
    cast.learner.is_active = False
    cast.learner.save()
    assert calendar_user_for_token(token.token) is None


def test_the_feed_names_course_and_venue_in_the_readers_language(site, cast, world):
    translate_page(site.home, "ar", title="أهلا")
    translate_page(site.catalogue, "ar", title="الدورات")
    translate_page(world["run"].course, "ar", title="الإنجليزية A1")
    translate_snippet(
        world["run"].venue, "ar", name="المركز الرئيسي", address="الطابق 3، 128 Un Chau Street"
    )
    with translation.override("ar"):
        held = events(cast.learner)[0]
    assert str(held["summary"]) == "الإنجليزية A1"
    assert str(held["location"]) == "المركز الرئيسي, الطابق 3، 128 Un Chau Street"
    assert summaries(cast.learner)[0] == "English A1"  # in English, as written
