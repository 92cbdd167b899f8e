"""More seats reach the waitlist however the run is changed, once the change commits."""

import pytest

from courses.choices import RunStatus
from enrolment.models import EnrolmentEvent, EnrolmentStatus
from enrolment.services.enrolling import enrolment_create
from tests.factories import CourseRunFactory, LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def full_run(site):
    run = CourseRunFactory(course__parent=site.catalogue, capacity=1)
    for _ in range(4):
        enrolment_create(learner=LearnerFactory(), run=run, by=None)
    return run


def statuses(run) -> list[str]:
    return list(run.enrolments.order_by("pk").values_list("status", flat=True))


def test_raising_the_capacity_anywhere_promotes_the_waitlist_after_commit(
    full_run, django_capture_on_commit_callbacks
):
    full_run.capacity = 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        full_run.save()
        # Nothing moves before the change commits: the seats counted are the saved ones.
        assert statuses(full_run) == [S.ENROLLED, S.WAITLISTED, S.WAITLISTED, S.WAITLISTED]
    assert callbacks
    assert statuses(full_run) == [S.ENROLLED, S.OFFERED, S.OFFERED, S.WAITLISTED]
    offered = EnrolmentEvent.objects.filter(to_status=S.OFFERED, from_status=S.WAITLISTED)
    assert offered.count() == 2


def test_lowering_the_capacity_moves_nobody(full_run, django_capture_on_commit_callbacks):
    full_run.capacity = 0
    with django_capture_on_commit_callbacks(execute=True):
        full_run.save()
    assert statuses(full_run) == [S.ENROLLED, S.WAITLISTED, S.WAITLISTED, S.WAITLISTED]


def test_a_run_that_is_not_published_promotes_nobody(full_run, django_capture_on_commit_callbacks):
    full_run.capacity = 3
    full_run.status = RunStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        full_run.save()
    assert statuses(full_run) == [S.ENROLLED, S.WAITLISTED, S.WAITLISTED, S.WAITLISTED]


def test_a_new_run_waits_for_no_commit(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        CourseRunFactory(course__parent=site.catalogue)
    # Only the page cache's refresh (cms.page_cache): no waitlist to promote in a new run.
    assert {callback.__module__ for callback in callbacks} == {"cms.page_cache"}
