"""apply_retention: who is forgotten after the retention period, what is cleared, and that a
second run does nothing."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from cms.env import env_positive_int
from enrolment.models import AccessLog, Enrolment, EnrolmentStatus, Learner, Message
from enrolment.services.retention import months_before, retention_apply
from tests.factories import EnrolmentFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db

YEARS = 6


def long_ago(years: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=365.25 * years)


def aged(learner, years: float):
    Learner.objects.filter(pk=learner.pk).update(
        created_at=long_ago(years), updated_at=long_ago(years)
    )
    return learner


@pytest.fixture
def retention(settings):
    settings.RETENTION_LEARNER_YEARS = YEARS
    settings.RETENTION_MESSAGE_MONTHS = 24
    settings.RETENTION_ACCESS_LOG_YEARS = 3


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_a_learner_inactive_beyond_the_period_is_forgotten_once(retention):
    gone = aged(LearnerFactory(preferred_name="Nadifa"), YEARS + 1)
    recent = aged(LearnerFactory(preferred_name="Ruth"), YEARS - 1)

    assert run().startswith("1 learners forgotten")
    assert run().startswith("0 learners forgotten")

    assert Learner.objects.get(pk=gone.pk).anonymised_at is not None
    assert Learner.objects.get(pk=recent.pk).preferred_name == "Ruth"


def test_a_recent_enrolment_or_sign_in_keeps_an_old_record(retention):
    enrolled = aged(LearnerFactory(), YEARS + 1)
    EnrolmentFactory(learner=enrolled, status=EnrolmentStatus.COMPLETED)
    signed_in = aged(LearnerFactory(), YEARS + 1)
    user = UserFactory(last_login=timezone.now())
    Learner.objects.filter(pk=signed_in.pk).update(user=user)

    assert retention_apply().learners_forgotten == 0


def test_an_active_enrolment_keeps_anyone_however_old(retention):
    learner = aged(LearnerFactory(), YEARS + 1)
    enrolment = EnrolmentFactory(learner=learner, status=EnrolmentStatus.WAITLISTED)
    Enrolment.objects.filter(pk=enrolment.pk).update(updated_at=long_ago(YEARS + 1))

    assert retention_apply().learners_forgotten == 0


def test_a_dry_run_counts_and_changes_nothing(retention):
    learner = aged(LearnerFactory(preferred_name="Nadifa"), YEARS + 1)

    out = run("--dry-run")

    assert "1 learners forgotten" in out and "dry run" in out
    assert Learner.objects.get(pk=learner.pk).preferred_name == "Nadifa"


def test_old_message_texts_are_cleared_and_unsent_ones_kept(retention):
    learner = LearnerFactory()
    make = {"learner": learner, "channel": "sms", "kind": "staff", "language": "en"}
    old = Message.objects.create(**make, body="old news", status="sent")
    waiting = Message.objects.create(**make, body="still to send", status="queued")
    new = Message.objects.create(**make, body="fresh", status="sent")
    Message.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=long_ago(2.1))

    assert retention_apply().messages_cleared == 1
    assert retention_apply().messages_cleared == 0

    assert [Message.objects.get(pk=m.pk).body for m in (old, waiting, new)] == [
        "",
        "still to send",
        "fresh",
    ]


def test_old_access_log_rows_are_deleted(retention, cast):
    old = AccessLog.objects.create(user_name="x", action="viewed", what="learners:edit")
    new = AccessLog.objects.create(user_name="x", action="viewed", what="learners:edit")
    AccessLog.objects.filter(pk=old.pk).update(at=long_ago(3.1))

    assert "1 access log rows deleted" in run()

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new.pk]


def test_months_before_keeps_to_the_end_of_a_shorter_month():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)
    assert months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)


@pytest.mark.parametrize("value", ["0", "-3", "six"])
def test_a_retention_period_that_is_not_above_zero_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("RETENTION_LEARNER_YEARS", value)

    with pytest.raises(ImproperlyConfigured, match="RETENTION_LEARNER_YEARS"):
        env_positive_int("RETENTION_LEARNER_YEARS", 6)
