"""Every form of the site, given every kind of hostile value (tests/hostile_catalogue.py).

The screens are the URL inventory's (tests/url_inventory_table.py), each asked for by a member
of the cast it answers, plus the Wagtail page editors of this project's page types. Each page's
<form>s are read from its HTML, as a browser would, and sent back once as they came (with the
required fields filled in), then once per field and hostile value, the other fields kept. Every
page that answers GET is also asked for with hostile values in the usual query parameters.

Every answer is a page, a form error, a redirect or a 4xx: never a 500. And whatever the answer,
no row may then hold a NUL, a control character or a bidi override, nor a date outside sane
years: what a form should refuse, it refuses. A new form, a new field or a new screen is tried
by this test without anyone listing it. Run it on PostgreSQL too: NUL bytes break only there.
"""

import datetime as dt
import functools
import traceback
from functools import reduce
from operator import or_
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from enrolment.models import Enrolment
from tests.conftest import build_cast, build_site
from tests.hostile_catalogue import (
    NEVER_STORED,
    QUERY_PARAMETERS,
    QUERY_VALUES,
    SANE_YEARS,
    STORABLE,
    Form,
    forms_of,
    values_for,
)
from tests.test_url_inventory import _world, url_of
from tests.url_inventory_table import TABLE

# Who asks for a screen: the first member of the cast it answers, most privileged last, so
# that the public forms are tried as the public sees them.
ASKERS = ("anonymous", "learner", "teacher", "sponsor", "coordinator")
# Forms that end the session rather than take input.
SKIPPED_ACTIONS = ("/logout/",)
# Wagtail's page editor, sent by hand what its JavaScript writes, once failed inside Wagtail
# (rich text JSON that is not JSON, a chooser id that is not one, a `next` that is not a path);
# cms.forms.PageForm and cms.http.local_next_only refuse those now. A field named here would be
# tried all the same, and reported rather than failed: keep it empty.
WAGTAIL_PAGE_EDITOR_FAULTS: set[str] = set()
# A form shown on several screens (a listing's filters on its page and its results, the
# admin's search in its menu) is tried once: by its method, target and fields.
TRIED: set[tuple] = set()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        site = build_site()
        world = _world(site.catalogue, build_cast())
        course = Enrolment.objects.get(pk=world.enrolment).run.course_id
        world.pages = {"home": site.home.pk, "catalogue": site.catalogue.pk, "course": course}
        yield world
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def no_limits(settings):
    """Rate limits and the sign-in lockout would answer 429 or 403 after a few posts, and hide
    what the form does with the value."""
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False
    cache.clear()
    yield
    cache.clear()


# This project's Wagtail page editors, each page type's, adding and editing; with the streams
# each page has. A stream is drawn by JavaScript, which also writes its "<name>-count" field:
# the form this test reads has none, and Wagtail fails without it (KeyError), as it would for
# a browser without JavaScript. The test sends the count a browser would: no blocks.
PAGE_SCREENS = {
    "page edit home": ("/admin/pages/{pages[home]}/edit/", ("programme_areas", "featured_courses")),
    "page edit catalogue": ("/admin/pages/{pages[catalogue]}/edit/", ()),
    "page edit course": ("/admin/pages/{pages[course]}/edit/", ("body",)),
    "page add standard": ("/admin/pages/add/cms/standardpage/{pages[home]}/", ("body",)),
    "page add story": ("/admin/pages/add/cms/storypage/{pages[home]}/", ("body",)),
    "page add course": ("/admin/pages/add/courses/coursepage/{pages[catalogue]}/", ("body",)),
    "centre settings": ("/admin/settings/cms/centresettings/", ()),
}


def _screens():
    for name in sorted(TABLE):
        entry = TABLE[name]
        asker = next((m for m in ASKERS if entry.expect[m] in ("ok", "redirect")), None)
        if asker is not None and entry.method == "get":
            yield pytest.param(name, asker, id=f"{name}-{asker}")
    for name in PAGE_SCREENS:
        yield pytest.param(name, "coordinator", id=name)


def _url(name: str, world) -> str:
    if name in PAGE_SCREENS:
        return PAGE_SCREENS[name][0].format(pages=world.pages)
    return url_of(name, world)


# --- what may never be stored -------------------------------------------------------------


@functools.cache
def _stored_fields():
    """(model, text fields, date fields) of every model of this project, and of Wagtail's pages."""
    found = []
    project = [m for m in apps.get_models() if m._meta.app_label in ("cms", "courses", "enrolment")]
    for model in [*project, Page]:
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.model is model
        ]
        dates = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField) and f.model is model
        ]
        if texts or dates:
            found.append((model, texts, dates))
    return found


def stored_refusals() -> list[str]:
    """Rows holding what no form should have let through."""
    low, high = SANE_YEARS
    found = []
    for model, texts, dates in _stored_fields():
        conditions = [models.Q(**{f"{t}__contains": c}) for t in texts for c in NEVER_STORED]
        conditions += [models.Q(**{f"{d}__year__lt": low}) for d in dates]
        conditions += [models.Q(**{f"{d}__year__gt": high}) for d in dates]
        for row in model._base_manager.filter(reduce(or_, conditions)).values():
            found.append(f"{model.__name__} {row.get('id')}: {_nasty(row)}")
    return found


def _nasty(row: dict) -> str:
    low, high = SANE_YEARS
    bad = {}
    for key, value in row.items():
        if isinstance(value, str) and any(c in value for c in NEVER_STORED):
            bad[key] = value[:40]
        elif isinstance(value, dt.date) and not low <= value.year <= high:
            bad[key] = value
    return repr(bad)


# --- sending ------------------------------------------------------------------------------


class Findings:
    def __init__(self):
        self.items: list[str] = []
        self.tolerated: list[str] = []
        self.sent = 0

    def send(
        self, client: Client, method: str, url: str, data, what: str, storable=False, wagtail=False
    ):
        """One request in a savepoint rolled back after it: no answer of 500, and after a value
        that could be stored wrongly, nothing stored that should not be."""
        self.sent += 1
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, data)
            except Exception as error:  # the test client re-raises a view's exception
                frame = traceback.extract_tb(error.__traceback__)[-1]
                where = f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno}"
                found = f"{what}: {type(error).__name__} {str(error)[:80]} ({where})"
                (self.tolerated if wagtail else self.items).append(found)
                transaction.set_rollback(True)
                return
            if response.status_code >= 500:
                self.items.append(f"{what}: answered {response.status_code}")
            stored = stored_refusals() if storable else []
            if stored:
                self.items.append(f"{what}: stored {stored[:2]}")
            transaction.set_rollback(True)


def _describe(value: str) -> str:
    return repr(value if len(value) < 30 else value[:12] + f"...({len(value)} chars)")


def _try_form(client, findings: Findings, page_url: str, form: Form, today, extra) -> None:
    action = urljoin(page_url, form.action) if form.action else page_url
    if any(action.endswith(skipped) for skipped in SKIPPED_ACTIONS):
        return
    method = "post" if form.method == "post" else "get"
    path = urlsplit(action).path + ("?" + urlsplit(action).query if urlsplit(action).query else "")
    key = (method, urlsplit(action).path, tuple(sorted(f.name for f in form.targets())))
    if key in TRIED:
        return
    TRIED.add(key)
    baseline = form.baseline(today) | extra if method == "post" else form.baseline(today)
    findings.send(client, method, path, baseline, f"{method.upper()} {path} as rendered")
    for field in form.targets():
        for value in values_for(field):
            data = {**baseline, field.name: [value]}
            what = f"{method.upper()} {path} {field.name}={_describe(value)}"
            wagtail = path.startswith("/admin/pages/") and field.name in WAGTAIL_PAGE_EDITOR_FAULTS
            findings.send(
                client, method, path, data, what, storable=value in STORABLE, wagtail=wagtail
            )


@pytest.mark.parametrize(("name", "member"), list(_screens()))
def test_no_hostile_value_breaks_a_screen_or_gets_stored(db, world, name, member):
    client = Client()
    user = getattr(world.cast, member)
    if user.is_authenticated:
        client.force_login(user)
    url = _url(name, world)
    findings = Findings()
    assert stored_refusals() == []
    response = client.get(url, follow=True)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    page_url = response.request["PATH_INFO"]
    today = timezone.localdate()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        streams = PAGE_SCREENS.get(name, ("", ()))[1]
        extra = {f"{stream}-count": ["0"] for stream in streams}
        for form in forms_of(response.content.decode()):
            _try_form(client, findings, page_url, form, today, extra)
        # Each parameter is given each value once, in as many requests as there are values.
        for turn in range(len(QUERY_VALUES)):
            query = {
                parameter: QUERY_VALUES[(turn + i) % len(QUERY_VALUES)]
                for i, parameter in enumerate(QUERY_PARAMETERS)
            }
            findings.send(client, "get", f"{url}?{urlencode(query)}", None, f"GET {url} {query}")
    broke = "\n".join(findings.items)
    assert not findings.items, f"{findings.sent} requests, {len(findings.items)} broke:\n{broke}"
