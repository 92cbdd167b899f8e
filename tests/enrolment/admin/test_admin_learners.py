import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from courses.choices import Level
from enrolment.models import Learner
from tests.exports import xlsx_formulas, xlsx_text_cells
from tests.factories import (
    ChildFactory,
    EnrolmentFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/enrolment/learners/"


@pytest.fixture
def people(cast):
    today = timezone.localdate()
    amina = LearnerFactory(
        preferred_name="Amina",
        phone="9123 4567",
        email="amina@example.org",
        english_level=Level.B1,
        case_reference="CASE-SECRET-1",
        date_of_birth=dt.date(today.year - 30, 1, 1),
        user=UserFactory(username="amina", groups=["Learners"]),
    )
    bilal = LearnerFactory(
        preferred_name="Bilal",
        phone="6000 1111",
        english_level=Level.A1,
        date_of_birth=dt.date(today.year - 10, 1, 1),
        guardian_name="Hodan",
    )
    return amina, bilal


def names(response) -> str:
    return response.content.decode()


def test_the_listing_loads_for_a_coordinator(client, cast, people):
    client.force_login(cast.coordinator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = names(response)
    assert "Amina" in html and "Bilal" in html
    assert "+85291234567" in html
    assert "CASE-SECRET-1" not in html  # the list never shows the case reference


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_the_listing_is_refused_to_everyone_else(client, cast, people, who):
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert "Amina" not in names(response)


@pytest.mark.parametrize(
    ("query", "found", "hidden"),
    [
        ("?english_level=b1", "Amina", "Bilal"),
        ("?age_group=child", "Bilal", "Amina"),
        ("?age_group=adult", "Amina", "Bilal"),
        ("?has_account=true", "Amina", "Bilal"),
        ("?has_account=false", "Bilal", "Amina"),
        ("?q=9123 4567", "Amina", "Bilal"),
        ("?q=amina@example", "Amina", "Bilal"),
        ("?q=bil", "Bilal", "Amina"),
    ],
)
def test_filters_and_search_narrow_the_list(client, cast, people, query, found, hidden):
    client.force_login(cast.coordinator)
    html = names(client.get(INDEX + query))
    assert found in html
    assert hidden not in html


def test_the_export_leaves_out_the_case_reference_and_neutralises_formulas(client, cast, people):
    LearnerFactory(preferred_name='=HYPERLINK("http://evil.example")', case_reference="CASE-2")
    client.force_login(cast.coordinator)
    response = client.get(INDEX + "?export=xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook.active.iter_rows(values_only=True))
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "Case reference" not in flat and "CASE-SECRET-1" not in flat and "CASE-2" not in flat
    assert rows[0][:2] == ("Learner number", "Preferred name")
    amina = people[0]
    assert (f"L{amina.pk}", "Amina") in [row[:2] for row in rows]  # as the import accepts it
    assert xlsx_text_cells(data)['=HYPERLINK("http://evil.example")'] == ("s", True)
    assert xlsx_formulas(data) == []


def test_a_caseworker_creates_a_learner_with_every_field(client, caseworker, site):
    client.force_login(caseworker)
    response = client.post(
        INDEX + "new/",
        {
            "preferred_name": "Yusuf",
            "legal_name": "Yusuf Example",
            "date_of_birth": "2015-03-02",
            "languages": "Somali",
            "preferred_language": "en",
            "english_level": "a1",
            "phone": "+852 6123-0000",
            "email": "",
            "guardian_name": "Fartun",
            "guardian_phone": "6123 0001",
            "guardian_relationship": "mother",
            "consent_photo": "on",
            "case_reference": "HK-2026-77",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    learner = Learner.objects.get(preferred_name="Yusuf")
    assert learner.phone == "+85261230000"
    assert learner.guardian_phone == "+85261230001"
    assert learner.case_reference == "HK-2026-77"
    assert learner.consent_photo and not learner.consent_share_progress


def test_the_edit_form_shows_case_reference_guardian_and_consents(client, caseworker, people):
    amina, _ = people
    client.force_login(caseworker)
    html = names(client.get(f"{INDEX}edit/{amina.pk}/"))
    for field in ["case_reference", "guardian_name", "consent_photo", "consent_share_progress"]:
        assert f'name="{field}"' in html
    assert "CASE-SECRET-1" in html
    assert "One-time password link" in html


def test_gender_and_region_are_optional_and_saved_from_the_edit_form(client, cast, people):
    amina, _ = people
    client.force_login(cast.coordinator)
    html = names(client.get(f"{INDEX}edit/{amina.pk}/"))
    assert 'name="gender"' in html and 'name="region_of_origin"' in html
    assert "For funders&#x27; statistics (optional)" in html

    assert _edit(client, amina, gender="woman", region_of_origin="east_africa").status_code == 302
    amina.refresh_from_db()
    assert (amina.gender, amina.region_of_origin) == ("woman", "east_africa")
    assert _edit(client, amina, gender="", region_of_origin="").status_code == 302  # unsaid
    amina.refresh_from_db()
    assert (amina.gender, amina.region_of_origin) == ("", "")


def test_a_phone_number_already_on_file_is_refused_whatever_its_format(client, cast, people):
    client.force_login(cast.coordinator)
    response = client.post(
        INDEX + "new/",
        {"preferred_name": "Copy", "phone": "91234567", "preferred_language": "en"}
        | {"english_level": "none"},
    )
    assert response.status_code == 200
    assert Learner.objects.filter(preferred_name="Copy").count() == 0


def _edit(client, learner, **changes):
    data = {
        "preferred_name": learner.preferred_name,
        "legal_name": learner.legal_name,
        "date_of_birth": learner.date_of_birth.isoformat() if learner.date_of_birth else "",
        "languages": learner.languages,
        "preferred_language": learner.preferred_language,
        "english_level": learner.english_level,
        "phone": learner.phone,
        "email": learner.email,
        "guardian_name": learner.guardian_name,
        "guardian_phone": learner.guardian_phone,
        "guardian_relationship": learner.guardian_relationship,
        "case_reference": learner.case_reference,
    }
    data.update(changes)
    return client.post(f"{INDEX}edit/{learner.pk}/", data)


@pytest.mark.parametrize(
    "field, typed",
    [("phone", "11"), ("phone", "+11"), ("phone", "1234 5678"), ("guardian_phone", "abc")],
)
def test_a_phone_that_cannot_be_called_is_refused_not_changed(client, cast, people, field, typed):
    amina, _ = people
    amina.guardian_phone = "+85261230001"
    amina.save()
    client.force_login(cast.coordinator)

    response = _edit(client, amina, **{field: typed})

    assert response.status_code == 200
    assert "This is not a phone number that can be called" in names(response)
    amina.refresh_from_db()
    assert (amina.phone, amina.guardian_phone) == ("+85291234567", "+85261230001")


def test_the_history_shows_who_changed_what_without_the_values(client, caseworker, people):
    amina, _ = people
    caseworker.first_name, caseworker.last_name = "Mei", "Chan"
    caseworker.save()
    client.force_login(caseworker)
    response = _edit(client, amina, phone="6999 0000", case_reference="CASE-NEW-VALUE")
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.phone == "+85269990000"

    history = client.get(f"{INDEX}history/{amina.pk}/")
    assert history.status_code == 200
    html = names(history)
    assert "Mei Chan" in html
    assert "Changed: Phone, Case reference" in html
    assert "CASE-NEW-VALUE" not in html


def test_the_password_link_page_makes_a_link_and_an_account(client, cast, people):
    _, bilal = people
    assert bilal.user is None
    client.force_login(cast.coordinator)
    url = f"{INDEX}{bilal.pk}/password-link/"

    preview = client.get(url)
    assert preview.status_code == 200
    bilal.refresh_from_db()
    assert bilal.user is None  # looking changes nothing

    response = client.post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    bilal.refresh_from_db()
    assert bilal.user is not None
    assert "http://testserver/accounts/reset/" in names(response)
    history = names(client.get(f"{INDEX}history/{bilal.pk}/"))
    assert "One-time password link created" in history


def test_the_password_link_calls_the_accounts_service(client, cast, people, monkeypatch):
    amina, _ = people
    calls = []

    def fake_link(*, learner, request):
        calls.append(learner.pk)
        return "https://centre.example/set-password/abc123/"

    monkeypatch.setattr("enrolment.admin.learners.learner_set_password_link", fake_link)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{amina.pk}/password-link/")
    assert calls == [amina.pk]
    assert "https://centre.example/set-password/abc123/" in names(response)


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_the_password_link_is_refused_to_everyone_else(client, cast, people, who):
    _, bilal = people
    client.force_login(getattr(cast, who))
    response = client.post(f"{INDEX}{bilal.pk}/password-link/")
    assert response.status_code in (302, 403)
    bilal.refresh_from_db()
    assert bilal.user is None


def test_a_learner_with_enrolments_cannot_be_deleted_even_by_a_superuser(client, site):
    root = UserFactory(username="root")
    root.is_superuser = True
    root.save()
    enrolment = EnrolmentFactory(learner=LearnerFactory(preferred_name="Amina"))
    client.force_login(root)
    response = client.post(f"{INDEX}delete/{enrolment.learner.pk}/", follow=True)
    assert response.status_code == 200
    assert f"{enrolment.learner.list_name} has enrolments, school places, sponsorships" in names(
        response
    )
    assert Learner.objects.filter(pk=enrolment.learner.pk).exists()


def test_a_sponsored_child_cannot_be_deleted_even_by_a_superuser(client, site):
    root = UserFactory(username="root", is_superuser=True)
    sponsorship = SponsorshipFactory(child=ChildFactory(preferred_name="Hodan"))
    client.force_login(root)
    response = client.post(f"{INDEX}delete/{sponsorship.child.pk}/", follow=True)
    assert response.status_code == 200
    assert f"{sponsorship.child.list_name} has enrolments, school places, sponsorships" in names(
        response
    )
    assert Learner.objects.filter(pk=sponsorship.child.pk).exists()


@pytest.mark.parametrize("record", [SchoolPlacementFactory, ProgressReportFactory])
def test_a_child_with_only_a_school_place_or_a_report_is_not_deleted(client, site, record):
    root = UserFactory(username="root", is_superuser=True)
    child = record(child=ChildFactory(preferred_name="Nasra")).child
    client.force_login(root)
    response = client.post(f"{INDEX}delete/{child.pk}/", follow=True)
    assert response.status_code == 200
    assert f"{child.list_name} has enrolments, school places, sponsorships" in names(response)
    assert Learner.objects.filter(pk=child.pk).exists()


def test_coordinators_cannot_delete_learners(client, cast, people):
    amina, _ = people
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}delete/{amina.pk}/")
    assert response.status_code in (302, 403)
    assert Learner.objects.filter(pk=amina.pk).exists()


def test_the_learner_form_carries_the_collection_notice(client, cast, site):
    client.force_login(cast.coordinator)
    html = client.get("/admin/enrolment/learners/new/").content.decode()
    assert "How we use your information" in html
    assert "Personal Data (Privacy) Ordinance" in html
    # Why gender and region of origin are asked, and that they are optional.
    assert "Both are optional" in html and "in broad groups and without names" in html
