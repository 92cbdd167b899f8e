"""The benchmark's registers, beyond pages at 1x and 10x.

- Registers: a teacher's register page and its save, for a class of 10 and one of 40 (the
  save is bulk writes, so the query count must not grow).
- The paper register: a large run's XLSX download, its time and peak memory.

Both run in whatever database the default connection points at: ``manage.py benchmark``
points it at its throwaway test database.
"""

import itertools
import time
import tracemalloc

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.management.benchmark.harness import (
    BenchmarkError,
    ExportResult,
    Measurement,
    Options,
    Row,
    get_ok,
    measure,
    pair_rows,
    testserver_allowed,
)
from cms.management.benchmark.runs import class_with_learners
from enrolment.models import Attendance, AttendanceStatus
from enrolment.services.register_sheets import register_workbook

REGISTER_SIZES = (10, 40)
EXPORT_LEARNERS = 60
EXPORT_SESSIONS = 40


def _register_measurements(learners: int, options: Options) -> list[Measurement]:
    """The register page of yesterday's class as its teacher sees it, and saving it: each
    save moves the absences along, so that every save changes marks (and their history)."""
    run, teacher = class_with_learners(learners=learners, sessions=1, prefix="REGISTER")
    session = run.sessions.get()
    ids = list(run.enrolments.order_by("pk").values_list("pk", flat=True))
    url = reverse("teach_register", args=[session.pk])
    client = Client()
    client.force_login(teacher)
    turn = itertools.count()

    def page() -> None:
        response = get_ok(client, url)
        if not all(f'name="status-{pk}"'.encode() in response.content for pk in ids):
            raise BenchmarkError(f"GET {url} did not show all {learners} learners.")

    def save() -> None:
        k = next(turn)
        data = {}
        for i, pk in enumerate(ids):
            absent = (i + k) % 5 == 0
            data[f"status-{pk}"] = AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT
            data[f"note-{pk}"] = "Phoned: unwell" if absent else ""
        response = client.post(url, data)
        if response.status_code != 302:  # the register view redirects after a save
            raise BenchmarkError(f"POST {url} answered {response.status_code}, expected 302.")

    with testserver_allowed():
        measured = [
            measure("register page", page, options),
            measure("register save", save, options),
        ]
    if Attendance.objects.filter(session=session).count() != learners:
        raise BenchmarkError(f"The register of {learners} was not saved for everyone.")
    return measured


def register_benchmark(options: Options, sizes: tuple[int, int] = REGISTER_SIZES) -> list[Row]:
    """The register page and its save for a class of sizes[0] and one of sizes[1] learners."""
    small, large = (_register_measurements(size, options) for size in sizes)
    return pair_rows(small, large)


# --- the paper register -----------------------------------------------------------------------


def register_export(
    *, learners: int = EXPORT_LEARNERS, sessions: int = EXPORT_SESSIONS, repeat: int = 3
) -> ExportResult:
    """The XLSX register of a run of ``learners`` x ``sessions``, every cell marked."""
    run, teacher = class_with_learners(learners=learners, sessions=sessions, prefix="EXPORT")
    statuses = list(AttendanceStatus.values)
    now = timezone.now()
    Attendance.objects.bulk_create(
        (
            Attendance(
                enrolment_id=enrolment_id,
                session_id=session_id,
                status=statuses[(i + j) % 7 % len(statuses)],
                marked_by=teacher,
                marked_at=now,
            )
            for i, enrolment_id in enumerate(run.enrolments.values_list("pk", flat=True))
            for j, session_id in enumerate(run.sessions.values_list("pk", flat=True))
        ),
        batch_size=500,
    )
    timings, queries, size = [], 0, 0
    for _ in range(max(repeat, 1)):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            size = len(register_workbook(run=run))
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    # Measured apart from the timings: tracing every allocation slows the code down.
    tracemalloc.start()
    try:
        register_workbook(run=run)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return ExportResult(
        scenario=f"register XLSX ({learners} learners x {sessions} classes)",
        rows=learners,
        columns=sessions,
        median_ms=sorted(timings)[len(timings) // 2],
        queries=queries,
        peak_bytes=peak,
        file_bytes=size,
    )
