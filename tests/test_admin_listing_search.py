"""Every admin listing of this project answers a search or a filter with a page, never a 500.

The listings are found in the URL resolver, not written down here: a listing added to courses,
enrolment or cms is tried as soon as its URL is registered. Each is searched with words, digits,
other scripts, quotes and operators, and a very long text; each of its filters (read from the
form the listing renders) is tried with a value it offers and with nonsense. Coordinators are
the ones who search; a listing they cannot open is tried as a superuser.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django import forms
from django.db import transaction
from django.forms import BoundField
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_filters import FilterSet
from wagtail.models import Site

from cms.models import StoryPage
from enrolment.models import AttendanceStatus, CorrectionRequest, StorySubject
from enrolment.services.access_log import access_log_viewed
from enrolment.services.qualifications import qualification_record_ielts
from enrolment.services.registers import Mark, register_mark
from tests.factories import (
    CategoryFactory,
    ChildFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    PartnerFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
    UserFactory,
    VenueFactory,
)
from tests.worlds.certificates import certificate_earned

PROJECT_APPS = {"courses", "enrolment", "cms"}
# Wagtail names a ModelViewSet's listing "index" and a SnippetViewSet's "list"; this project's
# own report pages (at risk, registers not taken, funding) are "index" too.
LISTING_URL_NAMES = {"index", "list"}


def _url_names(resolver: URLResolver, namespace: str = ""):
    """Every namespaced listing URL name in the resolver, with its view."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name in LISTING_URL_NAMES and namespace:
            yield f"{namespace}{entry.name}", entry.callback


def _is_the_projects(callback) -> bool:
    """A view of this project's apps, or Wagtail's generic view over one of their models."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return callback.__module__.split(".")[0] in PROJECT_APPS
    model = getattr(callback, "view_initkwargs", {}).get("model") or getattr(
        view_class, "model", None
    )
    if model is not None:
        return model._meta.app_label in PROJECT_APPS
    return view_class.__module__.split(".")[0] in PROJECT_APPS


def admin_listings() -> list[str]:
    """The URL names of the project's admin listings, from the resolver."""
    admin = reverse("wagtailadmin_home")
    names = set()
    for name, callback in _url_names(get_resolver()):
        if _is_the_projects(callback) and reverse(name).startswith(admin):
            names.add(name)  # reverse() also fails loudly for a listing that needs arguments
    return sorted(names)


LISTINGS = admin_listings()

KNOWN_NAMESPACES = {
    "course_runs",
    "course_sessions",
    "learners",
    "enrolments",
    "at_risk",
    "registers_not_taken",
    "certificates",
    "qualifications",
    "sponsors",
    "sponsorships",
    "sponsorship_payments",
    "placements",
    "progress_reports",
    "funding",
    "schools",
    "correction_requests",
    "wagtailsnippets_courses_category",
    "wagtailsnippets_courses_partner",
    "wagtailsnippets_courses_venue",
}

SEARCHES = {
    "words": "english class",
    "digits": "9123 0001",
    "unicode": "مرحبا 學生 Grâce",
    "quotes": '"O\'Brien" AND (English) OR * -x',
    "long": ("english 學生 " * 500)[:5000],
}

GARBAGE = {"letter": "x", "huge number": "99999999999999999999"}

pytestmark = pytest.mark.django_db


def test_the_discovery_finds_every_known_listing():
    assert LISTINGS
    assert KNOWN_NAMESPACES <= {name.split(":")[0] for name in LISTINGS}


# --- rows to search ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A row in every listing, named so that the searches above find some of them; built once
    for the module and rolled back after it (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


def _world() -> SimpleNamespace:
    today = timezone.localdate()
    coordinator = UserFactory(username="coordinator", groups=["Coordinators"])
    CourseIndexPageFactory(parent=Site.objects.get(is_default_site=True).root_page)
    category = CategoryFactory(name="English class", slug="english-class")
    partner = PartnerFactory(name="English Class Partners")
    venue = VenueFactory(name="English class room", district="Sham Shui Po")
    course = CoursePageFactory(
        title="English class for beginners", category=category, partner=partner
    )
    run = CourseRunFactory(
        course=course,
        code="ENG-9123",
        venue=venue,
        start_date=today - dt.timedelta(weeks=2),
        end_date=today + dt.timedelta(weeks=6),
    )
    learner = LearnerFactory(
        preferred_name="Grâce", phone="+85291230001", email="grace@example.org"
    )
    enrolment = EnrolmentFactory(learner=learner, run=run)
    enrolment.enrolled_at = timezone.now() - dt.timedelta(weeks=3)
    enrolment.save()
    missed = SessionFactory(run=run, date=today - dt.timedelta(weeks=1))  # so at risk
    register_mark(
        session=missed, marks={enrolment.pk: Mark(AttendanceStatus.ABSENT)}, by=coordinator
    )
    SessionFactory(run=run, date=today - dt.timedelta(days=1), note="English class moved")
    certificate_earned(learner=learner, by=coordinator, course_title="English class")
    qualification_record_ielts(
        learner=learner,
        bands={"listening": 7, "reading": 7, "writing": 6, "speaking": 7},
        taken_on=today - dt.timedelta(days=30),
        by=coordinator,
        reference="9123 0001",
    )
    school = SchoolFactory(name="English Class Primary School")
    child = ChildFactory(preferred_name="Amani")
    SchoolPlacementFactory(child=child, school=school)
    sponsorship = SponsorshipFactory(
        sponsor=SponsorFactory(display_name="English class friends"), child=child
    )
    SponsorshipPaymentFactory(sponsorship=sponsorship)
    ProgressReportFactory(child=child)
    SchoolPlacementFactory(child=ChildFactory(preferred_name="Bao"), school=school)  # unfunded
    access_log_viewed(user=coordinator, learner=learner, what="learners:edit")
    CorrectionRequest.objects.create(learner=learner, text="My English class is wrong")
    story = StoryPage(
        title="English class story", slug="english-class-story", learner_name="Amani", quote="Hi."
    )
    Site.objects.get(is_default_site=True).root_page.add_child(instance=story)
    StorySubject.objects.create(story=story, learner=child)
    return SimpleNamespace(
        coordinator=coordinator,
        root=UserFactory(username="root", is_superuser=True, is_staff=True),
    )


def signed_in(client, world, listing: str) -> str:
    """Sign in as the coordinator, or as a superuser where coordinators may not look; return
    the listing's URL once it shows."""
    url = reverse(listing)
    client.force_login(world.coordinator)
    if client.get(url).status_code != 200:
        client.force_login(world.root)
        assert client.get(url).status_code == 200, f"{listing} does not show even to a superuser"
    return url


def problem(client, url: str, params: dict) -> str:
    """What went wrong answering the request, or "" if nothing did: a 500 is a problem, and so
    is an exception that the test client passes on from the view."""
    try:
        with transaction.atomic():  # an error leaves PostgreSQL's transaction usable
            response = client.get(url, params)
    except Exception as error:  # whatever the view raised is the finding
        return f"{type(error).__name__}: {error}"[:300]
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return ""


# --- the filters a listing offers -------------------------------------------------------------


def context_values(context) -> list:
    """What a rendered page's templates were given (one context, or a list of them)."""
    contexts = context if isinstance(context, list) else [context]
    return [value for each in contexts for value in each.flatten().values()]


def filter_forms(context) -> list[forms.Form]:
    """The filter forms in a rendered listing: a Wagtail listing's filterset, or a report
    page's own form. The search box is tried on its own."""
    found = []
    for value in context_values(context):
        if isinstance(value, FilterSet):
            value = value.form
        if isinstance(value, forms.Form) and value not in found:
            found.append(value)
    return [form for form in found if set(form.fields) != {"q"}]


def _plausible(field: forms.Field) -> str:
    choices = [str(value) for value, _label in getattr(field, "choices", ()) if str(value)]
    if choices:
        return choices[0]
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return "true"
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return timezone.localdate().isoformat()
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "1"
    return "english"


def filter_values(bound: BoundField) -> dict[str, str]:
    """Each GET parameter of one filter, by the name its widget renders (a date range has two),
    with a value it offers."""
    field, widget = bound.field, bound.field.widget
    if isinstance(field, forms.MultiValueField) and isinstance(widget, forms.MultiWidget):
        parts = widget.get_context(bound.html_name, None, {})["widget"]["subwidgets"]
        return {
            part["name"]: _plausible(subfield)
            for part, subfield in zip(parts, field.fields, strict=True)
        }
    return {bound.html_name: _plausible(field)}


def listing_filters(client, url: str) -> dict[str, str]:
    """The listing's filters as GET parameters, each with a value it offers."""
    params = {}
    for form in filter_forms(client.get(url).context):
        for bound in form:
            params.update(filter_values(bound))
    return params


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("search", list(SEARCHES))
@pytest.mark.parametrize("listing", LISTINGS)
def test_a_search_answers_without_a_server_error(client, world, listing, search):
    url = signed_in(client, world, listing)
    found = problem(client, url, {"q": SEARCHES[search]})
    assert not found, f"{listing} searched for {search}: {found}"


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_filter_answers_a_value_it_offers(client, world, listing):
    url = signed_in(client, world, listing)
    filters = listing_filters(client, url)
    tries = [({name: value}, f"{name}={value}") for name, value in filters.items()]
    tries.append(({**filters, "q": SEARCHES["words"]}, "every filter and a search"))
    failures = [
        f"{label}: {found}" for params, label in tries if (found := problem(client, url, params))
    ]
    assert not failures, f"{listing}: " + "; ".join(failures)


@pytest.mark.parametrize("garbage", list(GARBAGE))
@pytest.mark.parametrize("listing", LISTINGS)
def test_every_filter_answers_nonsense(client, world, listing, garbage):
    url = signed_in(client, world, listing)
    filters = listing_filters(client, url)
    value = GARBAGE[garbage]
    failures = [
        f"{name}={value}: {found}"
        for name in filters
        if (found := problem(client, url, {name: value}))
    ]
    assert not failures, f"{listing}: " + "; ".join(failures)


def test_the_filters_are_read_from_the_page(client, world):
    """Otherwise the filter tests above would try nothing and pass."""
    expected = {
        "course_runs:index": {"status", "course", "start_date_from", "start_date_to"},
        "enrolments:index": {"status", "run", "term", "learner", "starts_from"},
        "at_risk:index": {"run", "course"},
        "funding:index": {"school_year", "status"},
        "schools:list": {"district", "school_type"},
    }
    for listing, names in expected.items():
        url = signed_in(client, world, listing)
        assert names <= set(listing_filters(client, url)), listing


@pytest.mark.parametrize("listing", LISTINGS)
def test_each_listing_has_rows_to_search(client, world, listing):
    """Otherwise the searches above would prove little: they must run over some rows."""
    url = signed_in(client, world, listing)
    context = client.get(url).context
    rows = context.get("object_list", context.get("rows"))
    if rows is not None:
        assert len(rows) > 0, f"{listing} shows nothing: give the world a row for it"
