"""Listing exports read as the listing does: Hong Kong time, not UTC ("Created 04:24" for a
learner who enrolled at 12:24); labels, not codes ("Arabic", not "ar"); dates, not "1 month
ago"; nothing, not "None", for what is not recorded. And no case data or notes leave the
admin in a download."""

import csv
import datetime as dt
import io
import re
import zoneinfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolment.models import (
    Certificate,
    Enrolment,
    Learner,
    Qualification,
    QualificationKind,
    Sponsorship,
)
from tests.conftest import html_of
from tests.factories import (
    LearnerFactory,
    PartnerFactory,
    ProgressReportFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
)
from tests.test_url_inventory import _world

pytestmark = pytest.mark.django_db
HONG_KONG = zoneinfo.ZoneInfo("Asia/Hong_Kong")
# 04:24 UTC is 12:24 in Hong Kong.
MOMENT = dt.datetime(2026, 11, 3, 4, 24, tzinfo=dt.UTC)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_table(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).worksheets[0]
    heading, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(heading, row, strict=True)) for row in rows]


def csv_table(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


@pytest.fixture
def world(site, cast):
    world = _world(site.catalogue, cast)
    Enrolment.objects.filter(pk=world.enrolment).update(created_at=MOMENT)
    Certificate.objects.filter(pk=world.certificate).update(issued_at=MOMENT)
    Learner.objects.filter(pk=world.learner).update(preferred_language="ar", english_level="pre_a1")
    Sponsorship.objects.filter(pk=world.sponsorship).update(
        note="Mother lost her job; pays rent late."
    )
    return world


def test_exported_times_are_hong_kong_times(client, cast, world):
    client.force_login(cast.coordinator)

    (enrolment,) = xlsx_table(client.get("/admin/enrolment/enrolments/?export=xlsx"))
    (certificate,) = csv_table(client.get("/admin/enrolment/certificates/?export=csv"))

    assert enrolment["Created"] == dt.datetime(2026, 11, 3, 12, 24)
    assert certificate["Issued"] == "2026-11-03 12:24"


def test_exports_use_labels_not_codes(client, cast, world):
    client.force_login(cast.coordinator)

    rows = xlsx_table(client.get("/admin/enrolment/learners/?export=xlsx"))
    (learner,) = [row for row in rows if row["Learner number"] == f"L{world.learner}"]
    (run,) = csv_table(client.get("/admin/timetable/runs/?export=csv"))

    assert learner["Language for messages"] == "Arabic"
    assert learner["English level"] == "Pre-A1 (starter)"
    assert learner["Has an account"] == "Yes"
    assert run["Enrolment mode"] == "Open: first come, first served"
    assert run["Status"] == "Published"


def test_a_valid_certificate_exports_no_revocation_and_its_page_says_none_of_none(
    client, cast, world
):
    client.force_login(cast.coordinator)

    (row,) = csv_table(client.get("/admin/enrolment/certificates/?export=csv"))
    html = html_of(client.get(reverse("certificates:inspect", args=[world.certificate])))

    assert row["Status"] == "Valid" and row["Revoked"] == ""
    assert not re.search(r">\s*None\s*<", html)
    assert re.search(r">\s*—\s*<", html)  # revoked: not recorded


def test_the_enrolments_listing_shows_the_local_date_and_time(client, cast, world):
    client.force_login(cast.coordinator)
    html = html_of(client.get("/admin/enrolment/enrolments/"))
    assert "3 Nov 2026, 12:24" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/admin/sponsorship/sponsorships/?export=xlsx",
            {"Sponsor": "Friends of Amani", "Frequency": "Monthly", "Amount (HK$)": 500},
        ),
        ("/admin/sponsorship/placements/?export=xlsx", {"Grade": "P4 (primary)"}),
        (
            "/admin/sponsorship/reports/?export=xlsx",
            {"Term": "First term", "Shared with sponsors": "Yes"},
        ),
        ("/admin/enrolment/qualifications/?export=xlsx", {"Kind": "IELTS", "Passed": "Yes"}),
        ("/admin/sponsorship/sponsors/?export=xlsx", {"Sponsor": "Friends of Amani"}),
    ],
)
def test_the_sponsorship_and_achievement_listings_export_what_they_list(
    client, cast, world, url, expected
):
    client.force_login(cast.coordinator)

    response = client.get(url)

    assert response.status_code == 200
    rows = xlsx_table(response)
    assert any(expected.items() <= row.items() for row in rows), rows
    cells = " ".join(str(value) for row in rows for value in row.values())
    # No caseworker note, school teacher's comment or coordinators' note in a download.
    assert "rent" not in cells and "follow up" not in cells
    assert "Reads with confidence" not in cells
    if "reports" in url or "placements" in url or "sponsorships/" in url:
        assert any(f"(L{world.child})" in str(row.get("Child")) for row in rows)


EXPORT_URLS = [
    "/admin/sponsorship/sponsorships/?export=xlsx",
    "/admin/sponsorship/placements/?export=xlsx",
    "/admin/sponsorship/reports/?export=xlsx",
    "/admin/enrolment/qualifications/?export=xlsx",
    "/admin/sponsorship/sponsors/?export=xlsx",
]


def test_the_new_exports_cost_the_same_queries_for_more_rows(client, cast, world):
    client.force_login(cast.coordinator)

    def counts() -> list[int]:
        found = []
        for url in EXPORT_URLS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    for _ in range(3):
        SponsorshipFactory()
        SchoolPlacementFactory()
        ProgressReportFactory()
        Qualification.objects.create(
            learner=LearnerFactory(),
            kind=QualificationKind.IELTS,
            taken_on=dt.date(2026, 1, 10),
            overall="6.5",
            passed=True,
            partner=PartnerFactory(),
        )
    assert counts() == few
