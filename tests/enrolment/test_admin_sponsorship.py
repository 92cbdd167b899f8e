"""The coordinators' sponsorship admin: schools, sponsors, sponsorships, school places,
progress reports (reviewed, then shared), the funding worklist and the learner's photo.

Every bad input shows its message and saves nothing; good input saves and is logged once;
nobody but a coordinator gets in; no listing costs more queries for more rows."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import ExifTags, Image, ImageFile
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from enrolment.forms.admin import PHOTO_MAX_BYTES
from enrolment.models import (
    Grade,
    Learner,
    ProgressReport,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
)
from enrolment.models.sponsorship import school_year_label, school_year_of
from enrolment.services.sponsorship import report_share
from tests.conftest import html_of, logged, messages_of
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
    UserFactory,
    years_ago,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/sponsorship/"
SCHOOLS = ADMIN + "schools/"
SPONSORS = ADMIN + "sponsors/"
SPONSORSHIPS = ADMIN + "sponsorships/"
PLACEMENTS = ADMIN + "placements/"
REPORTS = ADMIN + "reports/"
FUNDING = ADMIN + "funding/"
TODAY = timezone.localdate()
YEAR = school_year_of(TODAY)


def errors_of(response) -> dict:
    return response.context["form"].errors


@pytest.fixture
def coordinator_client(client, cast, site):
    client.force_login(cast.coordinator)
    return client


# --- who may get in ---------------------------------------------------------------------------


@pytest.fixture
def world(site):
    report = ProgressReportFactory(child=ChildFactory(preferred_name="Amani"))
    SubjectGradeFactory(report=report)
    placement = SchoolPlacementFactory(child=report.child, school=SchoolFactory(name="Hillside"))
    sponsorship = SponsorshipFactory(child=report.child)
    return report, placement, sponsorship


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_everyone_but_coordinators_is_refused(client, cast, world, who):
    report, placement, sponsorship = world
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    urls = [
        SCHOOLS,
        SCHOOLS + "add/",
        f"{SCHOOLS}edit/{placement.school_id}/",
        SPONSORS,
        SPONSORS + "new/",
        f"{SPONSORS}edit/{sponsorship.sponsor_id}/",
        SPONSORSHIPS,
        SPONSORSHIPS + "new/",
        f"{SPONSORSHIPS}edit/{sponsorship.pk}/",
        PLACEMENTS,
        PLACEMENTS + "new/",
        f"{PLACEMENTS}edit/{placement.pk}/",
        REPORTS,
        REPORTS + "new/",
        f"{REPORTS}edit/{report.pk}/",
        f"{REPORTS}{report.pk}/share/",
        FUNDING,
        FUNDING + "?export=xlsx",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Amani" not in html_of(response) and "Hillside" not in html_of(response), url
    response = client.post(f"{REPORTS}{report.pk}/share/", {"action": "share"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    response = client.post(f"{SPONSORSHIPS}delete/{sponsorship.pk}/")
    assert Sponsorship.objects.filter(pk=sponsorship.pk).exists()


def test_the_sponsorship_menu_shows_for_coordinators(coordinator_client, world):
    html = html_of(coordinator_client.get("/admin/"))
    for label in ["Sponsorship", "Funding", "Sponsors", "School places", "Progress reports"]:
        assert label in html
    for url in [SCHOOLS, SPONSORS, SPONSORSHIPS, PLACEMENTS, REPORTS, FUNDING]:
        assert url in html


# --- schools ----------------------------------------------------------------------------------


def school_data(**changes):
    return {
        "name": "Harbour Primary",
        "district": "sham_shui_po",
        "school_type": SchoolType.PRIMARY,
        "lowest_grade": "",
        "highest_grade": "",
    } | changes


def test_a_new_school_takes_its_types_grades_when_left_empty(coordinator_client):
    response = coordinator_client.post(SCHOOLS + "add/", school_data())
    assert response.status_code == 302, errors_of(response)
    school = School.objects.get(name="Harbour Primary")
    assert (school.lowest_grade, school.highest_grade) == (Grade.P1, Grade.P6)
    assert logged(school, "wagtail.create") == 1
    html = html_of(coordinator_client.get(SCHOOLS))
    assert "Harbour Primary" in html and "P1–P6" in html and "Sham Shui Po" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lowest_grade": Grade.P6, "highest_grade": Grade.P1}, "lowest_grade", "above"),
        ({"lowest_grade": Grade.S2}, "lowest_grade", "above"),  # S2 to the usual P6
        ({"school_type": ""}, "school_type", "required"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_a_school_with_bad_grades_is_refused(coordinator_client, changes, field, message):
    response = coordinator_client.post(SCHOOLS + "add/", school_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not School.objects.exists()


def test_two_schools_cannot_share_a_name(coordinator_client):
    SchoolFactory(name="Harbour Primary")
    response = coordinator_client.post(SCHOOLS + "add/", school_data())
    assert "already recorded" in " ".join(errors_of(response)["name"])
    assert School.objects.count() == 1


def test_a_school_with_school_places_is_not_deleted(coordinator_client):
    placement = SchoolPlacementFactory()
    response = coordinator_client.post(f"{SCHOOLS}delete/{placement.school_id}/", follow=True)
    assert response.status_code == 200
    assert "has school places on record" in " ".join(messages_of(response))
    assert School.objects.filter(pk=placement.school_id).exists()


# --- sponsors ---------------------------------------------------------------------------------


def test_a_coordinator_creates_a_sponsor_and_is_told_how_they_sign_in(coordinator_client):
    response = coordinator_client.post(
        SPONSORS + "new/",
        {"display_name": "St Andrew's Church", "email": "Giving@Example.org"},
        follow=True,
    )
    assert response.status_code == 200
    sponsor = Sponsor.objects.get()
    assert sponsor.display_name == "St Andrew's Church"
    assert sponsor.user.email == "giving@example.org"
    assert sponsor.user.groups.filter(name="Sponsors").exists()
    assert not sponsor.user.has_usable_password()
    message = " ".join(messages_of(response))
    assert "Forgot your password?" in message and "giving@example.org" in message
    assert logged(sponsor, "wagtail.create") == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display_name": "Copy", "email": "taken@example.org"}, "email", "already exists"),
        ({"display_name": "Copy", "email": "TAKEN@example.org"}, "email", "already exists"),
        ({"display_name": "Copy", "email": "not-an-email"}, "email", "valid email"),
        ({"display_name": "Copy", "email": ""}, "email", "required"),
        ({"display_name": "", "email": "new@example.org"}, "display_name", "required"),
        ({"display_name": "   ", "email": "new@example.org"}, "display_name", "required"),
    ],
)
def test_a_bad_sponsor_is_refused_on_its_field(coordinator_client, data, field, message):
    UserFactory(username="taken", email="taken@example.org")
    users = get_user_model().objects.count()
    response = coordinator_client.post(SPONSORS + "new/", data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not Sponsor.objects.exists()
    assert get_user_model().objects.count() == users


def test_editing_a_sponsor_changes_the_name_and_notes_only(coordinator_client):
    sponsor = SponsorFactory(display_name="Old name")
    email = sponsor.user.email
    html = html_of(coordinator_client.get(f"{SPONSORS}edit/{sponsor.pk}/"))
    assert 'name="display_name"' in html and 'name="notes"' in html
    assert 'name="email"' not in html
    response = coordinator_client.post(
        f"{SPONSORS}edit/{sponsor.pk}/",
        {"display_name": "New name", "notes": "Pays by cheque.", "email": "evil@example.org"},
    )
    assert response.status_code == 302
    sponsor.refresh_from_db()
    sponsor.user.refresh_from_db()
    assert (sponsor.display_name, sponsor.notes) == ("New name", "Pays by cheque.")
    assert sponsor.user.email == email
    assert logged(sponsor, "wagtail.edit") == 1


def test_the_sponsor_list_counts_the_children_sponsored_now(coordinator_client):
    sponsor = SponsorFactory(display_name="Harbour Rotary")
    SponsorshipFactory(sponsor=sponsor, starts_on=TODAY - dt.timedelta(days=30))
    child = ChildFactory()
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=TODAY - dt.timedelta(days=30))
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=TODAY - dt.timedelta(days=10))
    SponsorshipFactory(
        sponsor=sponsor,
        starts_on=TODAY - dt.timedelta(days=400),
        ends_on=TODAY - dt.timedelta(days=1),
    )
    SponsorshipFactory(sponsor=sponsor, starts_on=TODAY + dt.timedelta(days=5))
    response = coordinator_client.get(SPONSORS)
    row = next(s for s in response.context["object_list"] if s.pk == sponsor.pk)
    assert row.children_now == 2
    assert sponsor.user.email in html_of(response)


def test_a_sponsor_with_sponsorships_is_not_deleted(coordinator_client):
    sponsorship = SponsorshipFactory()
    response = coordinator_client.post(f"{SPONSORS}delete/{sponsorship.sponsor_id}/", follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in " ".join(messages_of(response))
    assert Sponsor.objects.filter(pk=sponsorship.sponsor_id).exists()


def test_deleting_a_sponsor_made_by_mistake_frees_the_email(coordinator_client):
    coordinator_client.post(SPONSORS + "new/", {"display_name": "Typo", "email": "x@example.org"})
    sponsor = Sponsor.objects.get()
    response = coordinator_client.post(f"{SPONSORS}delete/{sponsor.pk}/")
    assert response.status_code == 302
    assert not Sponsor.objects.exists()
    assert not get_user_model().objects.filter(email="x@example.org").exists()


# --- sponsorships -----------------------------------------------------------------------------


def sponsorship_data(sponsor, child, **changes):
    return {
        "sponsor": sponsor.pk,
        "child": child.pk,
        "starts_on": dt.date(YEAR, 9, 1).isoformat(),
        "ends_on": "",
        "amount": "500",
        "frequency": "monthly",
        "covers": ["fees", "books"],
        "note": "",
    } | changes


def test_a_good_sponsorship_is_saved_and_logged_once(coordinator_client, cast):
    sponsor, child = SponsorFactory(), ChildFactory()
    response = coordinator_client.post(SPONSORSHIPS + "new/", sponsorship_data(sponsor, child))
    assert response.status_code == 302, errors_of(response)
    sponsorship = Sponsorship.objects.get()
    assert sponsorship.covers == ["fees", "books"]
    assert sponsorship.amount == Decimal(500)
    assert sponsorship.created_by == cast.coordinator
    assert ModelLogEntry.objects.filter(object_id=str(sponsorship.pk)).count() == 1
    assert logged(sponsorship, "wagtail.create") == 1

    response = coordinator_client.post(
        f"{SPONSORSHIPS}edit/{sponsorship.pk}/",
        sponsorship_data(sponsor, child, amount="600", covers=["uniform"]),
    )
    assert response.status_code == 302, errors_of(response)
    sponsorship.refresh_from_db()
    assert sponsorship.amount == Decimal(600) and sponsorship.covers == ["uniform"]
    assert logged(sponsorship, "wagtail.edit") == 1


def _nearly_18():
    """A child today whose 18th birthday is in ten days."""
    born = years_ago(18) + dt.timedelta(days=10)
    return ChildFactory(date_of_birth=born), born.replace(year=born.year + 18)


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("zero", "amount", "above HK$0"),
        ("negative", "amount", "above HK$0"),
        ("end_before_start", "ends_on", "cannot end"),
        ("turns_18", "child", "only children under 18"),
        ("no_guardian", "child", "guardian"),
        ("adult", "child", "valid choice"),
        ("unknown_cover", "covers", "valid choice"),
    ],
)
def test_a_bad_sponsorship_shows_why_and_saves_nothing(coordinator_client, case, field, message):
    sponsor, child = SponsorFactory(), ChildFactory()
    data = sponsorship_data(sponsor, child)
    if case == "zero":
        data["amount"] = "0"
    elif case == "negative":
        data["amount"] = "-50"
    elif case == "end_before_start":
        data["ends_on"] = dt.date(YEAR, 8, 1).isoformat()
    elif case == "turns_18":
        nearly, birthday = _nearly_18()
        data |= {"child": nearly.pk, "starts_on": birthday.isoformat()}
    elif case == "no_guardian":
        data["child"] = ChildFactory(guardian_name="").pk
    elif case == "adult":
        data["child"] = LearnerFactory(date_of_birth=years_ago(30)).pk
    elif case == "unknown_cover":
        data["covers"] = ["fees", "holiday"]
    response = coordinator_client.post(SPONSORSHIPS + "new/", data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not Sponsorship.objects.exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.create").exists()


def test_a_bad_edit_changes_nothing(coordinator_client):
    sponsorship = SponsorshipFactory(amount=500)
    response = coordinator_client.post(
        f"{SPONSORSHIPS}edit/{sponsorship.pk}/",
        sponsorship_data(sponsorship.sponsor, sponsorship.child, amount="0"),
    )
    assert response.status_code == 200
    sponsorship.refresh_from_db()
    assert sponsorship.amount == Decimal(500)
    assert logged(sponsorship, "wagtail.edit") == 0


def test_the_child_list_offers_children_only(coordinator_client):
    ChildFactory(preferred_name="Zawadi")
    LearnerFactory(preferred_name="Grown-up", date_of_birth=years_ago(40))
    form = coordinator_client.get(SPONSORSHIPS + "new/").context["form"]
    names = [learner.preferred_name for learner in form.fields["child"].queryset]
    assert "Zawadi" in names and "Grown-up" not in names


def test_the_sponsorship_list_shows_and_filters(coordinator_client):
    rotary = SponsorFactory(display_name="Harbour Rotary")
    SponsorshipFactory(
        sponsor=rotary,
        child=ChildFactory(preferred_name="Amani"),
        starts_on=TODAY - dt.timedelta(days=30),
        amount=1200,
        covers=["fees", "uniform"],
    )
    SponsorshipFactory(
        child=ChildFactory(preferred_name="Baraka"),
        starts_on=TODAY - dt.timedelta(days=400),
        ends_on=TODAY - dt.timedelta(days=2),
        frequency="yearly",
    )
    html = html_of(coordinator_client.get(SPONSORSHIPS))
    assert "Harbour Rotary" in html and "Amani" in html and "HK$1,200.00" in html
    assert "School fees, Uniform" in html and "ongoing" in html
    for query, shown, hidden in [
        (f"sponsor={rotary.pk}", "Amani", "Baraka"),
        ("active=yes", "Amani", "Baraka"),
        ("active=no", "Baraka", "Amani"),
        ("frequency=yearly", "Baraka", "Amani"),
        ("frequency=monthly", "Amani", "Baraka"),
    ]:
        html = html_of(coordinator_client.get(f"{SPONSORSHIPS}?{query}"))
        assert shown in html and hidden not in html, query


# --- school places ----------------------------------------------------------------------------


def placement_data(child, school, **changes):
    return {
        "child": child.pk,
        "school": school.pk,
        "school_year": YEAR,
        "grade": Grade.P4,
        "fees": "3000",
        "uniform": "800",
        "books": "1200",
        "transport": "1000",
        "other_costs": "0",
        "other_costs_note": "",
    } | changes


def test_a_good_school_place_is_saved_and_logged(coordinator_client):
    child, school = ChildFactory(), SchoolFactory()
    response = coordinator_client.post(PLACEMENTS + "new/", placement_data(child, school))
    assert response.status_code == 302, errors_of(response)
    placement = SchoolPlacement.objects.get()
    assert placement.total_costs == Decimal(6000)
    assert logged(placement, "wagtail.create") == 1
    response = coordinator_client.post(
        f"{PLACEMENTS}edit/{placement.pk}/", placement_data(child, school, fees="3500")
    )
    assert response.status_code == 302, errors_of(response)
    placement.refresh_from_db()
    assert placement.fees == Decimal(3500)
    assert logged(placement, "wagtail.edit") == 1


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("grade_outside", "grade", "outside that range"),
        ("negative_fee", "fees", "greater than or equal to 0"),
        ("second_place", "__all__", "already has a school place"),
        ("bad_year", "school_year", "valid choice"),
        ("adult", "child", "valid choice"),
    ],
)
def test_a_bad_school_place_shows_why_and_saves_nothing(coordinator_client, case, field, message):
    child, school = ChildFactory(), SchoolFactory(lowest_grade=Grade.P1, highest_grade=Grade.P6)
    data = placement_data(child, school)
    if case == "grade_outside":
        data["grade"] = Grade.S2
    elif case == "negative_fee":
        data["fees"] = "-1"
    elif case == "second_place":
        SchoolPlacementFactory(child=child, school_year=YEAR)
    elif case == "bad_year":
        data["school_year"] = "1990"
    elif case == "adult":
        data["child"] = LearnerFactory(date_of_birth=years_ago(30)).pk
    before = SchoolPlacement.objects.count()
    response = coordinator_client.post(PLACEMENTS + "new/", data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert SchoolPlacement.objects.count() == before


def test_the_school_places_list_totals_costs_and_filters(coordinator_client):
    hillside = SchoolFactory(name="Hillside")
    SchoolPlacementFactory(child=ChildFactory(preferred_name="Amani"), school=hillside)
    SchoolPlacementFactory(
        child=ChildFactory(preferred_name="Baraka"), school_year=YEAR - 1, fees=100
    )
    html = html_of(coordinator_client.get(PLACEMENTS))
    assert "Amani" in html and "HK$6,000.00" in html and school_year_label(YEAR) in html
    for query, shown, hidden in [
        (f"school={hillside.pk}", "Amani", "Baraka"),
        (f"school_year={YEAR}", "Amani", "Baraka"),
        (f"school_year={YEAR - 1}", "Baraka", "Amani"),
    ]:
        html = html_of(coordinator_client.get(f"{PLACEMENTS}?{query}"))
        assert shown in html and hidden not in html, query


# --- progress reports -------------------------------------------------------------------------


def report_data(child, *, grades=({"subject": "English", "grade": "B+"},), initial=0, **changes):
    """The report form's POST data; `grades` are the subject rows (with "id" for saved ones)."""
    data = {
        "child": child.pk,
        "school_year": YEAR,
        "term": 1,
        "school_attendance_percent": "92",
        "teacher_comment": "Reads with confidence.",
        "caseworker_note": "Family moved shelter.",
        "grades": inline_formset(list(grades), initial=initial),
    } | changes
    return nested_form_data(data)


def test_a_new_report_with_grades_is_saved_unshared(coordinator_client):
    child = ChildFactory(preferred_name="Amani")
    response = coordinator_client.post(
        REPORTS + "new/",
        report_data(
            child,
            grades=[{"subject": "English", "grade": "B+"}, {"subject": "Maths", "grade": "A"}],
        )
        | {"shared_with_sponsors": "on"},  # not in the form: ignored
        follow=True,
    )
    assert response.status_code == 200
    report = ProgressReport.objects.get()
    assert not report.shared_with_sponsors
    assert list(report.grades.values_list("subject", "grade")) == [
        ("English", "B+"),
        ("Maths", "A"),
    ]
    assert logged(report, "wagtail.create") == 1
    assert "review and share" in " ".join(messages_of(response))


def test_the_report_form_has_no_sharing_flag_and_labels_the_note(coordinator_client):
    html = html_of(coordinator_client.get(REPORTS + "new/"))
    assert 'name="shared_with_sponsors"' not in html
    assert "never shared with sponsors" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"school_attendance_percent": "101"}, "school_attendance_percent", "less than or equal"),
        ({"school_attendance_percent": "-5"}, "school_attendance_percent", "greater than"),
        ({"term": "7"}, "term", "valid choice"),
        ({"school_year": "abc"}, "school_year", "valid choice"),
    ],
)
def test_a_bad_report_shows_why_and_saves_nothing(coordinator_client, changes, field, message):
    response = coordinator_client.post(REPORTS + "new/", report_data(ChildFactory(), **changes))
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not ProgressReport.objects.exists()


def test_a_second_report_for_the_same_term_is_refused(coordinator_client):
    existing = ProgressReportFactory(school_year=YEAR, term=1)
    response = coordinator_client.post(REPORTS + "new/", report_data(existing.child))
    assert response.status_code == 200
    assert "already has a report" in " ".join(errors_of(response)["__all__"])
    assert ProgressReport.objects.count() == 1


@pytest.fixture
def report(site):
    report = ProgressReportFactory(
        child=ChildFactory(preferred_name="Amani Joseph", legal_name="Amani Joseph Mwangi"),
        school_year=YEAR,
        teacher_comment="Reads with confidence and helps classmates.",
        caseworker_note="SECRET-NOTE: family moved shelter.",
    )
    SubjectGradeFactory(report=report, subject="Mathematics", grade="A-")
    SchoolPlacementFactory(child=report.child, school_year=YEAR, grade=Grade.P5)
    return report


def test_the_review_shows_exactly_what_sponsors_will_see(coordinator_client, report):
    response = coordinator_client.get(f"{REPORTS}{report.pk}/share/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = html_of(response)
    assert "SECRET-NOTE" not in html and "Mwangi" not in html
    preview = html[html.index('id="what-sponsors-see"') :]
    preview = preview[: preview.index("</section>")]
    for shown in ["Amani", "P5", "First term", "94%", "Mathematics", "A-", "helps classmates"]:
        assert shown in preview, shown
    assert "Joseph" not in preview  # the first name only
    assert "name no people" in html and "no places" in html
    assert 'value="share"' in html


def test_sharing_from_the_review_page(coordinator_client, cast, report):
    response = coordinator_client.post(
        f"{REPORTS}{report.pk}/share/", {"action": "share"}, follow=True
    )
    assert "sponsors can read it now" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert report.shared_with_sponsors and report.shared_by == cast.coordinator
    assert logged(report, "enrolment.report.share") == 1
    html = html_of(coordinator_client.get(f"{REPORTS}?shared_with_sponsors=true"))
    assert "Amani Joseph" in html
    html = html_of(coordinator_client.get(f"{REPORTS}?shared_with_sponsors=false"))
    assert "Amani Joseph" not in html

    response = coordinator_client.post(
        f"{REPORTS}{report.pk}/share/", {"action": "unshare"}, follow=True
    )
    assert "no longer shared" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    history = html_of(coordinator_client.get(f"{REPORTS}history/{report.pk}/"))
    assert "Shared with sponsors" in history and "stopped sharing" in history


def test_a_report_without_the_familys_consent_is_not_shared(coordinator_client, report):
    Learner.objects.filter(pk=report.child_id).update(consent_share_progress=False)
    html = html_of(coordinator_client.get(f"{REPORTS}{report.pk}/share/"))
    assert "has not agreed" in html
    response = coordinator_client.post(
        f"{REPORTS}{report.pk}/share/", {"action": "share"}, follow=True
    )
    assert response.status_code == 200
    assert "has not agreed" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert logged(report, "enrolment.report.share") == 0


def test_an_unknown_action_changes_nothing(coordinator_client, report):
    response = coordinator_client.post(f"{REPORTS}{report.pk}/share/", {"action": "x"}, follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert not report.shared_with_sponsors


def test_the_listing_and_edit_page_link_to_the_review(coordinator_client, report):
    url = f"{REPORTS}{report.pk}/share/"
    assert url in html_of(coordinator_client.get(REPORTS))
    assert url in html_of(coordinator_client.get(f"{REPORTS}edit/{report.pk}/"))


def _edit_report(client, report, **changes):
    grade = report.grades.get()
    data = report_data(
        report.child,
        grades=[{"subject": grade.subject, "grade": grade.grade, "id": grade.pk}],
        initial=1,
        teacher_comment=report.teacher_comment,
        caseworker_note=report.caseworker_note,
        school_attendance_percent=str(report.school_attendance_percent),
    )
    data.update(changes)
    return client.post(f"{REPORTS}edit/{report.pk}/", data, follow=True)


def test_editing_what_sponsors_see_unshares_the_report(coordinator_client, cast, report):
    report_share(report=report, by=cast.coordinator)
    response = _edit_report(coordinator_client, report, teacher_comment="Now names Joy.")
    assert response.status_code == 200
    assert "review it and share it again" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors and report.teacher_comment == "Now names Joy."
    assert logged(report, "enrolment.report.unshare") == 1


def test_editing_a_grade_unshares_the_report(coordinator_client, cast, report):
    report_share(report=report, by=cast.coordinator)
    response = _edit_report(coordinator_client, report, **{"grades-0-grade": "C"})
    assert "share it again" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert report.grades.get().grade == "C"


def test_editing_only_the_caseworker_note_keeps_it_shared(coordinator_client, cast, report):
    report_share(report=report, by=cast.coordinator)
    response = _edit_report(coordinator_client, report, caseworker_note="Rent paid.")
    assert "share it again" not in " ".join(messages_of(response))
    report.refresh_from_db()
    assert report.shared_with_sponsors and report.caseworker_note == "Rent paid."
    assert logged(report, "wagtail.edit") == 1


# --- funding ----------------------------------------------------------------------------------


@pytest.fixture
def funding(site):
    """One child of each status, this school year (costs HK$6,000 each)."""
    waiting = SchoolPlacementFactory(
        child=ChildFactory(preferred_name="Waiting Wanjiru"), school=SchoolFactory(name="Hill")
    )
    under = SchoolPlacementFactory(child=ChildFactory(preferred_name="Under Uwase"))
    SponsorshipFactory(child=under.child, amount=100)
    SponsorshipFactory(child=under.child, amount=100)
    funded = SchoolPlacementFactory(child=ChildFactory(preferred_name="Funded Faraji"))
    SponsorshipFactory(child=funded.child, amount=500)
    unplaced = SponsorshipFactory(child=ChildFactory(preferred_name="Unplaced Umi"))
    return waiting, under, funded, unplaced


def test_the_funding_page_lists_the_children_to_find_money_for(coordinator_client, funding):
    waiting, under, funded, unplaced = funding
    response = coordinator_client.get(FUNDING)
    assert response.status_code == 200
    html = html_of(response)
    assert "Waiting Wanjiru" in html and "Under Uwase" in html and "Unplaced Umi" in html
    assert "Funded Faraji" not in html
    for text in ["Waiting for a sponsor", "Under-funded", "No school place recorded", "Hill"]:
        assert text in html
    assert "HK$3,600.00" in html  # Uwase's gap: 6,000 less 2 × 12 × 100
    assert f"/admin/enrolment/learners/edit/{waiting.child_id}/" in html
    assert html.index("Waiting Wanjiru") < html.index("Under Uwase") < html.index("Unplaced Umi")
    rows = {row.child.preferred_name: row for row, _url in response.context["rows"]}
    assert rows["Under Uwase"].sponsor_count == 2


@pytest.mark.parametrize(
    ("status", "shown"),
    [("waiting", "Waiting Wanjiru"), ("under_funded", "Under Uwase"), ("no_placement", "Unplaced")],
)
def test_the_funding_page_filters_by_status(coordinator_client, funding, status, shown):
    html = html_of(coordinator_client.get(f"{FUNDING}?status={status}"))
    assert shown in html
    for name in {"Waiting Wanjiru", "Under Uwase", "Unplaced Umi"}:
        if shown not in name:
            assert name not in html, name


def test_another_school_year_has_its_own_list(coordinator_client, funding):
    html = html_of(coordinator_client.get(f"{FUNDING}?school_year={YEAR - 1}"))
    assert "Waiting Wanjiru" not in html
    assert school_year_label(YEAR - 1) in html


@pytest.mark.parametrize(
    "query", ["school_year=abc", "school_year=1900", "school_year=2026.5", "status=rich"]
)
def test_a_bad_filter_falls_back_to_the_default_with_a_message(coordinator_client, funding, query):
    response = coordinator_client.get(f"{FUNDING}?{query}")
    assert response.status_code == 200
    assert "not one to choose from" in " ".join(messages_of(response))
    assert "Waiting Wanjiru" in html_of(response)
    response = coordinator_client.get(f"{FUNDING}?{query}&export=xlsx")
    assert response.status_code == 200


def test_the_funding_export_is_the_same_rows_with_no_formulas(coordinator_client, funding):
    ChildFactory(preferred_name='=HYPERLINK("http://evil.example","Click")')
    evil = Learner.objects.get(preferred_name__startswith="=HYPERLINK")
    SchoolPlacementFactory(child=evil)
    response = coordinator_client.get(f"{FUNDING}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Child" and rows[0][7] == "Gap"
    names = [row[0] for row in rows[1:]]
    assert "Funded Faraji" not in names and len(names) == 4
    assert '\'=HYPERLINK("http://evil.example","Click")' in names
    assert not [c for row in rows for c in row if isinstance(c, str) and c.startswith("=")]
    uwase = next(row for row in rows if row[0] == "Under Uwase")
    assert uwase[5:9] == (6000, 2400, 3600, 2)
    assert sheet.cell(row=2, column=6).number_format == '"HK$"#,##0.00'
    only_waiting = coordinator_client.get(f"{FUNDING}?status=waiting&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(only_waiting.content)).active.values)
    assert "Under Uwase" not in [row[0] for row in rows]


def test_the_funding_page_needs_view_sponsorship(client, site):
    staff = UserFactory(username="editor", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(FUNDING).status_code in (302, 403)
    assert client.get(FUNDING + "?export=xlsx").status_code in (302, 403)
    assert "/admin/sponsorship/funding/" not in html_of(client.get("/admin/"))


# --- the learner's photo ----------------------------------------------------------------------


def png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def _learner_post(client, learner, photo):
    data = {
        "preferred_name": learner.preferred_name,
        "legal_name": learner.legal_name,
        "date_of_birth": learner.date_of_birth.isoformat(),
        "preferred_language": "en",
        "english_level": "none",
        "guardian_name": learner.guardian_name,
        "consent_photo": "on",
        "photo": photo,
    }
    return client.post(f"/admin/enrolment/learners/edit/{learner.pk}/", data)


def test_a_coordinator_adds_a_childs_photo(coordinator_client):
    child = ChildFactory()
    html = html_of(coordinator_client.get(f"/admin/enrolment/learners/edit/{child.pk}/"))
    assert 'name="photo"' in html and "only while photo consent" in html
    assert 'enctype="multipart/form-data"' in html
    response = _learner_post(
        coordinator_client, child, SimpleUploadedFile("me.png", png(), content_type="image/png")
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.photo.name.startswith("learner-photos/")


# What a phone writes into a picture: where the family lives, and the camera.
HOME_ADDRESS = "Flat 12B, Block 3, Kwai Chung Estate"
CAMERA = "Harbour-Phone-X9"


def camera_picture(image_format: str, size=(2000, 1000)) -> bytes:
    """A picture as a phone saves it: turned on its side (EXIF orientation 6, "rotate 90°
    clockwise to show"), with the place it was taken, a description and the camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.ImageDescription] = HOME_ADDRESS
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (22.0, 21.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (114.0, 7.0, 40.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format=image_format, exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_a_photo_is_kept_without_what_the_camera_wrote_into_it(
    coordinator_client, image_format, extension
):
    child = ChildFactory()
    raw = camera_picture(image_format)
    with Image.open(io.BytesIO(raw)) as sent:  # the picture really carries it all
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert HOME_ADDRESS.encode() in raw and CAMERA.encode() in raw

    upload = SimpleUploadedFile(f"IMG_0042.{extension}", raw, content_type="image/png")
    assert _learner_post(coordinator_client, child, upload).status_code == 302

    child.refresh_from_db()
    assert child.photo.name.endswith(f".{extension}")
    with child.photo.open("rb") as stored_file:
        stored = stored_file.read()
    assert HOME_ADDRESS.encode() not in stored and CAMERA.encode() not in stored
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.format == image_format
        assert not kept.getexif() and "exif" not in kept.info and "xmp" not in kept.info
        # Upright as the camera meant it (2000 wide on its side is 1000 wide standing), and
        # no larger than a card needs.
        assert kept.size == (600, 1200)


def cut_off_picture() -> SimpleUploadedFile:
    """A photo whose upload stopped a third of the way into its pixels."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG")
    whole = buffer.getvalue()
    return SimpleUploadedFile("cut.jpg", whole[: len(whole) // 3], content_type="image/jpeg")


def test_a_cut_off_picture_is_refused_and_nothing_is_kept(coordinator_client, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)  # Pillow's default
    child = ChildFactory()

    response = _learner_post(coordinator_client, child, cut_off_picture())

    assert response.status_code == 200
    assert "could not be read" in " ".join(errors_of(response)["photo"])
    child.refresh_from_db()
    assert not child.photo


def test_once_weasyprint_has_loaded_a_cut_off_picture_is_kept_redrawn(
    coordinator_client, monkeypatch
):
    """WeasyPrint, on import, tells Pillow to draw what a cut-off file holds (grey for the
    rest) for the whole process. After a PDF, a cut-off photo is then kept as drawn: still
    redrawn, never the uploaded bytes."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    child = ChildFactory()
    upload = cut_off_picture()

    assert _learner_post(coordinator_client, child, upload).status_code == 302

    child.refresh_from_db()
    with child.photo.open("rb") as stored_file:
        stored = stored_file.read()
    upload.seek(0)
    assert stored != upload.read()
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.size == (400, 300)
        kept.load()  # the stored file is whole: strict Pillow reads it to the end


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"not a picture at all", "image/png"), "image"),
        (SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"), "image"),
        ("big", "larger than 2 MB"),
    ],
)
def test_a_photo_that_is_not_a_small_picture_is_refused(coordinator_client, upload, message):
    child = ChildFactory()
    if upload == "big":
        raw = png() + b"\0" * PHOTO_MAX_BYTES
        upload = SimpleUploadedFile("big.png", raw, content_type="image/png")
    response = _learner_post(coordinator_client, child, upload)
    assert response.status_code == 200
    errors = " ".join(errors_of(response)["photo"])
    assert message in errors or "JPEG, PNG or WebP" in errors
    child.refresh_from_db()
    assert not child.photo


# --- queries do not grow with rows ------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _children_with_everything(count: int):
    for _ in range(count):
        child = ChildFactory()
        placement = SchoolPlacementFactory(child=child)
        SponsorshipFactory(child=child, amount=100)
        SponsorshipFactory(child=child, amount=100)
        SubjectGradeFactory(report=ProgressReportFactory(child=child, school_year=YEAR))
        SchoolFactory()
        assert placement.school_id


@pytest.mark.parametrize(
    "url",
    [
        SCHOOLS,
        SPONSORS,
        SPONSORSHIPS,
        PLACEMENTS,
        REPORTS,
        FUNDING,
        FUNDING + "?export=xlsx",
        f"{FUNDING}?status=under_funded",
    ],
)
def test_the_listings_cost_the_same_queries_for_2_or_12_rows(coordinator_client, url):
    _children_with_everything(2)
    coordinator_client.get(url)  # warm caches
    at_2 = _queries(coordinator_client, url)
    _children_with_everything(10)
    assert _queries(coordinator_client, url) == at_2
