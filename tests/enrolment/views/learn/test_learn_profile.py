"""/learn/profile/: a learner's own details, and what the learner's pages never show."""

import pytest
from django.test import override_settings

from enrolment.models import Learner
from tests.enrolment.views.learn.conftest import SECRET
from tests.factories import CourseRunFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_case_reference_never_appears_on_a_learners_pages(client, cast, lea, courses):
    enrolment = EnrolmentFactory(learner=lea, run=CourseRunFactory(course=courses[0]))
    client.force_login(cast.learner)

    pages = [
        "/learn/",
        "/learn/profile/",
        f"/learn/enrolments/{enrolment.pk}/withdraw/",
        courses[0].url,
        "/accounts/password/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    response = client.post("/learn/profile/", profile_data(lea, preferred_name=""))
    assert SECRET not in response.content.decode()


def profile_data(learner: Learner, **changes) -> dict:
    data = {
        "preferred_name": learner.preferred_name,
        "phone": learner.phone,
        "email": learner.email,
        "languages": learner.languages,
        "preferred_language": learner.preferred_language,
        "message_channel": learner.message_channel,
    }
    if learner.messages_consent_at and not learner.messages_stopped_at:
        data["messages_consent"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_the_profile_edits_a_learners_own_details(client, cast, lea):
    client.force_login(cast.learner)

    response = client.post(
        "/learn/profile/",
        profile_data(
            lea,
            preferred_name="Lea M.",
            phone="6222 1111",
            email="Lea@Example.org",
            languages="Tigrinya, Arabic",
            preferred_language="ar",
            consent_photo="on",
            case_reference="CHANGED-BY-LEARNER",
        ),
    )

    assert response.status_code == 302
    # The site follows the language the learner chose, at once.
    assert response["Location"] == "/ar/learn/profile/"
    lea.refresh_from_db()
    assert lea.preferred_name == "Lea M."
    assert lea.phone == "+85262221111"
    assert lea.email == "lea@example.org"
    assert lea.languages == "Tigrinya, Arabic"
    assert lea.preferred_language == "ar"
    assert lea.consent_photo is True
    assert lea.consent_share_progress is False
    assert lea.case_reference == SECRET
    cast.learner.refresh_from_db()
    assert cast.learner.email == "lea@example.org"


def test_the_profile_refuses_someone_elses_phone_number(client, cast, lea):
    Learner.objects.filter(user=cast.other_learner).update(phone="+85262221111")
    client.force_login(cast.learner)

    response = client.post("/learn/profile/", profile_data(lea, phone="6222 1111"))

    assert response.status_code == 200
    assert "An account with this phone number already exists" in response.content.decode()
    lea.refresh_from_db()
    assert lea.phone == "+85291234567"


@pytest.mark.ratelimit
@override_settings(PROFILE_RATE="3/h")
def test_trying_number_after_number_on_the_profile_is_limited(client, cast, lea):
    client.force_login(cast.learner)
    for n in range(3):
        client.post("/learn/profile/", profile_data(lea, phone=f"6222 111{n}"))

    response = client.post("/learn/profile/", profile_data(lea, phone="6222 1119"))

    assert response.status_code == 429
    lea.refresh_from_db()
    assert lea.phone == "+85262221112"
    # Reading the profile is not limited, nor is another learner's change.
    assert client.get("/learn/profile/").status_code == 200
    client.force_login(cast.other_learner)
    other = Learner.objects.get(user=cast.other_learner)
    response = client.post("/learn/profile/", profile_data(other, phone="6222 3333"))
    assert response.status_code == 302


def test_the_profile_keeps_a_way_to_sign_in(client, cast, lea):
    client.force_login(cast.learner)

    response = client.post("/learn/profile/", profile_data(lea, phone="", email=""))

    assert "Give a phone number or an email address" in response.content.decode()
    lea.refresh_from_db()
    assert lea.phone == "+85291234567"


def test_the_profile_shows_the_collection_notice(client, cast, lea):
    client.force_login(cast.learner)

    html = client.get("/learn/profile/").content.decode()

    assert "How we use your information" in html
    assert "Personal Data (Privacy) Ordinance" in html
    assert 'name="case_reference"' not in html


def test_the_profile_is_only_for_learners(client, cast):
    client.force_login(cast.sponsor)

    assert client.get("/learn/profile/").status_code == 403


def test_a_learners_own_changes_are_in_their_history_for_coordinators(client, cast, site):
    from wagtail.models import ModelLogEntry

    learner = cast.learner.learner
    client.force_login(cast.learner)
    client.post(
        "/learn/profile/",
        {
            "preferred_name": "Lea B.",
            "phone": learner.phone,
            "email": cast.learner.email,
            "languages": learner.languages,
            "preferred_language": "en",
            "consent_photo": "on",
        },
    )
    entry = ModelLogEntry.objects.for_instance(learner).get(action="enrolment.learner.edit")
    assert entry.user == cast.learner
    assert "preferred_name" in entry.data["fields"]
    # Consent changes have their own entries, with the purpose and how it was given.
    consent = ModelLogEntry.objects.for_instance(learner).get(action="enrolment.consent.give")
    assert consent.user == cast.learner
    assert consent.data == {"purpose": "photo", "method": "online"}
    assert "Lea B." not in str(entry.data)  # which fields, never their values


def test_an_adults_profile_offers_no_sponsor_consent_and_cannot_set_it(client, cast, lea):
    client.force_login(cast.learner)

    html = client.get("/learn/profile/").content.decode()
    assert 'name="consent_share_progress"' not in html
    assert "my sponsor may see" not in html
    assert "School progress shared with sponsors" not in html  # an adult has no guardian

    client.post("/learn/profile/", profile_data(lea, consent_share_progress="on"))
    lea.refresh_from_db()
    assert lea.consent_share_progress is False


def test_a_childs_profile_says_whether_the_guardian_agreed_to_share_progress(client, cast, lea):
    Learner.objects.filter(pk=lea.pk).update(guardian_name="Halima", consent_share_progress=True)
    client.force_login(cast.learner)

    html = client.get("/learn/profile/").content.decode()

    assert 'name="consent_share_progress"' not in html  # given by the guardian, with staff
    assert "Yes, your parent or guardian agreed" in html
