"""Every kind of page runs under the Content-Security-Policy without a violation: nothing
inline that the policy blocks, on our pages or in the Wagtail admin (issue 11, defect 14)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from cms.management.demo import DEMO_PASSWORD, demo_logins
from courses.models import CoursePage
from enrolment.models import Certificate, Sponsorship

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    """What the browser's console says the policy blocked, on any page this test opens."""
    found = []

    def listen(message):
        if "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    return found


def visit(page, paths):
    for path in paths:
        response = page.goto(path)
        assert response.ok or path == "/nowhere/", path
        assert response.headers.get("content-security-policy"), path
        page.wait_for_load_state("networkidle")


def sign_in_as(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Phone number, email or username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_public_pages_report_no_violation(page, violations):
    course = CoursePage.objects.live().first()
    certificate = Certificate.objects.first()
    paths = [
        "/",
        "/courses/",
        course.url,
        f"/certificates/verify/{certificate.verification_code}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/nowhere/",
    ]
    visit(page, paths)
    assert violations == []


def test_learner_teacher_and_sponsor_pages_report_no_violation(page, violations):
    logins = {who.split(":")[0]: username for username, _p, who in demo_logins()}
    learner = next(u for w, u in logins.items() if w.startswith("Learner"))
    teacher = next(u for w, u in logins.items() if w == "Teacher")
    # A sponsorship under way: an upcoming one shows no child page yet.
    sponsorship = Sponsorship.objects.filter(
        sponsor__user__isnull=False, starts_on__lte=timezone.localdate()
    ).first()
    sponsor = sponsorship.sponsor.user.username
    for username, paths in [
        (learner, ["/learn/", "/learn/profile/"]),
        (teacher, ["/teach/"]),
        (sponsor, ["/sponsor/", f"/sponsor/children/{sponsorship.child_id}/"]),
    ]:
        sign_in_as(page, username)
        visit(page, paths)
        page.context.clear_cookies()
    assert violations == []


def test_the_admin_reports_no_violation(page, violations, screenshot):
    sign_in_as(page, "coordinator")
    # The two-factor set-up page's QR code is an inline SVG: the policy lets it show.
    visit(page, ["/accounts/two-factor/setup/"])
    expect(page.locator(".qr-code svg")).to_be_visible()
    screenshot("two-factor-setup")
    home = Page.objects.live().filter(depth=2).first()
    paths = ["/admin/", f"/admin/pages/{home.pk}/edit/", "/admin/enrolment/learners/"]
    visit(page, paths)
    assert violations == []
