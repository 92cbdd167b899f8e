import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import AttendanceStatus
from enrolment.services.registers import Mark, register_mark
from tests.conftest import html_of
from tests.factories import SessionFactory
from tests.worlds.registers import build_class, days

pytestmark = pytest.mark.django_db
URL = "/teach/"


@pytest.fixture
def world(two_classes):
    """The two classes, and two more of Grace's: today's and tomorrow's."""
    world = two_classes
    # Today's class started at midnight, so it has started whenever the test runs.
    world.today = SessionFactory(
        run=world.run, date=days(0), start_time=dt.time(0, 0), end_time=dt.time(0, 1)
    )
    world.tomorrow = SessionFactory(run=world.run, date=days(1))
    return world


def test_it_sends_a_visitor_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/teach/"


@pytest.mark.parametrize("who", ["learner", "sponsor"])
def test_it_refuses_learners_and_sponsors_with_a_clear_page(client, cast, world, who):
    client.force_login(getattr(cast, who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "This is for teachers" in html_of(response)
    assert "English A1" not in html_of(response)


def test_it_shows_a_teacher_today_and_the_coming_week_of_their_own_classes(client, cast, world):
    client.force_login(cast.teacher)
    response = client.get(URL)
    html = html_of(response)
    assert response.status_code == 200
    assert "Hello, <bdi>Grace</bdi>." in html
    assert [s.pk for s in response.context["today_sessions"]] == [world.today.pk]
    assert [s.pk for s in response.context["week_sessions"]] == [world.tomorrow.pk, world.future.pk]
    assert f'href="/teach/sessions/{world.today.pk}/"' in html
    assert world.run.venue.name in html
    assert "Computers" not in html  # another teacher's class


def test_it_flags_a_started_class_without_a_register(client, cast, world):
    client.force_login(cast.teacher)
    today = client.get(URL).context["today_sessions"][0]
    assert today.not_taken
    assert "Register not taken" in html_of(client.get(URL))

    register_mark(
        session=world.today,
        marks={world.amina.pk: Mark(AttendanceStatus.PRESENT)},
        by=cast.teacher,
    )
    response = client.get(URL)
    assert not response.context["today_sessions"][0].not_taken
    assert "Register not taken" not in html_of(response)
    assert "Register taken" in html_of(response)
    tomorrow = response.context["week_sessions"][0]
    assert not tomorrow.not_taken  # not started yet


def test_a_started_class_with_nobody_enrolled_is_not_flagged_as_a_missing_register(
    client, site, cast, world
):
    empty = build_class(site, cast, names=[], code="EMPTY-1", title="Empty class")
    SessionFactory(run=empty.run, date=days(0), start_time=dt.time(0), end_time=dt.time(0, 1))
    client.force_login(cast.teacher)
    response = client.get(URL)

    shown = {s.run.code: s for s in response.context["today_sessions"]}
    assert shown["ENG-A1"].not_taken  # Grace's class with learners still is
    assert not shown["EMPTY-1"].not_taken
    assert "No one enrolled" in html_of(response)
    assert html_of(response).count("Register not taken") == 1
    assert empty.past.pk not in [s.pk for s in response.context["to_take"]]


def test_it_lists_earlier_registers_still_to_take(client, cast, world):
    register_mark(
        session=world.earlier,
        marks={world.amina.pk: Mark(AttendanceStatus.PRESENT)},
        by=cast.teacher,
    )
    client.force_login(cast.teacher)
    response = client.get(URL)
    # The past class has no marks; the cancelled one has no register; today's is above.
    assert [s.pk for s in response.context["to_take"]] == [world.past.pk]
    assert "Registers still to take" in html_of(response)


def test_it_lists_the_teachers_runs_with_their_paper_registers(client, cast, world):
    client.force_login(cast.teacher)
    html = html_of(client.get(URL))
    run = world.run.pk
    assert f'href="/teach/runs/{run}/register.xlsx"' in html
    assert f'href="/teach/runs/{run}/register/print/"' in html
    assert f'href="/teach/runs/{run}/register/upload/"' in html
    assert f"/teach/runs/{world.other.run.pk}/" not in html


def test_another_teacher_sees_only_their_own_class(client, cast, world):
    client.force_login(cast.other_teacher)
    response = client.get(URL)
    assert "Computers" in html_of(response)
    assert "English A1" not in html_of(response)
    assert response.context["run_filter"] is None


def test_a_coordinator_sees_every_class_and_can_narrow_to_one(client, cast, world):
    client.force_login(cast.coordinator)
    html = html_of(client.get(URL))
    assert "English A1" in html and "Computers" in html
    assert "All classes" in html

    response = client.get(URL, {"run": world.other.run.pk})
    context = response.context
    assert {s.run for s in context["today_sessions"] + context["week_sessions"]} == {
        world.other.run
    }
    assert list(context["runs"]) == [world.other.run]
    assert f'<option value="{world.other.run.pk}" selected>' in html_of(response)
    assert [s.pk for s in response.context["to_take"]] == [
        world.other.earlier.pk,
        world.other.past.pk,
    ]


def test_the_menu_offers_teach_to_teachers_and_coordinators_only(client, cast, world):
    link = '<a href="/teach/">Teach</a>'
    for who, shown in [("teacher", True), ("coordinator", True), ("learner", False)]:
        client.force_login(getattr(cast, who))
        assert (link in html_of(client.get("/learn/profile/"))) is shown, who
        client.logout()
    assert link not in html_of(client.get("/accounts/login/"))


def main_menu(response) -> str:
    return html_of(response).split('aria-label="Main"')[1].split("</nav>")[0]


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("teacher", {"Teach"}),
        ("coordinator", {"Teach"}),
        ("learner", {"My learning"}),
        ("sponsor", {"My sponsored children"}),
        ("translator", set()),
    ],
)
def test_the_menu_shows_each_role_only_its_own_links(client, cast, world, who, links):
    client.force_login(getattr(cast, who))
    menu = main_menu(client.get("/courses/"))
    for link in ["Teach", "My learning", "My sponsored children"]:
        assert (f">{link}</a>" in menu) is (link in links), link


def test_a_teacher_who_also_learns_here_is_offered_both_teach_and_my_learning(client, cast, world):
    cast.teacher.groups.add(Group.objects.get(name="Learners"))
    client.force_login(cast.teacher)
    menu = main_menu(client.get("/courses/"))
    assert ">Teach</a>" in menu and ">My learning</a>" in menu


def test_the_menu_asks_about_roles_once_per_request(client, cast, world):
    client.force_login(cast.teacher)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    group_queries = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "auth_group"."name"')
    ]
    assert len(group_queries) == 1, group_queries


def test_the_page_costs_the_same_queries_for_two_classes_or_eight(client, site, cast, world):
    def cost() -> int:
        client.force_login(cast.coordinator)
        client.get(URL)  # first-request caches (site, settings) out of the way
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    two = cost()
    for n in range(6):
        more = build_class(site, cast, names=[f"L{n}"], code=f"MORE-{n}", title=f"More {n}")
        SessionFactory(run=more.run, date=days(0), start_time=dt.time(0), end_time=dt.time(0, 1))
    eight = cost()
    assert two == eight


def test_a_draft_or_cancelled_run_is_not_on_the_page(client, site, cast, world):
    for status, code in [("draft", "DRAFT-1"), ("cancelled", "GONE-1")]:
        hidden = build_class(site, cast, names=["Nobody"], code=code, title=f"Hidden {code}")
        hidden.run.status = status
        hidden.run.save()
        SessionFactory(run=hidden.run, date=days(0), start_time=dt.time(0), end_time=dt.time(0, 1))
    client.force_login(cast.teacher)
    html = html_of(client.get(URL))
    assert "Hidden" not in html
