"""What it takes to attend: recording an enrolment's support, and the childcare places the
coming days' sessions need."""

import datetime as dt
from decimal import Decimal

import pytest

from courses.choices import SessionStatus
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from enrolment.services.support import (
    Support,
    childcare_sessions,
    enrolment_create_with_support,
    enrolment_support_set,
)
from tests.dates import local_today
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def paid_run(site):
    return CourseRunFactory(code="ENG-A2", transport_per_session=Decimal("12.50"))


@pytest.fixture
def enrolment(cast, paid_run):
    return EnrolmentFactory(learner=cast.learner.learner, run=paid_run)


def test_it_records_the_support_and_says_so_in_the_history(cast, enrolment):
    support = Support(
        interpreter_language="  Arabic ", childcare_children=2, transport_reimbursed=True
    )

    enrolment_support_set(enrolment=enrolment, support=support, by=cast.learner)

    enrolment.refresh_from_db()
    assert enrolment.interpreter_language == "Arabic"
    assert enrolment.childcare_children == 2
    assert enrolment.transport_reimbursed is True
    event = enrolment.events.get()
    assert (event.from_status, event.to_status, event.by) == (S.ENROLLED, S.ENROLLED, cast.learner)
    assert event.reason == (
        "Support to attend: interpreter (Arabic); childcare for 2 children; transport fares."
    )


def test_saving_the_same_support_again_adds_nothing_to_the_history(cast, enrolment):
    support = Support(childcare_children=1)
    enrolment_support_set(enrolment=enrolment, support=support, by=cast.learner)
    enrolment_support_set(enrolment=enrolment, support=support, by=cast.learner)

    assert enrolment.events.count() == 1


def test_the_history_is_in_english_whoever_wrote_it(cast, enrolment, settings):
    from django.utils import translation

    with translation.override("ar"):
        enrolment_support_set(enrolment=enrolment, support=Support(), by=cast.learner)
        enrolment_support_set(
            enrolment=enrolment, support=Support(childcare_children=1), by=cast.learner
        )

    assert enrolment.events.get().reason == "Support to attend: childcare for 1 child."


@pytest.mark.parametrize(
    ("support", "field"),
    [
        (Support(childcare_children=13), "childcare_children"),
        (Support(childcare_children=-1), "childcare_children"),
        (Support(interpreter_language="Arabic\u202e"), "interpreter_language"),
        (Support(interpreter_language="Arabic\nSomali"), "interpreter_language"),
        (Support(interpreter_language="x" * 61), "interpreter_language"),
    ],
)
def test_it_refuses_bad_values_and_changes_nothing(cast, enrolment, support, field):
    with pytest.raises(EnrolmentError) as refused:
        enrolment_support_set(enrolment=enrolment, support=support, by=cast.learner)

    assert refused.value.field == field
    enrolment.refresh_from_db()
    assert (enrolment.interpreter_language, enrolment.childcare_children) == ("", 0)
    assert not enrolment.events.exists()


def test_it_refuses_transport_on_a_class_that_pays_no_fares(cast, site):
    enrolment = EnrolmentFactory(learner=cast.learner.learner)  # transport_per_session = 0

    with pytest.raises(EnrolmentError, match="does not pay back transport fares"):
        enrolment_support_set(
            enrolment=enrolment, support=Support(transport_reimbursed=True), by=cast.learner
        )

    enrolment.refresh_from_db()
    assert enrolment.transport_reimbursed is False


def test_a_learner_cannot_change_a_finished_enrolment_but_a_coordinator_can(cast, enrolment):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=S.COMPLETED)

    with pytest.raises(EnrolmentError, match="no longer active"):
        enrolment_support_set(
            enrolment=enrolment, support=Support(transport_reimbursed=True), by=cast.learner
        )
    enrolment_support_set(
        enrolment=enrolment, support=Support(transport_reimbursed=True), by=cast.coordinator
    )

    enrolment.refresh_from_db()
    assert enrolment.transport_reimbursed is True
    assert enrolment.events.get().by == cast.coordinator


def test_enrolling_with_support_records_both(cast, paid_run):
    enrolment = enrolment_create_with_support(
        learner=cast.learner.learner,
        run=paid_run,
        support=Support(interpreter_language="Somali", childcare_children=1),
        by=cast.learner,
    )

    assert enrolment.status == S.ENROLLED
    assert (enrolment.interpreter_language, enrolment.childcare_children) == ("Somali", 1)
    assert [e.reason for e in enrolment.events.order_by("pk")] == [
        "",
        "Support to attend: interpreter (Somali); childcare for 1 child.",
    ]


def test_enrolling_with_bad_support_takes_no_seat(cast, paid_run):
    with pytest.raises(EnrolmentError):
        enrolment_create_with_support(
            learner=cast.learner.learner,
            run=paid_run,
            support=Support(childcare_children=40),
            by=cast.learner,
        )

    assert not Enrolment.objects.exists()
    assert not EnrolmentEvent.objects.exists()


# --- childcare places -------------------------------------------------------------------------


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def with_children(run, count: int, status=S.ENROLLED):
    return EnrolmentFactory(
        run=run, learner=LearnerFactory(), status=status, childcare_children=count
    )


def test_childcare_counts_the_children_of_seat_holders_for_the_coming_week(site):
    run = CourseRunFactory(code="ENG-A1", start_date=day(-30), end_date=day(30))
    with_children(run, 2)
    with_children(run, 1)
    with_children(run, 1, status=S.OFFERED)  # holds a seat while the learner answers
    with_children(run, 3, status=S.WAITLISTED)  # no seat: does not come
    with_children(run, 4, status=S.WITHDRAWN)
    with_children(run, 0)
    today = SessionFactory(run=run, date=day(0))
    last = SessionFactory(run=run, date=day(6))
    SessionFactory(run=run, date=day(-1))  # past
    SessionFactory(run=run, date=day(7))  # beyond the week
    SessionFactory(run=run, date=day(3), status=SessionStatus.CANCELLED)
    no_children = CourseRunFactory(code="PC-01", start_date=day(-30), end_date=day(30))
    with_children(no_children, 0)
    SessionFactory(run=no_children, date=day(1))

    sessions = list(childcare_sessions())

    assert [(s.pk, s.children) for s in sessions] == [(today.pk, 4), (last.pk, 4)]


def test_childcare_takes_one_query_however_many_sessions(site, django_assert_num_queries):
    for index in range(5):
        run = CourseRunFactory(start_date=day(-30), end_date=day(30))
        with_children(run, index + 1)
        SessionFactory(run=run, date=day(index))

    with django_assert_num_queries(1):
        sessions = [
            (s.run.code, s.run.course.title, s.effective_venue.name, s.children)
            for s in childcare_sessions()
        ]

    assert [children for *_, children in sessions] == [1, 2, 3, 4, 5]
