"""``manage.py apply_retention [--dry-run]``: the retention periods (settings.RETENTION_*),
run by cron once a day (README, "Retention"). enrolment.services.retention says what it
removes and why a second run, or one running at the same time, removes nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand

from enrolment.services.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Forget (anonymise) learners with no activity for RETENTION_LEARNER_YEARS years, clear "
        "the texts of messages older than RETENTION_MESSAGE_MONTHS months, and delete access "
        "log rows older than RETENTION_ACCESS_LOG_YEARS years. Safe to run twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be done; change nothing."
        )

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        counts = retention_apply(dry_run=dry_run)
        would = " (dry run: nothing changed)" if dry_run else ""
        self.stdout.write(
            f"{counts.learners_forgotten} learners forgotten "
            f"(no activity for {settings.RETENTION_LEARNER_YEARS} years){would}."
        )
        if counts.learners_refused:
            self.stdout.write(
                f"{counts.learners_refused} learners kept: they took part again meanwhile."
            )
        self.stdout.write(
            f"{counts.messages_cleared} message texts cleared "
            f"(older than {settings.RETENTION_MESSAGE_MONTHS} months){would}."
        )
        self.stdout.write(
            f"{counts.access_log_deleted} access log rows deleted "
            f"(older than {settings.RETENTION_ACCESS_LOG_YEARS} years){would}."
        )
