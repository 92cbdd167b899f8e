"""/ar/learn/: the learner's courses and classes under their Arabic titles and at venues named
in Arabic where translated, else as written; as many queries for 3 classes as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CoursePage
from enrolment.models import EnrolmentStatus
from enrolment.services.qualifications import qualification_record_partner_level
from tests.conftest import html_of
from tests.enrolment.views.learn.conftest import day
from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    PartnerFactory,
    SessionFactory,
    VenueFactory,
    translate_page,
    translate_snippet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic(site, courses):
    translate_page(site.home, "ar", title="أهلا")
    translate_page(site.catalogue, "ar", title="الدورات")
    english, _ged, _photo = courses
    return translate_page(english, "ar", title="الإنجليزية A1")


@pytest.fixture
def centre():
    venue = VenueFactory(name="Main centre", district="Sham Shui Po")
    translate_snippet(venue, "ar", name="المركز الرئيسي", district="شام شوي بو")
    return venue


def test_arabic_titles_and_venues_where_translated_else_as_written(
    client, cast, lea, courses, arabic, centre
):
    english, ged, _photo = courses
    a1 = CourseRunFactory(course=english, venue=centre)
    maths = CourseRunFactory(course=ged, venue=VenueFactory(name="Community hall", district=""))
    for run in (a1, maths):
        EnrolmentFactory(learner=lea, run=run, status=EnrolmentStatus.ENROLLED)
        SessionFactory(run=run, date=day(2))
    council = PartnerFactory(name="British Council")
    translate_snippet(council, "ar", name="المجلس الثقافي البريطاني")
    qualification_record_partner_level(
        learner=lea, level="b1", partner=council, taken_on=day(-3), by=None
    )
    client.force_login(cast.learner)

    html = html_of(client.get("/ar/learn/"))

    # Each course once in "your courses" and once in "your next classes".
    assert html.count('<h3 dir="auto">الإنجليزية A1</h3>') == 1
    assert f'<a href="{arabic.url}">الإنجليزية A1</a>' in html
    assert "English A1" not in html
    assert html.count("GED maths") == 2  # not translated: shown as written
    # On the course card and on its next class.
    assert html.count("<bdi>المركز الرئيسي</bdi>, <bdi>شام شوي بو</bdi>") == 2
    assert "Main centre" not in html
    assert "المجلس الثقافي البريطاني" in html and "British Council" not in html


def test_the_english_page_keeps_the_english_titles(client, cast, lea, courses, arabic, centre):
    run = CourseRunFactory(course=courses[0], venue=centre)
    EnrolmentFactory(learner=lea, run=run, status=EnrolmentStatus.ENROLLED)
    client.force_login(cast.learner)
    html = html_of(client.get("/learn/"))
    assert "English A1" in html and "Main centre" in html
    assert "الإنجليزية A1" not in html and "المركز الرئيسي" not in html


def test_a_draft_translation_is_not_shown(client, cast, lea, courses, arabic):
    CoursePage.objects.get(pk=arabic.pk).unpublish()
    EnrolmentFactory(
        learner=lea, run=CourseRunFactory(course=courses[0]), status=EnrolmentStatus.ENROLLED
    )
    client.force_login(cast.learner)
    html = html_of(client.get("/ar/learn/"))
    assert "English A1" in html and "الإنجليزية A1" not in html


def test_arabic_titles_cost_the_same_queries_for_3_or_30_classes(
    client, cast, lea, courses, arabic
):
    def add(count: int):
        for i in range(count):
            venue = VenueFactory()
            translate_snippet(venue, "ar", name=f"قاعة {venue.pk}")
            run = CourseRunFactory(course=courses[i % 3], venue=venue)
            EnrolmentFactory(learner=lea, run=run, status=EnrolmentStatus.ENROLLED)
            SessionFactory(run=run, date=day(1 + i % 5), venue=VenueFactory())

    def cost() -> int:
        client.get("/ar/learn/")  # the site root and settings, cached like any later visit
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/ar/learn/")
        assert len(response.context["active"]) >= 3
        return len(ctx.captured_queries)

    client.force_login(cast.learner)
    add(3)
    few = cost()
    add(27)
    assert cost() == few
