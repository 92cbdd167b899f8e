"""A volunteer translates the interface at /translate/ in Chromium (issue 12): Rosetta's pages
work under the site's Content-Security-Policy, and a saved translation lands in the catalogue.

Rosetta writes the catalogue it edits: the live server is pointed at a copy of locale/.
"""

import re

import polib
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    return found


def test_a_translator_saves_a_somali_translation_without_a_policy_violation(
    page, catalogues, violations, screenshot
):
    page.set_viewport_size({"width": 1024, "height": 800})  # a volunteer's laptop
    sign_in_as(page, get_user_model().objects.get(username="translator"))
    page.goto("/translate/")
    expect(page.get_by_role("heading", name="Translate the interface")).to_be_visible()
    screenshot("languages")
    page.get_by_role("link", name="Somali").click()
    page.locator("#searchbar").fill("Sign in")
    page.locator("#changelist-search input[type=submit]").click()
    exact = page.locator("span.message", has_text=re.compile(r"^\s*Sign in\s*$"))
    row = page.locator("tr").filter(has=exact)
    row.locator("textarea").fill("Soo gal")
    screenshot("form")
    page.get_by_role("button", name="Save and translate next block").click()
    page.wait_for_load_state("networkidle")

    po = polib.pofile(str(catalogues / "so" / "LC_MESSAGES" / "django.po"))
    assert po.find("Sign in").msgstr == "Soo gal"
    assert violations == []
