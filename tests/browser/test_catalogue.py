"""A learner on a cheap phone finds an English course and its upcoming classes."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def assert_no_horizontal_scroll(page):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.viewport_size["width"], (
        f"{page.url} scrolls sideways: {scroll_width}px wide on a "
        f"{page.viewport_size['width']}px screen"
    )


def test_a_visitor_finds_an_english_course_and_its_classes(page, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("home")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Courses", exact=True).click()
    expect(page).to_have_url(re.compile(r"/courses/$"))
    expect(page.get_by_role("heading", level=1, name="Courses")).to_be_visible()
    expect(page.get_by_role("link", name="GED preparation")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("catalogue")

    # On a phone the filters are folded away until the visitor opens them.
    page.get_by_text("Filter courses", exact=True).click()
    page.get_by_label("Subject", exact=True).select_option(label="English")
    page.get_by_role("button", name="Show courses").click()
    expect(page).to_have_url(re.compile(r"[?&]category=english\b"))
    results = page.locator("ul.cards")
    expect(results.get_by_role("link", name="English A1: everyday English")).to_be_visible()
    expect(results.get_by_role("link", name="GED preparation")).to_have_count(0)
    expect(results.get_by_role("link", name="IELTS preparation")).to_have_count(0)
    titles = results.get_by_role("heading", level=2).all_inner_texts()
    assert titles and all("English" in title for title in titles), titles
    expect(page.get_by_label("Subject", exact=True)).to_have_value("english")
    assert_no_horizontal_scroll(page)
    screenshot("english-courses")

    results.get_by_role("link", name="English A1: everyday English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("English A1: everyday English")
    classes = page.get_by_role("region", name="Upcoming classes")
    expect(classes.get_by_role("heading", level=2)).to_have_text("Upcoming classes")
    runs = classes.get_by_role("listitem").filter(has_text="Class code")
    expect(runs.first).to_be_visible()
    # A class open to enrolment shows its seats; one under way and closed says so instead.
    expect(runs.filter(has_text="Seats left").first).to_be_visible()
    expect(runs.filter(has_text="Enrolment is closed.").first).not_to_contain_text("Seats left")
    assert_no_horizontal_scroll(page)
    screenshot("course")
    classes.scroll_into_view_if_needed()
    screenshot("course-classes", full_page=False)
