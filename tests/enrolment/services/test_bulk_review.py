"""enrolments_review: applications approved or declined together, all or nothing."""

import pytest

from courses.choices import RunMode
from enrolment.errors import EnrolmentError
from enrolment.models import EnrolmentStatus
from enrolment.services.enrolling import enrolment_create, enrolment_withdraw, enrolments_review
from tests.factories import CourseRunFactory, LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def applications(site):
    run = CourseRunFactory(course__parent=site.catalogue, mode=RunMode.REVIEW, capacity=2)
    return [
        enrolment_create(learner=LearnerFactory(preferred_name=name), run=run, by=None)
        for name in ("Amina", "Bilal", "Chloe")
    ]


def test_approving_gives_the_seats_to_the_oldest_applications_first(applications, cast):
    newest_first = list(reversed(applications))
    results = enrolments_review(enrolments=newest_first, approve=True, by=cast.coordinator)
    assert [e.learner.preferred_name for e in results] == ["Amina", "Bilal", "Chloe"]
    assert [e.status for e in results] == [S.ENROLLED, S.ENROLLED, S.WAITLISTED]


def test_declining_keeps_the_reason(applications, cast):
    results = enrolments_review(
        enrolments=applications[:2], approve=False, by=cast.coordinator, reason=" Full term "
    )
    assert {e.status for e in results} == {S.DECLINED}
    assert results[0].events.last().reason == "Full term"


def test_one_refusal_changes_nothing_and_names_the_learner(applications, cast):
    enrolment_withdraw(enrolment=applications[1], by=None)  # Bilal's is no longer waiting
    with pytest.raises(EnrolmentError) as refused:
        enrolments_review(enrolments=applications, approve=True, by=cast.coordinator)
    assert refused.value.message.startswith("Bilal: ")
    assert refused.value.message.endswith("Nothing was changed.")
    applications[0].refresh_from_db()
    assert applications[0].status == S.APPLIED


def test_declining_without_a_reason_is_refused(applications, cast):
    with pytest.raises(EnrolmentError):
        enrolments_review(enrolments=applications, approve=False, by=cast.coordinator)
    assert {e.status for e in applications} == {S.APPLIED}
