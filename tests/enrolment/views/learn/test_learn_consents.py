"""/learn/consents/: the learner sees each consent in plain words, gives or withdraws it
online (an adult), or is told that their parent or guardian gives it (a child)."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Consent, ConsentMethod, ConsentPurpose
from enrolment.services.consents import consent_give, consent_withdraw
from tests.factories import UserFactory, years_ago

pytestmark = pytest.mark.django_db
URL = "/learn/consents/"
CHANGE = "/learn/consents/change/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_page_lists_each_consent_in_plain_words(client, cast, lea, site):
    client.force_login(cast.learner)
    page = text(client.get(URL))
    for words in ["Photos", "School progress shared with sponsors", "Publishing a story"]:
        assert words in page
    assert "A parent or guardian gives this consent, at the centre." in page
    assert URL in text(client.get("/learn/"))
    assert URL in text(client.get("/learn/profile/"))


def test_an_adult_gives_and_withdraws_a_consent_online(client, cast, lea, site):
    client.force_login(cast.learner)

    response = client.post(CHANGE, {"purpose": "photo", "action": "give"}, follow=True)
    assert "Your consent is recorded" in text(response)
    lea.refresh_from_db()
    assert lea.consent_photo
    assert "Recorded on" in text(response) and "by you, on this site" in text(response)

    client.post(CHANGE, {"purpose": "photo", "action": "withdraw"})
    lea.refresh_from_db()
    assert not lea.consent_photo
    row = Consent.objects.get(learner=lea)
    assert (row.method, row.given_by, row.withdrawn_method) == ("online", cast.learner, "online")


def test_progress_sharing_cannot_be_given_online(client, cast, lea, site):
    client.force_login(cast.learner)
    response = client.post(CHANGE, {"purpose": "share_progress", "action": "give"}, follow=True)
    assert "A parent or guardian gives this consent" in text(response)
    lea.refresh_from_db()
    assert not lea.consent_share_progress and not Consent.objects.exists()


def test_a_child_cannot_give_consent_online_but_can_withdraw_it(client, site):
    user = UserFactory(groups=["Learners"])
    from tests.factories import ChildFactory

    child = ChildFactory(user=user, consent_photo=False, consent_share_progress=False)
    staff = UserFactory(groups=["Coordinators"])
    consent_give(learner=child, purpose="share_progress", by=staff, method="guardian")
    client.force_login(user)

    page = text(client.get(URL))
    assert "your parent or guardian gives these consents for you" in page
    assert "by your parent or guardian" in page
    response = client.post(CHANGE, {"purpose": "photo", "action": "give"}, follow=True)
    assert "Your parent or guardian gives this consent for you" in text(response)
    child.refresh_from_db()
    assert not child.consent_photo

    client.post(CHANGE, {"purpose": "share_progress", "action": "withdraw"})
    child.refresh_from_db()
    assert not child.consent_share_progress
    assert Consent.objects.get(learner=child).withdrawn_method == ConsentMethod.ONLINE
    assert child.date_of_birth > years_ago(18)


def test_messages_consent_needs_a_channel_first(client, cast, lea, site):
    client.force_login(cast.learner)
    lea.message_channel = "none"
    lea.save()
    response = client.post(CHANGE, {"purpose": "messages", "action": "give"}, follow=True)
    assert "First choose how we send you messages" in text(response)
    lea.message_channel = "sms"
    lea.save()
    client.post(CHANGE, {"purpose": "messages", "action": "give"})
    lea.refresh_from_db()
    assert lea.messages_consent_at is not None and lea.messages_consent_by == cast.learner


def test_a_learner_changes_only_their_own_consents(client, cast, lea, site):
    other = cast.other_learner.learner
    staff = UserFactory(groups=["Coordinators"])
    consent_give(learner=other, purpose="photo", by=staff, method="in_person")
    client.force_login(cast.learner)

    # No learner in the address or the form: the signed-in learner's own, always.
    client.post(CHANGE, {"purpose": "photo", "action": "withdraw", "learner": other.pk})

    other.refresh_from_db()
    assert other.consent_photo
    assert "Omar" not in text(client.get(URL))


@pytest.mark.parametrize(
    "data", [{}, {"purpose": "tattoos", "action": "give"}, {"purpose": "photo", "action": "x"}]
)
def test_bad_input_changes_nothing(client, cast, lea, site, data):
    client.force_login(cast.learner)
    response = client.post(CHANGE, data, follow=True)
    assert response.status_code == 200
    assert "Choose a consent to give or withdraw." in text(response)
    assert not Consent.objects.exists()


def test_changing_needs_a_post_and_a_signed_in_learner(client, cast, lea, site):
    assert client.get(CHANGE).status_code in (302, 405)
    assert client.post(CHANGE, {"purpose": "photo", "action": "give"}).status_code == 302
    assert not Consent.objects.exists()
    client.force_login(cast.teacher)
    assert client.get(URL).status_code == 403
    client.force_login(cast.learner)
    assert client.get(CHANGE).status_code == 405


def test_the_history_is_paginated_and_its_queries_do_not_grow(client, cast, lea, site):
    client.force_login(cast.learner)

    def flip(times):
        for _ in range(times):
            consent_give(
                learner=lea, purpose=ConsentPurpose.STORY, by=cast.learner, method="online"
            )
            consent_withdraw(
                learner=lea, purpose=ConsentPurpose.STORY, by=cast.learner, method="online"
            )

    flip(2)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    flip(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 20
    assert "Page 1 of 2" in text(response)
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_a_child_cannot_agree_to_messages_or_photos_in_my_details(client, site):
    from tests.factories import ChildFactory

    user = UserFactory(groups=["Learners"], email="kid@example.org")
    child = ChildFactory(
        user=user,
        consent_photo=False,
        message_channel="email",
        email="kid@example.org",
        guardian_phone="+85261230001",
    )
    client.force_login(user)
    response = client.post(
        "/learn/profile/",
        {
            "preferred_name": child.preferred_name,
            "phone": "",
            "email": "kid@example.org",
            "languages": "",
            "preferred_language": "en",
            "message_channel": "email",
            "messages_consent": "on",
        },
    )
    assert "Your parent or guardian gives this consent for you" in text(response)
    child.refresh_from_db()
    assert child.messages_consent_at is None and not Consent.objects.exists()
