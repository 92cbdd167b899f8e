"""Staff stepping past the enrolment window: a latecomer placed into a class under way (seats
still counted), and a past course recorded after the fact."""

import datetime as dt

import pytest

from courses.choices import RunMode, RunStatus
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.enrolling import enrolment_create
from enrolment.services.late_enrolment import enrolment_place_late, enrolment_record_past
from tests.dates import local_today
from tests.factories import CourseRunFactory, LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def under_way(site):
    """Started two weeks ago; enrolment closed last week."""
    return CourseRunFactory(
        course__parent=site.catalogue,
        code="ENG-UNDERWAY",
        capacity=2,
        start_date=local_today() - dt.timedelta(days=14),
        enrolment_closes=local_today() - dt.timedelta(days=7),
        mode=RunMode.REVIEW,
    )


@pytest.fixture
def finished(site):
    return CourseRunFactory(
        course__parent=site.catalogue,
        code="ENG-LAST-TERM",
        start_date=local_today() - dt.timedelta(days=120),
        end_date=local_today() - dt.timedelta(days=30),
        status=RunStatus.CLOSED,
    )


def place(learner, run, by=None, reason="Walk-in, placement test A1"):
    return enrolment_place_late(learner=learner, run=run, by=by, reason=reason)


def test_a_learner_cannot_enrol_themselves_once_enrolment_closed(under_way):
    with pytest.raises(EnrolmentError, match="Enrolment for this class has closed"):
        enrolment_create(learner=LearnerFactory(), run=under_way, by=None)


def test_staff_place_a_walk_in_into_a_class_under_way_with_the_reason(under_way, cast):
    enrolment = place(LearnerFactory(), under_way, by=cast.coordinator)
    assert enrolment.status == S.ENROLLED  # no review: staff decided
    event = enrolment.events.get()
    assert event.by == cast.coordinator
    assert event.reason == "Placed by staff after enrolment closed: Walk-in, placement test A1"


def test_a_late_placement_still_keeps_the_seats(under_way):
    place(LearnerFactory(), under_way)
    place(LearnerFactory(), under_way)
    third = place(LearnerFactory(), under_way)
    assert third.status == S.WAITLISTED
    assert under_way.enrolments.filter(status=S.ENROLLED).count() == 2


@pytest.mark.parametrize(
    ("reason", "status", "message"),
    [
        ("  ", RunStatus.PUBLISHED, "Give a reason"),
        ("Walk-in", RunStatus.CANCELLED, "cancelled"),
        ("Walk-in", RunStatus.DRAFT, "not open for enrolment"),
    ],
)
def test_a_late_placement_is_refused_with_a_reason(under_way, reason, status, message):
    under_way.status = status
    under_way.save()
    with pytest.raises(EnrolmentError, match=message):
        place(LearnerFactory(), under_way, reason=reason)
    assert not Enrolment.objects.exists()


def test_a_finished_class_takes_no_late_placement(finished):
    with pytest.raises(EnrolmentError, match="Record a past course"):
        place(LearnerFactory(), finished)


def test_placing_someone_already_in_the_class_is_refused(under_way):
    learner = LearnerFactory()
    place(learner, under_way)
    with pytest.raises(EnrolmentError, match="already enrolled"):
        place(learner, under_way)
    assert under_way.enrolments.count() == 1


def test_a_past_course_is_recorded_as_completed_with_the_reason(finished, cast):
    enrolment = enrolment_record_past(
        learner=LearnerFactory(), run=finished, by=cast.coordinator, reason="Paper register"
    )
    assert enrolment.status == S.COMPLETED
    event = enrolment.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", S.COMPLETED, cast.coordinator)
    assert event.reason == "Recorded after the class finished: Paper register"


def test_a_past_course_is_recorded_once(finished):
    learner = LearnerFactory()
    enrolment_record_past(learner=learner, run=finished, by=None, reason="Paper register")
    with pytest.raises(EnrolmentError, match="already recorded"):
        enrolment_record_past(learner=learner, run=finished, by=None, reason="Again")
    assert finished.enrolments.count() == 1


def test_a_class_not_yet_finished_cannot_be_recorded_as_past(under_way):
    with pytest.raises(EnrolmentError, match="not finished yet"):
        enrolment_record_past(
            learner=LearnerFactory(), run=under_way, by=None, reason="Paper register"
        )
    assert not Enrolment.objects.exists()
