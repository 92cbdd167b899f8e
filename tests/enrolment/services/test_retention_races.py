"""Two runs of apply_retention at the same instant (two cron lines, two servers): each
inactive learner is forgotten once, with one history row, and the two runs' counts add up to
the number of people. Without the learner's row lock both runs forget the same people and
both count them. PostgreSQL only: SQLite serialises every writer."""

import datetime as dt
import threading

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from enrolment.models import Learner
from enrolment.services import forgetting
from enrolment.services.forgetting import ANONYMISE_ACTION
from enrolment.services.retention import retention_apply
from tests.enrolment.services.test_races import RACE, TIMEOUT, race
from tests.factories import LearnerFactory

pytestmark = RACE

PEOPLE = 8


@pytest.fixture
def inactive(settings):
    settings.RETENTION_LEARNER_YEARS = 6
    learners = [LearnerFactory() for _ in range(PEOPLE)]
    long_ago = timezone.now() - dt.timedelta(days=365 * 7)
    Learner.objects.filter(pk__in=[learner.pk for learner in learners]).update(
        created_at=long_ago, updated_at=long_ago
    )
    return learners


def two_runs():
    results, errors = race([retention_apply, retention_apply])
    assert not errors, errors
    return sum(result.learners_forgotten for result in results)


def test_without_the_lock_two_runs_forget_the_same_people_twice(inactive, monkeypatch):
    both_read = threading.Barrier(2, timeout=TIMEOUT)
    first = inactive[0].pk

    def read_unlocked(pk):
        learner = Learner.objects.get(pk=pk)
        if pk == first:
            both_read.wait()  # each run has read the first person, not yet forgotten
        return learner

    monkeypatch.setattr(forgetting, "_locked_learner", read_unlocked)

    assert two_runs() > PEOPLE
    assert ModelLogEntry.objects.filter(action=ANONYMISE_ACTION).count() > PEOPLE


def test_with_the_lock_each_person_is_forgotten_once(inactive):
    assert two_runs() == PEOPLE

    assert Learner.objects.filter(anonymised_at__isnull=False).count() == PEOPLE
    for learner in inactive:
        assert (
            ModelLogEntry.objects.filter(action=ANONYMISE_ACTION, object_id=str(learner.pk)).count()
            == 1
        )
    assert retention_apply().learners_forgotten == 0
