"""A site with a home page and a catalogue, the cast every view is tried with, and the helpers
every test reads a response or the admin's log with."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation
from wagtail.models import ModelLogEntry, Page, Site

from cms.models import HomePage
from tests.factories import CourseIndexPageFactory, LearnerFactory, UserFactory

pytest_plugins = ["tests.worlds.registers", "tests.worlds.impact"]


def build_site() -> SimpleNamespace:
    """The default site: a published home page with the catalogue under it."""
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()  # Wagtail's welcome page, which also takes its Site with it
    home = HomePage(title="Welcome", slug="home", intro="Free courses for refugees.")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Test"
    )
    catalogue = CourseIndexPageFactory(parent=home)
    return SimpleNamespace(site=site, home=home, catalogue=catalogue)


def build_cast() -> SimpleNamespace:
    """Everyone a view is tried with: each role, a second of each, and a visitor."""
    learner = UserFactory(username="learner", groups=["Learners"])
    other_learner = UserFactory(username="other_learner", groups=["Learners"])
    LearnerFactory(user=learner, preferred_name="Lea")
    LearnerFactory(user=other_learner, preferred_name="Omar")
    return SimpleNamespace(
        anonymous=AnonymousUser(),
        learner=learner,
        other_learner=other_learner,
        teacher=UserFactory(
            username="teacher", first_name="Grace", last_name="Ho", groups=["Teachers"]
        ),
        other_teacher=UserFactory(username="other_teacher", groups=["Teachers"]),
        sponsor=UserFactory(username="sponsor", groups=["Sponsors"]),
        other_sponsor=UserFactory(username="other_sponsor", groups=["Sponsors"]),
        coordinator=UserFactory(username="coordinator", groups=["Coordinators"]),
        # A volunteer who translates pages and the interface: may use the admin, sees no one.
        translator=UserFactory(username="translator", groups=["Translators"]),
    )


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with an empty cache, where the rate limits count: no test is held
    up by another's requests. Tests of a limit are marked `ratelimit`; CI runs them a second
    time on Redis (TEST_CACHE=redis, one process: clearing empties the Redis database)."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_again():
    """A request under /ar/ leaves Arabic active in the test's thread (LocaleMiddleware never
    deactivates): each test starts in English, as a request to an unprefixed URL does."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Function fixtures for most tests; a module fixture (the URL inventory) calls the builders.
@pytest.fixture
def site(db):
    return build_site()


@pytest.fixture
def cast(db):
    return build_cast()


def html_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    """The messages the page shows. A response without a template context (a redirect that was
    not followed, a file) has no page to show them on: asking for its messages is an error."""
    return [str(message) for message in response.context["messages"]]


def logged(instance, action: str) -> int:
    """How many entries of `action` the admin's log holds for `instance`."""
    return ModelLogEntry.objects.filter(object_id=str(instance.pk), action=action).count()


@pytest.fixture(autouse=True)
def empty_message_outbox():
    """Texts and WhatsApp messages sent through the in-memory backend, emptied for each test."""
    from enrolment.services.message_backends import MemoryBackend

    MemoryBackend.reset()
    yield MemoryBackend.outbox
    MemoryBackend.reset()


@pytest.fixture
def catalogues(settings, tmp_path):
    """TRANSLATION_EDITING on, over a copy of locale/ that Rosetta may write (the tests of
    /translate/, in the browser and out of it)."""
    import shutil
    from pathlib import Path

    from cms import languages

    locale = Path(settings.BASE_DIR) / "locale"
    copy = tmp_path / "locale"
    shutil.copytree(locale, copy)
    settings.TRANSLATION_EDITING = True
    settings.LOCALE_PATHS = [str(copy)]
    settings.ROSETTA_EXCLUDED_PATHS = [str(locale)]
    languages._computed_shown.cache_clear()
    yield copy
    languages._computed_shown.cache_clear()
