"""Each demo sponsor follows every link of their portal, downloads their statements, and nothing
they are given names, dates or locates the seeded children, or says what caseworkers wrote."""

import io
import re

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from cms.management.demo import build_demo
from cms.management.demo.sponsorship import SPONSORS
from enrolment import access
from enrolment.models import Learner, ProgressReport, Sponsor
from enrolment.models.schools import school_year_of
from enrolment.services.identity_check import report_identity_matches

LINK = re.compile(r'href="(/sponsor/[^"#?]*)"')


def forbidden_about(child: Learner) -> list[str]:
    """What identifies or locates a child, as it could be written on a page."""
    born = child.date_of_birth
    values = [
        child.legal_name,
        child.legal_name.split(" ", 1)[-1],  # the family part of the name
        child.guardian_name,
        child.guardian_phone,
        child.guardian_phone.removeprefix("+852"),
        child.phone,
        child.email,
        child.case_reference,
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        f"{born.day} {born:%B %Y}",
        f"{born:%B} {born.day}, {born.year}",
    ]
    values += list(child.progress_reports.values_list("caseworker_note", flat=True))
    return [value for value in values if value and len(value) > 3]


def text_of(response) -> str:
    content_type = response["Content-Type"]
    if content_type.startswith("application/pdf"):
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    if "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if content_type.startswith("image/"):
        return ""
    return response.content.decode()


def worth_following(url: str) -> bool:
    """Statements link a year back and forth, back to 2000: this year's and last are enough."""
    year = re.match(r"/sponsor/statement/(\d+)", url)
    this_year = school_year_of(timezone.localdate())
    return year is None or int(year[1]) in (this_year, this_year - 1)


def crawl(client, start: str) -> dict[str, str]:
    """Every /sponsor/ page and file reachable from `start`, by URL."""
    seen, queue = {}, [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        seen[url] = text_of(response)
        queue += [
            link for link in LINK.findall(seen[url]) if link not in seen and worth_following(link)
        ]
    return seen


@pytest.mark.parametrize("key", [key for key, _name, _what in SPONSORS])
def test_no_demo_sponsor_page_or_file_shows_what_identifies_a_child(client, db, key):
    build_demo(scale=1)
    sponsor = Sponsor.objects.get(user__username=f"{key}@example.org")
    children = list(access.children_for_sponsor(sponsor.user))
    assert children, "every demo sponsor supports a child this year"
    client.force_login(sponsor.user)

    pages = crawl(client, "/sponsor/")

    child_pages = {f"/sponsor/children/{child.pk}/": child for child in children}
    assert set(child_pages) <= set(pages), "each child's page is linked from /sponsor/"
    assert any(url.endswith(".xlsx") for url in pages) and any(
        url.endswith(".pdf") for url in pages
    )
    forbidden = [value for child in children for value in forbidden_about(child)]
    for url, text in pages.items():
        leaks = [value for value in forbidden if value.lower() in text.lower()]
        assert not leaks, f"{url} shows {leaks}"
    for url, child in child_pages.items():
        assert child.preferred_name.split()[0] in pages[url]
        school = child.placements.order_by("-school_year").first().school.name
        assert (school in pages[url]) == child.consent_share_progress, url

    # The reports a coordinator has not shared are not there to be found either.
    unshared = ProgressReport.objects.filter(child__in=children).exclude(
        shared_with_sponsors=True, child__consent_share_progress=True
    )
    for report in unshared:
        url = f"/sponsor/children/{report.child_id}/reports/{report.pk}/"
        assert url not in pages
        assert client.get(url).status_code == 404


def test_the_demo_has_what_the_crawl_needs(db):
    """So that the crawl above cannot pass by having nothing to look at."""
    build_demo(scale=1)
    today = timezone.localdate()
    sponsored = Learner.objects.filter(sponsorships__isnull=False).distinct()
    assert sponsored.filter(consent_share_progress=False).exists()
    assert sponsored.exclude(case_reference="").exists()
    assert ProgressReport.objects.filter(shared_with_sponsors=True).exclude(caseworker_note="")
    assert ProgressReport.objects.filter(shared_with_sponsors=False, child__in=sponsored).exists()
    assert all(child.age_on(today) < 18 and child.guardian_name for child in sponsored)
    # Shared through report_share, which refuses a report naming its child: none does.
    shared = ProgressReport.objects.filter(shared_with_sponsors=True)
    assert shared.count() >= 5
    assert [report.pk for report in shared if report_identity_matches(report=report)] == []
