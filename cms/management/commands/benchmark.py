"""``manage.py benchmark``: build a scaled demo in a throwaway database and print the table."""

import time
from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.benchmarking import (
    SCALES,
    BenchmarkError,
    Options,
    quiet_loggers,
    render_table,
    run_benchmark,
    throwaway_database,
    write_json,
)


class Command(BaseCommand):
    help = (
        "Build the demo at 1x and 10x in a throwaway test database (the configured database is "
        "never written) and print median time and query count of each scenario."
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
        parser.add_argument("--json", type=Path, metavar="PATH", help="Also write rows as JSON.")

    def handle(
        self, *args: object, repeat: int, warmup: int, json: Path | None, **options: object
    ) -> None:
        if repeat < 1 or warmup < 0:
            raise CommandError("--repeat must be at least 1 and --warmup at least 0.")
        started = time.perf_counter()
        try:
            with quiet_loggers(), throwaway_database() as name:
                self.stdout.write(f"Benchmarking in throwaway database {name}.")
                rows = run_benchmark(Options(repeat=repeat, warmup=warmup), report=self.note)
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(render_table(rows))
        if json is not None:
            write_json(rows, json, SCALES)
            self.stdout.write(f"Rows written to {json}.")
        self.note(f"Whole benchmark took {time.perf_counter() - started:.1f} s.")

    def note(self, message: str) -> None:
        self.stdout.write(message)
