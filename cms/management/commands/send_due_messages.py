"""``manage.py send_due_messages``: the scheduler's work, run by cron every five minutes.

Each job writes its messages with a `once_key` (or claims rows one by one), so an overlapping
run, or the same cron line on two servers, sends nothing twice. A job that fails does not stop
the others; the command then exits non-zero so that cron's mail (or the monitor) says so.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enrolment.services.class_notices import reminders_queue
from enrolment.services.messaging import messages_send_due
from enrolment.services.offers import offers_expire

log = logging.getLogger(__name__)


def scheduled_jobs() -> list[tuple[str, Callable[..., int]]]:
    """(label, job) in the order they run; each takes `now` and returns a count. Sending comes
    last, so that what the others queue goes out in the same run."""
    return [
        ("reminders of tomorrow's first class queued", reminders_queue),
        ("expired seat offers passed on", offers_expire),
        ("messages sent", messages_send_due),
    ]


class Command(BaseCommand):
    help = (
        "Queue the scheduled messages (reminders of tomorrow's first class), pass on expired "
        "seat offers, and send every "
        "message that is due: those the task queue missed and retries whose wait is over. "
        "Safe to run in several processes at once."
    )

    def handle(self, *args: object, **options: object) -> None:
        now: dt.datetime = timezone.now()
        failed = []
        for label, job in scheduled_jobs():
            try:
                count = job(now=now)
            except Exception as error:  # one broken job must not stop the sending
                log.exception("send_due_messages: %s failed", label)
                failed.append(f"{label}: {error}")
                continue
            self.stdout.write(f"{count} {label}.")
        if failed:
            raise CommandError("Failed: " + "; ".join(failed))
