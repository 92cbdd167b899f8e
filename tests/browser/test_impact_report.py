"""A coordinator opens the impact report over the demo's school year and sees its charts:
accessible SVG images named by their titles, with the same numbers in a table beside them,
on a phone and on a desktop, without a Content-Security-Policy violation."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.test_enrolment import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_coordinator_sees_the_reports_charts(page, screenshot, viewport):
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    if viewport == "desktop":
        page.set_viewport_size(DESKTOP)
    sign_in_as(page, get_user_model().objects.get(username="coordinator"))

    response = page.goto("/admin/reports/impact/")
    assert response.ok

    expect(page.get_by_role("heading", level=1, name="Impact report")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"^School year \d{4}.\d{2}$"))
    ).to_be_visible()
    for title in ("Age band", "Gender", "Region of origin"):
        chart = page.get_by_role("img", name=title, exact=True)
        expect(chart).to_be_visible()
        assert chart.evaluate("svg => svg.tagName") == "svg"
        assert chart.locator("title").text_content() == title
        table = page.get_by_role("table", name=title, exact=True)
        expect(table.get_by_role("row", name=re.compile("not recorded"))).to_be_visible()
    figures = page.locator(".impact-figure")
    expect(figures.filter(has_text="Learners served")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    if viewport == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(f"impact-{viewport}")
    assert violations == []
