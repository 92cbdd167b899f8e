"""The coordinator's dashboard (/admin/): what needs doing today, each with its count and link."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.choices import SessionStatus
from enrolment.models import (
    AttendanceStatus,
    Channel,
    EnrolmentStatus,
    Message,
    MessageKind,
    MessageStatus,
)
from enrolment.services.dashboard import RegisterState, coordinator_day
from enrolment.services.registers import Mark, register_mark
from tests.conftest import html_of
from tests.dates import local_today
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db
URL = "/admin/"


SEATED_AT = timezone.now() - dt.timedelta(days=60)


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def under_way(site, title, code, teachers=()):
    return CourseRunFactory(
        course=CoursePageFactory(title=title, parent=site.catalogue),
        code=code,
        teachers=list(teachers),
        start_date=day(-30),
        end_date=day(30),
        capacity=100,
        enrolment_opens=None,
        enrolment_closes=None,
    )


def seat(run, name, status=EnrolmentStatus.ENROLLED, **kwargs):
    return EnrolmentFactory(
        run=run,
        learner=LearnerFactory(preferred_name=name),
        status=status,
        enrolled_at=SEATED_AT,
        **kwargs,
    )


def started_today(run):
    # From midnight: it has started whenever the test runs.
    return SessionFactory(
        run=run, date=local_today(), start_time=dt.time(0, 0), end_time=dt.time(0, 1)
    )


def failed_message(learner):
    return Message.objects.create(
        learner=learner,
        channel=Channel.SMS,
        kind=MessageKind.OFFER,
        language="en",
        body="A seat is free",
        status=MessageStatus.FAILED,
    )


def add_work(site, cast, n: int, *, tag: str = ""):
    """n of every kind of work: classes today (one taken, one not), applications, offers,
    learners at risk, past registers not taken, children waiting or under-funded, failed
    messages."""
    for i in range(n):
        run = under_way(site, f"English {tag}{i}", f"ENG-{tag}{i}", [cast.teacher])
        amina = seat(run, f"Amina {tag}{i}")
        for ago in (3, 2, 1):  # three absences in a row: at risk
            past = SessionFactory(run=run, date=day(-ago))
            register_mark(
                session=past, marks={amina.pk: Mark(AttendanceStatus.ABSENT)}, by=cast.teacher
            )
        SessionFactory(run=run, date=day(-7))  # a past register not taken
        started_today(run)  # today's, not taken
        other = under_way(site, f"Computers {tag}{i}", f"PC-{tag}{i}", [cast.teacher])
        taken = started_today(other)
        bilal = seat(other, f"Bilal {tag}{i}")
        register_mark(
            session=taken, marks={bilal.pk: Mark(AttendanceStatus.PRESENT)}, by=cast.teacher
        )
        seat(run, f"Dawit {tag}{i}", status=EnrolmentStatus.APPLIED)
        offered = seat(
            run,
            f"Chloe {tag}{i}",
            status=EnrolmentStatus.OFFERED,
            offer_expires_at=timezone.now() + dt.timedelta(days=2, minutes=i),
        )
        failed_message(offered.learner)
        SchoolPlacementFactory()  # waiting for a sponsor
        under = SchoolPlacementFactory()
        SponsorshipFactory(child=under.child, amount=100)


@pytest.fixture
def world(site, cast):
    add_work(site, cast, 2)
    empty = under_way(site, "Photography", "PHOTO-1", [cast.teacher])
    started_today(empty)  # nobody enrolled: not a missing register
    return empty


def worklist(html: str) -> dict[str, str]:
    """The "What needs doing" panel as {label: count}."""
    panel = html.split('id="needs-doing-section"')[1].split("</table>")[0]
    rows = re.findall(
        r'<th scope="row"[^>]*><a href="([^"]+)">([^<]+)</a></th>\s*<td>(.*?)</td>', panel
    )
    return {label: (url, re.sub(r"<[^>]+>", "", count)) for url, label, count in rows}


def test_a_coordinator_sees_each_worklist_with_its_count_and_link(coordinator_client, world):
    html = html_of(coordinator_client.get(URL))
    today = local_today()
    first = today.year - (today.month < 9)
    year = f"{first}/{(first + 1) % 100:02d}"

    assert worklist(html) == {
        "Registers not taken": ("/admin/enrolment/registers-not-taken/", "4"),
        "Applications waiting for a decision": ("/admin/enrolment/enrolments/review/", "2"),
        "Waitlist offers waiting for an answer": (
            "/admin/enrolment/enrolments/?status=offered",
            "2",
        ),
        "Learners at risk": ("/admin/enrolment/at-risk/", "2"),
        f"Children waiting for a sponsor ({year})": (
            "/admin/sponsorship/funding/?status=waiting",
            "2",
        ),
        f"Children under-funded ({year})": (
            "/admin/sponsorship/funding/?status=under_funded",
            "2",
        ),
        "Messages not delivered": ("/admin/enrolment/messages/?status=failed", "2"),
        "Correction requests waiting": (
            "/admin/enrolment/correction-requests/?status=open",
            "0",
        ),
    }


def test_each_link_leads_to_a_list_of_as_many(coordinator_client, world):
    html = html_of(coordinator_client.get(URL))
    not_taken = coordinator_client.get("/admin/enrolment/registers-not-taken/")
    at_risk = coordinator_client.get("/admin/enrolment/at-risk/")
    waiting = coordinator_client.get("/admin/sponsorship/funding/?status=waiting")

    counts = {label: int(count) for label, (_url, count) in worklist(html).items()}
    assert counts["Registers not taken"] == len(not_taken.context["rows"])
    assert counts["Learners at risk"] == len(at_risk.context["rows"])
    assert min(v for k, v in counts.items() if k.startswith("Children waiting")) == len(
        waiting.context["rows"]
    )


def test_todays_classes_say_whether_their_register_was_taken(coordinator_client, world):
    response = coordinator_client.get(URL)
    html = html_of(response)
    today = html.split('id="today-classes-section"')[1].split("</section>")[0]

    assert "<caption>5 classes on" in today and "2 registers not taken yet" in today
    assert today.count("<strong>Not taken</strong>") == 2
    assert len(re.findall(r">\s*Taken\s*<", today)) == 2
    assert "No one enrolled" in today  # the class without learners is not flagged
    assert "Photography" in today and "PHOTO-1" in today
    assert "00:00–00:01" in today


def test_register_states_follow_the_clock(site, cast, world):
    late = SessionFactory(
        run=world,
        scheduled_date=day(90),  # a second class today, moved here
        date=local_today(),
        start_time=dt.time(23, 58),
        end_time=dt.time(23, 59),
    )
    seat(world, "Dina")
    morning = timezone.make_aware(dt.datetime.combine(local_today(), dt.time(0, 0, 30)))

    states = {
        line.session.pk: line.state
        for line in coordinator_day(user=cast.coordinator, now=morning).classes
    }

    assert states[late.pk] == RegisterState.NOT_STARTED
    # Dina makes Photography's first class one to take, once it has started.
    first = world.sessions.get(start_time=dt.time(0, 0))
    assert states[first.pk] == RegisterState.NOT_TAKEN
    first.status = SessionStatus.CANCELLED
    first.save()
    day_view = coordinator_day(user=cast.coordinator, now=morning)
    assert {line.session.pk: line.state for line in day_view.classes}[first.pk] == (
        RegisterState.CANCELLED
    )


def test_offers_pending_show_when_they_close_in_hong_kong_time(coordinator_client, site, cast):
    run = under_way(site, "IELTS", "IELTS-1")
    closes = dt.datetime(2030, 1, 15, 4, 24, tzinfo=dt.UTC)  # 12:24 in Hong Kong
    seat(run, "Esther", status=EnrolmentStatus.OFFERED, offer_expires_at=closes)

    html = html_of(coordinator_client.get(URL))
    offers = html.split('id="pending-offers-section"')[1].split("</section>")[0]

    assert "Esther" in offers and "IELTS-1" in offers
    assert "Tue 15 Jan, 12:24" in offers
    assert "04:24" not in offers


def test_the_page_image_and_document_counts_make_way_for_the_day(coordinator_client, world):
    html = html_of(coordinator_client.get(URL))
    assert "w-summary__list" not in html
    assert html.index("What needs doing") < html.index("Today's classes")


def test_a_translator_sees_no_ones_work_on_the_dashboard(client, cast, world):
    client.force_login(cast.translator)
    html = html_of(client.get(URL))
    assert "What needs doing" not in html
    assert "Amina" not in html and "Chloe" not in html


def test_no_offers_no_offers_panel(coordinator_client, site):
    html = html_of(coordinator_client.get(URL))
    assert "What needs doing" in html
    assert "pending-offers-section" not in html
    assert "No classes today." in html


def test_the_dashboard_costs_the_same_queries_for_2_or_12_of_everything(
    coordinator_client, site, cast, world
):
    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.get(URL)
        assert response.status_code == 200
        return len(queries)

    coordinator_client.get(URL)  # first-request caches out of the way
    few = cost()
    add_work(site, cast, 10, tag="x")
    many = cost()

    assert few == many
    assert worklist(html_of(coordinator_client.get(URL)))["Learners at risk"][1] == "12"
