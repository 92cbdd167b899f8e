"""The course-run admin as a coordinator finds it: newest first, searchable by course title and
code, prompted to generate sessions after creating a run, "Generate sessions" in plain view."""

import datetime as dt

import pytest
from django.urls import reverse

from courses.models import CourseRun
from tests.conftest import html_of
from tests.dates import local_today
from tests.factories import CoursePageFactory, CourseRunFactory, VenueFactory

pytestmark = pytest.mark.django_db


INDEX = "/admin/timetable/runs/"


@pytest.fixture
def coordinator_client(client, cast, site):
    client.force_login(cast.coordinator)
    return client


@pytest.fixture
def runs(site):
    english = CoursePageFactory(title="English A1", parent=site.catalogue)
    computers = CoursePageFactory(title="Computers for beginners", parent=site.catalogue)
    return [
        CourseRunFactory(
            course=english, code="ENG-OLD", start_date=local_today() - dt.timedelta(days=300)
        ),
        CourseRunFactory(
            course=computers, code="IT-NEW", start_date=local_today() + dt.timedelta(days=30)
        ),
        CourseRunFactory(course=english, code="ENG-NOW", start_date=local_today()),
    ]


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("computers", {"IT-NEW"}, {"ENG-OLD", "ENG-NOW"}),
        ("ENG-N", {"ENG-NOW"}, {"ENG-OLD", "IT-NEW"}),
        ("english a1", {"ENG-OLD", "ENG-NOW"}, {"IT-NEW"}),
    ],
)
def test_runs_are_searched_by_course_title_and_code(
    coordinator_client, runs, query, found, not_found
):
    for url in (INDEX, INDEX + "results/"):
        response = coordinator_client.get(url, {"q": query})
        assert response.status_code == 200
        shown = {run.code for run in response.context["object_list"]}
        assert found <= shown and not (not_found & shown)


def test_runs_are_listed_newest_first(coordinator_client, runs):
    response = coordinator_client.get(INDEX)
    codes = [run.code for run in response.context["object_list"]]
    assert codes == ["IT-NEW", "ENG-NOW", "ENG-OLD"]


def test_generate_sessions_is_a_button_on_each_run_row(coordinator_client, runs):
    html = html_of(coordinator_client.get(INDEX))
    for run in runs:
        url = reverse("course_runs:generate_sessions", args=[run.pk])
        # A button on the row itself, not an item hidden in the row's "More" menu.
        assert f'<a href="{url}" class="button button-small button-secondary"' in html


def test_a_runs_edit_page_offers_to_generate_its_sessions(coordinator_client, runs):
    html = html_of(coordinator_client.get(f"{INDEX}edit/{runs[0].pk}/"))
    assert reverse("course_runs:generate_sessions", args=[runs[0].pk]) in html


def test_creating_a_run_prompts_to_generate_its_sessions(coordinator_client, site):
    course = CoursePageFactory(title="English A2", parent=site.catalogue)
    venue = VenueFactory()
    start = local_today() + dt.timedelta(days=14)
    response = coordinator_client.post(
        INDEX + "new/",
        {
            "course": course.pk,
            "code": "ENG-A2-NEW",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(weeks=4)).isoformat(),
            "weekdays": ["1", "3"],
            "start_time": "18:30",
            "end_time": "20:30",
            "venue": venue.pk,
            "capacity": 12,
            "mode": "open",
            "status": "published",
            "min_attendance_percent": 80,
            "absence_alert_after": 2,
            "offer_hold_hours": 24,
            "transport_per_session": "0",
        },
        follow=True,
    )
    run = CourseRun.objects.get(code="ENG-A2-NEW")
    html = html_of(response)
    assert "has no sessions yet" in html
    assert f'href="{reverse("course_runs:generate_sessions", args=[run.pk])}"' in html
