"""What the /learn/ tests share: Lea, the cast's learner, with a case reference she must never
see, and three courses."""

import datetime as dt

import pytest

from enrolment.models import Learner
from tests.dates import local_today
from tests.factories import CoursePageFactory

SECRET = "HKRO-CASE-7731"


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


@pytest.fixture
def lea(cast) -> Learner:
    learner = cast.learner.learner
    learner.case_reference = SECRET
    learner.phone = "91234567"
    learner.save()
    return learner


@pytest.fixture
def courses(site):
    return [
        CoursePageFactory(title=title, parent=site.catalogue)
        for title in ["English A1", "GED maths", "Photography"]
    ]
