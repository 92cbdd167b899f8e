"""The benchmark's surroundings: quieter loggers, and a throwaway database to measure in."""

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

# Loggers that report every page save or task at INFO; building the demo would flood the run.
NOISY_LOGGERS = ("wagtail", "django_tasks")


class BenchmarkError(RuntimeError):
    """A scenario could not be measured, e.g. a page did not answer 200."""


@contextmanager
def quiet_loggers(
    names: Sequence[str] = NOISY_LOGGERS, level: int = logging.WARNING
) -> Iterator[None]:
    """Raise the given loggers to ``level`` for the block, then restore them."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), level))
    try:
        yield
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.setLevel(old)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Point the default connection at a fresh test database for the block, then drop it.

    Django's test-database machinery names it ``test_<NAME>`` (an in-memory database for
    SQLite) and migrates it, so the configured database, with its demo or real data, is never
    written. Yields the test database's name.
    """
    configured = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=False
    )
    try:
        if connection.settings_dict["NAME"] == configured:
            raise BenchmarkError(f"Refusing to benchmark in the configured database {configured}.")
        yield test_name
    finally:
        connection.creation.destroy_test_db(configured, verbosity=0)
