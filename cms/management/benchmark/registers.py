"""The benchmark's measurements of enrolment's own rules, beyond pages at 1x and 10x.

- The race: many learners enrolling in the same few seats at the same instant. Each learner is
  a thread with a database connection of its own, released together by a barrier, so
  PostgreSQL sees truly concurrent transactions fighting over the run's row lock.
- Registers: a teacher's register page and its save, for a class of 10 and one of 40 (the
  save is bulk writes, so the query count must not grow).
- The paper register: a large run's XLSX download, its time and peak memory.

All run in whatever database the default connection points at: ``manage.py benchmark`` points
it at its throwaway test database, and every racing thread opens its connection from those
same settings.
"""

import datetime as dt
import itertools
import threading
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
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
    RaceResult,
    Row,
    get_ok,
    measure,
    pair_rows,
    testserver_allowed,
)
from cms.roles import TEACHERS
from courses.choices import Level, RunMode, RunStatus
from courses.models import CourseRun, Session
from enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus, Learner
from enrolment.services.enrolling import enrolment_create
from enrolment.services.register_sheets import register_workbook

REGISTER_SIZES = (10, 40)
EXPORT_LEARNERS = 60
EXPORT_SESSIONS = 40

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


def _model_run() -> CourseRun:
    model = (
        CourseRun.objects.filter(mode=RunMode.OPEN, status=RunStatus.PUBLISHED)
        .select_related("course", "venue")
        .first()
    )
    if model is None:
        raise BenchmarkError("The benchmark needs a published open run; build the demo first.")
    return model


def _race_run(seats: int) -> CourseRun:
    """A fresh open run, modelled on one of the demo's, so each race starts from empty seats."""
    model = _model_run()
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


# --- registers --------------------------------------------------------------------------------


def _next_code(prefix: str) -> str:
    return f"{prefix}-{CourseRun.objects.filter(code__startswith=f'{prefix}-').count() + 1}"


def class_with_learners(*, learners: int, sessions: int, prefix: str):
    """A published run of ``learners`` seated learners and ``sessions`` classes already held
    (one a day, the latest yesterday), taught by a teacher of its own. Returns (run, teacher)."""
    model = _model_run()
    code = _next_code(prefix)
    teacher = get_user_model().objects.create(username=f"bench.{code.lower()}", first_name="Bench")
    teacher.groups.add(Group.objects.get(name=TEACHERS))
    today = timezone.localdate()
    first = today - dt.timedelta(days=sessions)
    run = CourseRun.objects.create(
        course=model.course,
        code=code,
        start_date=first,
        end_date=today + dt.timedelta(weeks=4),
        weekdays="0123456",
        start_time=model.start_time,
        end_time=model.end_time,
        venue=model.venue,
        capacity=max(learners, 1),
        mode=RunMode.OPEN,
        status=RunStatus.PUBLISHED,
    )
    run.teachers.add(teacher)
    Session.objects.bulk_create(
        Session(
            run=run,
            scheduled_date=first + dt.timedelta(days=n),
            date=first + dt.timedelta(days=n),
            start_time=run.start_time,
            end_time=run.end_time,
        )
        for n in range(sessions)
    )
    people = Learner.objects.bulk_create(
        Learner(preferred_name=f"Learner {n:03d} {code}", date_of_birth=dt.date(1990, 1, 1))
        for n in range(1, learners + 1)
    )
    seated = timezone.make_aware(dt.datetime.combine(first - dt.timedelta(days=7), dt.time(10)))
    Enrolment.objects.bulk_create(
        Enrolment(learner=person, run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=seated)
        for person in people
    )
    return run, teacher


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


# --- certificates -----------------------------------------------------------------------------

CERTIFICATE_LEARNERS = 40
# Each script's fonts are found and shaped differently: the PDF's time is measured for each.
CERTIFICATE_NAMES = ("Amina Hassan Abdi", "陳美玲", "فاطمة الزهراء أحمد")


def certificate_benchmarks(
    *, learners: int = CERTIFICATE_LEARNERS, repeat: int = 3
) -> list[ExportResult]:
    """Bulk issue for a closed run of ``learners`` completed learners (once: issuing again
    issues nothing), then the PDF of a certificate with a Latin, a Chinese and an Arabic name
    (median of ``repeat`` renders of each)."""
    from enrolment.services.certificate_documents import certificate_pdf
    from enrolment.services.certification import certificates_issue_for_run

    run, teacher = class_with_learners(learners=learners, sessions=1, prefix="CERT")
    run.end_date = timezone.localdate() - dt.timedelta(days=1)
    run.status = RunStatus.CLOSED
    run.save(update_fields=["end_date", "status"])
    run.enrolments.update(status=EnrolmentStatus.COMPLETED)

    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            outcome = certificates_issue_for_run(run=run, by=teacher)
            elapsed = (time.perf_counter() - started) * 1000
        _current, issue_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if len(outcome.issued) != learners:
        raise BenchmarkError(f"Bulk issue made {len(outcome.issued)} certificates, not {learners}.")
    results = [
        ExportResult(
            scenario=f"certificates bulk issue ({learners} learners)",
            rows=learners,
            columns=1,
            median_ms=elapsed,
            queries=len(captured),
            peak_bytes=issue_peak,
            file_bytes=0,
        )
    ]
    for certificate, name in zip(outcome.issued, CERTIFICATE_NAMES, strict=False):
        certificate.holder_name = name
        timings, size, queries = [], 0, 0
        for _ in range(max(repeat, 1)):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                pdf = certificate_pdf(certificate=certificate, request=None)
                timings.append((time.perf_counter() - started) * 1000)
            size, queries = len(pdf), max(queries, len(captured))
        if not pdf.startswith(b"%PDF"):
            raise BenchmarkError("The certificate PDF is not a PDF.")
        script = {0: "Latin", 1: "Chinese", 2: "Arabic"}[CERTIFICATE_NAMES.index(name)]
        results.append(
            ExportResult(
                scenario=f"certificate PDF ({script} name)",
                rows=1,
                columns=1,
                median_ms=sorted(timings)[len(timings) // 2],
                queries=queries,
                peak_bytes=0,  # not traced: WeasyPrint's memory is mostly outside Python
                file_bytes=size,
            )
        )
    return results
