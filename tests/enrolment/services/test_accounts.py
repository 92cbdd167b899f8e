import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from enrolment.errors import AccountError
from enrolment.models import Learner
from enrolment.services.accounts import (
    learner_profile_update,
    learner_register,
    learner_set_password_link,
    phone_parse,
)
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-harbour-morning"


def register(**overrides) -> Learner:
    data = {
        "password": "river-lantern-bicycle",
        "preferred_name": "Amina",
        "date_of_birth": dt.date(1994, 3, 2),
        "phone": "9123 4567",
    }
    data.update(overrides)
    return learner_register(**data)


def set_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the one-time link and choose a password, as the learner would."""
    page = client.get(link, follow=True)
    if not page.context["validlink"]:
        return page
    form_url = page.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("9123 4567", "+85291234567"),
        ("+852 9123-4567", "+85291234567"),
        ("(852) 9123 4567", "+85291234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("00852 9123 4567", "+85291234567"),
        ("852 9123 4567", "+85291234567"),
        ("٩١٢٣ ٤٥٦٧", "+85291234567"),  # Arabic-Indic digits, as some phones type them
        ("11", ""),
        ("+11", ""),
        ("abc", ""),
        ("1234 5678", ""),  # no Hong Kong number starts with 1
        ("+852 9123 456", ""),  # a digit short
        ("+1 212 555 01000", ""),  # a digit long
        ("coordinator", ""),
        ("teacher.grace", ""),
        ("user12345678", ""),
        ("12345", ""),
        ("", ""),
    ],
)
def test_it_reads_phone_numbers_and_nothing_else(typed, expected):
    assert phone_parse(typed) == expected


def test_it_registers_a_learner_with_an_account_in_the_learners_group():
    learner = register()

    assert learner.phone == "+85291234567"
    assert learner.user.username == "+85291234567"
    assert learner.user.check_password("river-lantern-bicycle")
    assert learner.user.groups.filter(name="Learners").exists()
    assert learner.user.first_name == "Amina"


def test_it_registers_nothing_when_the_phone_is_taken():
    register()
    users, learners = get_user_model().objects.count(), Learner.objects.count()

    with pytest.raises(AccountError) as caught:
        register(preferred_name="Someone else", phone="+85291234567")

    assert caught.value.field == "phone"
    assert (get_user_model().objects.count(), Learner.objects.count()) == (users, learners)


def test_it_registers_nothing_when_the_email_is_taken(cast):
    with pytest.raises(AccountError) as caught:
        register(phone="", email="Other_Learner@example.org")

    assert caught.value.field == "email"
    assert not Learner.objects.filter(preferred_name="Amina").exists()


def test_it_needs_a_phone_or_an_email():
    with pytest.raises(AccountError):
        register(phone="", email="")

    assert not Learner.objects.exists()


def test_it_makes_an_account_for_a_learner_registered_at_the_desk(site):
    learner = LearnerFactory(phone="6123 4567")

    link = learner_set_password_link(learner=learner)

    learner.refresh_from_db()
    user = learner.user
    assert user.username == "+85261234567"
    assert not user.has_usable_password()
    assert user.groups.filter(name="Learners").exists()
    assert link.startswith("http://testserver/accounts/reset/")


def test_it_names_an_account_without_phone_or_email_after_the_learner(site):
    learner = LearnerFactory()

    learner_set_password_link(learner=learner)

    learner.refresh_from_db()
    assert learner.user.username == f"learner-{learner.pk}"


def test_it_builds_the_link_from_the_request(rf, site, settings):
    settings.ALLOWED_HOSTS = ["centre.example.org"]
    learner = LearnerFactory()
    request = rf.get("/", HTTP_HOST="centre.example.org", secure=True)

    link = learner_set_password_link(learner=learner, request=request)

    assert link.startswith("https://centre.example.org/accounts/reset/")


def test_it_keeps_the_account_a_learner_already_has(site, cast):
    learner = cast.learner.learner

    learner_set_password_link(learner=learner)

    learner.refresh_from_db()
    assert learner.user == cast.learner
    assert get_user_model().objects.filter(username__startswith="learner-").count() == 0


def test_the_link_sets_a_password_once(client, site):
    learner = LearnerFactory(phone="6123 4567")
    link = learner_set_password_link(learner=learner)

    response = set_password(client, link)

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.user.check_password(NEW_PASSWORD)

    client.logout()
    second = set_password(client, link, password="a-different-password-7")
    assert second.context["validlink"] is False
    assert "This link does not work any more" in second.content.decode()
    learner.user.refresh_from_db()
    assert learner.user.check_password(NEW_PASSWORD)


def test_the_link_signs_the_learner_in(client, site):
    learner = LearnerFactory(phone="6123 4567")

    set_password(client, learner_set_password_link(learner=learner))

    learner.refresh_from_db()
    assert client.session["_auth_user_id"] == str(learner.user_id)
    assert client.get("/learn/").status_code == 200


def test_a_forged_link_does_not_work(client, site):
    learner = LearnerFactory(phone="6123 4567")
    link = learner_set_password_link(learner=learner)
    forged = link.rsplit("/", 2)[0] + "/abc-0123456789abcdef/"

    page = client.get(forged, follow=True)

    assert page.context["validlink"] is False


def profile(learner: Learner, **changes):
    data = {
        "preferred_name": learner.preferred_name,
        "phone": learner.phone,
        "email": learner.email,
        "languages": learner.languages,
        "preferred_language": learner.preferred_language,
        "consent_photo": learner.consent_photo,
    }
    data.update(changes)
    return learner_profile_update(learner=learner, **data)


def test_a_new_phone_number_becomes_the_username():
    learner = register()

    profile(learner, phone="6222 1111")

    learner.user.refresh_from_db()
    assert learner.user.username == "+85262221111"
    # The old number is free for its next owner.
    assert register(preferred_name="Next owner", phone="9123 4567").phone == "+85291234567"


def test_a_staff_made_username_stays(site):
    learner = LearnerFactory(phone="6123 4567")
    learner_set_password_link(learner=learner)
    learner.refresh_from_db()
    learner.user.username = "desk-amina"
    learner.user.save()

    profile(learner, phone="6222 1111", email="amina@example.org")

    learner.user.refresh_from_db()
    assert learner.user.username == "desk-amina"
    assert learner.user.email == "amina@example.org"


def test_a_profile_cannot_take_someone_elses_phone():
    other = register(preferred_name="Omar", phone="6222 1111")
    learner = register(phone="9123 4567")

    with pytest.raises(AccountError):
        profile(learner, phone="62221111")

    learner.refresh_from_db()
    assert learner.phone == "+85291234567"
    assert other.phone == "+85262221111"


@pytest.mark.parametrize("field", ["phone", "guardian_phone"])
@pytest.mark.parametrize("typed", ["11", "+11", "abc", "9999 9999"])
def test_a_learner_record_refuses_a_phone_that_cannot_be_called(field, typed):
    learner = LearnerFactory.build(**{field: typed})

    with pytest.raises(ValidationError) as caught:
        learner.full_clean(exclude=["user"])

    assert field in caught.value.message_dict


def test_a_learner_record_keeps_both_phones_in_the_stored_form():
    learner = LearnerFactory.build(phone="0044 20 7946 0958", guardian_phone="6123 0001")

    learner.full_clean(exclude=["user"])

    assert (learner.phone, learner.guardian_phone) == ("+442079460958", "+85261230001")
