import datetime as dt
import io

import openpyxl
import pytest

from tests.exports import xlsx_formulas
from tests.factories import CategoryFactory, CourseRunFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/admin/timetable/runs/",
    "/admin/timetable/sessions/",
    "/admin/snippets/courses/category/",
    "/admin/snippets/courses/partner/",
    "/admin/snippets/courses/venue/",
]


@pytest.fixture
def timetable(site):
    run = CourseRunFactory(code="ENG-A1-T1")
    SessionFactory(run=run)
    CategoryFactory(name="English")
    VenueFactory(name="Church hall")
    return run


@pytest.mark.parametrize("url", LISTINGS)
def test_admin_listings_load_for_a_coordinator(client, cast, timetable, url):
    client.force_login(cast.coordinator)
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_admin_listings_refuse_everyone_else(client, cast, timetable, url, who):
    client.force_login(getattr(cast, who))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "ENG-A1-T1" not in response.content.decode()


def test_the_admin_refuses_a_visitor(client, timetable):
    response = client.get(LISTINGS[0])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_runs_filter_by_status(client, cast, timetable):
    CourseRunFactory(code="OLD-DRAFT", status="draft")
    client.force_login(cast.coordinator)
    html = client.get("/admin/timetable/runs/?status=draft").content.decode()
    assert "OLD-DRAFT" in html
    assert "ENG-A1-T1" not in html


def test_runs_export_to_xlsx_without_formulas(client, cast, site):
    CourseRunFactory(code="ENG-A1-T1", course__title='=HYPERLINK("http://evil")')
    client.force_login(cast.coordinator)
    response = client.get("/admin/timetable/runs/?export=xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Code"
    assert rows[1][0] == "ENG-A1-T1"
    assert rows[1][1] == '=HYPERLINK("http://evil")'  # shown as typed, as text
    assert xlsx_formulas(data) == []  # never run


def test_generating_sessions_from_the_admin(client, cast, site):
    run = CourseRunFactory(
        start_date=dt.date(2026, 12, 21), end_date=dt.date(2027, 1, 3), weekdays="04"
    )
    client.force_login(cast.coordinator)
    url = f"/admin/timetable/runs/{run.pk}/generate-sessions/"

    preview = client.get(url)
    assert preview.status_code == 200
    assert "Christmas Day" in preview.content.decode()
    assert run.sessions.count() == 0  # looking changes nothing

    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert run.sessions.count() == 2  # 21 and 28 Dec; no class on 25 Dec or 1 Jan
    assert "2 sessions created" in response.content.decode()


def test_generating_sessions_is_refused_to_a_teacher(client, cast, site):
    run = CourseRunFactory()
    client.force_login(cast.teacher)
    response = client.post(f"/admin/timetable/runs/{run.pk}/generate-sessions/")
    assert response.status_code in (302, 403)
    assert run.sessions.count() == 0


def cancel_in_the_admin(client, session, *, note):
    return client.post(
        f"/admin/timetable/sessions/edit/{session.pk}/",
        {
            "run": session.run.pk,
            "date": session.date.isoformat(),
            "start_time": "18:30",
            "end_time": "20:30",
            "venue": "",
            "status": "cancelled",
            "note": note,
        },
    )


def test_a_coordinator_cancels_a_session_in_the_admin(client, cast, site):
    session = SessionFactory()
    client.force_login(cast.coordinator)
    response = cancel_in_the_admin(client, session, note="Typhoon signal 8")
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"


def _listing_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/admin/timetable/runs/", "/admin/timetable/sessions/"])
def test_timetable_listings_keep_their_query_count_as_rows_grow(client, cast, site, url):
    client.force_login(cast.coordinator)
    for _ in range(3):
        SessionFactory()
    few = _listing_queries(client, url)
    for _ in range(27):
        SessionFactory()
    assert _listing_queries(client, url) == few


def test_cancelling_a_session_in_the_admin_needs_a_reason(client, cast, site):
    session = SessionFactory()
    client.force_login(cast.coordinator)
    response = cancel_in_the_admin(client, session, note="")
    assert response.status_code == 200
    assert "Say why the session is cancelled" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled"
