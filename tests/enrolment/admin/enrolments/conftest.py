"""What the enrolments admin's tests share: English A1 with three runs (two seats; five seats,
starting later; one that reviews applications), a computer course's run, the two courses'
categories, and enrol()."""

import datetime as dt
from types import SimpleNamespace

import pytest

from courses.choices import RunMode
from enrolment.services.enrolling import enrolment_create
from tests.dates import local_today
from tests.factories import CategoryFactory, CoursePageFactory, CourseRunFactory

INDEX = "/admin/enrolment/enrolments/"


@pytest.fixture
def world(site, cast):
    english = CategoryFactory(name="English")
    computing = CategoryFactory(name="Computing")
    course = CoursePageFactory(title="English A1", category=english, parent=site.catalogue)
    other_course = CoursePageFactory(
        title="Computers for beginners", category=computing, parent=site.catalogue
    )
    run = CourseRunFactory(course=course, code="ENG-A1-T1", capacity=2)
    sister = CourseRunFactory(
        course=course,
        code="ENG-A1-T1-B",
        capacity=5,
        start_date=local_today() + dt.timedelta(days=100),
    )
    review = CourseRunFactory(course=course, code="ENG-A1-REVIEW", mode=RunMode.REVIEW)
    computers = CourseRunFactory(course=other_course, code="IT-1")
    return SimpleNamespace(
        course=course,
        other_course=other_course,
        english=english,
        run=run,
        sister=sister,
        review=review,
        computers=computers,
    )


def enrol(learner, run, by=None):
    return enrolment_create(learner=learner, run=run, by=by)
