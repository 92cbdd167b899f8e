from django.conf import settings
from django.core.management.base import BaseCommand

from cms.languages import catalogue_statuses


class Command(BaseCommand):
    help = (
        "How much of the interface each language translates, and whether the site shows it "
        "(at least SHOWN_LANGUAGE_MIN_COVERAGE of its compiled catalogue)."
    )

    def handle(self, *args, **options):
        minimum = round(settings.SHOWN_LANGUAGE_MIN_COVERAGE * 100)
        self.stdout.write(
            f"A language is shown once {minimum}% of its catalogue is translated and compiled "
            "(make messages), from the next start of the app servers."
        )
        rows = [("language", "code", "translated", "total", "%", "shown")]
        notes = []
        for status in catalogue_statuses():
            if status.shown:
                shown = "yes"
            else:
                shown = f"no: {status.missing_for_shown} more to go"
            rows.append(
                (
                    status.name,
                    status.code,
                    str(status.translated),
                    str(status.total),
                    f"{status.percent:.0f}%",
                    shown,
                )
            )
            if status.in_po > status.translated:
                notes.append(
                    f"{status.code}: {status.in_po - status.translated} translated in the .po but "
                    "not compiled yet: run `make messages` (or manage.py compilemessages)."
                )
            if not status.total:
                notes.append(f"{status.code}: no catalogue yet: run `make messages`.")
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = [
                cell.rjust(width) if 2 <= i <= 4 else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells).rstrip())
        for note in notes:
            self.stdout.write(note)
