"""Values that were saved and should have been refused (issue 11, defects 4 and 12): control
characters, bidi overrides and line breaks in names and single-line fields, absurd dates, an
IELTS band "-0", a result "passed=maybe". Each is refused, at every entry point, with a message
the person can act on, and nothing is saved. The rules live in cms.validators (on the model
fields, and on every form through cms.forms) and in the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.validators import free_text, refused_character, sane_year, single_line
from enrolment.models import (
    Attendance,
    Learner,
    Qualification,
    Result,
    Sponsorship,
)
from tests.conftest import html_of
from tests.factories import ChildFactory, LearnerFactory, SponsorFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTROL = "a\x01\x1b[31mb"
OVERRIDE = "abc\u202egpj.exe"
PARSED_PHONES = {"Learner.phone", "Learner.guardian_phone"}


# --- what the validators refuse and what they leave alone -------------------------------------


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (CONTROL, "\x01"),
        ("a\x00b", "\x00"),
        ("a\x85b", "\x85"),  # a C1 control, NEL
        (OVERRIDE, "\u202e"),
        ("a\u2066b\u2069", "\u2066"),  # an isolate
        ("first\nsecond", "\n"),
        ("first\u2028second", "\u2028"),
        ("Amina Yusuf", None),
        ("أمينة\u200f (Amina)", None),  # a right-to-left mark placing the bracket
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", None),  # Persian needs the ZWNJ
        ("Nguyễn Thị Hoa", None),
    ],
)
def test_a_single_line_field_refuses_controls_overrides_and_line_breaks_only(text, refused):
    assert refused_character(text) == refused


def test_a_free_text_takes_line_breaks_and_tabs_but_no_other_control():
    assert refused_character("Line one\r\n\tline two", multiline=True) is None
    assert refused_character("note\x1b[31m", multiline=True) == "\x1b"
    assert refused_character("abc\u202egpj", multiline=True) == "\u202e"


def test_every_text_and_date_field_of_the_project_carries_its_validator():
    """The next field added is caught here: a CharField or URLField takes single_line, a
    TextField free_text, a DateField sane_year (unless a stricter rule of its own). Fields
    with choices are checked against them; a learner's phone numbers are parsed
    (services.accounts.phone_parse), an email by Django's own validator."""
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in ("cms", "courses", "enrolment"):
            continue
        for field in model._meta.concrete_fields:
            if field.model is not model or field.choices or not field.editable:
                continue
            if isinstance(field, RichTextField):
                continue  # HTML written by Wagtail's editor, not typed as is
            if isinstance(field, models.TextField):
                wanted = free_text
            elif type(field) in (models.CharField, models.URLField):
                if f"{model.__name__}.{field.name}" in PARSED_PHONES:
                    continue
                wanted = single_line
            elif type(field) is models.DateField and field.name != "date_of_birth":
                wanted = sane_year
            else:
                continue
            if wanted not in field.validators:
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


# --- the public site ------------------------------------------------------------------------


def signup(**changes):
    return {
        "phone": "9123 0001",
        "preferred_name": "Amina",
        "date_of_birth": "1990-01-01",
        "english_level": "none",
        "preferred_language": "en",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    } | changes


@pytest.mark.parametrize("name", [CONTROL, OVERRIDE, "Amina\r\nYusuf"])
def test_sign_up_refuses_a_name_with_a_control_character(client, site, name):
    response = client.post("/accounts/signup/", signup(preferred_name=name))
    assert response.status_code == 200
    assert "preferred_name" in response.context["form"].errors
    assert not Learner.objects.exists()


def test_the_profile_refuses_a_name_with_a_control_character(client, cast):
    client.force_login(cast.learner)
    before = cast.learner.learner.preferred_name
    response = client.post(
        "/learn/profile/",
        {"preferred_name": CONTROL, "phone": "9123 0009", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "invisible control character (U+0001)" in html_of(response)
    assert Learner.objects.get(user=cast.learner).preferred_name == before


# --- the admin ------------------------------------------------------------------------------


def learner_data(**changes):
    return {
        "preferred_name": "Yusuf",
        "legal_name": "",
        "date_of_birth": "2015-03-02",
        "languages": "Somali",
        "preferred_language": "en",
        "english_level": "a1",
        "phone": "",
        "email": "",
        "guardian_name": "",
        "guardian_phone": "",
        "guardian_relationship": "",
        "case_reference": "",
    } | changes


@pytest.mark.parametrize(
    "changes",
    [
        {"preferred_name": CONTROL},
        {"legal_name": OVERRIDE},
        {"guardian_name": "Fartun\nAbdi"},
        {"case_reference": "CASE\x1b"},
        {"date_of_birth": "2999-12-31"},
        {"date_of_birth": "0001-01-01"},
    ],
)
def test_the_admin_refuses_a_learner_with_a_control_character_or_an_absurd_birth(
    client, cast, site, changes
):
    user = cast.coordinator
    if "case_reference" in changes:  # only a caseworker's form has it
        user = UserFactory(username="caseworker", groups=["Coordinators", "Caseworkers"])
    client.force_login(user)
    response = client.post("/admin/enrolment/learners/new/", learner_data(**changes))
    assert response.status_code == 200
    assert set(changes) <= set(response.context["form"].errors)
    assert not Learner.objects.filter(preferred_name__in=["Yusuf", CONTROL]).exists()


@pytest.mark.parametrize(("starts", "ends"), [("0001-01-01", ""), ("2026-09-01", "9999-12-31")])
def test_the_admin_refuses_a_sponsorship_from_year_1_or_to_9999(client, cast, site, starts, ends):
    client.force_login(cast.coordinator)
    data = {
        "sponsor": SponsorFactory().pk,
        "child": ChildFactory().pk,
        "starts_on": starts,
        "ends_on": ends,
        "amount": "500",
        "frequency": "monthly",
        "covers": ["fees"],
        "note": "",
    }
    response = client.post("/admin/sponsorship/sponsorships/new/", data)
    assert response.status_code == 200
    assert "Give a date between 1900 and 2100." in html_of(response)
    assert not Sponsorship.objects.exists()


def ielts(learner, **changes):
    bands = {"listening": "6.5", "reading": "6", "writing": "6", "speaking": "6.5"}
    return {"learner": learner.pk, "taken_on": "2026-06-01"} | bands | changes


@pytest.mark.parametrize("kind", ["ged_subject", "ielts"])
def test_a_test_date_in_2999_or_tomorrow_is_refused(client, cast, site, kind):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for taken_on in ("2999-06-01", tomorrow):
        data = ielts(learner, taken_on=taken_on) | {"subject": "science", "score": 150}
        response = client.post(f"/admin/enrolment/qualifications/new/{kind}/", data)
        assert response.status_code == 200
        assert "taken_on" in response.context["form"].errors
    assert not Qualification.objects.exists()


def test_an_ielts_band_of_minus_0_is_kept_as_0(client, cast, site):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    response = client.post(
        "/admin/enrolment/qualifications/new/ielts/",
        ielts(learner, listening="-0", reading="-0", writing="-0", speaking="-0"),
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get()
    assert qualification.scores["listening"] == "0.0"
    assert qualification.overall == "0.0"


def test_a_page_title_with_a_bidi_override_is_refused(client, cast, site):
    client.force_login(cast.coordinator)
    response = client.post(
        f"/admin/pages/add/cms/standardpage/{site.home.pk}/",
        {"title": OVERRIDE, "slug": "about", "introduction": "", "body-count": "0"},
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Page.objects.filter(slug="about").exists()


# --- the teachers' pages ----------------------------------------------------------------------


def test_a_register_note_with_a_control_character_is_refused(client, cast, english):
    client.force_login(cast.teacher)
    marks = {f"status-{e.pk}": "present" for e in english.enrolments}
    response = client.post(
        f"/teach/sessions/{english.past.pk}/", marks | {f"note-{english.amina.pk}": CONTROL}
    )
    assert response.status_code == 200
    assert "invisible control character" in html_of(response)
    assert not Attendance.objects.filter(session=english.past).exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("70", "maybe", ""), "passed is yes, no or not known, not “maybe”"),
        (("70", "yes", "good\x1b[31m work"), "invisible control character"),
    ],
)
def test_a_result_passed_maybe_or_a_comment_with_a_control_is_refused(
    client, cast, english, row, message
):
    client.force_login(cast.teacher)
    score, passed, comment = row
    amina = english.amina.pk
    response = client.post(
        f"/teach/runs/{english.run.pk}/results/",
        {f"score-{amina}": score, f"passed-{amina}": passed, f"comment-{amina}": comment},
    )
    assert response.status_code == 200
    assert message in html_of(response)
    assert not Result.objects.exists()


def test_a_result_passed_yes_no_or_not_known_is_still_saved(client, cast, english):
    client.force_login(cast.teacher)
    amina, bilal = english.amina.pk, english.bilal.pk
    response = client.post(
        f"/teach/runs/{english.run.pk}/results/",
        {f"score-{amina}": "70", f"passed-{amina}": "", f"comment-{amina}": "Line one\nline two"}
        | {f"score-{bilal}": "40", f"passed-{bilal}": "no"},
    )
    assert response.status_code == 302
    assert Result.objects.get(enrolment_id=amina).passed is None
    assert Result.objects.get(enrolment_id=bilal).score == Decimal(40)
