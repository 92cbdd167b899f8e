""" "Seats free" and "Seats left" speak of seats a newcomer can take today: a class under way
whose enrolment has closed, or a full one, offers none, whatever its count says."""

import datetime as dt

import pytest

from tests.conftest import html_of
from tests.dates import local_today
from tests.factories import CoursePageFactory, CourseRunFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def card_of(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[start : html.index("</li>", start)]


def under_way_closed(course, **kwargs):
    """A class that started last month, enrolment closed on its first day, seats to spare."""
    return CourseRunFactory(
        course=course,
        start_date=day(-30),
        end_date=day(30),
        enrolment_closes=day(-30),
        capacity=20,
        **kwargs,
    )


@pytest.fixture
def english_a2(site):
    course = CoursePageFactory(title="English A2", parent=site.catalogue)
    under_way_closed(course, code="A2-NOW")
    full = CourseRunFactory(course=course, code="A2-NEXT", capacity=1)
    EnrolmentFactory(run=full, status="enrolled")
    return course


def test_a_course_whose_only_open_class_is_full_is_waitlist_only(client, english_a2):
    html = html_of(client.get("/courses/"))

    card = card_of(html, "English A2")
    assert "Waitlist only" in card
    assert "Seats free" not in card


def test_the_free_seats_filter_leaves_out_a_class_under_way_whose_enrolment_closed(
    client, english_a2
):
    response = client.get("/courses/?free_seats=on")

    assert "English A2" not in {c.title for c in response.context["page_obj"].object_list}


def test_a_course_with_an_open_class_with_seats_shows_seats_free(client, site):
    course = CoursePageFactory(title="English B1", parent=site.catalogue)
    under_way_closed(course)
    CourseRunFactory(course=course, capacity=5)  # starts next week, enrolment open

    html = html_of(client.get("/courses/"))

    assert "Seats free" in card_of(html, "English B1")
    response = client.get("/courses/?free_seats=on")
    assert "English B1" in {c.title for c in response.context["page_obj"].object_list}


def test_a_class_closed_to_enrolment_says_so_instead_of_seats_left(client, english_a2):
    html = html_of(client.get(english_a2.url))

    closed = html[html.index('id="run-A2-NOW"') :]
    closed = closed[: closed.index("</li>")]
    assert "Seats left" not in closed
    assert "Closed" in closed and "Enrolment is closed." in closed
    open_run = html[html.index('id="run-A2-NEXT"') :]
    open_run = open_run[: open_run.index("</li>")]
    assert "Seats left" in open_run and "Full" in open_run


def test_a_class_whose_enrolment_opens_later_still_counts_its_seats(client, site):
    course = CoursePageFactory(title="IELTS", parent=site.catalogue)
    CourseRunFactory(course=course, code="IELTS-1", enrolment_opens=day(3), capacity=12)

    html = html_of(client.get(course.url))

    run = html[html.index('id="run-IELTS-1"') :]
    assert "Seats left" in run[: run.index("</li>")] and "12" in run[: run.index("</li>")]
    # Not "Seats free" in the catalogue: no one can take one today.
    assert "Seats free" not in card_of(html_of(client.get("/courses/")), "IELTS")
