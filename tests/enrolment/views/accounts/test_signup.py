import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from enrolment.models import Learner
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/"
NEXT_STEP = "/accounts/signup/next/"
PASSWORD = "river-lantern-bicycle"


def form_data(**overrides) -> dict:
    data = {
        "phone": "",
        "email": "",
        "preferred_name": "Amina",
        "date_of_birth": "1994-03-02",
        "english_level": "a1",
        "preferred_language": "en",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int]:
    return get_user_model().objects.count(), Learner.objects.count()


def test_it_signs_up_with_a_phone_number_only(client, site):
    response = client.post(URL, form_data(phone="+852 9123 4567"))

    assert response.status_code == 302
    assert response["Location"] == NEXT_STEP
    learner = Learner.objects.select_related("user").get(preferred_name="Amina")
    assert learner.phone == "+85291234567"
    assert learner.email == ""
    assert learner.date_of_birth == dt.date(1994, 3, 2)
    assert learner.english_level == "a1"
    assert learner.user.username == "+85291234567"
    assert learner.user.email == ""
    assert list(learner.user.groups.values_list("name", flat=True)) == ["Learners"]
    # The next step is to sign in, with the number already filled in.
    assert "_auth_user_id" not in client.session
    page = client.get(NEXT_STEP).content.decode()
    assert 'value="+85291234567"' in page
    signed_in = client.post("/accounts/login/", {"username": "+85291234567", "password": PASSWORD})
    assert signed_in["Location"] == "/learn/"
    assert client.get("/learn/").status_code == 200


def test_it_signs_up_with_an_email_only(client, site):
    response = client.post(URL, form_data(email="Amina.Y@Example.org", preferred_language="ar"))

    assert response.status_code == 302
    learner = Learner.objects.select_related("user").get()
    assert learner.user.username == "amina.y@example.org"
    assert learner.user.email == "amina.y@example.org"
    assert learner.email == "amina.y@example.org"
    assert learner.phone == ""
    assert learner.preferred_language == "ar"


def test_it_uses_the_phone_as_username_when_both_are_given(client, site):
    client.post(URL, form_data(phone="9123 4567", email="amina@example.org"))

    user = get_user_model().objects.get(learner__preferred_name="Amina")
    assert user.username == "+85291234567"
    assert user.email == "amina@example.org"


def test_it_needs_a_phone_number_or_an_email(client, site):
    before = counts()
    response = client.post(URL, form_data())

    assert response.status_code == 200
    assert "Give a phone number or an email address" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("typed", ["12ab", "11", "+11", "1234 5678", "9123 456"])
def test_it_rejects_something_that_is_not_a_phone_number(client, site, typed):
    response = client.post(URL, form_data(phone=typed))

    assert "This is not a phone number that can be called" in response.content.decode()
    assert not Learner.objects.exists()


def answer(response, typed: str) -> tuple:
    """What a visitor sees of a sign-up: its status, where it leads, and that page (less the
    identifier they typed, filled in again, and the form's one-time CSRF token)."""
    page = response.client.get(NEXT_STEP).content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return response.status_code, response["Location"], page.replace(typed, "")


def test_a_taken_phone_number_answers_as_a_new_one_does(client, site, cast):
    Learner.objects.filter(user=cast.learner).update(phone="+85291234567")
    before = counts()

    taken = answer(client.post(URL, form_data(phone="9123-4567")), "+85291234567")
    new = answer(client.post(URL, form_data(phone="6123 4567")), "+85261234567")

    assert taken == new
    assert taken[:2] == (302, NEXT_STEP)
    assert "already exists" not in taken[2]
    assert counts() == (before[0] + 1, before[1] + 1)  # only the new number made an account
    assert "_auth_user_id" not in client.session


def test_the_phone_number_of_a_learner_registered_at_the_centre_is_not_taken_again(client, site):
    LearnerFactory(preferred_name="Registered by staff", phone="91234567")
    before = counts()

    response = client.post(URL, form_data(phone="+852 9123 4567"))

    assert response["Location"] == NEXT_STEP
    assert counts() == before


def test_a_taken_email_answers_as_a_new_one_and_mails_its_owner_a_reset_link(
    client, site, cast, django_capture_on_commit_callbacks
):
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        taken = answer(
            client.post(URL, form_data(email="LEARNER@example.org")), "learner@example.org"
        )
        new = answer(
            client.post(URL, form_data(email="someone.new@example.org")), "someone.new@example.org"
        )

    assert taken == new
    assert counts() == (before[0] + 1, before[1] + 1)
    assert [message.to for message in mail.outbox] == [["learner@example.org"]]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_a_taken_phone_mails_the_reset_link_to_its_accounts_email(
    client, site, cast, django_capture_on_commit_callbacks
):
    Learner.objects.filter(user=cast.learner).update(phone="+85291234567")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(phone="9123 4567", email="not.the.owner@example.org"))

    assert [message.to for message in mail.outbox] == [["learner@example.org"]]
    assert not Learner.objects.filter(email="not.the.owner@example.org").exists()


def test_it_refuses_two_different_passwords(client, site):
    response = client.post(URL, form_data(phone="91234567", password2="something-else-9"))

    assert "The two passwords are not the same." in response.content.decode()
    assert not Learner.objects.exists()


def test_it_refuses_a_weak_password(client, site):
    response = client.post(URL, form_data(phone="91234567", password1="12345", password2="12345"))

    assert response.status_code == 200
    assert not Learner.objects.exists()


def test_it_refuses_a_date_of_birth_in_the_future(client, site):
    response = client.post(URL, form_data(phone="91234567", date_of_birth="2999-01-01"))

    assert "cannot be in the future" in response.content.decode()
    assert not Learner.objects.exists()


def test_it_defaults_the_english_level_to_none(client, site):
    client.post(URL, form_data(phone="91234567", english_level=""))

    assert Learner.objects.get().english_level == "none"


def test_it_goes_back_to_the_course_page_after_signing_up_and_in(client, site):
    response = client.post(URL, form_data(phone="91234567", next="/courses/english/#run-ENG-1"))
    page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/courses/english/#run-ENG-1"' in page

    signed_in = client.post(
        "/accounts/login/",
        {"username": "91234567", "password": PASSWORD, "next": "/courses/english/#run-ENG-1"},
    )

    assert signed_in["Location"] == "/courses/english/#run-ENG-1"


def test_it_ignores_a_next_url_on_another_site(client, site):
    response = client.post(URL, form_data(phone="91234567", next="https://evil.example/"))

    assert response["Location"] == NEXT_STEP


def test_it_shows_the_collection_notice(client, site):
    html = client.get(URL).content.decode()

    assert "How we use your information" in html
    assert "Personal Data (Privacy) Ordinance" in html


def test_it_ties_errors_to_their_fields(client, site):
    html = client.post(URL, form_data()).content.decode()

    assert 'id="id_phone_error"' in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<label for="id_phone">' in html


def test_it_sends_someone_already_signed_in_on(client, site, cast):
    client.force_login(cast.learner)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/learn/"


@pytest.mark.ratelimit
@override_settings(SIGNUP_RATE_PER_ADDRESS="3/h")
def test_sign_ups_are_limited_per_address(client, site):
    for _ in range(3):
        client.post(URL, form_data())  # mistakes count too

    response = client.post(URL, form_data(phone="9123 4567"))

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not Learner.objects.exists()
    other = client.post(URL, form_data(phone="9123 4567"), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.ratelimit
@override_settings(SIGNUP_RATE_PER_IDENTIFIER="2/h")
def test_sign_ups_naming_one_number_are_limited_from_any_address(client, site):
    for n, typed in enumerate(["9123 4567", "+852 91234567"]):
        client.post(URL, form_data(phone=typed), REMOTE_ADDR=f"198.51.100.{n}")

    response = client.post(URL, form_data(phone="91234567"), REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 429
    # Another number from that address is not held up.
    assert (
        client.post(URL, form_data(phone="6123 4567"), REMOTE_ADDR="198.51.100.9").status_code
        == 302
    )


@pytest.mark.ratelimit
@override_settings(SIGNUP_RATE_PER_IDENTIFIER="2/h")
def test_sign_ups_naming_one_email_are_limited_whatever_its_case(client, site):
    for n, typed in enumerate(["amina@example.org", "AMINA@example.org"]):
        client.post(URL, form_data(email=typed), REMOTE_ADDR=f"198.51.100.{n}")

    response = client.post(URL, form_data(email="Amina@Example.org"), REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 429


def test_sign_up_asks_the_languages_spoken_and_photo_consent_unticked(client, site):
    html = client.get(URL).content.decode()

    assert 'name="languages"' in html
    photo = re.search(r'<input[^>]*name="consent_photo"[^>]*>', html).group(0)
    assert 'type="checkbox"' in photo and "checked" not in photo


def test_sign_up_records_the_languages_and_photo_consent_given(client, site):
    client.post(URL, form_data(phone="9123 4567", languages=" Somali, Arabic ", consent_photo="on"))

    learner = Learner.objects.get(preferred_name="Amina")
    assert learner.languages == "Somali, Arabic"
    assert learner.consent_photo is True


def test_sign_up_without_them_records_no_photo_consent(client, site):
    client.post(URL, form_data(phone="9123 4567"))

    learner = Learner.objects.get(preferred_name="Amina")
    assert learner.languages == "" and learner.consent_photo is False
