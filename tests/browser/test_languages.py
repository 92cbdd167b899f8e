"""Arabic, Urdu and Traditional Chinese on a 360 px phone: the page reads in the right
direction, never scrolls sideways, and the skip link stays hidden until a keyboard reaches it.

Screenshots of every page land in test-artifacts/screens/<lang>-<page>.png.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import open_in, save_screen, sign_in_as
from tests.browser.language import demo_allow_list, english_sentences

pytestmark = pytest.mark.browser


# What no translation changes: proper names (partners, schools, sponsors, the street names an
# address keeps as the signs write them), each language's own name in the switcher, the
# centre's address and hours (site settings, not translated yet), and a certificate's course
# title, printed in English when it was issued. Categories, venues and course titles come
# from their translations and must be there.
STREETS = ("Un Chau Street", "Public Square Street", "Kwai Fung Crescent")
# Codes: the railway's name on its signs, the text-message channel, and the word a learner
# sends to stop messages, which the message service reads in English.
CODES = ("MTR", "SMS", "STOP")


def untranslatable_data():
    from cms.models import CentreSettings
    from courses.models import Partner
    from enrolment.models import Certificate, School, Sponsor

    values = {str(name) for _code, name in settings.LANGUAGES}
    values |= {"English", "Français", "PDF", "xlsx", *STREETS, *CODES}
    for model in (Partner, School):
        values.update(model.objects.values_list("name", flat=True))
    values.update(Sponsor.objects.values_list("display_name", flat=True))
    values.update(Certificate.objects.values_list("course_title", flat=True))
    for centre in CentreSettings.objects.all():
        for text in (centre.address, centre.opening_hours):
            values.update(line.strip() for line in text.splitlines() if line.strip())
    return sorted(value for value in values if value)


LANGUAGES = {"ar": "rtl", "ur": "rtl", "zh-hant": "ltr"}


def demo_pages():
    """(name, path, who is signed in) for the first pages each person sees on a phone."""
    from django.db.models import Count

    from courses.models import CoursePage
    from enrolment.access import children_for_sponsor

    # The child with the most reports: the page that scrolled sideways at 360 px.
    children = children_for_sponsor(demo_user("sponsor")).annotate(n=Count("progress_reports"))
    child = children.order_by("-n", "pk").first()
    course = CoursePage.objects.live().filter(title__startswith="English").order_by("path").first()
    return [
        ("home", "/", None),
        ("catalogue", "/courses/", None),
        ("catalogue-english", "/courses/?category=english", None),
        ("course", course.url, None),
        ("signup", "/accounts/signup/", None),
        ("signin", "/accounts/login/", None),
        ("learn", "/learn/", "learner"),
        ("learn-profile", "/learn/profile/", "learner"),
        ("teach", "/teach/", "teacher"),
        ("sponsor", "/sponsor/", "sponsor"),
        ("sponsor-child", f"/sponsor/children/{child.pk}/", "sponsor"),
    ]


def demo_user(who):
    """The demo's people, as seed_demo prints their logins."""
    from django.contrib.auth import get_user_model

    from cms.management.demo.sponsorship import SPONSOR_LOGINS
    from enrolment.models import Learner

    if who == "learner":
        # Amina, the demo's first learner: she signs in with her phone.
        return Learner.objects.get(case_reference="DEMO-001-01").user
    username = "teacher.grace" if who == "teacher" else SPONSOR_LOGINS[0][0]
    return get_user_model().objects.get(username=username)


def assert_reads_in(page, lang, direction):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide on a 360px phone"


def skip_link_box(page):
    """The skip link's visible area on screen, in px² (clipping counted)."""
    return page.evaluate(
        """() => {
            const link = document.querySelector('.skip-link');
            const box = link.getBoundingClientRect();
            if (getComputedStyle(link).clipPath.startsWith('inset(50%')) return 0;
            const w = Math.min(box.right, innerWidth) - Math.max(box.left, 0);
            const h = Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
            return Math.max(w, 0) * Math.max(h, 0);
        }"""
    )


def assert_skip_link_hidden_until_focused(page):
    assert skip_link_box(page) <= 1, "the skip link shows before anyone tabs to it"
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    # Visible on focus, whole, inside the phone's screen: big enough to read and tap.
    assert skip_link_box(page) >= 20 * 40, "the focused skip link is not on screen"
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    page.keyboard.press("Shift+Tab")  # leave it, so the screenshot shows the page as read


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_first_page_reads_right_on_a_phone(page, lang):
    direction = LANGUAGES[lang]
    for name, path, who in demo_pages():
        if who:
            sign_in_as(page, demo_user(who))
        response = open_in(page, lang, path)
        assert response.status == 200, (path, response.status)
        assert_reads_in(page, lang, direction)
        assert_no_horizontal_scroll(page)
        assert_skip_link_hidden_until_focused(page)
        save_screen(page, f"{lang}-{name}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_sentence_is_left(page, lang):
    allow = demo_allow_list() + untranslatable_data()
    left = {}
    for name, path, who in demo_pages():
        if who:
            sign_in_as(page, demo_user(who))
        open_in(page, lang, path)
        found = english_sentences(page.locator("body").inner_text(), allow=allow)
        if found:
            left[name] = found
    assert not left, f"English left on {lang} pages: {left}"
