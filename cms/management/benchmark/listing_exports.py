"""A listing export at 1,000, 10,000 and 100,000 rows: the enrolments list as XLSX and CSV,
downloaded by the demo's coordinator through the admin, as five years of a busy centre would
have it (issue 16: about 100,000 enrolments).

The rows are bulk inserted (20,000 learners, each in up to five classes), then each size is
measured for time, queries, file size and peak memory (tracemalloc, on a separate download:
tracing slows the code down). Streaming shows as a peak that stays flat while the rows grow
a hundredfold, and a time per 1,000 rows that stays the same.

The export's classes all started in 2001, long before the demo's and the history's, and the
list is filtered to them ("Class starts between"): each size exports exactly its own rows,
whatever the database already holds (at 100x, five years of enrolments).
"""

import datetime as dt
import time
import tracemalloc
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.management.benchmark.harness import BenchmarkError, ExportResult, testserver_allowed
from cms.management.benchmark.runs import model_run, next_code
from courses.choices import RunMode, RunStatus
from courses.models import CourseRun
from enrolment.models import Enrolment, EnrolmentStatus, Learner

EXPORT_SIZES = (1_000, 10_000, 100_000)
FIRST_START = dt.date(2001, 1, 1)
LISTING = (
    f"/admin/enrolment/enrolments/?starts_from={FIRST_START:%Y-%m-%d}"
    f"&starts_to={FIRST_START:%Y}-12-31"
)
RUNS = 100  # classes the rows are spread over: a learner takes up to five of them
BATCH = 2_000
COLUMNS = 10  # the enrolments listing's list_export


def _add_runs(count: int) -> list[CourseRun]:
    model = model_run()
    runs = []
    for n in range(count):
        start = FIRST_START + dt.timedelta(days=n)
        runs.append(
            CourseRun(
                course=model.course,
                code=f"{next_code('LIST')}-{n}",
                start_date=start,
                end_date=start + dt.timedelta(weeks=8),
                weekdays="1",
                start_time=model.start_time,
                end_time=model.end_time,
                venue=model.venue,
                capacity=1_000,
                mode=RunMode.OPEN,
                status=RunStatus.CLOSED,
            )
        )
    return CourseRun.objects.bulk_create(runs)


def _grow_to(total: int, runs: list[CourseRun], learners: list[Learner]) -> None:
    """Bulk insert finished enrolments until the benchmark's own number `total`: learner i
    takes the classes i, i+1, ... (mod RUNS), so no one is in a class twice."""
    have = Enrolment.objects.filter(run__in=runs).count()
    seated = timezone.now() - dt.timedelta(days=400)
    batch = []
    for k in range(have, total):
        learner = learners[k % len(learners)]
        run = runs[(k % len(learners) + k // len(learners)) % len(runs)]
        batch.append(
            Enrolment(
                learner=learner, run=run, status=EnrolmentStatus.COMPLETED, enrolled_at=seated
            )
        )
        if len(batch) == BATCH:
            Enrolment.objects.bulk_create(batch)
            batch = []
    Enrolment.objects.bulk_create(batch)


def _download(client: Client, fmt: str) -> int:
    response = client.get(f"{LISTING}&export={fmt}")
    if response.status_code != 200:
        raise BenchmarkError(f"The enrolments {fmt} export answered {response.status_code}.")
    return sum(len(part) for part in response.streaming_content)


def listing_export_benchmarks(
    *, sizes: tuple[int, ...] = EXPORT_SIZES, report: Callable[[str], None] = print
) -> list[ExportResult]:
    started = time.perf_counter()
    runs = _add_runs(RUNS)
    learners = Learner.objects.bulk_create(
        (Learner(preferred_name=f"Export {n:05d}") for n in range(max(sizes) // 5)),
        batch_size=BATCH,
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    results = []
    built = 0.0
    with testserver_allowed():
        for size in sizes:
            building = time.perf_counter()
            _grow_to(size, runs, learners)
            built += time.perf_counter() - building
            rows = Enrolment.objects.filter(run__in=runs).count()
            for fmt in ("xlsx", "csv"):
                # The bulk inserts filled the debug query log (DEBUG=1), which keeps its
                # last 9,000 queries: a full log would count none of the export's.
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    file_bytes = _download(client, fmt)
                    elapsed = (time.perf_counter() - began) * 1000
                tracemalloc.start()
                try:
                    _download(client, fmt)
                    _current, peak = tracemalloc.get_traced_memory()
                finally:
                    tracemalloc.stop()
                results.append(
                    ExportResult(
                        scenario=f"enrolments {fmt.upper()} ({size:,} rows; "
                        f"{elapsed / rows * 1000:.0f} ms per 1,000)",
                        rows=rows,
                        columns=COLUMNS,
                        median_ms=elapsed,
                        queries=len(captured),
                        peak_bytes=peak,
                        file_bytes=file_bytes,
                    )
                )
    took = time.perf_counter() - started
    report(
        f"Listing exports: {max(sizes):,} enrolments bulk inserted in {built:.1f} s; "
        f"{took:.0f} s in all."
    )
    return results
