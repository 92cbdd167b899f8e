"""Learners on a cheap phone sign up, enrol, join a waitlist and get a seat when one frees up."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import CoursePage, Venue
from courses.services import sessions_generate
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, CourseRunFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.browser

STARTERS = "English for starters"  # no minimum age or English level


def assert_no_horizontal_scroll(page):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.viewport_size["width"], (
        f"{page.url} scrolls sideways: {scroll_width}px wide on a "
        f"{page.viewport_size['width']}px screen"
    )


def enrolment_card(page, course_title):
    """The card for one course under "Your courses" on /learn/."""
    courses = page.get_by_role("region", name="Your courses")
    return courses.get_by_role("listitem").filter(
        has=page.get_by_role("heading", level=3, name=course_title)
    )


def open_course(page, title):
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Courses", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1, name="Courses")).to_be_visible()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def run_card(page, code):
    classes = page.get_by_role("region", name="Upcoming classes")
    return classes.get_by_role("listitem").filter(has_text=code)


def sign_in(page, identifier, password, *, shoot=None):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_label("Phone number, email or username").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    if shoot:
        shoot()
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


@pytest.fixture
def second_page(browser, demo_site):
    """Another person's phone: a browser context of its own, with its own cookies."""
    context = browser.new_context(viewport=PHONE, base_url=demo_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_new_learner_signs_up_with_a_phone_number_and_enrols(page, screenshot):
    starters = CoursePage.objects.get(title=STARTERS)
    runs_with_seats = starters.runs.upcoming().with_seats().filter(seats_left__gt=0)
    open_runs = sorted(
        (run for run in runs_with_seats if run.is_enrolment_open()), key=lambda r: r.start_date
    )
    assert open_runs, f"the demo has no run of {STARTERS} open for enrolment with free seats"
    run = open_runs[0]

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1, name="Sign up")).to_be_visible()
    notice = page.get_by_role("region", name="How we use your information")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Personal Data (Privacy) Ordinance")
    assert_no_horizontal_scroll(page)
    screenshot("signup")

    page.get_by_label("Phone number").fill("+852 9123 4567")
    page.get_by_label("Your name").fill("Nadia")
    page.get_by_label("Date of birth").fill("1991-06-20")
    page.get_by_label("Your English level").select_option(label="Pre-A1 (starter)")
    page.get_by_label("Your language").select_option(label="English")
    page.get_by_label("Password", exact=True).fill("harbour-lights-42")
    page.get_by_label("Password again").fill("harbour-lights-42")
    screenshot("signup-filled")
    page.get_by_role("button", name="Create my account").click()

    # The same next step whether the number was new or had an account (issue 11, defect 9):
    # sign in, the number already filled in.
    expect(page).to_have_url(re.compile(r"/accounts/signup/next/$"))
    expect(page.get_by_role("heading", level=1, name="Next step: sign in")).to_be_visible()
    expect(page.get_by_label("Phone number, email or username")).to_have_value("+85291234567")
    assert_no_horizontal_scroll(page)
    screenshot("signup-next-step")
    page.get_by_label("Password", exact=True).fill("harbour-lights-42")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/learn/$"))
    expect(page.get_by_role("heading", level=1, name="My learning")).to_be_visible()
    expect(page.get_by_text("You have no courses yet.")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign up")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot("signed-up")

    open_course(page, STARTERS)
    card = run_card(page, run.code)
    expect(card).to_contain_text("Seats left")
    enrol = card.get_by_role("button", name=f"Enrol {run.code}")
    expect(enrol).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("course")
    card.scroll_into_view_if_needed()
    screenshot("course-run", full_page=False)

    enrol.click()
    expect(page).to_have_url(re.compile(r"/learn/$"))
    expect(page.get_by_role("status")).to_contain_text(
        f"You are enrolled in {STARTERS} ({run.code})."
    )
    enrolment = enrolment_card(page, STARTERS)
    expect(enrolment).to_contain_text("Enrolled")
    expect(enrolment).to_contain_text(run.code)
    expect(enrolment.get_by_role("button", name="Withdraw")).to_be_visible()
    expect(page.get_by_role("region", name="Your next classes")).to_contain_text(STARTERS)
    assert_no_horizontal_scroll(page)
    screenshot("my-learning")

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(nav.get_by_role("link", name="My learning")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot("signed-out")

    # The same number, typed the way a Hong Kong phone shows it.
    sign_in(page, "9123 4567", "harbour-lights-42", shoot=lambda: screenshot("sign-in"))
    expect(page).to_have_url(re.compile(r"/learn/$"))
    expect(page.get_by_role("heading", level=1, name="My learning")).to_be_visible()
    expect(page.get_by_text("Hello, Nadia.")).to_be_visible()
    expect(enrolment_card(page, STARTERS)).to_contain_text("Enrolled")
    assert_no_horizontal_scroll(page)
    screenshot("signed-in-again")


def test_a_freed_seat_is_offered_to_the_first_learner_on_the_waitlist(
    page, second_page, screenshot
):
    today = timezone.localdate()
    starters = CoursePage.objects.get(title=STARTERS)
    in_two_weeks = today + dt.timedelta(weeks=2)
    start = in_two_weeks + dt.timedelta(days=(4 - in_two_weeks.weekday()) % 7)  # a Friday
    run = CourseRunFactory(
        course=starters,
        code="STARTERS-ONE-SEAT",
        start_date=start,
        end_date=start + dt.timedelta(weeks=5),
        weekdays="4",  # Fridays, 18:30-20:30
        venue=Venue.objects.order_by("pk").first(),
        capacity=1,
        enrolment_opens=today - dt.timedelta(days=7),
        enrolment_closes=start,
    )
    sessions_generate(run=run)
    # Accounts as sign-up makes them: the username is the normalised phone number.
    for name, phone in [("Hana", "+85291110001"), ("Omar", "+85291110002")]:
        user = UserFactory(username=phone, first_name=name, groups=["Learners"])
        LearnerFactory(user=user, preferred_name=name, phone=phone)
    a, b = page, second_page

    # A takes the last seat.
    a.goto("/")
    sign_in(a, "9111 0001", PASSWORD)
    expect(a).to_have_url(re.compile(r"/learn/$"))
    open_course(a, STARTERS)
    card = run_card(a, run.code)
    expect(card).to_contain_text(re.compile(r"Seats left\s*1\b"))
    card.scroll_into_view_if_needed()
    assert_no_horizontal_scroll(a)
    screenshot("a-course-one-seat", full_page=False)
    card.get_by_role("button", name=f"Enrol {run.code}").click()
    expect(a).to_have_url(re.compile(r"/learn/$"))
    expect(a.get_by_role("status")).to_contain_text(f"You are enrolled in {STARTERS} ({run.code}).")
    expect(enrolment_card(a, STARTERS)).to_contain_text("Enrolled")
    assert_no_horizontal_scroll(a)
    screenshot("a-enrolled")

    # B finds the class full and joins the waitlist.
    b.goto("/")
    sign_in(b, "9111 0002", PASSWORD)
    expect(b).to_have_url(re.compile(r"/learn/$"))
    open_course(b, STARTERS)
    card = run_card(b, run.code)
    expect(card).to_contain_text(re.compile(r"Seats left\s*Full"))
    expect(card.get_by_role("button", name=f"Enrol {run.code}")).to_have_count(0)
    expect(card).to_contain_text("The class is full. Join the waitlist")
    join = card.get_by_role("button", name=f"Join waitlist {run.code}")
    card.scroll_into_view_if_needed()
    assert_no_horizontal_scroll(b)
    screenshot("b-course-full", full_page=False, target=b)
    join.click()
    expect(b).to_have_url(re.compile(r"/learn/$"))
    expect(b.get_by_role("status")).to_contain_text("You are number 1.")
    waiting = enrolment_card(b, STARTERS)
    expect(waiting).to_contain_text("On the waitlist")
    expect(waiting).to_contain_text("You are number 1 on the waitlist.")
    expect(waiting.get_by_role("button", name="Leave waitlist")).to_be_visible()
    assert_no_horizontal_scroll(b)
    screenshot("b-waitlisted", target=b)

    # A withdraws, after a confirmation page.
    a.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    enrolment_card(a, STARTERS).get_by_role("button", name="Withdraw").click()
    expect(a).to_have_url(re.compile(r"/learn/enrolments/\d+/withdraw/\??$"))
    expect(a.get_by_role("heading", level=1)).to_have_text("Withdraw from this course?")
    expect(a.get_by_role("main")).to_contain_text(run.code)
    a.get_by_label("Why are you leaving? (optional)").fill("I found a job in the mornings.")
    assert_no_horizontal_scroll(a)
    screenshot("a-withdraw-confirm")
    a.get_by_role("main").get_by_role("button", name="Withdraw").click()
    expect(a).to_have_url(re.compile(r"/learn/$"))
    expect(a.get_by_role("status")).to_contain_text(
        f"You have withdrawn from {STARTERS} ({run.code})."
    )
    expect(enrolment_card(a, STARTERS)).to_have_count(0)
    expect(a.get_by_role("region", name="Classes you left")).to_contain_text("Withdrawn")
    assert_no_horizontal_scroll(a)
    screenshot("a-withdrawn")

    # B is offered the seat, with a deadline, and takes it.
    b.reload()
    offered = enrolment_card(b, STARTERS)
    expect(offered).to_contain_text("Seat offered, waiting for your answer")
    expect(offered).to_contain_text("(Hong Kong time)")
    assert_no_horizontal_scroll(b)
    screenshot("b-offered", target=b)
    offered.get_by_role("button", name=f"Take the seat {run.code}").click()
    expect(b).to_have_url(re.compile(r"/learn/$"))
    expect(b.get_by_role("status")).to_contain_text(f"You are enrolled in {STARTERS} ({run.code}).")
    promoted = enrolment_card(b, STARTERS)
    expect(promoted).to_contain_text("Enrolled")
    expect(promoted).not_to_contain_text("waitlist")
    expect(promoted.get_by_role("button", name="Withdraw")).to_be_visible()
    assert_no_horizontal_scroll(b)
    screenshot("b-promoted", target=b)
