"""The benchmark's five-year history: written in bulk on top of the demo, readable by the
staff lists, and leaving the database usable by the services afterwards."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cms.management.benchmark.history import History, build_history
from cms.management.benchmark.lists import STAFF_LISTS
from cms.management.demo import build_demo
from courses.models import CourseRun
from enrolment.models import Attendance, Enrolment, Learner
from enrolment.services.at_risk import at_risk_queryset
from enrolment.services.attendance_reports import runs_under_way

pytestmark = pytest.mark.django_db


def test_the_history_scales_down_with_the_scale():
    full, small = History(), History.at(1)
    assert (full.learners, full.runs) == (20_000, 3_000)
    assert (small.learners, small.runs, small.class_size) == (200, 30, full.class_size)


@pytest.fixture
def history(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    build_demo(scale=1)
    return build_history(History.at(1))


def test_the_history_writes_five_years_on_top_of_the_demo(history):
    plan = History.at(1)
    assert Learner.objects.count() == plan.learners
    assert history.counts["runs"] == plan.runs + plan.under_way
    assert history.counts["enrolments"] == (plan.runs + plan.under_way) * plan.class_size
    assert history.counts["attendance marks"] > plan.runs * plan.class_size * 15
    assert Attendance.objects.count() >= history.counts["attendance marks"]
    assert "attendance marks" in history.describe()
    # Some learners in the classes under way have stopped coming.
    assert at_risk_queryset(runs=runs_under_way()).filter(run__code__startswith="h").exists()
    # Nearly every history class is over, its learners completed or not.
    finished = Enrolment.objects.filter(run__code__startswith="h", status="completed")
    assert finished.count() > plan.runs * plan.class_size // 2


def test_after_the_history_the_services_insert_rows_as_usual(history):
    learner = Learner.objects.create(preferred_name="After the history")
    run = CourseRun.objects.order_by("-pk").first()
    assert learner.pk > Learner.objects.exclude(pk=learner.pk).order_by("-pk").first().pk
    assert run.sessions.exists()


def test_every_staff_list_answers_over_the_history(history):
    User = get_user_model()
    for _name, username, url in STAFF_LISTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url
