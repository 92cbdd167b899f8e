"""Today's date in Hong Kong, read when a test runs, never when it is collected: a run that
crosses Hong Kong midnight (16:00 UTC) must not mix the day the tests were collected on with
the day the code under test sees."""

import datetime as dt

from django.utils import timezone


def local_today() -> dt.date:
    return timezone.localdate()


def on_today(changes: dict) -> dict:
    """`changes` with each timedelta turned into that many days from today: parametrized
    dates written as offsets, so they are read when the test runs."""
    return {
        field: local_today() + value if isinstance(value, dt.timedelta) else value
        for field, value in changes.items()
    }
