"""The race: many learners enrolling in the same few seats at the same instant. Each learner is
a thread with a database connection of its own, released together by a barrier, so PostgreSQL
sees truly concurrent transactions fighting over the run's row lock.

It runs in whatever database the default connection points at: ``manage.py benchmark`` points
it at its throwaway test database, and every racing thread opens its connection from those
same settings.
"""

import datetime as dt
import threading
import time

from django.db import connection
from django.utils import timezone

from cms.management.benchmark.harness import BenchmarkError, RaceResult
from cms.management.benchmark.runs import model_run
from courses.choices import Level, RunMode, RunStatus
from courses.models import CourseRun
from enrolment.models import Enrolment, EnrolmentStatus, Learner
from enrolment.services.enrolling import enrolment_create

TIMEOUT = 60  # seconds a thread may wait at the start line; a stuck race fails, never hangs


def seat_race(*, threads: int = 60, seats: int = 20) -> RaceResult:
    """Enrol ``threads`` new learners at once into a new open run with ``seats`` seats."""
    if connection.vendor != "postgresql":
        raise BenchmarkError("The seat race needs PostgreSQL.")
    run = _race_run(seats)
    learners = Learner.objects.bulk_create(
        Learner(
            preferred_name=f"Racer {run.code} {i}",
            date_of_birth=dt.date(1990, 1, 1),
            english_level=Level.C1,  # eligible for any course the run was copied from
        )
        for i in range(1, threads + 1)
    )
    database = connection.settings_dict["NAME"]
    start = threading.Barrier(threads + 1, timeout=TIMEOUT)
    errors: list[Exception] = []

    def enrol(learner: Learner) -> None:
        try:
            start.wait()
            if connection.settings_dict["NAME"] != database:  # never race in another database
                raise BenchmarkError(f"Thread connected to {connection.settings_dict['NAME']}.")
            enrolment_create(learner=learner, run=run, by=None)
        except Exception as error:  # counted in the table; the race goes on
            errors.append(error)
        finally:
            connection.close()  # so that the throwaway database can be dropped afterwards

    workers = [threading.Thread(target=enrol, args=(learner,)) for learner in learners]
    for worker in workers:
        worker.start()
    start.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join(timeout=2 * TIMEOUT)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if any(worker.is_alive() for worker in workers):
        raise BenchmarkError("A racing thread did not finish in time.")

    statuses = list(Enrolment.objects.filter(run=run).values_list("status", flat=True))
    return RaceResult(
        scenario=f"{threads} enrol into {seats} seats",
        threads=threads,
        seats=seats,
        enrolled=sum(status == EnrolmentStatus.ENROLLED for status in statuses),
        waitlisted=sum(status == EnrolmentStatus.WAITLISTED for status in statuses),
        errors=len(errors),
        elapsed_ms=elapsed_ms,
        first_error=repr(errors[0]) if errors else "",
    )


def _race_run(seats: int) -> CourseRun:
    """A fresh open run, modelled on one of the demo's, so each race starts from empty seats."""
    model = model_run()
    today = timezone.localdate()
    return CourseRun.objects.create(
        course=model.course,
        code=f"RACE-{CourseRun.objects.filter(code__startswith='RACE-').count() + 1}",
        start_date=today + dt.timedelta(days=7),
        end_date=today + dt.timedelta(weeks=9),
        weekdays=model.weekdays,
        start_time=model.start_time,
        end_time=model.end_time,
        venue=model.venue,
        capacity=seats,
        mode=RunMode.OPEN,
        status=RunStatus.PUBLISHED,
    )
