"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against a live server.

Run them with ``make test-browser``. Without /usr/bin/chromium they are skipped, unless
REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}  # a cheap phone
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Let the browser tests use the ORM (a conftest's hooks only see the tests in its folder).

    Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    calls from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set (safe
    here: the loop is idle while the test's code runs). Set for each browser test and then
    restored, so it never leaks into other tests, e.g. a ``check --deploy`` subprocess.
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _browser_required():
    return os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser(django_db_setup):
    # After the test database exists, so that Playwright's loop has stopped by the time
    # pytest-django drops the database at the end of the session.
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if _browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as p:
        # With Playwright's loop running in this thread, Django hands out a second set of
        # connections (asgiref's Local keeps "async" ones apart). Give them the copy of what
        # migrations made, or django_db_serialized_rollback has nothing to restore after the
        # first transactional test flushed the database.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, transactional_db, django_db_serialized_rollback):
    """The demo centre, served by the live server.

    ``django_db_serialized_rollback`` brings back what migrations made (Wagtail's root page,
    locale and collection, the role groups) after an earlier transactional test flushed it.
    """
    from wagtail.models import Site

    from cms.management.demo import build_demo

    build_demo(scale=1)
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=port)
    return live_server


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(viewport=PHONE, base_url=demo_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.site_url = demo_site.url  # where open_in() and sign_in_as() set their cookies
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """``screenshot("catalogue")`` saves screenshots/<test>-<nn>-catalogue.png.

    Whole page by default; ``full_page=False`` keeps what the phone's screen shows.
    ``target=other_page`` shoots another page (a second person's browser context).
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)
    count = 0

    def save(step, *, full_page=True, target=None):
        nonlocal count
        count += 1
        path = SCREENSHOTS / f"{test_name}-{count:02d}-{step}.png"
        (target or page).screenshot(path=str(path), full_page=full_page)
        return path

    return save


# --- Languages -----------------------------------------------------------------------------

# Screenshots of every page in every language, for a person to look at (gitignored).
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


def open_in(page, lang, path):
    """Open ``path`` with the site in ``lang`` ("ar", "ur", "zh-hant", ...): the page under
    that language's prefix (/ar/courses/), as the language switcher's links lead there.

    The one place that says how a visitor picks a language.
    """
    return page.goto(f"/{lang}{path}")


def sign_in_as(page, user):
    """Sign ``user`` in by handing the browser a session cookie (no form: its labels vary
    with the language, and the sign-in form has tests of its own)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": page.context.site_url}]
    )


def save_screen(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
