import datetime as dt

import pytest

from courses.choices import Level, RunMode, RunStatus
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.enrolling import (
    enrolment_approve,
    enrolment_create,
    enrolment_decline,
    enrolment_move,
    enrolment_withdraw,
    waitlist_position,
    waitlist_promote,
)
from enrolment.services.offers import offer_accept
from tests.dates import local_today, on_today
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def run(site):
    return CourseRunFactory(course__parent=site.catalogue, capacity=2)


def enrol(learner, run, **kwargs):
    return enrolment_create(learner=learner, run=run, by=None, **kwargs)


def test_a_free_seat_enrols_at_once(run):
    enrolment = enrol(LearnerFactory(), run)
    assert enrolment.status == S.ENROLLED
    event = enrolment.events.get()
    assert (event.from_status, event.to_status) == ("", S.ENROLLED)


def test_a_full_run_puts_the_learner_on_the_waitlist_in_order(run):
    for _ in range(2):
        enrol(LearnerFactory(), run)
    first = enrol(LearnerFactory(), run)
    second = enrol(LearnerFactory(), run)
    assert (first.status, second.status) == (S.WAITLISTED, S.WAITLISTED)
    assert waitlist_position(enrolment=first) == 1
    assert waitlist_position(enrolment=second) == 2


def test_a_review_run_takes_applications(site):
    run = CourseRunFactory(course__parent=site.catalogue, mode=RunMode.REVIEW)
    assert enrol(LearnerFactory(), run).status == S.APPLIED


def test_enrolling_twice_is_refused_and_changes_nothing(run):
    learner = LearnerFactory()
    enrol(learner, run)
    with pytest.raises(EnrolmentError, match="already enrolled"):
        enrol(learner, run)
    assert Enrolment.objects.filter(learner=learner).count() == 1


def test_the_database_refuses_a_second_active_enrolment(run):
    from django.db import IntegrityError, transaction

    learner = LearnerFactory()
    EnrolmentFactory(learner=learner, run=run)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(learner=learner, run=run, status=S.WAITLISTED)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"status": RunStatus.CANCELLED}, "cancelled"),
        ({"status": RunStatus.CLOSED}, "finished"),
        ({"status": RunStatus.DRAFT}, "not open"),
        (
            {
                "start_date": dt.timedelta(days=-60),
                "end_date": dt.timedelta(days=-1),
            },
            "finished",
        ),
        ({"enrolment_opens": dt.timedelta(days=3)}, "opens on"),
        ({"enrolment_closes": dt.timedelta(days=-1)}, "closed"),
    ],
)
def test_a_run_not_taking_enrolments_is_refused_with_its_reason(run, changes, message):
    for field, value in on_today(changes).items():
        setattr(run, field, value)
    run.save()
    with pytest.raises(EnrolmentError, match=message):
        enrol(LearnerFactory(), run)
    assert not run.enrolments.exists()


def test_a_learner_too_young_is_refused(site):
    run = CourseRunFactory(course=CoursePageFactory(parent=site.catalogue, minimum_age=18))
    child = LearnerFactory(date_of_birth=local_today().replace(year=local_today().year - 12))
    with pytest.raises(EnrolmentError, match="aged 18 or over"):
        enrol(child, run)
    assert not run.enrolments.exists()


def test_a_learner_below_the_level_is_refused(site):
    course = CoursePageFactory(parent=site.catalogue, minimum_english_level=Level.B1)
    run = CourseRunFactory(course=course)
    with pytest.raises(EnrolmentError, match="B1"):
        enrol(LearnerFactory(english_level=Level.A2), run)
    assert enrol(LearnerFactory(english_level=Level.B2), run).status == S.ENROLLED


def test_withdrawing_frees_the_seat_for_the_first_person_waiting(run):
    seated = [enrol(LearnerFactory(), run) for _ in range(2)]
    first, second = enrol(LearnerFactory(), run), enrol(LearnerFactory(), run)

    enrolment_withdraw(enrolment=seated[0], by=None, reason="Found a job")

    first.refresh_from_db()
    second.refresh_from_db()
    # The seat is offered to the first waiting, held for them; taken once they accept.
    assert first.status == S.OFFERED
    assert second.status == S.WAITLISTED
    assert offer_accept(enrolment=first, by=None).status == S.ENROLLED
    assert waitlist_position(enrolment=second) == 1
    assert seated[0].events.last().reason == "Found a job"


def test_leaving_the_waitlist_promotes_nobody(run):
    for _ in range(2):
        enrol(LearnerFactory(), run)
    waiting = enrol(LearnerFactory(), run)
    enrolment_withdraw(enrolment=waiting, by=None)
    assert run.enrolments.filter(status=S.ENROLLED).count() == 2
    with pytest.raises(EnrolmentError):
        enrolment_withdraw(enrolment=waiting, by=None)


def test_more_seats_promote_as_many_as_fit(run):
    for _ in range(5):
        enrol(LearnerFactory(), run)
    run.capacity = 4
    run.save()
    promoted = waitlist_promote(run=run)
    assert len(promoted) == 2
    assert run.enrolments.filter(status=S.ENROLLED).count() == 2
    assert run.enrolments.filter(status=S.OFFERED).count() == 2
    assert run.enrolments.filter(status=S.WAITLISTED).count() == 1


def test_approving_an_application_takes_a_seat_or_the_waitlist(site):
    run = CourseRunFactory(course__parent=site.catalogue, mode=RunMode.REVIEW, capacity=1)
    first, second = enrol(LearnerFactory(), run), enrol(LearnerFactory(), run)
    assert enrolment_approve(enrolment=first, by=None).status == S.ENROLLED
    assert enrolment_approve(enrolment=second, by=None).status == S.WAITLISTED
    with pytest.raises(EnrolmentError):
        enrolment_approve(enrolment=first, by=None)


def test_declining_needs_a_reason(site):
    run = CourseRunFactory(course__parent=site.catalogue, mode=RunMode.REVIEW)
    application = enrol(LearnerFactory(), run)
    with pytest.raises(EnrolmentError, match="reason"):
        enrolment_decline(enrolment=application, by=None, reason=" ")
    application.refresh_from_db()
    assert application.status == S.APPLIED
    enrolment_decline(enrolment=application, by=None, reason="Needs level test first")
    application.refresh_from_db()
    assert application.status == S.DECLINED


def test_moving_to_another_run_of_the_course(run, site):
    other = CourseRunFactory(course=run.course, capacity=5)
    seated = [enrol(LearnerFactory(), run) for _ in range(2)]
    waiting = enrol(LearnerFactory(), run)

    moved = enrolment_move(enrolment=seated[0], to_run=other, by=None)

    assert moved.run == other and moved.status == S.ENROLLED
    seated[0].refresh_from_db()
    waiting.refresh_from_db()
    assert seated[0].status == S.WITHDRAWN
    assert waiting.status == S.OFFERED  # the freed seat is offered to the first waiting


def test_moving_to_another_course_without_a_reason_is_refused(run, site):
    elsewhere = CourseRunFactory(course__parent=site.catalogue)
    enrolment = enrol(LearnerFactory(), run)
    with pytest.raises(EnrolmentError, match="reason for moving to another course"):
        enrolment_move(enrolment=enrolment, to_run=elsewhere, by=None)
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
    assert not elsewhere.enrolments.exists()


def test_moving_to_another_course_after_a_placement_test_keeps_the_reason(run, site, cast):
    higher = CourseRunFactory(course__parent=site.catalogue, code="ENG-A2")
    enrolment = enrol(LearnerFactory(), run)

    moved = enrolment_move(
        enrolment=enrolment, to_run=higher, by=cast.coordinator, reason="Placement test: A2"
    )

    assert moved.run == higher and moved.status == S.ENROLLED
    event = moved.events.get()
    assert event.by == cast.coordinator
    assert event.reason == f"Moved from {run.code}. Placement test: A2"
    assert enrolment.events.last().reason == "Placement test: A2"


def test_moving_into_a_class_whose_enrolment_closed_is_refused(run, site):
    under_way = CourseRunFactory(
        course__parent=site.catalogue,
        start_date=local_today() - dt.timedelta(days=14),
        enrolment_closes=local_today() - dt.timedelta(days=7),
    )
    enrolment = enrol(LearnerFactory(), run)
    with pytest.raises(EnrolmentError, match="closed"):
        enrolment_move(enrolment=enrolment, to_run=under_way, by=None, reason="Level")
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
