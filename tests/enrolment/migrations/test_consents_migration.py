"""Consents recorded before they had a history each get a row (enrolment 0026): in person,
given when messages were agreed to or when the learner was registered; a STOP already
replied closes the messages row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from enrolment.models import Consent

BEFORE = [("enrolment", "0028_consents")]
AFTER = [("enrolment", "0029_consents_backfill")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_consents_already_recorded_are_backfilled():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Learner = old.get_model("enrolment", "Learner")
    User = old.get_model("auth", "User")
    staff = User.objects.create(username="desk")
    agreed = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    stopped = dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC)
    both = Learner.objects.create(
        preferred_name="Amani",
        consent_photo=True,
        consent_share_progress=True,
        messages_consent_at=agreed,
        messages_consent_by=staff,
    )
    stopper = Learner.objects.create(
        preferred_name="Bilal", messages_consent_at=agreed, messages_stopped_at=stopped
    )
    none = Learner.objects.create(preferred_name="Chol")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    rows = {(r.learner_id, r.purpose): r for r in Consent.objects.all()}
    assert set(rows) == {
        (both.pk, "photo"),
        (both.pk, "share_progress"),
        (both.pk, "messages"),
        (stopper.pk, "messages"),
    }
    photo = rows[(both.pk, "photo")]
    assert (photo.given_at, photo.given_by_id, photo.method) == (agreed, staff.pk, "in_person")
    assert photo.withdrawn_at is None
    stop = rows[(stopper.pk, "messages")]
    assert (stop.withdrawn_at, stop.withdrawn_method) == (stopped, "reply")
    assert none.pk not in {learner for learner, _ in rows}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
