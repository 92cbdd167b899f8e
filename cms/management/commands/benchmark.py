"""``manage.py benchmark``: build a scaled demo in a throwaway database and print the tables."""

import logging
import time
from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.management.benchmark import SCENARIOS
from cms.management.benchmark.certificates import certificate_benchmarks
from cms.management.benchmark.harness import (
    SCALES,
    BenchmarkError,
    ExportResult,
    Options,
    RaceResult,
    Row,
    quiet_loggers,
    render_exports,
    render_races,
    render_table,
    run_benchmark,
    scale_labels,
    scales_of,
    throwaway_database,
    write_json,
)
from cms.management.benchmark.listing_exports import EXPORT_SIZES, listing_export_benchmarks
from cms.management.benchmark.races import seat_race
from cms.management.benchmark.registers import REGISTER_SIZES, register_benchmark, register_export
from cms.management.benchmark.reminders import (
    MessageResult,
    reminder_benchmark,
    render_messages,
)
from cms.management.benchmark.throughput import (
    Throughput,
    render_throughput,
    throughput_benchmark,
)

RACE_THREADS = 60
RACE_SEATS = 20


class Command(BaseCommand):
    help = (
        "Build the demo at 1x and 10x, and five years of history on it at 100x, in a "
        "throwaway test database (the configured database is "
        "never written) and print median time and query count of each scenario, a register "
        "of 10 learners against one of 40, a large register's XLSX export, 1,000 reminders "
        "sent through the fake provider, then (on PostgreSQL) a race of many learners for a "
        "few seats and the requests per second gunicorn serves of the visitors' pages, cold "
        "and cached, beside /healthz."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--repeat",
            type=int,
            default=Options.repeat,
            help=f"Timed requests per page (default {Options.repeat}).",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=Options.warmup,
            help=f"Untimed requests per page before timing (default {Options.warmup}).",
        )
        parser.add_argument(
            "--race-threads",
            type=int,
            default=RACE_THREADS,
            help=f"Learners enrolling at the same instant, one connection each "
            f"(default {RACE_THREADS}; PostgreSQL's max_connections must allow them).",
        )
        parser.add_argument(
            "--race-seats",
            type=int,
            default=RACE_SEATS,
            help=f"Seats they race for (default {RACE_SEATS}).",
        )
        parser.add_argument(
            "--export-rows",
            type=int,
            default=max(EXPORT_SIZES),
            help=f"The largest listing export measured (default {max(EXPORT_SIZES):,}; "
            f"sizes {', '.join(f'{n:,}' for n in EXPORT_SIZES)} up to it).",
        )
        parser.add_argument(
            "--throughput-seconds",
            type=float,
            default=3.0,
            help="Seconds of load per URL under gunicorn, on PostgreSQL (default 3; 0 skips).",
        )
        parser.add_argument(
            "--scales",
            type=scales_of,
            default=SCALES,
            help="Scales to compare, smallest first, e.g. 1,10 (default "
            f"{','.join(map(str, SCALES))}; above 10, five years of history in bulk).",
        )
        parser.add_argument("--json", type=Path, metavar="PATH", help="Also write rows as JSON.")

    def handle(
        self,
        *args: object,
        repeat: int,
        warmup: int,
        race_threads: int,
        race_seats: int,
        export_rows: int,
        throughput_seconds: float,
        json: Path | None,
        scales: tuple[int, ...],
        **options: object,
    ) -> None:
        if repeat < 1 or warmup < 0:
            raise CommandError("--repeat must be at least 1 and --warmup at least 0.")
        if export_rows < 1:
            raise CommandError("--export-rows must be at least 1.")
        if race_threads < 2 or race_seats < 1:
            raise CommandError("--race-threads must be at least 2 and --race-seats at least 1.")
        started = time.perf_counter()
        races: list[RaceResult] = []
        throughput: list[Throughput] = []
        options = Options(repeat=repeat, warmup=warmup)
        try:
            # WeasyPrint warns of every screen-only rule in the certificates' CSS, at each PDF.
            with (
                quiet_loggers(),
                quiet_loggers(["weasyprint"], logging.ERROR),
                throwaway_database() as name,
            ):
                self.stdout.write(f"Benchmarking in throwaway database {name}.")
                rows = run_benchmark(SCENARIOS, options, scales, report=self.note)
                registers: list[Row] = register_benchmark(options)
                sizes = tuple(n for n in EXPORT_SIZES if n <= export_rows) or (export_rows,)
                exports: list[ExportResult] = [
                    register_export(),
                    *certificate_benchmarks(),
                    *listing_export_benchmarks(sizes=sizes, report=self.note),
                ]
                messages: list[MessageResult] = [reminder_benchmark()]
                # Inside the block: the race needs the throwaway database, which is dropped
                # (after every racing thread closed its connection) when the block ends.
                if connection.vendor == "postgresql":
                    races.append(seat_race(threads=race_threads, seats=race_seats))
                    # gunicorn's workers need a database another process can open: SQLite's
                    # throwaway one lives in this process's memory.
                    if throughput_seconds > 0:
                        throughput = throughput_benchmark(
                            seconds=throughput_seconds, report=self.note
                        )
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(render_table(rows, *scale_labels(scales)))
        self.stdout.write("")
        small, large = (str(size) for size in REGISTER_SIZES)
        self.stdout.write(f"Registers: a class of {small} learners against one of {large}")
        self.stdout.write(render_table(registers, small, large))
        self.stdout.write("")
        self.stdout.write("Exports and certificates")
        self.stdout.write(render_exports(exports))
        self.stdout.write("")
        self.stdout.write("Messages")
        self.stdout.write(render_messages(messages))
        self.stdout.write("")
        if races:
            self.stdout.write("Races")
            self.stdout.write(render_races(races))
            for race in races:
                if race.first_error:
                    self.note(f"{race.scenario}: {race.errors} errors, first: {race.first_error}")
        else:
            self.note(f"Races: skipped on {connection.vendor} (they need PostgreSQL's row locks).")
        if throughput:
            self.stdout.write("")
            self.stdout.write(
                "Requests per second under gunicorn (2 workers x 4 threads, 8 keep-alive "
                "connections, gzip accepted), each page beside /healthz of the same server"
            )
            self.stdout.write(render_throughput(throughput))
        elif connection.vendor != "postgresql":
            self.note("Throughput: skipped on SQLite (make bench-pg measures it on PostgreSQL).")
        if json is not None:
            write_json(
                rows,
                json,
                scales,
                races=races,
                registers=registers,
                exports=exports,
                throughput=throughput,
            )
            self.stdout.write(f"Rows written to {json}.")
        self.note(f"Whole benchmark took {time.perf_counter() - started:.1f} s.")

    def note(self, message: str) -> None:
        self.stdout.write(message)
