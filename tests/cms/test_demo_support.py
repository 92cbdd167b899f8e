"""The demo shows what it takes to attend: learners needing an interpreter, childcare or their
fares, childcare places on the coming days' sessions, and fares owed for sessions attended."""

import datetime as dt

from django.utils import timezone

from cms.management.demo import build_demo
from enrolment.models import Enrolment, EnrolmentEvent
from enrolment.services.support import childcare_sessions
from enrolment.services.transport import transport_totals


def test_the_demo_needs_childcare_and_owes_fares(db):
    build_demo(scale=1)

    assert Enrolment.objects.exclude(interpreter_language="").count() >= 3
    assert list(childcare_sessions())  # this week's classes need childcare places
    today = timezone.localdate()
    owed = transport_totals(start=today - dt.timedelta(days=120), end=today)
    assert owed.learners >= 3 and owed.amount > 0

    events = EnrolmentEvent.objects.count()
    build_demo(scale=1)
    assert EnrolmentEvent.objects.count() == events  # set once, not again
