"""After a person is forgotten, nothing the site serves still says who they were.

A learner and a sponsored child are given unusual values (names in Latin and Arabic script,
phone numbers, emails, a date of birth, a guardian, case references, message texts, notes, a
photo), are looked at and changed (the access log and the history name them), and are then
forgotten. Every URL of the URL inventory is fetched by whoever may read it (a superuser for
the admin, which sees every page and field; the sponsor, the teacher, a visitor for the
site), and every download of tests/test_every_export.py: none holds any former value. The
impact figures are the same before and after, and the certificate still verifies.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from enrolment.models import (
    Attendance,
    CorrectionRequest,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Learner,
    Message,
    ProgressReport,
    Sponsorship,
)
from enrolment.services.forgetting import learner_anonymise
from enrolment.services.impact import impact_report_compile
from enrolment.services.impact.scope import ImpactScope, period_of_quarter
from tests.factories import UserFactory
from tests.test_every_export import EXPORTS
from tests.test_every_export import url_of as export_url
from tests.test_sensitive_exports import text_of
from tests.test_url_inventory import _world
from tests.test_url_inventory import url_of as page_url
from tests.url_inventory_table import TABLE

pytestmark = pytest.mark.django_db

LEARNER = {
    "preferred_name": "Quetzalia",
    "legal_name": "Quetzalia Wolkenbruch-Ndiaye",
    "phone": "+85291239876",
    "email": "quetzalia.w@example.org",
    "date_of_birth": dt.date(1990, 7, 13),
    "languages": "Tigrinya, Wolof",
    "case_reference": "UNHCR-QZ-91827",
}
CHILD = {
    "preferred_name": "زمردة",
    "legal_name": "زمردة Bakhtiyari-Oyelaran",
    "date_of_birth": None,  # set in the fixture: ten years old today
    "guardian_name": "Farkhunda Bakhtiyari",
    "guardian_phone": "+85291237654",
    "guardian_relationship": "Grand-aunt",
    "case_reference": "UNHCR-ZB-55501",
}
NOTES = {
    "message": "Quetzalia, your class moves to Room 7",
    "event": "Quetzalia moved flats to Wobbleton Lane",
    "attendance": "Quetzalia called from her aunt's",
    "comment": "زمردة reads aloud with confidence",
    "caseworker": "Bakhtiyari family housing appeal",
    "correction": "My mother's name is Zephyrine, not Zefirine",
    "reply": "Changed to Zephyrine as you asked",
}
FORMER = [
    "Quetzalia",
    "Wolkenbruch",
    "91239876",
    "9123 9876",
    "quetzalia.w",
    "1990-07-13",
    "13/07/1990",
    "July 13, 1990",
    "13 July 1990",
    "Tigrinya",
    "UNHCR-QZ",
    "زمردة",
    "Bakhtiyari",
    "Oyelaran",
    "Farkhunda",
    "91237654",
    "9123 7654",
    "Grand-aunt",
    "UNHCR-ZB",
    "Room 7",
    "Wobbleton",
    "aunt's",
    "reads aloud",
    "housing appeal",
    "Zephyrine",
    "Zefirine",
]


def _plant(world):
    today = timezone.localdate()
    learner = Learner.objects.get(pk=world.learner)
    child = Learner.objects.get(pk=world.child)
    Learner.objects.filter(pk=learner.pk).update(**LEARNER)
    child_values = {**CHILD, "date_of_birth": today.replace(year=today.year - 10)}
    Learner.objects.filter(pk=child.pk).update(**child_values)
    learner.user.first_name, learner.user.email = "Quetzalia", LEARNER["email"]
    learner.user.save()
    enrolment = Enrolment.objects.get(pk=world.enrolment)
    Message.objects.create(
        learner_id=learner.pk,
        channel="sms",
        address=LEARNER["phone"],
        kind="staff",
        language="en",
        subject="Quetzalia",
        body=NOTES["message"],
        status="sent",
    )
    EnrolmentEvent.objects.create(
        enrolment=enrolment, from_status="enrolled", to_status="completed", reason=NOTES["event"]
    )
    Attendance.objects.create(
        enrolment=enrolment,
        session_id=world.session,
        status="present",
        note=NOTES["attendance"],
        marked_at=timezone.now(),
    )
    ProgressReport.objects.filter(pk=world.report).update(
        teacher_comment=NOTES["comment"], caseworker_note=NOTES["caseworker"]
    )
    CorrectionRequest.objects.create(
        learner=learner, text=NOTES["correction"], staff_reply=NOTES["reply"], status="done"
    )
    world.certificate_name = LEARNER["legal_name"]
    enrolment.certificate.holder_name = LEARNER["legal_name"]
    enrolment.certificate.save()
    # The history names them as they were, and so does the access log.
    for obj in (Learner.objects.get(pk=learner.pk), Learner.objects.get(pk=child.pk)):
        log(instance=obj, action="wagtail.edit", user=world.cast.coordinator)
    log(instance=Enrolment.objects.get(pk=enrolment.pk), action="wagtail.edit", user=None)
    # They stop taking part: the class ended, the sponsorship ended yesterday.
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED)
    Sponsorship.objects.filter(pk=world.sponsorship).update(ends_on=today - dt.timedelta(days=1))
    return learner, child


def _impact():
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    report = impact_report_compile(
        scope=ImpactScope(period=period_of_quarter(year=today.year, quarter=quarter))
    )
    return [(t, [(f.label, f.value) for f in figs]) for t, figs in report.sections], [
        (b.key, [(c.label, c.count) for c in b.cells]) for b in report.breakdowns
    ]


def _text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return text_of(data, "pdf")
    if "spreadsheet" in kind:
        return text_of(data, "xlsx")
    if kind.startswith("image/"):
        return ""
    return data.decode("utf-8", errors="replace")


@pytest.fixture
def forgotten(client, site, cast):
    world = _world(site.catalogue, cast)
    learner, child = _plant(world)
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for pk in (learner.pk, child.pk):  # opened by staff: the access log names them
        assert client.get(reverse("learners:edit", args=[pk])).status_code == 200
    page = client.get(reverse("learners:edit", args=[learner.pk])).content.decode()
    assert "Quetzalia" in page and "UNHCR-QZ" in page  # the planted values show before
    world.impact_before = _impact()
    for person in (learner, child):
        assert learner_anonymise(learner=person, by=cast.coordinator, reason="Asked at the desk")
    world.superuser = superuser
    return world


def _readers(name: str, world) -> list:
    expect = TABLE[name].expect
    if name.startswith("wagtail") or page_url(name, world).startswith("/admin/"):
        return [world.superuser]
    cast = world.cast
    return (
        [cast.sponsor, cast.teacher, cast.coordinator, cast.anonymous]
        if any(answer == "ok" for answer in expect.values())
        else []
    )


def test_no_page_nor_download_holds_a_former_value(client, forgotten):
    read = 0
    leaks = []
    fetches = [
        (page_url(name, forgotten), user)
        for name in sorted(TABLE)
        if TABLE[name].method == "get"
        for user in _readers(name, forgotten)
    ]
    fetches += [
        (
            export_url(spec, forgotten),
            getattr(forgotten.cast, who) if who != "coordinator" else forgotten.superuser,
        )
        for spec, who, _fmt in EXPORTS.values()
    ]
    for url, user in fetches:
        cache.clear()  # the rate limits of PDFs and the public check
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            continue
        read += 1
        text = _text(response)
        leaks += [(url, str(user), value) for value in FORMER if value in text]
    assert not leaks
    assert read > 150  # the crawl reached the pages, so the check above could fail


def test_the_impact_figures_are_the_same_after_forgetting(forgotten):
    assert _impact() == forgotten.impact_before


def test_the_certificate_still_verifies_without_the_name(client, forgotten):
    client.logout()
    page = client.get(reverse("certificate_verify", args=[forgotten.code])).content.decode()

    assert "Valid" in page and "English A1" in page
    assert "name was removed under the centre" in page
    assert "Quetzalia" not in page and "Wolkenbruch" not in page
