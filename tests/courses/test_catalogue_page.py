import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.choices import Audience, Level
from tests.factories import (
    CategoryFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
)

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {course.title for course in response.context["page_obj"].object_list}


@pytest.fixture
def catalogue(site):
    english = CategoryFactory(name="English", slug="english")
    computers = CategoryFactory(name="Computers", slug="computers")
    a1 = CoursePageFactory(
        title="English A1", category=english, level=Level.A1, parent=site.catalogue
    )
    kids = CoursePageFactory(
        title="Homework club",
        category=computers,
        audience=Audience.CHILDREN,
        parent=site.catalogue,
        summary="Homework help after school.",
    )
    excel = CoursePageFactory(title="Spreadsheets", category=computers, parent=site.catalogue)
    # English: Monday and Wednesday evenings, full. Homework club: Tuesday afternoons.
    # Spreadsheets: Saturday mornings, seats free.
    full = CourseRunFactory(
        course=a1, weekdays="02", start_time=dt.time(18, 30), end_time=dt.time(20, 30), capacity=1
    )
    EnrolmentFactory(run=full)
    CourseRunFactory(course=kids, weekdays="1", start_time=dt.time(16), end_time=dt.time(18))
    CourseRunFactory(course=excel, weekdays="5", start_time=dt.time(10), end_time=dt.time(12))
    return site.catalogue


ALL = {"English A1", "Homework club", "Spreadsheets"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ALL),
        ("q=homework", {"Homework club"}),
        ("q=ENGLISH", {"English A1"}),
        ("category=computers", {"Homework club", "Spreadsheets"}),
        ("audience=children", {"Homework club"}),
        ("level=a1", {"English A1"}),
        ("weekday=2", {"English A1"}),
        ("weekday=5", {"Spreadsheets"}),
        ("time=morning", {"Spreadsheets"}),
        ("time=afternoon", {"Homework club"}),
        ("time=evening", {"English A1"}),
        ("free_seats=on", {"Homework club", "Spreadsheets"}),
        ("category=computers&time=morning", {"Spreadsheets"}),
        ("weekday=2&free_seats=on", set()),
    ],
)
def test_each_filter_narrows_the_catalogue(client, catalogue, query, expected):
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_run_filters_must_hold_for_the_same_run(client, catalogue, site):
    # A course with a Monday-morning run and a Friday-evening run is not a Monday-evening match.
    course = CoursePageFactory(title="Split", parent=site.catalogue)
    CourseRunFactory(course=course, weekdays="0", start_time=dt.time(9), end_time=dt.time(11))
    CourseRunFactory(course=course, weekdays="4", start_time=dt.time(19), end_time=dt.time(21))
    assert "Split" not in titles(client.get("/courses/?weekday=0&time=evening"))
    assert "Split" in titles(client.get("/courses/?weekday=0&time=morning"))


def test_finished_runs_do_not_count_for_run_filters(client, site):
    course = CoursePageFactory(title="Last year", parent=site.catalogue)
    CourseRunFactory(
        course=course, weekdays="5", start_date=dt.date(2020, 1, 4), end_date=dt.date(2020, 3, 1)
    )
    assert titles(client.get("/courses/?weekday=5")) == set()


def test_a_nul_in_a_filter_is_a_bad_request(client, catalogue):
    # Refused before any view, as on every URL (cms.http.refuse_nul).
    assert client.get("/courses/?audience=%00").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "category=no-such-subject",
        "level=z9",
        "weekday=9",
        "time=midnight",
        "q=" + "x" * 500,
        "weekday=1&weekday=2&weekday=<script>",
    ],
)
def test_bad_filter_values_show_a_message_not_an_error(client, catalogue, query):
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not understood and were ignored" in html
    assert "<script>" not in html


def test_a_malformed_page_number_shows_the_first_page(client, catalogue):
    response = client.get("/courses/?page=abc")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    response = client.get("/courses/?page=999")
    assert response.status_code == 200


def test_the_catalogue_is_paginated_keeping_the_filters(client, site):
    english = CategoryFactory(name="English", slug="english")
    for i in range(14):
        CoursePageFactory(title=f"English {i:02d}", category=english, parent=site.catalogue)
    response = client.get("/courses/?category=english")
    assert len(response.context["page_obj"].object_list) == 12
    assert 'href="?category=english&amp;page=2"' in response.content.decode()


def test_unpublished_courses_are_not_listed(client, site):
    course = CoursePageFactory(title="Secret draft", parent=site.catalogue)
    course.unpublish()
    assert "Secret draft" not in titles(client.get("/courses/"))


def _catalogue_queries(client, site, *, first, count):
    english = CategoryFactory(name="English", slug="english")
    for i in range(first, first + count):
        course = CoursePageFactory(title=f"Course {i:03d}", category=english, parent=site.catalogue)
        run = CourseRunFactory(course=course, capacity=2)
        EnrolmentFactory(run=run)
    client.get("/courses/")  # warm caches (site root, settings) like any later visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/courses/?free_seats=on&category=english")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_catalogue_query_count_does_not_grow_with_courses(client, site):
    five = _catalogue_queries(client, site, first=0, count=5)
    fifty = _catalogue_queries(client, site, first=5, count=45)  # 50 courses in all
    assert five == fifty
