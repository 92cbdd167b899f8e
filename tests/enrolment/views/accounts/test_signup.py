import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from enrolment.models import Learner
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/"
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
    assert response["Location"] == "/learn/"
    learner = Learner.objects.select_related("user").get(preferred_name="Amina")
    assert learner.phone == "+85291234567"
    assert learner.email == ""
    assert learner.date_of_birth == dt.date(1994, 3, 2)
    assert learner.english_level == "a1"
    assert learner.user.username == "+85291234567"
    assert learner.user.email == ""
    assert list(learner.user.groups.values_list("name", flat=True)) == ["Learners"]
    # Signed in straight away.
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


def test_it_refuses_a_phone_number_that_already_has_an_account(client, site, cast):
    Learner.objects.filter(user=cast.learner).update(phone="+85291234567")
    before = counts()

    response = client.post(URL, form_data(phone="9123-4567"))

    assert response.status_code == 200
    assert "An account with this phone number already exists" in response.content.decode()
    assert counts() == before
    assert "_auth_user_id" not in client.session


def test_it_refuses_the_phone_number_of_a_learner_registered_at_the_centre(client, site):
    LearnerFactory(preferred_name="Registered by staff", phone="91234567")
    before = counts()

    response = client.post(URL, form_data(phone="+852 9123 4567"))

    assert "An account with this phone number already exists" in response.content.decode()
    assert counts() == before


def test_it_refuses_an_email_that_already_has_an_account(client, site, cast):
    before = counts()

    response = client.post(URL, form_data(email="LEARNER@example.org"))

    assert "An account with this email already exists" in response.content.decode()
    assert counts() == before


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


def test_it_goes_back_to_the_course_page_after_signing_up(client, site):
    response = client.post(URL, form_data(phone="91234567", next="/courses/english/#run-ENG-1"))

    assert response["Location"] == "/courses/english/#run-ENG-1"


def test_it_ignores_a_next_url_on_another_site(client, site):
    response = client.post(URL, form_data(phone="91234567", next="https://evil.example/"))

    assert response["Location"] == "/learn/"


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
