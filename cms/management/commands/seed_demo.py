from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.management.demo import build_demo


class Command(BaseCommand):
    help = "Build the demo centre (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply courses, runs and people (benchmarks)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. Demo accounts share a published password.",
        )

    def handle(self, *args, scale, force, **options):
        if scale < 1 or scale > 100:
            raise CommandError("--scale must be between 1 and 100.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off; pass --force if you mean it."
            )
        summary = build_demo(scale=scale)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo centre ready: {summary.courses} courses, {summary.runs} runs, "
                f"{summary.learners} learners, {summary.enrolments} enrolments, "
                f"{summary.sponsored_children} children with sponsors."
            )
        )
        if summary.verification_url:
            self.stdout.write(f"A certificate to verify: {summary.verification_url}")
        self.stdout.write("Demo logins (username / password):")
        width = max(len(username) for username, _password, _role in summary.logins)
        for username, password, role in summary.logins:
            self.stdout.write(f"  {username:<{width}}  {password:<18}  {role}")
