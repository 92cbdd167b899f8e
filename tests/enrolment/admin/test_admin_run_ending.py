"""The admin's "End early" on a run: offered on the runs listing, previews, ends, leads on to
closing the run."""

import datetime as dt

import pytest
from django.urls import reverse

from courses.choices import SessionStatus
from enrolment.models import Message, MessageKind
from tests.conftest import html_of, messages_of
from tests.dates import local_today
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(site):
    run = CourseRunFactory(
        course__parent=site.catalogue,
        code="ENG-ENDS",
        start_date=local_today() - dt.timedelta(days=14),
        end_date=local_today() + dt.timedelta(days=28),
    )
    SessionFactory(run=run, date=local_today() + dt.timedelta(days=3))
    EnrolmentFactory(run=run, learner=LearnerFactory(by_sms=True))
    return run


def test_a_coordinator_ends_a_run_early_and_is_led_to_close_it(
    coordinator_client, run, django_capture_on_commit_callbacks
):
    url = reverse("certificates:end_run_early", args=[run.pk])
    assert url in html_of(coordinator_client.get(reverse("course_runs:index")))
    preview = html_of(coordinator_client.get(url))
    assert "Classes after today still scheduled" in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url, {"last_day": local_today().isoformat(), "reason": "Teacher moved abroad"}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:close_run", args=[run.pk])
    assert messages_of(coordinator_client.get(response["Location"]))[0].startswith(
        "ENG-ENDS now ends on"
    )
    assert run.sessions.get().status == SessionStatus.CANCELLED
    assert Message.objects.filter(kind=MessageKind.RUN_ENDED).count() == 1


def test_a_refused_ending_is_a_form_error(coordinator_client, run):
    url = reverse("certificates:end_run_early", args=[run.pk])
    response = coordinator_client.post(
        url, {"last_day": (local_today() + dt.timedelta(days=60)).isoformat(), "reason": "x"}
    )
    assert response.status_code == 200
    assert "must be between" in html_of(response)
    assert run.sessions.get().status == SessionStatus.SCHEDULED


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_ending_a_run_is_refused_to_everyone_else(client, cast, run, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("certificates:end_run_early", args=[run.pk]),
        {"last_day": local_today().isoformat(), "reason": "x"},
    )
    assert response.status_code in (302, 403)
    assert run.sessions.get().status == SessionStatus.SCHEDULED
