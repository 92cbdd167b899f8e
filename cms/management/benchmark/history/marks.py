"""The history's enrolments: about 33 learners a class, how each class ended for them, the
two events of each (seated, then how it ended), a mark for every session they sat, and the
certificates most who completed received.

Under way, one learner in seven has missed the last three classes: the at-risk list has work.
"""

import datetime as dt
import random
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.management.benchmark.bulk import Table, next_id
from cms.management.benchmark.history.plan import (
    STATUS_WEIGHTS,
    History,
    PlannedRun,
    PlannedSession,
)
from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
)
from enrolment.services.attendance_totals import TOTAL_FIELDS, marks_totals

# Plain strings: a driver's COPY need not know Django's choices.
STATUSES = [status.value for status in STATUS_WEIGHTS]
ABSENT = AttendanceStatus.ABSENT.value
CHUNK = 200  # runs written at a time, so two million marks never sit in memory at once
STEADY = list(accumulate(STATUS_WEIGHTS.values()))
# One learner in eight drifts: absent about a third of the time.
DRIFTING = list(accumulate([55, 8, 4, 33]))
E = EnrolmentStatus
ENROLLED, COMPLETED, NOT_COMPLETED, WITHDRAWN = (
    E.ENROLLED.value,
    E.COMPLETED.value,
    E.NOT_COMPLETED.value,
    E.WITHDRAWN.value,
)


def _outcome(rng: random.Random, run: PlannedRun) -> str:
    if run.under_way:
        return ENROLLED
    roll = rng.random()
    if roll < 0.75:
        return COMPLETED
    return NOT_COMPLETED if roll < 0.88 else WITHDRAWN


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def build_history_enrolments(
    runs: list[PlannedRun],
    sessions: dict[int, list[PlannedSession]],
    learners: list[tuple[int, str]],
    *,
    plan: History,
    rng: random.Random,
    today: dt.date,
    counts: dict[str, int],
) -> None:
    coordinator = get_user_model().objects.get(username="coordinator").pk
    keys = {
        "enrolment": next_id(Enrolment),
        "event": next_id(EnrolmentEvent),
        "mark": next_id(Attendance),
    }
    written = dict.fromkeys(["enrolments", "enrolment events", "attendance marks"], 0)
    completed: list[tuple[int, str, PlannedRun]] = []
    for first in range(0, len(runs), CHUNK):
        chunk = _enrolments(
            runs[first : first + CHUNK],
            sessions,
            learners,
            keys=keys,
            plan=plan,
            rng=rng,
            coordinator=coordinator,
        )
        completed += chunk.pop("completed")
        for name, rows in chunk.items():
            written[name] += TABLES[name]().write(rows, prepared=name == "attendance marks")
    counts.update(written)
    counts["certificates"] = _certificates(completed, rng=rng, coordinator=coordinator)


def _enrolments(
    runs: list[PlannedRun],
    sessions: dict[int, list[PlannedSession]],
    learners: list[tuple[int, str]],
    *,
    keys: dict[str, int],
    plan: History,
    rng: random.Random,
    coordinator: int,
) -> dict[str, list]:
    """Rows for these runs' enrolments, events and marks; ``keys`` move on past them."""
    enrolment_pk, event_pk, mark_pk = keys["enrolment"], keys["event"], keys["mark"]
    enrolments, events, marks, completed = [], [], [], []
    for run in runs:
        held = [s for s in sessions[run.pk] if s.held]
        seated_at = _at(run.start - dt.timedelta(days=10), 10)
        ended_at = _at(run.end, 21)
        for learner_pk, name in rng.sample(learners, min(plan.class_size, len(learners))):
            status = _outcome(rng, run)
            sat = held
            left_at = None
            if status == WITHDRAWN:
                sat = held[: rng.randint(1, max(1, len(held) - 1))]
                left_at = _at(sat[-1].date, 21) if sat else seated_at
            events.append((event_pk, enrolment_pk, "", ENROLLED, None, seated_at, ""))
            event_pk += 1
            if status != ENROLLED:
                events.append(
                    (event_pk, enrolment_pk, ENROLLED, status, coordinator, left_at or ended_at, "")
                )
                event_pk += 1
            weights = DRIFTING if rng.random() < 0.125 else STEADY
            statuses = rng.choices(STATUSES, cum_weights=weights, k=len(sat))
            if run.under_way and rng.random() < 1 / 7:
                statuses[-3:] = [ABSENT] * min(3, len(statuses))
            totals = marks_totals([(m, s.date) for m, s in zip(statuses, sat, strict=True)])
            enrolments.append(
                (enrolment_pk, learner_pk, run.pk, status, seated_at, left_at, seated_at, ended_at)
                + tuple(totals.values())
            )
            for session, mark in zip(sat, statuses, strict=True):
                marks.append(
                    (mark_pk, enrolment_pk, session.pk, mark, "", None, session.marked_at, 1)
                )
                mark_pk += 1
            if status == COMPLETED and rng.random() < 0.6:
                completed.append((enrolment_pk, name, run))
            enrolment_pk += 1
    keys.update(enrolment=enrolment_pk, event=event_pk, mark=mark_pk)
    return {
        "enrolments": enrolments,
        "enrolment events": events,
        "attendance marks": marks,
        "completed": completed,
    }


TABLES = {
    "enrolments": lambda: Table(
        Enrolment,
        [
            "id",
            "learner_id",
            "run_id",
            "status",
            "enrolled_at",
            "left_at",
            "created_at",
            "updated_at",
            *TOTAL_FIELDS,
        ],
    ),
    "enrolment events": lambda: Table(
        EnrolmentEvent, ["id", "enrolment_id", "from_status", "to_status", "by_id", "at", "reason"]
    ),
    "attendance marks": lambda: Table(
        Attendance,
        [
            "id",
            "enrolment_id",
            "session_id",
            "status",
            "note",
            "marked_by_id",
            "marked_at",
            "version",
        ],
    ),
}


def _certificates(
    completed: list[tuple[int, str, PlannedRun]], *, rng: random.Random, coordinator: int
) -> int:
    # Sequences far above any the demo or a test issues, so numbers never meet.
    first_pk, first_sequence = next_id(Certificate), 900_000
    return Table(
        Certificate,
        [
            "id",
            "enrolment_id",
            "number",
            "year",
            "sequence",
            "verification_code",
            "holder_name",
            "course_title",
            "partner_name",
            "start_date",
            "end_date",
            "issued_at",
            "issued_by_id",
        ],
    ).write(
        (
            first_pk + n,
            enrolment_pk,
            f"H{run.end.year}-{first_sequence + n}",
            run.end.year,
            first_sequence + n,
            f"{rng.getrandbits(128):032x}",
            name,
            run.model.course.title,
            "",
            run.start,
            run.end,
            _at(run.end + dt.timedelta(days=7), 12),
            coordinator,
        )
        for n, (enrolment_pk, name, run) in enumerate(completed)
    )
