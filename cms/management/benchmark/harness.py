"""The performance table of ``manage.py benchmark``: scenarios measured at 1x, 10x and 100x.

A scenario is a callable that, given the run's options, measures something against the
database as it stands and returns one :class:`Measurement` per row. The runner builds the demo
at each scale, calls every scenario it is given and pairs the measurements by name into
:class:`Row` objects, so a later capability adds its rows with one more function, listed in
``SCENARIOS`` (``cms/management/benchmark/__init__.py``)::

    def exports(options: Options) -> list[Measurement]:
        ...

Pages need even less: add a ``(name, url)`` pair to ``pages.PAGES`` (anonymous visitors) or
``pages.SIGNED_IN_PAGES`` (as one of the demo's people).

Some comparisons are not about data size: a register of 10 learners against one of 40 pairs
into the same :class:`Row`, printed by :func:`render_table` with its own labels; an export
measured once (time and peak memory) is an :class:`ExportResult`.

1x and 10x are the demo, built through the real services; 100x (and any scale above
:data:`DEMO_SCALE_MAX`) is the 10x demo plus five years of history written with bulk inserts
(``benchmark.history``): 20,000 learners, 3,000 runs, 100,000 enrolments, 2,000,000 marks.

Nothing here creates a database: :func:`throwaway_database` (``environment``) does that for
the command, and the
tests call :func:`run_benchmark` inside pytest's own test database.
"""

import json
import statistics
import time
from argparse import ArgumentTypeError
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import connection, reset_queries
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

# Re-exported: the command and the scenarios import them from here.
from cms.management.benchmark.environment import (  # noqa: F401
    NOISY_LOGGERS,
    BenchmarkError,
    quiet_loggers,
    throwaway_database,
)
from cms.management.benchmark.history import History, build_history
from cms.management.demo import build_demo

# The data sizes every row compares; the ratios 10x/1x and 100x/10x show how a page scales.
SCALES: tuple[int, ...] = (1, 10, 100)
# The demo's services build up to this scale; above it, bulk-written history on top of it.
DEMO_SCALE_MAX = 10


@dataclass(frozen=True)
class Options:
    """How hard to measure: timed requests per page and untimed warm-up requests before.

    ``scale`` is the demo's scale being measured, set by :func:`measure_scale`: a scenario
    that builds data of its own sizes it by this, so that its 10x row has ten times the data.
    """

    repeat: int = 15
    warmup: int = 2
    scale: int = 1


@dataclass(frozen=True)
class Measurement:
    """One scenario measured at one scale."""

    scenario: str
    median_ms: float
    queries: int


Scenario = Callable[[Options], list[Measurement]]


@dataclass(frozen=True)
class Row:
    """A line of the table: the same scenario at the small and the large scale, and at any
    larger scales after them (``more``: the 100x)."""

    scenario: str
    small: Measurement
    large: Measurement
    more: tuple[Measurement, ...] = ()

    @property
    def measurements(self) -> tuple[Measurement, ...]:
        return (self.small, self.large, *self.more)

    @property
    def time_ratio(self) -> float | None:
        return _ratio(self.large.median_ms, self.small.median_ms)

    @property
    def query_ratio(self) -> float | None:
        return _ratio(self.large.queries, self.small.queries)

    def as_dict(self) -> dict[str, object]:
        return {
            "scenario": self.scenario,
            "small": asdict(self.small),
            "large": asdict(self.large),
            "more": [asdict(m) for m in self.more],
            "time_ratio": self.time_ratio,
            "query_ratio": self.query_ratio,
        }


def _ratio(large: float, small: float) -> float | None:
    # A scenario that runs no queries at 1x has no meaningful ratio; show "-" not a crash.
    return large / small if small else None


# --- Measuring -------------------------------------------------------------------------------


def get_ok(client: Client, url: str) -> HttpResponse:
    """GET ``url``, which must answer 200."""
    response = client.get(url)
    if response.status_code != 200:
        # A 404 or 500 renders fast and would pass for a brilliant result; stop instead.
        raise BenchmarkError(f"GET {url} answered {response.status_code}, expected 200.")
    return response


def measure(name: str, request: Callable[[], object], options: Options) -> Measurement:
    """Median wall time of ``request()`` over ``options.repeat`` calls, after
    ``options.warmup`` untimed ones, and the most queries any timed call ran."""
    for _ in range(options.warmup):
        request()  # fill Wagtail's site and template caches before timing
    timings: list[float] = []
    queries = 0
    for _ in range(max(options.repeat, 1)):
        reset_queries()  # a full debug log (9,000 queries, DEBUG=1) would count none
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            request()
            timings.append((time.perf_counter() - started) * 1000)
        # The worst request counts: a query that only some requests run is still a query.
        queries = max(queries, len(captured))
    return Measurement(name, statistics.median(timings), queries)


def measure_page(
    name: str, url: str, options: Options, client: Client | None = None
) -> Measurement:
    """Median wall time of GET ``url`` over ``options.repeat`` requests, and its query count."""
    client = client or Client()
    return measure(name, lambda: get_ok(client, url), options)


@contextmanager
def testserver_allowed() -> Iterator[None]:
    # The test client's host is "testserver"; the configured ALLOWED_HOSTS may not list it.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        yield


# --- Running ---------------------------------------------------------------------------------


def build_scale(scale: int, *, report: Callable[[str], None] = print) -> None:
    """Build (or complete) the data of ``scale``: the demo up to :data:`DEMO_SCALE_MAX`, then
    the bulk-written history on top of the largest demo."""
    build_demo(scale=min(scale, DEMO_SCALE_MAX))
    if scale > DEMO_SCALE_MAX:
        report(build_history(History.at(scale)).describe())


def measure_scale(
    scenarios: Sequence[Scenario],
    scale: int,
    options: Options,
    *,
    report: Callable[[str], None] = print,
) -> list[Measurement]:
    """Build (or complete) the data at ``scale`` and run every scenario against it; rows
    appear in the order of ``scenarios``."""
    build_scale(scale, report=report)
    options = replace(options, scale=scale)
    return [measurement for func in scenarios for measurement in func(options)]


def pair_rows(small: Sequence[Measurement], *larger: Sequence[Measurement]) -> list[Row]:
    """Rows pairing each scenario of the smallest scale with its measurements at the others."""
    by_name = [{m.scenario: m for m in measured} for measured in larger]
    for names, measured in zip(by_name, larger, strict=True):
        missing = [m.scenario for m in small if m.scenario not in names]
        if missing or len(small) != len(measured):
            raise BenchmarkError(f"Scenarios differ between scales: {missing or 'extra rows'}.")
    if not by_name:
        raise BenchmarkError("A table compares at least two scales.")
    large, *more = by_name
    return [
        Row(m.scenario, m, large[m.scenario], more=tuple(names[m.scenario] for names in more))
        for m in small
    ]


def run_benchmark(
    scenarios: Sequence[Scenario],
    options: Options,
    scales: tuple[int, ...] = SCALES,
    *,
    report: Callable[[str], None] = print,
) -> list[Row]:
    """Measure every scenario at each scale, smallest first, in the current database.

    Each scale is built on top of the one before: ``build_demo`` only adds what is missing,
    which is quicker than building the large scale from scratch.
    """
    measured = []
    for scale in scales:
        started = time.perf_counter()
        measured.append(measure_scale(scenarios, scale, options, report=report))
        report(f"Scale {scale}x built and measured in {time.perf_counter() - started:.1f} s.")
    return pair_rows(*measured)


# --- Races -----------------------------------------------------------------------------------

# Races are a different shape from pages: not a page at two data sizes but many people taking
# the same seats at once, so they get a table of their own. The app whose rule is raced runs
# the race (``benchmark.races``) and hands back a RaceResult; only PostgreSQL has the
# row locks and the concurrent writers that make a race worth measuring.

RACE_COLUMNS = ("race", "threads", "seats", "enrolled", "waitlisted", "errors", "elapsed ms")


@dataclass(frozen=True)
class RaceResult:
    """``threads`` people, each on a connection of their own, enrolling at the same instant
    in a run with ``seats`` seats."""

    scenario: str
    threads: int
    seats: int
    enrolled: int
    waitlisted: int
    errors: int
    elapsed_ms: float
    first_error: str = ""


def render_races(races: Sequence[RaceResult]) -> str:
    return format_table(
        RACE_COLUMNS,
        [
            (
                race.scenario,
                str(race.threads),
                str(race.seats),
                str(race.enrolled),
                str(race.waitlisted),
                str(race.errors),
                f"{race.elapsed_ms:.0f}",
            )
            for race in races
        ],
    )


# --- Exports ---------------------------------------------------------------------------------

# A large export measured once rather than at two scales: how long it takes and how much memory
# it needs at its peak (tracemalloc: Python's allocations, not the process's whole size).

EXPORT_COLUMNS = ("export", "rows", "columns", "median ms", "queries", "peak MiB", "file KiB")


@dataclass(frozen=True)
class ExportResult:
    scenario: str
    rows: int
    columns: int
    median_ms: float
    queries: int
    peak_bytes: int
    file_bytes: int


def render_exports(exports: Sequence[ExportResult]) -> str:
    return format_table(
        EXPORT_COLUMNS,
        [
            (
                export.scenario,
                str(export.rows),
                str(export.columns),
                f"{export.median_ms:.0f}",
                str(export.queries),
                f"{export.peak_bytes / 2**20:.1f}",
                f"{export.file_bytes / 2**10:.0f}",
            )
            for export in exports
        ],
    )


# --- Output ----------------------------------------------------------------------------------


def columns(small: str = "1x", large: str = "10x", *more: str) -> tuple[str, ...]:
    """The comparison table's headings, for the scales or any other pair (10 vs 40 learners).
    Each ratio compares a scale with the one before it."""
    labels = (small, large, *more)
    steps = list(zip(labels, labels[1:], strict=False))
    return (
        "scenario",
        *(f"{label} median ms" for label in labels),
        *(f"time {b}/{a}" for a, b in steps),
        *(f"{label} queries" for label in labels),
        *(f"queries {b}/{a}" for a, b in steps),
    )


def scales_of(text: str) -> tuple[int, ...]:
    """``--scales 1,10,100``: at least two whole numbers from 1, smallest first."""
    try:
        scales = tuple(int(part) for part in text.split(","))
    except ValueError:
        scales = ()
    if len(scales) < 2 or min(scales) < 1 or list(scales) != sorted(scales):
        raise ArgumentTypeError("Give two or more scales, smallest first, e.g. 1,10,100.")
    return scales


def scale_labels(scales: Sequence[int] = SCALES) -> tuple[str, ...]:
    return tuple(f"{scale}x" for scale in scales)


COLUMNS = columns(*scale_labels())


def _format_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}"


def _cells(row: Row) -> tuple[str, ...]:
    measured = row.measurements
    steps = list(zip(measured, measured[1:], strict=False))
    return (
        row.scenario,
        *(f"{m.median_ms:.1f}" for m in measured),
        *(_format_ratio(_ratio(b.median_ms, a.median_ms)) for a, b in steps),
        *(str(m.queries) for m in measured),
        *(_format_ratio(_ratio(b.queries, a.queries)) for a, b in steps),
    )


def render_table(rows: Sequence[Row], *labels: str) -> str:
    """The table; ``labels`` name the columns of each measurement (default: the scales)."""
    width = max((len(row.measurements) for row in rows), default=2)
    labels = labels or scale_labels(SCALES)[:width] or ("1x", "10x")
    return format_table(columns(*labels), [_cells(row) for row in rows])


def format_table(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """A plain-text table: names (the first column) left-aligned, numbers right-aligned."""
    lines = [tuple(columns), *(tuple(line) for line in cells)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]

    def fmt(line: tuple[str, ...]) -> str:
        first = line[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([fmt(lines[0]), rule, *(fmt(line) for line in lines[1:])])


def write_json(
    rows: Sequence[Row],
    path: Path,
    scales: tuple[int, ...] = SCALES,
    races: Sequence[RaceResult] = (),
    registers: Sequence[Row] = (),
    exports: Sequence[ExportResult] = (),
    throughput: Sequence[object] = (),
) -> None:
    payload = {
        "scales": list(scales),
        "rows": [row.as_dict() for row in rows],
        "races": [asdict(race) for race in races],
        "registers": [row.as_dict() for row in registers],
        "exports": [asdict(export) for export in exports],
        # benchmark.throughput's rows (dataclasses), with their requests per second.
        "throughput": [{**asdict(t), "rps": t.rps} for t in throughput],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
