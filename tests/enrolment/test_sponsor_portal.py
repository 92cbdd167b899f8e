"""/sponsor/: a sponsor sees what their support achieves, never who or where the child is."""

import datetime as dt
import html
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from enrolment.models import Attendance, AttendanceStatus, Frequency
from enrolment.models.sponsorship import school_year_label, school_year_of
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    ChildFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
)
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The PDF's rate limit counts in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def this_year() -> int:
    return school_year_of(timezone.localdate())


def first_of_september() -> dt.date:
    return dt.date(this_year(), 9, 1)


def age_today(born: dt.date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def png_bytes(colour: str = "red") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(output, format="PNG")
    return output.getvalue()


def give_photo(child, colour: str = "red") -> bytes:
    content = png_bytes(colour)
    child.photo.save("family-photo.png", SimpleUploadedFile("family-photo.png", content))
    return content


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        values.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            values.extend(str(value) for value in row if value is not None)
    return "\n".join(values)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def child_url(child) -> str:
    return f"/sponsor/children/{child.pk}/"


def report_url(child, report) -> str:
    return f"/sponsor/children/{child.pk}/reports/{report.pk}/"


def photo_url(child) -> str:
    return f"/sponsor/children/{child.pk}/photo/"


def statement_url(year: int, suffix: str = "/") -> str:
    return f"/sponsor/statement/{year}{suffix}"


@pytest.fixture
def sponsor(cast):
    return SponsorFactory(
        user=cast.sponsor,
        display_name="Harbour Rotary Club",
        notes="Pledged through the Quillfeather Trust; prefers calls after six.",
    )


@pytest.fixture
def other_sponsor(cast):
    return SponsorFactory(user=cast.other_sponsor, display_name="Vandersloot Benefactors")


def sponsor_child(sponsor, **fields):
    child = ChildFactory(**fields)
    SponsorshipFactory(sponsor=sponsor, child=child)
    return child


# --- the privacy test -------------------------------------------------------------------------

AMANI_BORN = dt.date(2015, 3, 12)
BARAKA_BORN = dt.date(2017, 6, 4)


def date_forms(day: dt.date) -> list[str]:
    """The ways a date of birth could leak onto a page or into a file."""
    return [
        day.isoformat(),
        f"{day.day} {day:%B %Y}",  # 12 March 2015
        f"{day.day} {day:%b %Y}",  # 12 Mar 2015
        f"{day:%d/%m/%Y}",  # 12/03/2015
        f"{day:%m/%d/%Y}",  # 03/12/2015
        f"{day:%B} {day.day}, {day.year}",  # March 12, 2015
        f"{day:%b} {day.day}, {day.year}",  # Mar 12, 2015
        f"{day:%d.%m.%Y}",
    ]


@pytest.fixture
def privacy_world(site, cast, sponsor, other_sponsor):
    """Two children of the sponsor whose every forbidden field holds a value we can look for:
    Amani, whose family agreed to photos and sharing progress, and Baraka, whose did not."""
    amani = ChildFactory(
        preferred_name="Amani Nkurunziza-Ibrahimovic",
        legal_name="Amani Grace Nkurunziza-Ibrahimovic",
        date_of_birth=AMANI_BORN,
        guardian_name="Zawadi Mukamana-Okonkwo",
        guardian_phone="+852 6123 9876",
        guardian_relationship="Stepgrandmother",
        phone="+852 9876 5432",
        email="amani.family@example.org",
        case_reference="UNHCR-HK-7731-Q",
        languages="Kinyarwanda",
        consent_photo=True,
        consent_share_progress=True,
    )
    amani_photo = give_photo(amani)
    SchoolPlacementFactory(child=amani, school=SchoolFactory(name="Harbour View Primary School"))
    SponsorshipFactory(
        sponsor=sponsor, child=amani, note="Coordinator note: the Okonkwo household pays rent late"
    )
    SponsorshipFactory(sponsor=other_sponsor, child=amani, amount=300)
    shared = ProgressReportFactory(
        child=amani,
        term=1,
        shared_with_sponsors=True,
        teacher_comment="Amani reads aloud with growing confidence.",
        caseworker_note="Eviction notice pending at the Chungking flat",
    )
    SubjectGradeFactory(report=shared, subject="English", grade="B+")
    SubjectGradeFactory(report=shared, subject="Mathematics", grade="A-")
    unshared = ProgressReportFactory(
        child=amani,
        school_year=this_year() - 1,
        term=3,
        shared_with_sponsors=False,
        teacher_comment="Zebrafinch incident kept private",
        caseworker_note="Caseworker: Tsim Sha Tsui shelter",
    )
    SubjectGradeFactory(report=unshared, subject="Xylophonics", grade="C")
    SubjectGradeFactory(report=unshared, subject="Quantumchemistry", grade="D")
    amani_certificate = certificate_earned(
        learner=amani, by=cast.coordinator, course_title="Homework club"
    )

    baraka = ChildFactory(
        preferred_name="Baraka Nkurunziza-Ibrahimovic",
        legal_name="Baraka Nkurunziza-Ibrahimovic",
        date_of_birth=BARAKA_BORN,
        guardian_name="Zawadi Mukamana-Okonkwo",
        guardian_phone="+852 6123 9876",
        guardian_relationship="Stepgrandmother",
        case_reference="UNHCR-HK-7732-R",
        consent_photo=False,
        consent_share_progress=False,
    )
    give_photo(baraka, "blue")
    SchoolPlacementFactory(
        child=baraka, school=SchoolFactory(name="Lantern Bay Primary School"), grade=5
    )
    SponsorshipFactory(sponsor=sponsor, child=baraka, amount=700)
    # Shared once, before the family withdrew their consent.
    withdrawn = ProgressReportFactory(
        child=baraka,
        shared_with_sponsors=True,
        teacher_comment="Marmalade comment the family keeps to itself",
    )
    SubjectGradeFactory(report=withdrawn, subject="Origamiology", grade="B")
    baraka_certificate = certificate_earned(
        learner=baraka, by=cast.coordinator, course_title="Zither basics for beginners"
    )
    baraka.refresh_from_db()

    forbidden = [
        "Nkurunziza",
        "Ibrahimovic",
        "Amani Grace",
        *date_forms(AMANI_BORN),
        *date_forms(BARAKA_BORN),
        "Zawadi",
        "Mukamana",
        "Okonkwo",
        "6123 9876",
        "61239876",
        "Stepgrandmother",
        "9876 5432",
        "98765432",
        "amani.family",
        "UNHCR-HK-7731-Q",
        "UNHCR-HK-7732-R",
        "Kinyarwanda",
        "Eviction notice",
        "Chungking",
        "Zebrafinch",
        "Tsim Sha Tsui",
        "Xylophonics",
        "Quantumchemistry",
        "Lantern Bay",
        "Marmalade",
        "Origamiology",
        "Zither",
        "Quillfeather",
        "Vandersloot",
        amani_certificate.number,
        amani_certificate.verification_code,
        baraka_certificate.number,
        baraka.photo.name,
        photo_url(baraka),
    ]
    return {
        "amani": amani,
        "baraka": baraka,
        "shared": shared,
        "unshared": unshared,
        "withdrawn": withdrawn,
        "amani_photo": amani_photo,
        "forbidden": forbidden,
    }


def assert_none_of(forbidden: list[str], text: str, where: str) -> None:
    text = text.lower()
    leaks = [value for value in forbidden if value.lower() in text]
    assert not leaks, f"{where} shows {leaks}"


def test_no_page_or_file_shows_what_identifies_or_locates_a_child(client, cast, privacy_world):
    world = privacy_world
    amani, baraka = world["amani"], world["baraka"]
    client.force_login(cast.sponsor)
    year = this_year()

    pages = {
        url: client.get(url)
        for url in [
            "/sponsor/",
            child_url(amani),
            child_url(baraka),
            report_url(amani, world["shared"]),
            statement_url(year),
            statement_url(year - 1),
        ]
    }
    assert {url: r.status_code for url, r in pages.items()} == dict.fromkeys(pages, 200)
    texts = {url: text_of(response) for url, response in pages.items()}
    xlsx = client.get(statement_url(year, ".xlsx"))
    pdf = client.get(statement_url(year, ".pdf"))
    texts["xlsx"] = xlsx_text(xlsx.content)
    texts["pdf"] = pdf_text(pdf.content)

    for where, text in texts.items():
        assert_none_of(world["forbidden"], text, where)

    # What a sponsor may see is there, so the pages above were the real ones.
    home = texts["/sponsor/"]
    for allowed in ["Amani", "Baraka", "P4", "P2", "Harbour View Primary School"]:
        assert allowed in home
    assert f"{age_today(AMANI_BORN)} years old" in home
    assert f"{age_today(BARAKA_BORN)} years old" in home
    assert photo_url(amani) in home
    assert "Homework club" in texts[child_url(amani)]
    assert "Amani reads aloud with growing confidence." in texts[report_url(amani, world["shared"])]
    assert "Mathematics" in texts[report_url(amani, world["shared"])]
    assert "has not agreed to share" in texts[child_url(baraka)]
    for export in ("xlsx", "pdf"):
        assert "Amani" in texts[export]
        assert "Baraka" in texts[export]
        assert "Harbour Rotary Club" in texts[export]


def test_what_other_sponsors_pay_is_not_named_on_the_childs_page(client, cast, privacy_world):
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(privacy_world["amani"])))

    assert "HK$300" not in text  # the other sponsor's monthly amount
    assert "HK$500" in text


# --- who may see what: 404s, 403s, sign-in ----------------------------------------------------


@pytest.fixture
def two_sponsors_children(site, cast, sponsor, other_sponsor):
    mine = sponsor_child(sponsor, preferred_name="Amani", photo="learner-photos/a.jpg")
    sibling = sponsor_child(sponsor, preferred_name="Baraka")
    theirs = sponsor_child(other_sponsor, preferred_name="Chidi", photo="learner-photos/c.jpg")
    return {
        "mine": mine,
        "sibling": sibling,
        "theirs": theirs,
        "my_report": ProgressReportFactory(child=mine, shared_with_sponsors=True),
        "my_unshared": ProgressReportFactory(child=mine, term=2, shared_with_sponsors=False),
        "sibling_report": ProgressReportFactory(child=sibling, shared_with_sponsors=True),
        "their_report": ProgressReportFactory(child=theirs, shared_with_sponsors=True),
    }


def assert_same_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    unknown = client.get("/sponsor/children/987654/")
    assert response.content == unknown.content  # says nothing about whether the child exists


def test_another_sponsors_child_is_404(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)

    assert_same_404(client, child_url(world["theirs"]))
    assert_same_404(client, report_url(world["theirs"], world["their_report"]))
    assert_same_404(client, photo_url(world["theirs"]))


def test_the_other_sponsor_does_see_their_child(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.other_sponsor)

    assert client.get(child_url(world["theirs"])).status_code == 200
    assert client.get(report_url(world["theirs"], world["their_report"])).status_code == 200
    assert client.get(child_url(world["mine"])).status_code == 404


def test_unknown_ids_are_404(client, cast, two_sponsors_children):
    mine = two_sponsors_children["mine"]
    client.force_login(cast.sponsor)

    assert client.get("/sponsor/children/987654/").status_code == 404
    assert client.get(f"/sponsor/children/{mine.pk}/reports/987654/").status_code == 404
    assert client.get("/sponsor/children/987654/photo/").status_code == 404


def test_an_unshared_report_of_their_own_child_is_404(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)

    assert client.get(report_url(world["mine"], world["my_report"])).status_code == 200
    assert_same_404(client, report_url(world["mine"], world["my_unshared"]))


def test_a_report_is_404_once_the_family_withdraws_consent(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)
    url = report_url(world["mine"], world["my_report"])
    assert client.get(url).status_code == 200

    world["mine"].consent_share_progress = False
    world["mine"].save()

    assert_same_404(client, url)


def test_a_siblings_report_under_their_own_childs_url_is_404(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)

    assert_same_404(client, report_url(world["mine"], world["sibling_report"]))
    assert client.get(report_url(world["sibling"], world["sibling_report"])).status_code == 200


def test_a_photo_without_consent_is_404(client, cast, two_sponsors_children):
    mine = two_sponsors_children["mine"]
    give_photo(mine)
    client.force_login(cast.sponsor)
    assert client.get(photo_url(mine)).status_code == 200

    mine.consent_photo = False
    mine.save()

    assert client.get(photo_url(mine)).status_code == 404


@pytest.mark.parametrize("role", ["learner", "teacher", "coordinator"])
def test_anyone_without_a_sponsor_record_gets_the_for_sponsors_page(
    client, cast, role, two_sponsors_children
):
    client.force_login(getattr(cast, role))

    for url in ["/sponsor/", child_url(two_sponsors_children["mine"]), statement_url(this_year())]:
        response = client.get(url)
        assert response.status_code == 403
        assert "This page is for sponsors" in text_of(response)
        assert "Amani" not in text_of(response)


def test_a_user_in_the_sponsors_group_without_a_record_gets_the_for_sponsors_page(
    client, cast, site
):
    client.force_login(cast.sponsor)  # no Sponsor record yet

    response = client.get("/sponsor/")

    assert response.status_code == 403
    assert "This page is for sponsors" in text_of(response)


def test_a_visitor_is_sent_to_sign_in(client, two_sponsors_children):
    world = two_sponsors_children
    year = this_year()
    for url in [
        "/sponsor/",
        child_url(world["mine"]),
        report_url(world["mine"], world["my_report"]),
        photo_url(world["mine"]),
        statement_url(year),
        statement_url(year, ".xlsx"),
        statement_url(year, ".pdf"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/sponsor/"), url


def test_the_pages_only_answer_get(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    assert client.post("/sponsor/").status_code == 405
    assert client.post(statement_url(this_year(), ".xlsx")).status_code == 405


def test_a_sponsor_trying_teach_gets_the_not_a_teacher_page(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    response = client.get("/teach/")

    assert response.status_code == 403
    assert "This is for teachers" in text_of(response)


def test_a_sponsor_trying_the_admin_does_not_get_it(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    response = client.get("/admin/")

    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == 403
    followed = client.get("/admin/", follow=True)
    assert "Dashboard" not in text_of(followed)
    assert "Sponsors" not in text_of(followed)  # no admin menu


def test_the_pages_are_not_cached_by_shared_caches(client, cast, two_sponsors_children):
    client.force_login(cast.sponsor)

    for url in ["/sponsor/", child_url(two_sponsors_children["mine"])]:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control or "private" in cache_control


@pytest.mark.parametrize("year_offset", [2, 30])
def test_a_statement_for_a_year_out_of_range_is_404(client, cast, sponsor, site, year_offset):
    client.force_login(cast.sponsor)
    year = this_year() + year_offset

    assert client.get(statement_url(year)).status_code == 404
    assert client.get(statement_url(year, ".xlsx")).status_code == 404
    assert client.get(statement_url(year, ".pdf")).status_code == 404


def test_statements_before_2000_are_404_and_next_year_is_there(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    assert client.get(statement_url(1999)).status_code == 404
    assert client.get(statement_url(2000)).status_code == 200
    assert client.get(statement_url(this_year() + 1)).status_code == 200


# --- signing in and the menu ------------------------------------------------------------------


def test_a_sponsor_lands_on_their_page_after_signing_in(client, cast, sponsor, site):
    response = client.post("/accounts/login/", {"username": "sponsor", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/sponsor/"


def test_a_learner_still_lands_on_my_learning(client, cast, site):
    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD})

    assert response["Location"] == "/learn/"


def test_the_menu_offers_sponsors_their_children_instead_of_my_learning(client, cast, sponsor):
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert '<a href="/sponsor/">My sponsored children</a>' in text
    assert "My learning</a>" not in text.split("</nav>")[0]


def test_the_menu_of_a_learner_has_no_sponsor_link(client, cast, site):
    client.force_login(cast.learner)

    text = text_of(client.get("/learn/"))

    assert "My sponsored children" not in text
    assert '<a href="/learn/">My learning</a>' in text


# --- what the pages show ----------------------------------------------------------------------


def test_cards_show_the_photo_only_with_consent(client, cast, sponsor, site):
    smiling = sponsor_child(sponsor, preferred_name="Amani", consent_photo=True)
    give_photo(smiling)
    private = sponsor_child(sponsor, preferred_name="Baraka", consent_photo=False)
    give_photo(private)
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert f'<img class="child-photo" src="{photo_url(smiling)}" alt="Photo of Amani"' in text
    assert photo_url(private) not in text
    assert "Photo of Baraka" not in text


def test_the_photo_is_served_with_its_type_and_private_caching(client, cast, sponsor, site):
    child = sponsor_child(sponsor, consent_photo=True)
    content = give_photo(child)
    client.force_login(cast.sponsor)

    response = client.get(photo_url(child))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"  # from the bytes: the stored name says .jpg
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_that_is_not_an_image_is_not_served(client, cast, sponsor, site):
    child = sponsor_child(sponsor, consent_photo=True)
    child.photo.save("x.jpg", SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>"))
    client.force_login(cast.sponsor)

    assert client.get(photo_url(child)).status_code == 404


def test_the_card_shows_the_school_only_when_the_family_shares_progress(
    client, cast, sponsor, site
):
    sharing = sponsor_child(sponsor, preferred_name="Amani", consent_share_progress=True)
    SchoolPlacementFactory(child=sharing, school=SchoolFactory(name="Harbour View Primary"))
    private = sponsor_child(sponsor, preferred_name="Baraka", consent_share_progress=False)
    SchoolPlacementFactory(child=private, school=SchoolFactory(name="Lantern Bay Primary"))
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert "Harbour View Primary" in text
    assert "Lantern Bay Primary" not in text


def test_the_home_page_links_each_child_and_this_years_statement(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani")
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert f'href="{child_url(child)}"' in text
    assert f'href="{statement_url(this_year())}"' in text
    assert school_year_label(this_year()) in text


def test_a_sponsor_with_no_children_this_year_is_told_so(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    response = client.get("/sponsor/")

    assert response.status_code == 200
    assert "You are not supporting a child this school year" in text_of(response)


def test_the_child_page_shows_what_the_sponsorship_covered_this_year(client, cast, sponsor, site):
    child = ChildFactory(preferred_name="Amani")
    SponsorshipFactory(
        sponsor=sponsor,
        child=child,
        starts_on=first_of_september(),
        amount=500,
        frequency=Frequency.MONTHLY,
        covers=["fees", "books"],
    )
    SchoolPlacementFactory(child=child, fees=9000, uniform=1000, books=1000, transport=1000)
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(child)))

    today = timezone.localdate()
    payments_due = (today.year - this_year()) * 12 + today.month - 9 + 1
    assert "School fees, Books" in text
    assert "Monthly" in text
    assert "HK$500" in text
    assert re.search(rf'class="paid-so-far">HK\${500 * payments_due:,}<', text)
    assert "HK$6,000 (12 payments)" in text
    assert "come to HK$12,000" in text
    assert "Sponsors together fund 50% of them" in text


def test_the_child_page_lists_shared_reports_newest_first(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani")
    year = this_year()
    older = ProgressReportFactory(
        child=child, school_year=year - 1, term=3, shared_with_sponsors=True
    )
    newer = ProgressReportFactory(
        child=child,
        school_year=year,
        term=1,
        shared_with_sponsors=True,
        school_attendance_percent=88,
    )
    ProgressReportFactory(child=child, school_year=year, term=2, shared_with_sponsors=False)
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(child)))

    assert text.index(report_url(child, newer)) < text.index(report_url(child, older))
    assert text.count("Read the report") == 2
    assert "88%" in text


def test_the_child_page_shows_certificates_title_and_date_only(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani")
    certificate = certificate_earned(learner=child, by=cast.coordinator, course_title="Homework")
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(child)))

    assert "Homework" in text
    assert timezone.localdate(certificate.issued_at).strftime("%Y-%m-%d") in text
    assert certificate.number not in text
    assert certificate.holder_name not in text


def test_the_child_page_says_plainly_when_progress_is_not_shared(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Baraka", consent_share_progress=False)
    ProgressReportFactory(child=child, shared_with_sponsors=True)
    certificate_earned(learner=child, by=cast.coordinator, course_title="Chess club")
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(child)))

    assert "Baraka's family has not agreed to share school reports" in text
    assert "Read the report" not in text
    assert "Chess club" not in text


def test_the_child_page_shows_the_homework_support_attendance_rate(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani")
    homework = CategoryFactory(name="Homework support", slug="homework-support")
    run = CourseRunFactory(
        course=CoursePageFactory(category=homework),
        start_date=timezone.localdate() - dt.timedelta(days=40),
    )
    enrolment = EnrolmentFactory(learner=child, run=run)
    statuses = [AttendanceStatus.PRESENT] * 2 + [AttendanceStatus.LATE, AttendanceStatus.ABSENT]
    for week, status in enumerate([*statuses, AttendanceStatus.EXCUSED]):
        session = SessionFactory(run=run, date=run.start_date + dt.timedelta(weeks=week))
        Attendance.objects.create(
            enrolment=enrolment, session=session, status=status, marked_at=timezone.now()
        )
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(child)))

    assert "Amani came to 75% of the homework support sessions." in text


def test_the_report_page_shows_the_report(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani")
    SchoolPlacementFactory(child=child, grade=7)
    report = ProgressReportFactory(
        child=child,
        term=2,
        shared_with_sponsors=True,
        school_attendance_percent=91,
        teacher_comment="Kind to classmates.\nAsks good questions.",
    )
    SubjectGradeFactory(report=report, subject="English", grade="B+", sort_order=0)
    SubjectGradeFactory(report=report, subject="Science", grade="A", sort_order=1)
    client.force_login(cast.sponsor)

    text = text_of(client.get(report_url(child, report)))

    assert f"Amani's report, Second term {school_year_label(this_year())}" in text
    assert '<dd class="school-attendance">91%</dd>' in text
    assert "<dd>P4</dd>" in text
    assert '<th scope="row">English</th><td>B+</td>' in text
    assert text.index("English") < text.index("Science")
    assert "Kind to classmates.<br>Asks good questions." in text


# --- statements -------------------------------------------------------------------------------


@pytest.fixture
def two_sponsorships(site, sponsor):
    amani = ChildFactory(preferred_name="Amani Okello")
    baraka = ChildFactory(preferred_name="Baraka")
    SponsorshipFactory(
        sponsor=sponsor, child=amani, starts_on=first_of_september(), amount=500, covers=["fees"]
    )
    SponsorshipFactory(
        sponsor=sponsor,
        child=baraka,
        starts_on=first_of_september(),
        amount=1200,
        frequency=Frequency.TERMLY,
        covers=["uniform", "transport"],
    )
    return amani, baraka


def test_the_statement_page_lists_each_line_and_the_total(client, cast, two_sponsorships):
    client.force_login(cast.sponsor)
    year = this_year()

    text = text_of(client.get(statement_url(year)))

    assert f"Sponsorship statement {school_year_label(year)}" in text
    assert "Harbour Rotary Club" in text
    assert '<th scope="row">Amani</th>' in text
    assert "Uniform, Transport" in text
    assert "HK$6,000" in text  # 12 × 500
    assert "HK$3,600" in text  # 3 × 1,200
    assert '<td class="money statement-total">HK$9,600</td>' in text
    assert f'href="{statement_url(year, ".xlsx")}"' in text
    assert f'href="{statement_url(year, ".pdf")}"' in text


def test_the_statement_spreadsheet_adds_up(client, cast, two_sponsorships):
    client.force_login(cast.sponsor)

    response = client.get(statement_url(this_year(), ".xlsx"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    firsts = [row[0].value for row in sheet.iter_rows()]
    assert firsts[firsts.index("Child") + 1 :][:2] == ["Amani", "Baraka"]  # under the headings
    rows = [row for row in sheet.iter_rows() if row[0].value in {"Amani", "Baraka", "Total"}]
    totals = {row[0].value: row[9] for row in rows}
    assert totals["Amani"].value == Decimal(6000)
    assert rows[0][4].value == 12  # payments
    assert totals["Baraka"].value == Decimal(3600)
    assert rows[1][4].value == 3
    assert totals["Total"].value == Decimal(9600)
    assert "HK$" in totals["Total"].number_format
    assert rows[0][5].value.date() == first_of_september()


def test_the_statement_spreadsheet_neutralises_formula_like_text(client, cast, site):
    SponsorFactory(user=cast.sponsor, display_name='=HYPERLINK("http://evil")')
    client.force_login(cast.sponsor)

    response = client.get(statement_url(this_year(), ".xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert '\'=HYPERLINK("http://evil")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_the_statement_pdf_lists_the_lines_and_total(client, cast, two_sponsorships):
    client.force_login(cast.sponsor)

    response = client.get(statement_url(this_year(), ".pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Harbour Rotary Club" in text
    assert "HK$9,600" in text
    assert "Amani" in text and "Baraka" in text


# --- queries do not grow with the data --------------------------------------------------------


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_child(sponsor, n: int):
    child = sponsor_child(sponsor, preferred_name=f"Child{n}", photo=f"learner-photos/{n}.jpg")
    SchoolPlacementFactory(child=child)
    return child


def test_the_home_page_costs_the_same_queries_for_1_and_10_children(client, cast, sponsor, site):
    add_child(sponsor, 0)
    client.force_login(cast.sponsor)
    client.get("/sponsor/")  # warm the per-process caches (content types, site)
    one = queries_for(client, "/sponsor/")

    for n in range(1, 10):
        add_child(sponsor, n)
    ten = queries_for(client, "/sponsor/")

    assert text_of(client.get("/sponsor/")).count("See how") == 10
    assert ten == one


def test_the_child_page_costs_the_same_queries_for_1_and_10_reports(client, cast, sponsor, site):
    child = add_child(sponsor, 0)

    def shared(year, term):
        report = ProgressReportFactory(
            child=child, school_year=year, term=term, shared_with_sponsors=True
        )
        SubjectGradeFactory(report=report)

    shared(this_year(), 1)
    client.force_login(cast.sponsor)
    client.get(child_url(child))
    one = queries_for(client, child_url(child))

    for i in range(1, 10):
        shared(this_year() - i // 3 - 1, i % 3 + 1)
    ten = queries_for(client, child_url(child))

    assert text_of(client.get(child_url(child))).count("Read the report") == 10
    assert ten == one


def test_the_statement_costs_the_same_queries_for_1_and_10_sponsorships(
    client, cast, sponsor, site
):
    add_child(sponsor, 0)
    url = statement_url(this_year())
    client.force_login(cast.sponsor)
    client.get(url)
    one = queries_for(client, url)

    for n in range(1, 10):
        add_child(sponsor, n)
    ten = queries_for(client, url)

    assert text_of(client.get(url)).count('<th scope="row">Child') == 10
    assert ten == one
