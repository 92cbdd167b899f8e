"""Reviewing a run's applications in bulk."""

import pytest

from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import html_of, messages_of
from tests.enrolment.admin.enrolments.conftest import INDEX, enrol
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def applications(world):
    world.review.capacity = 2
    world.review.save()
    return [enrol(LearnerFactory(preferred_name=f"Applicant {i}"), world.review) for i in range(3)]


def test_the_review_index_lists_runs_with_applications(client, cast, world, applications):
    client.force_login(cast.coordinator)
    html = html_of(client.get(INDEX + "review/"))
    assert "ENG-A1-REVIEW" in html and "ENG-A1-T1-B" not in html


def test_bulk_approval_fills_seats_in_order_then_the_waitlist(client, cast, world, applications):
    client.force_login(cast.coordinator)
    url = f"{INDEX}review/{world.review.pk}/"
    page = html_of(client.get(url))
    assert all(a.learner.preferred_name in page for a in applications)

    response = client.post(
        url, {"selected": [a.pk for a in applications], "action": "approve"}, follow=True
    )
    statuses = [Enrolment.objects.get(pk=a.pk).status for a in applications]
    assert statuses == [S.ENROLLED, S.ENROLLED, S.WAITLISTED]
    assert messages_of(response)[0] == (
        "3 applications approved: 2 enrolled, then the class was full, so 1 on the waitlist."
    )


def test_bulk_approval_into_free_seats_says_nothing_of_a_waitlist(
    client, cast, world, applications
):
    world.review.capacity = 10
    world.review.save()
    client.force_login(cast.coordinator)
    url = f"{INDEX}review/{world.review.pk}/"
    response = client.post(
        url, {"selected": [a.pk for a in applications[:2]], "action": "approve"}, follow=True
    )
    assert messages_of(response)[0] == "2 applications approved: all are enrolled."


def test_bulk_decline_needs_a_reason_and_records_it(client, cast, world, applications):
    client.force_login(cast.coordinator)
    url = f"{INDEX}review/{world.review.pk}/"
    chosen = [applications[0].pk, applications[2].pk]
    response = client.post(url, {"selected": chosen, "action": "decline"})
    assert response.status_code == 200
    assert not Enrolment.objects.filter(status=S.DECLINED).exists()

    response = client.post(
        url, {"selected": chosen, "action": "decline", "reason": "Class is for women only"}
    )
    assert response.status_code == 302
    declined = Enrolment.objects.filter(status=S.DECLINED)
    assert sorted(declined.values_list("pk", flat=True)) == chosen
    assert {e.events.last().reason for e in declined} == {"Class is for women only"}
    assert Enrolment.objects.get(pk=applications[1].pk).status == S.APPLIED


def test_bulk_review_changes_nothing_when_one_selection_is_stale(client, cast, world, applications):
    applications[1].status = S.WITHDRAWN  # withdrawn by the learner meanwhile
    applications[1].save()
    client.force_login(cast.coordinator)
    response = client.post(
        f"{INDEX}review/{world.review.pk}/",
        {"selected": [a.pk for a in applications], "action": "approve"},
    )
    assert response.status_code == 200
    assert Enrolment.objects.filter(status=S.ENROLLED).count() == 0


def test_bulk_review_is_refused_to_a_sponsor(client, cast, world, applications):
    client.force_login(cast.sponsor)
    response = client.post(
        f"{INDEX}review/{world.review.pk}/",
        {"selected": [a.pk for a in applications], "action": "approve"},
    )
    assert response.status_code in (302, 403)
    assert Enrolment.objects.filter(status=S.APPLIED).count() == 3
