"""Five years of a busy centre, written fast: the benchmark's 100x world.

The issue's figures: 600-750 people a month, so after five years about 20,000 learners, 3,000
runs, 100,000 enrolments and 2,000,000 attendance marks. ``build_demo`` goes through the real
services row by row, which is right for 1x and 10x (it proves the services) but would take hours
here; this writes the history with raw bulk inserts (``bulk``) on top of the 10x demo, so the
demo's people (the coordinator, the learners the scenarios sign in as) are still there and
still see the same things. No services, no signals: nothing here is sent or queued.

Shapes, not just sizes: most runs finished long ago (completed, not completed, withdrawn, with
certificates for most who completed), a few dozen under way where some learners have stopped
coming (at risk), messages, access-log rows, qualifications, and children with school places
and sponsorships in every school year. A fixed random seed makes two builds the same.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cms.management.benchmark.bulk import analyse, reset_sequences
from cms.management.benchmark.history.marks import build_history_enrolments
from cms.management.benchmark.history.people import (
    build_history_children,
    build_history_learners,
    build_history_records,
)
from cms.management.benchmark.history.plan import SEED, History
from cms.management.benchmark.history.runs import build_history_runs, build_history_sessions
from courses.models import CourseRun, Session
from enrolment.models import (
    AccessLog,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    Learner,
    Message,
    ProgressReport,
    Qualification,
    SchoolPlacement,
    Sponsorship,
)

# Every table written with chosen keys, whose sequence must then move on.
WRITTEN = (
    Learner,
    CourseRun,
    Session,
    Enrolment,
    EnrolmentEvent,
    Attendance,
    Certificate,
    Message,
    AccessLog,
    Qualification,
    SchoolPlacement,
    Sponsorship,
    ProgressReport,
)

__all__ = ["History", "HistoryBuilt", "build_history"]


@dataclass
class HistoryBuilt:
    """What the history added, and how long it took."""

    counts: dict[str, int]
    seconds: float

    def describe(self) -> str:
        parts = ", ".join(f"{n:,} {name}" for name, n in self.counts.items())
        return f"History built in {self.seconds:.1f} s: {parts}."


def build_history(plan: History, *, today: dt.date | None = None) -> HistoryBuilt:
    """Add ``plan``'s five years to the database (built on the demo: it reuses the demo's
    courses, venues, teachers, coordinator and sponsors)."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    with transaction.atomic():
        counts: dict[str, int] = {}
        learners, children = build_history_learners(plan, rng=rng, today=today, counts=counts)
        runs = build_history_runs(plan=plan, today=today, counts=counts)
        sessions = build_history_sessions(runs, plan=plan, today=today, counts=counts)
        build_history_enrolments(
            runs, sessions, learners, plan=plan, rng=rng, today=today, counts=counts
        )
        build_history_children(plan, children, rng=rng, today=today, counts=counts)
        build_history_records(plan, learners, rng=rng, today=today, counts=counts)
        reset_sequences(*WRITTEN)
        analyse(*WRITTEN)
    return HistoryBuilt(counts, time.perf_counter() - started)
