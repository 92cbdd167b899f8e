"""A sponsor signs in on a phone and reads the latest school report of the child they support."""

import re

import pytest
from playwright.sync_api import expect

from cms.management.demo import DEMO_PASSWORD
from enrolment.models import Learner, ProgressReport
from enrolment.models.schools import school_year_label
from tests.browser.test_enrolment import assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


def test_a_sponsor_reads_the_latest_shared_report(page, screenshot):
    hamza = Learner.objects.get(preferred_name="Hamza", sponsorships__isnull=False)
    latest = (
        ProgressReport.objects.filter(child=hamza, shared_with_sponsors=True)
        .order_by("-school_year", "-term")
        .first()
    )
    assert latest is not None and latest.caseworker_note, "the demo gives Hamza shared reports"

    page.goto("/")
    sign_in(page, "sponsor.one@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/sponsor/$"))
    expect(page.get_by_role("heading", level=1, name="My sponsored children")).to_be_visible()
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", level=3, name="Hamza")
    )
    expect(card).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("children")

    card.get_by_role("link", name="See how Hamza is doing").click()
    expect(page.get_by_role("heading", level=1, name="Hamza")).to_be_visible()
    reports = page.get_by_role("list", name=re.compile("school reports, newest first"))
    read = reports.get_by_role("link", name=re.compile("Read the report")).first
    expect(read).to_be_in_viewport()  # not off-screen in a table that scrolls sideways
    assert_no_horizontal_scroll(page)
    screenshot("child")
    read.click()

    term = latest.get_term_display()
    year = school_year_label(latest.school_year)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hamza's report, {term} {year}")
    expect(page.get_by_text(latest.teacher_comment)).to_be_visible()
    grades = page.get_by_role("table", name=re.compile("by subject"))
    for line in latest.grades.all():
        expect(grades.get_by_role("row", name=re.compile(re.escape(line.subject)))).to_contain_text(
            line.grade
        )
    assert_no_horizontal_scroll(page)
    screenshot("report")

    # What identifies or locates Hamza, or what only the caseworker knows, is not on the page.
    text = page.locator("body").inner_text()
    for secret in [hamza.legal_name, hamza.guardian_name, latest.caseworker_note[:40]]:
        assert secret and secret not in text
