"""What it takes to attend, for coordinators: an enrolment's support set in the admin, the run's
fare per session, the dashboard's childcare places, and the transport fares to pay back."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Session
from enrolment.admin import transport
from enrolment.models import Attendance, AttendanceStatus
from tests.conftest import html_of, messages_of
from tests.dates import local_today
from tests.enrolment.admin.enrolments.test_admin_run_capacity import _run_form
from tests.exports import xlsx_formulas
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


FARES = "/admin/enrolment/transport-fares/"


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


@pytest.fixture
def run(site):
    return CourseRunFactory(
        code="ENG-A2",
        start_date=day(-20),
        end_date=day(40),
        transport_per_session=Decimal("12.50"),
    )


@pytest.fixture
def enrolment(run):
    return EnrolmentFactory(run=run, learner=LearnerFactory(preferred_name="Amina"))


def support_url(enrolment) -> str:
    return f"/admin/enrolment/enrolments/{enrolment.pk}/support/"


# --- an enrolment's support -------------------------------------------------------------------


def test_a_coordinator_sets_an_enrolments_support(client, cast, enrolment):
    client.force_login(cast.coordinator)

    response = client.post(
        support_url(enrolment),
        {"interpreter_language": "Arabic", "childcare_children": "2", "transport_reimbursed": "on"},
        follow=True,
    )

    assert "Support to attend saved for Amina in ENG-A2." in messages_of(response)
    enrolment.refresh_from_db()
    assert enrolment.interpreter_language == "Arabic"
    assert enrolment.childcare_children == 2
    assert enrolment.transport_reimbursed is True
    html = html_of(response)  # the enrolment's page, with its history
    assert "Interpreter: <bdi>Arabic</bdi>" in html
    assert "Support to attend: interpreter (Arabic); childcare for 2 children; transport" in html
    assert enrolment.events.get().by == cast.coordinator


def test_the_admin_form_refuses_bad_values_and_changes_nothing(client, cast, enrolment):
    client.force_login(cast.coordinator)

    response = client.post(support_url(enrolment), {"childcare_children": "13"})

    assert response.status_code == 200
    assert "Give a number of children from 0 to 12." in html_of(response)
    enrolment.refresh_from_db()
    assert enrolment.childcare_children == 0


def test_a_class_without_a_fare_offers_no_transport(client, cast, site):
    enrolment = EnrolmentFactory()  # transport_per_session = 0
    client.force_login(cast.coordinator)

    html = html_of(client.get(support_url(enrolment)))

    assert "Children needing childcare" in html
    assert "transport_reimbursed" not in html


def test_the_run_form_sets_the_fare_per_session(client, cast, run):
    client.force_login(cast.coordinator)
    url = f"/admin/timetable/runs/edit/{run.pk}/"
    assert 'name="transport_per_session"' in html_of(client.get(url))

    client.post(url, _run_form(run, transport_per_session="15.50"))

    run.refresh_from_db()
    assert run.transport_per_session == Decimal("15.50")


def test_a_negative_fare_is_refused(client, cast, run):
    client.force_login(cast.coordinator)

    response = client.post(
        f"/admin/timetable/runs/edit/{run.pk}/", _run_form(run, transport_per_session="-5")
    )

    assert response.status_code == 200
    run.refresh_from_db()
    assert run.transport_per_session == Decimal("12.50")


# --- the dashboard ----------------------------------------------------------------------------


def with_children(run, count: int):
    return EnrolmentFactory(run=run, learner=LearnerFactory(), childcare_children=count)


def test_the_dashboard_shows_childcare_places_per_session(client, cast, run):
    with_children(run, 2)
    with_children(run, 1)
    SessionFactory(run=run, date=day(1))
    client.force_login(cast.coordinator)

    html = html_of(client.get("/admin/"))

    assert "Childcare places needed" in html
    panel = html[html.index('id="childcare-places-content"') :]
    assert "ENG-A2" in panel
    assert "<td>3</td>" in panel


def test_the_dashboard_says_when_no_childcare_is_needed(client, cast, run):
    client.force_login(cast.coordinator)

    assert "No childcare is needed today or in the next 6 days." in html_of(client.get("/admin/"))


def test_the_childcare_panel_is_for_coordinators_only(client, cast, run):
    client.force_login(cast.translator)

    assert "Childcare places needed" not in html_of(client.get("/admin/"))


def test_the_childcare_panel_costs_the_same_queries_for_1_or_6_sessions(client, cast, run):
    client.force_login(cast.coordinator)
    with_children(run, 1)
    SessionFactory(run=run, date=day(0))
    client.get("/admin/")  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")
    few = len(queries)  # now: the next request empties the log it reads from
    for n in range(1, 6):
        other = CourseRunFactory(start_date=day(-20), end_date=day(40))
        with_children(other, n)
        SessionFactory(run=other, date=day(n))

    with CaptureQueriesContext(connection) as queries:
        html = html_of(client.get("/admin/"))

    assert html[html.index('id="childcare-places-content"') :].count("<tr>") == 7  # heading + 6
    assert len(queries) == few


# --- transport fares --------------------------------------------------------------------------


def attend(enrolment, *days_and_statuses):
    for offset, status in days_and_statuses:
        session = Session.objects.filter(run=enrolment.run, date=day(offset)).first()
        session = session or SessionFactory(run=enrolment.run, date=day(offset))
        Attendance.objects.create(
            enrolment=enrolment, session=session, status=status, marked_at=timezone.now()
        )


def fares_of(run, name, *marks):
    enrolment = EnrolmentFactory(
        run=run, learner=LearnerFactory(preferred_name=name), transport_reimbursed=True
    )
    attend(enrolment, *marks)
    return enrolment


A = AttendanceStatus


@pytest.fixture
def fares(run):
    # Amina: present and late = 2 x 12.50 = 25.00; Bilal: 3 present = 37.50, one absent
    # unpaid; total 5 sessions, 62.50.
    fares_of(run, "Amina", (-14, A.PRESENT), (-7, A.LATE), (-1, A.ABSENT))
    fares_of(run, "Bilal", (-13, A.PRESENT), (-6, A.PRESENT), (-2, A.PRESENT), (-3, A.ABSENT))
    return run


def period(run) -> str:
    return f"?run={run.pk}&start={day(-20).isoformat()}&end={day(0).isoformat()}"


def test_the_fares_page_lists_who_is_owed_what_with_totals(client, cast, fares):
    client.force_login(cast.coordinator)

    html = html_of(client.get(FARES + period(fares)))

    assert "Amina" in html and "Bilal" in html
    assert "HK$25.50" not in html
    assert "HK$25" in html and "HK$37.50" in html
    assert "Total: 2 learners" in html
    assert "<strong>HK$62.50</strong>" in html


def test_the_fares_download_for_payment_adds_up(client, cast, fares):
    client.force_login(cast.coordinator)

    response = client.get(FARES + period(fares) + "&export=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_formulas(response.content) == []
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert [(r[0].split()[0], r[4], r[6]) for r in rows[1:]] == [
        ("Amina", 2, 25),
        ("Bilal", 3, 37.5),
        ("Total", 5, 62.5),
    ]


def test_a_period_that_ends_before_it_starts_says_so(client, cast, fares):
    client.force_login(cast.coordinator)

    response = client.get(FARES + "?start=2026-09-30&end=2026-09-01")

    assert response.status_code == 200
    assert "The end of the period comes before its start." in html_of(response)
    assert "Correct the period above to see the fares." in html_of(response)


def test_nonsense_dates_are_a_message_not_an_error(client, cast, fares):
    client.force_login(cast.coordinator)

    response = client.get(FARES + "?start=yesterday&end=9999-99-99&export=xlsx")

    assert response.status_code == 200
    assert "Enter a valid date." in html_of(response)


def test_the_fares_page_is_refused_to_the_translator(client, cast, fares):
    client.force_login(cast.translator)

    response = client.get(FARES)

    assert response.status_code in (302, 403)
    assert "Amina" not in html_of(response)


def test_the_fares_page_pages_and_costs_the_same_queries_for_2_or_12_rows(
    client, cast, fares, monkeypatch
):
    monkeypatch.setattr(transport, "PER_PAGE", 5)
    client.force_login(cast.coordinator)
    url = FARES + period(fares)
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    few = len(queries)  # now: the next request empties the log it reads from
    for index in range(10):
        fares_of(fares, f"Zed {index:02d}", (-5, A.PRESENT))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    many = len(queries)

    assert len(response.context["page_obj"].object_list) == 5
    assert "Total: 12 learners" in html_of(response)
    assert "Zed 09" in html_of(client.get(url + "&p=3"))
    assert many == few
