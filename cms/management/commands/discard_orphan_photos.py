from django.core.management.base import BaseCommand

from enrolment.services.photos import ORPHAN_GRACE, photo_discard_orphans


class Command(BaseCommand):
    help = (
        "Delete learner photo files that no learner refers to (replaced before old photos were "
        f"deleted, or left by a save that rolled back), if older than {ORPHAN_GRACE.days} day."
    )

    def handle(self, *args, **options):
        discarded = photo_discard_orphans()
        self.stdout.write(f"Deleted {len(discarded)} photo files no learner uses.")
