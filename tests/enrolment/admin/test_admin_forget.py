"""A coordinator forgets one person from their record, with a reason and a confirmation."""

import pytest
from django.urls import reverse

from enrolment.models import EnrolmentStatus, Learner
from tests.factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zainab(cast):
    return LearnerFactory(
        preferred_name="Zainab", legal_name="Zainab Qureshi", phone="+85291230077"
    )


def forget_url(learner):
    return reverse("learners:forget", args=[learner.pk])


def test_the_record_offers_to_forget_the_person(client, cast, zainab):
    client.force_login(cast.coordinator)

    page = client.get(reverse("learners:edit", args=[zainab.pk])).content.decode()

    assert forget_url(zainab) in page


def test_the_confirmation_says_what_goes_and_what_stays(client, cast, zainab):
    client.force_login(cast.coordinator)

    page = client.get(forget_url(zainab)).content.decode()

    assert "cannot be undone" in page
    assert "What is kept" in page
    assert 'name="understood"' in page and 'name="reason"' in page


def test_forgetting_with_a_reason_and_the_tick_removes_the_details(client, cast, zainab):
    client.force_login(cast.coordinator)

    response = client.post(
        forget_url(zainab), {"reason": "Asked at the desk", "understood": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("learners:edit", args=[zainab.pk])
    zainab.refresh_from_db()
    assert zainab.anonymised_at is not None and zainab.phone == ""
    page = response.content.decode()
    assert "was forgotten" in page and "Zainab" not in page
    assert forget_url(zainab) not in page  # nothing more to forget


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "Asked at the desk"},  # not ticked
        {"understood": "on"},  # no reason
        {"reason": "   ", "understood": "on"},
        {"reason": "two\nlines", "understood": "on"},
    ],
)
def test_without_a_reason_or_the_tick_nothing_changes(client, cast, zainab, data):
    client.force_login(cast.coordinator)

    response = client.post(forget_url(zainab), data)

    assert response.status_code == 200
    assert Learner.objects.get(pk=zainab.pk).anonymised_at is None


def test_someone_still_enrolled_is_not_forgotten_and_told_why(client, cast, zainab):
    EnrolmentFactory(learner=zainab, status=EnrolmentStatus.ENROLLED)
    client.force_login(cast.coordinator)

    response = client.post(forget_url(zainab), {"reason": "Asked", "understood": "on"})

    assert response.status_code == 200
    assert "Withdraw them from it first" in response.content.decode()
    assert Learner.objects.get(pk=zainab.pk).anonymised_at is None


def test_an_unknown_learner_is_a_404(client, cast):
    client.force_login(cast.coordinator)

    assert client.get(reverse("learners:forget", args=[999999])).status_code == 404


@pytest.mark.parametrize("member", ["translator", "teacher", "learner"])
def test_no_one_but_a_coordinator_may_forget(client, cast, zainab, member):
    client.force_login(getattr(cast, member))

    response = client.post(forget_url(zainab), {"reason": "Asked", "understood": "on"})

    assert response.status_code == 302
    assert Learner.objects.get(pk=zainab.pk).anonymised_at is None
