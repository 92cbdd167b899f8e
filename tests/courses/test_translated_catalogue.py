"""The catalogue and course pages in the visitor's language: translated where a translation
exists, else the English page marked "(in English)"; never a course hidden."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from courses.choices import Audience, Level
from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import html_of
from tests.factories import (
    CategoryFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    translate_page,
)

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {course.title for course in response.context["page_obj"].object_list}


@pytest.fixture
def arabic_site(site):
    translate_page(site.home, "ar", title="أهلا وسهلا")
    translate_page(site.catalogue, "ar", title="الدورات")
    return site


@pytest.fixture
def courses(arabic_site):
    english = CategoryFactory(name="English", slug="english")
    computers = CategoryFactory(name="Computers", slug="computers")
    a1 = CoursePageFactory(
        title="English A1",
        slug="english-a1",
        category=english,
        level=Level.A1,
        summary="Learn to speak about your day.",
        parent=arabic_site.catalogue,
    )
    kids = CoursePageFactory(
        title="Homework club",
        slug="homework-club",
        category=computers,
        audience=Audience.CHILDREN,
        summary="Homework help after school.",
        parent=arabic_site.catalogue,
    )
    run = CourseRunFactory(course=a1, code="ENG-A1-01", capacity=5)
    CourseRunFactory(course=kids, code="HW-01")
    arabic_a1 = translate_page(
        a1, "ar", title="الإنجليزية للمبتدئين", summary="تعلّم الكلام عن يومك."
    )
    return {"a1": a1, "kids": kids, "arabic_a1": arabic_a1, "run": run}


def test_a_translated_course_is_served_in_arabic_under_ar(client, courses):
    response = client.get("/ar/courses/english-a1/")
    assert response.status_code == 200
    html = html_of(response)
    assert "الإنجليزية للمبتدئين" in html
    assert "تعلّم الكلام عن يومك." in html
    assert '<html lang="ar" dir="rtl"' in html or 'lang="ar"' in html
    # The runs of the course are shown on its translation: they belong to the course.
    assert "ENG-A1-01" in html


def test_the_english_page_stays_english_at_its_old_url(client, courses):
    html = html_of(client.get("/courses/english-a1/"))
    assert "English A1" in html
    assert "الإنجليزية للمبتدئين" not in html


def test_the_arabic_catalogue_shows_translations_and_the_rest_in_english(client, courses):
    response = client.get("/ar/courses/")
    assert response.status_code == 200
    assert titles(response) == {"الإنجليزية للمبتدئين", "Homework club"}
    html = html_of(response)
    # The untranslated course is marked (in Arabic), its title in English for screen readers.
    with translation.override("ar"):
        note = gettext("(in English)")
    assert note != "(in English)"
    assert html.count(note) == 1
    assert 'lang="en" hreflang="en">Homework club</a>' in html
    assert 'href="/courses/homework-club/"' in html
    assert 'href="/ar/courses/english-a1/"' in html
    # Next start and free seats come from the course's runs, whichever page is shown.
    cards = {course.title: course for course in response.context["page_obj"].object_list}
    assert cards["الإنجليزية للمبتدئين"].next_start is not None
    assert cards["الإنجليزية للمبتدئين"].has_free_seats


def test_the_english_catalogue_is_unchanged_by_translations(client, courses):
    response = client.get("/courses/")
    assert titles(response) == {"English A1", "Homework club"}
    assert "(in English)" not in html_of(response)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("category=english", {"الإنجليزية للمبتدئين"}),
        ("audience=children", {"Homework club"}),
        ("level=a1", {"الإنجليزية للمبتدئين"}),
        ("free_seats=on", {"الإنجليزية للمبتدئين", "Homework club"}),
        # Search finds a course by its Arabic words, by its English title, and the
        # untranslated course by its English summary.
        ("q=يومك", {"الإنجليزية للمبتدئين"}),
        ("q=English+A1", {"الإنجليزية للمبتدئين"}),
        ("q=after+school", {"Homework club"}),
    ],
)
def test_filters_and_search_work_in_arabic(client, courses, query, expected):
    response = client.get(f"/ar/courses/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_a_full_run_is_full_on_every_translation(client, courses):
    run = courses["run"]
    EnrolmentFactory.create_batch(run.capacity, run=run, status=EnrolmentStatus.ENROLLED)
    response = client.get("/ar/courses/?free_seats=on")
    assert titles(response) == {"Homework club"}


def test_enrolling_from_the_arabic_page_enrols_in_the_courses_run(client, cast, courses):
    client.force_login(cast.learner)
    page = html_of(client.get("/ar/courses/english-a1/"))
    run = courses["run"]
    # The enrolment form stays in Arabic (/ar/learn/...), and enrols in the course's one run.
    action = f'action="/ar/learn/runs/{run.pk}/enrol/"'
    assert action in page
    client.post(f"/learn/runs/{run.pk}/enrol/")
    enrolment = Enrolment.objects.get(learner__user=cast.learner)
    assert enrolment.run == run
    assert enrolment.status == EnrolmentStatus.ENROLLED


def _arabic_catalogue_queries(client, site, *, courses, translated):
    english = CategoryFactory(name=f"English {courses}", slug=f"english-{courses}")
    for i in range(courses):
        course = CoursePageFactory(
            title=f"Course {courses}-{i:03d}", category=english, parent=site.catalogue
        )
        EnrolmentFactory(run=CourseRunFactory(course=course, capacity=2))
        for code in ("ar", "fr", "ur", "zh-hant")[:translated]:
            translate_page(course, code, title=f"{code} {i:03d}")
    client.get("/ar/courses/")  # warm caches (site root, settings) like any later visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/ar/courses/?free_seats=on&q=0")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count >= courses
    return len(ctx.captured_queries)


def test_the_catalogue_query_count_does_not_grow_with_translations(client, arabic_site):
    for code in ("fr", "ur", "zh-hant"):
        translate_page(arabic_site.home, code, title=f"Home {code}")
        translate_page(arabic_site.catalogue, code, title=f"Courses {code}")
    few = _arabic_catalogue_queries(client, arabic_site, courses=3, translated=1)
    many = _arabic_catalogue_queries(client, arabic_site, courses=10, translated=4)
    assert few == many


@pytest.mark.parametrize(
    "listing", ["enrolments:index", "certificates:index", "course_runs:index", "at_risk:index"]
)
def test_a_staff_course_filter_lists_a_translated_course_once(client, cast, courses, listing):
    client.force_login(cast.coordinator)
    html = html_of(client.get(reverse(listing)))
    assert html.count(">English A1</option>") == 1
    assert "الإنجليزية للمبتدئين" not in html
