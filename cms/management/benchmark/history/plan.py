"""The history's plan: how much of everything, and the runs and sessions as planned."""

import datetime as dt
from dataclasses import dataclass, fields, replace

from courses.models import CourseRun
from enrolment.models import AttendanceStatus

# A fixed seed: two builds of the history are the same.
SEED = 16

# How a finished class's marks fall: most come, some are late, a few excused or absent.
STATUS_WEIGHTS = {
    AttendanceStatus.PRESENT: 80,
    AttendanceStatus.LATE: 8,
    AttendanceStatus.EXCUSED: 4,
    AttendanceStatus.ABSENT: 8,
}


@dataclass(frozen=True)
class History:
    """What five years at full size hold (the 100x world); :meth:`at` scales it down."""

    learners: int = 20_000
    runs: int = 3_000
    under_way: int = 30
    class_size: int = 33
    sessions: int = 20
    years: int = 5
    children_per_year: int = 300
    access_rows: int = 100_000
    qualifications: int = 5_000

    @classmethod
    def at(cls, scale: int) -> "History":
        """The history for ``scale`` (100 is full size); class sizes and lengths stay."""
        full = cls()
        scaled = {
            field.name: max(1, getattr(full, field.name) * scale // 100)
            for field in fields(cls)
            if field.name not in ("class_size", "sessions", "years")
        }
        return replace(full, **scaled)


@dataclass(frozen=True)
class PlannedRun:
    pk: int
    model: CourseRun
    start: dt.date
    end: dt.date
    under_way: bool


@dataclass(frozen=True)
class PlannedSession:
    pk: int
    date: dt.date
    held: bool
    marked_at: object  # adapted for the database once, shared by the session's marks
