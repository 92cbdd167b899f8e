import datetime as dt

import pytest
from django.utils import timezone

from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import messages_of
from tests.factories import CoursePageFactory, CourseRunFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

S = EnrolmentStatus


@pytest.fixture
def run(site):
    course = CoursePageFactory(title="Computers for work", parent=site.catalogue)
    return CourseRunFactory(course=course, code="PC-01", capacity=1)


@pytest.fixture
def mine(cast, run):
    return EnrolmentFactory(learner=cast.learner.learner, run=run, status=S.ENROLLED)


def url(enrolment) -> str:
    return f"/learn/enrolments/{enrolment.pk}/withdraw/"


def test_it_asks_before_withdrawing(client, cast, mine):
    client.force_login(cast.learner)

    response = client.get(url(mine))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Withdraw from this course?" in html
    assert 'method="post"' in html
    assert '<label for="id_reason">' in html
    mine.refresh_from_db()
    assert mine.status == S.ENROLLED


def test_it_withdraws_and_gives_the_seat_to_the_next_person_waiting(client, cast, run, mine):
    first = EnrolmentFactory(
        learner=cast.other_learner.learner,
        run=run,
        status=S.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(hours=2),
    )
    second = EnrolmentFactory(run=run, status=S.WAITLISTED, waitlisted_at=timezone.now())
    client.force_login(cast.learner)

    response = client.post(url(mine), {"reason": "I found a job."}, follow=True)

    assert response.redirect_chain == [("/learn/", 302)]
    assert "You have withdrawn from Computers for work (PC-01)." in messages_of(response)
    mine.refresh_from_db()
    assert mine.status == S.WITHDRAWN
    event = mine.events.get(to_status=S.WITHDRAWN)
    assert (event.by, event.reason) == (cast.learner, "I found a job.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.OFFERED
    assert second.status == S.WAITLISTED

    # The next learner sees the offered seat on their own page, and takes it.
    client.force_login(cast.other_learner)
    html = client.get("/learn/").content.decode()
    assert "Computers for work" in html
    assert "A seat is free for you" in html
    client.post(f"/learn/enrolments/{first.pk}/offer/accept/")
    html = client.get("/learn/").content.decode()
    assert ">Enrolled<" in html


def test_it_lets_a_learner_leave_the_waitlist(client, cast, run):
    EnrolmentFactory(run=run, status=S.ENROLLED)
    waiting = EnrolmentFactory(
        learner=cast.learner.learner, run=run, status=S.WAITLISTED, waitlisted_at=timezone.now()
    )
    client.force_login(cast.learner)

    page = client.get(url(waiting)).content.decode()
    response = client.post(url(waiting), follow=True)

    assert "Leave the waitlist?" in page
    assert "You left the waitlist for Computers for work." in messages_of(response)
    waiting.refresh_from_db()
    assert waiting.status == S.WITHDRAWN


def test_it_lets_a_learner_withdraw_an_application(client, cast, run):
    applied = EnrolmentFactory(learner=cast.learner.learner, run=run, status=S.APPLIED)
    client.force_login(cast.learner)

    client.post(url(applied))

    applied.refresh_from_db()
    assert applied.status == S.WITHDRAWN


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_does_not_show_or_change_someone_elses_enrolment(client, cast, run, method):
    theirs = EnrolmentFactory(learner=cast.other_learner.learner, run=run, status=S.ENROLLED)
    client.force_login(cast.learner)

    response = getattr(client, method)(url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.ENROLLED
    assert theirs.events.count() == 0


@pytest.mark.parametrize("who", ["teacher", "sponsor", "coordinator"])
def test_staff_cannot_withdraw_learners_here(client, cast, mine, who):
    # Coordinators withdraw learners in the admin, where the action is recorded as theirs.
    client.force_login(getattr(cast, who))

    assert client.post(url(mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.status == S.ENROLLED


def test_it_sends_a_visitor_to_sign_in(client, mine):
    response = client.post(url(mine))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    mine.refresh_from_db()
    assert mine.status == S.ENROLLED


def test_it_says_so_when_the_enrolment_is_no_longer_active(client, cast, run):
    old = EnrolmentFactory(learner=cast.learner.learner, run=run, status=S.WITHDRAWN)
    client.force_login(cast.learner)

    response = client.post(url(old), follow=True)

    assert "This enrolment is no longer active." in messages_of(response)
    assert Enrolment.objects.get(pk=old.pk).status == S.WITHDRAWN


def test_it_does_not_know_unknown_enrolments(client, cast, mine):
    client.force_login(cast.learner)

    assert client.get(f"/learn/enrolments/{mine.pk + 100}/withdraw/").status_code == 404
