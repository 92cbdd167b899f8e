"""/sponsor/: the home page's cards, a child's page and photo, and a shared report."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enrolment.models import Attendance, AttendanceStatus, Frequency
from enrolment.models.schools import school_year_label
from tests.enrolment.views.sponsor.conftest import (
    child_url,
    first_of_september,
    give_photo,
    photo_url,
    report_url,
    sponsor_child,
    statement_url,
    text_of,
    this_year,
)
from tests.factories import (
    CategoryFactory,
    ChildFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
)
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.django_db


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
    assert re.search(rf'class="due-so-far">HK\${500 * payments_due:,}<', text)
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
