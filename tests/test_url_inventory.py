"""Every URL of the project, tried by every member of the cast.

The inventory walks Django's resolver and collects the URLs this project owns: the patterns of
its own urlconfs (cms.urls, enrolment.urls*), and the admin URLs of the viewsets that courses
and enrolment register through their wagtail_hooks. tests/url_inventory_table.py says, for each,
how to fill in its arguments from the world below and what each member of the cast gets. A new
URL missing from the table fails here, and so does a table entry whose URL has gone.
"""

import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cms.languages import unprefixed
from cms.models import StoryPage
from enrolment.models import (
    CalendarToken,
    Certificate,
    CorrectionRequest,
    EnrolmentStatus,
    Message,
    Qualification,
    QualificationKind,
    StorySubject,
)
from tests.conftest import build_cast, build_site
from tests.factories import (
    ChildFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    PartnerFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
)
from tests.url_inventory_table import CAST, DEFECTS, TABLE

PROJECT_PACKAGES = ("cms", "courses", "enrolment")
# A 1x1 PNG: the child's photo that /sponsor/children/<pk>/photo/ serves.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4cf0000000049454e44ae426082"
)


# --- the inventory ----------------------------------------------------------------------------


def _ours(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in PROJECT_PACKAGES


def _project_namespaces() -> set[str]:
    """The URL namespaces of the admin viewsets defined in this project, and of the viewsets
    Wagtail makes for this project's models (a snippet's chooser)."""
    from wagtail.admin.viewsets import viewsets

    namespaces = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)  # a class, a "app.Model" string, or None
        if _ours(type(viewset).__module__) or (isinstance(model, type) and _ours(model.__module__)):
            namespaces.add(viewset.url_namespace)
    return namespaces


def _walk(patterns, namespaces=(), urlconf=None, route=""):
    """(full name, route, namespaces, innermost urlconf module, callback) of every pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.urlconf_name
            module = inner if isinstance(inner, str) else getattr(inner, "__name__", urlconf)
            chain = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, chain, module, route + str(pattern.pattern))
        else:
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield name, route + str(pattern.pattern), namespaces, urlconf, pattern.callback


def project_urls() -> set[str]:
    """Every URL name this project owns; an unnamed pattern as "unnamed <its route>"."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 -- importing the admin's urls fills the viewset registry
    ours = _project_namespaces()
    found = set()
    patterns = _walk(resolver.url_patterns, urlconf=resolver.urlconf_name)  # "cms.urls"
    for name, route, namespaces, urlconf, callback in patterns:
        view_class = getattr(callback, "view_class", None)
        if (
            _ours(urlconf)
            or _ours(callback.__module__)
            or (view_class is not None and _ours(view_class.__module__))
            or ours.intersection(namespaces)
        ):
            found.add(name or f"unnamed {route}")
    return found


def test_the_table_lists_every_url_of_the_project_and_nothing_else():
    found = project_urls()
    assert len(found) > 100, "the walk found too little: is the admin's viewset registry empty?"
    missing, gone = sorted(found - set(TABLE)), sorted(set(TABLE) - found)
    # missing: new URLs to add to tests/url_inventory_table.py; gone: entries to take out.
    assert (missing, gone) == ([], [])
    assert {name for name, _ in DEFECTS} <= set(TABLE)


# --- the world --------------------------------------------------------------------------------
#
# Built once for the module, in a transaction rolled back at its end; each case runs in a
# savepoint inside it (pytest-django's `db`), so what one request changes, the next never sees.
# A function fixture per case would cost ~0.6 s x 1,500 cases, so the world is built from
# tests/conftest.py's builders rather than its function fixtures `site` and `cast`.


def _world(catalogue, cast):
    """One of everything, each owned by the cast's learner, teacher or sponsor; the other_*
    members own nothing (other_sponsor has a sponsor record, but sponsors no child)."""
    today = timezone.localdate()
    run = CourseRunFactory(
        course=CoursePageFactory(title="English A1", parent=catalogue),
        teachers=[cast.teacher],
        start_date=today - dt.timedelta(days=21),
        end_date=today + dt.timedelta(days=35),
        enrolment_opens=None,
        enrolment_closes=None,
    )
    session = SessionFactory(run=run, date=today - dt.timedelta(days=7))
    learner = cast.learner.learner
    enrolment = EnrolmentFactory(
        learner=learner,
        run=run,
        status=EnrolmentStatus.ENROLLED,
        enrolled_at=timezone.now() - dt.timedelta(days=28),
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number="HLC-2030-00001",
        year=2030,
        sequence=1,
        verification_code="verifyme-0123456789AB",
        holder_name=learner.preferred_name,
        course_title=run.course.title,
        start_date=run.start_date,
        end_date=run.end_date,
        issued_at=timezone.now(),
    )
    qualification = Qualification.objects.create(
        learner=learner,
        kind=QualificationKind.IELTS,
        taken_on=today - dt.timedelta(days=30),
        scores={"listening": "6.5", "reading": "6.0", "writing": "5.5", "speaking": "6.0"},
        overall="6.0",
        passed=True,
    )
    child = ChildFactory(preferred_name="Amani")
    child.photo.save("photo.png", SimpleUploadedFile("photo.png", PNG))
    sponsor = SponsorFactory(user=cast.sponsor, display_name="Friends of Amani")
    SponsorFactory(user=cast.other_sponsor, display_name="Nobody's Friends")
    sponsorship = SponsorshipFactory(sponsor=sponsor, child=child)
    payment = SponsorshipPaymentFactory(sponsorship=sponsorship)
    placement = SchoolPlacementFactory(child=child, school=SchoolFactory())
    # Shared by a coordinator whose account has since gone (shared_by is SET_NULL).
    report = ProgressReportFactory(child=child, shared_with_sponsors=True, shared_at=timezone.now())
    message = Message.objects.create(
        learner=learner, channel="sms", kind="enrolled", language="en", body="Hello"
    )
    story = StoryPage(title="A story", slug="a-story", learner_name="Amani", quote="Hello.")
    catalogue.get_parent().add_child(instance=story)
    story_subject = StorySubject.objects.create(story=story, learner=child)
    return SimpleNamespace(
        story_subject=story_subject.pk,
        cast=cast,
        message=message.pk,
        run=run.pk,
        session=session.pk,
        enrolment=enrolment.pk,
        certificate=certificate.pk,
        code=certificate.verification_code,
        qualification=qualification.pk,
        kind=QualificationKind.GED_SUBJECT.value,
        learner=learner.pk,
        calendar=CalendarToken.objects.create(user=cast.learner).token,
        uidb64=urlsafe_base64_encode(force_bytes(cast.learner.pk)),
        reset_token=default_token_generator.make_token(cast.learner),
        child=child.pk,
        sponsor=sponsor.pk,
        sponsorship=sponsorship.pk,
        payment=payment.pk,
        placement=placement.pk,
        school=placement.school_id,
        report=report.pk,
        year=report.school_year,
        category=run.course.category_id,
        partner=PartnerFactory().pk,
        venue=run.venue_id,
        staff_user=cast.coordinator.pk,
        correction=CorrectionRequest.objects.create(learner=learner, text="Wrong date").pk,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world(build_site().catalogue, build_cast())
        transaction.set_rollback(True)
    cache.clear()  # Wagtail keeps the sites' root paths there


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The PDFs and the public check count requests in the cache: start each case at none."""
    cache.clear()
    yield
    cache.clear()


# --- who gets what ----------------------------------------------------------------------------


def answer_kind(response, url: str) -> str:
    """ok, login (the sign-in page of the URL's side: the admin's or the site's), denied (the
    admin's "no permission": back to the dashboard), redirect (elsewhere), or the status."""
    if response.status_code in (301, 302, 303, 307, 308):
        target = unprefixed(urlsplit(response["Location"]).path)  # /ar/accounts/login/ too
        admin = url.startswith("/admin/")
        if target == unprefixed(reverse("wagtailadmin_login" if admin else "login")):
            return "login"
        if admin and target == reverse("wagtailadmin_home"):
            return "denied"
        return "redirect"
    return "ok" if response.status_code == 200 else str(response.status_code)


def url_of(name: str, world) -> str:
    entry = TABLE[name]
    if entry.path:
        return entry.path.format(**{k: v for k, v in vars(world).items() if k != "cast"})
    return reverse(name, args=[getattr(world, arg) for arg in entry.args])


def _cases():
    for name in sorted(TABLE):
        for member in CAST:
            defect = DEFECTS.get((name, member))
            marks = [pytest.mark.xfail(strict=True, reason=defect)] if defect else []
            yield pytest.param(name, member, marks=marks, id=f"{name}-{member}")


@pytest.mark.parametrize(("name", "member"), list(_cases()))
def test_who_gets_what(db, client, world, name, member):
    url = url_of(name, world)
    user = getattr(world.cast, member)
    if user.is_authenticated:
        client.force_login(user)
    response = getattr(client, TABLE[name].method)(url)
    assert answer_kind(response, url) == TABLE[name].expect[member], f"{member} asked for {url}"


# The site's pages under a language prefix answer everyone as they do in English.
PREFIXED = (
    "learn",
    "learn_profile",
    "enrolment_withdraw",
    "certificate",
    "certificate_verify",
    "calendar",
    "teach",
    "teach_register",
    "sponsor",
    "sponsor_child",
    "login",
    "signup",
)


@pytest.mark.parametrize("member", CAST)
@pytest.mark.parametrize("name", PREFIXED)
def test_who_gets_what_in_arabic(db, client, world, name, member):
    with translation.override("ar"):
        url = url_of(name, world)
    assert url.startswith("/ar/")
    user = getattr(world.cast, member)
    if user.is_authenticated:
        client.force_login(user)
    response = getattr(client, TABLE[name].method)(url)
    assert answer_kind(response, url) == TABLE[name].expect[member], f"{member} asked for {url}"
    if response.status_code == 200:
        assert '<html lang="ar" dir="rtl">' in response.content.decode()
