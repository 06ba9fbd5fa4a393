"""`manage.py seed_demo`: the demo logins and a few hundred realistic complaints (`bvntd.complaints.demo`)."""

from django.core.management.base import BaseCommand, CommandError

from bvntd.complaints.demo import DEFAULT_COUNT, DEFAULT_SEED, SUPERUSER, seed_demo
from bvntd.core.personas import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Create the demo personas, an `admin` superuser and, if there is no complaint yet, a few hundred "
        "complaints in every state, made through the services over the last ~150 days. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--complaints", type=int, default=DEFAULT_COUNT, help=f"how many (default {DEFAULT_COUNT})"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed, for the same data (default {DEFAULT_SEED})",
        )

    def handle(self, *args, complaints: int, seed: int, **options):
        if complaints < 0:
            raise CommandError("--complaints must not be negative")
        result = seed_demo(count=complaints, seed=seed, progress=self._progress)
        if result.skipped:
            self.stdout.write(
                "Complaints already exist: demo data not seeded again (logins checked: personas and "
                f"{SUPERUSER!r}, password {DEMO_PASSWORD!r})."
            )
            return
        states = ", ".join(f"{status} {n}" for status, n in result.by_status.items())
        swept = ", ".join(f"{name} {n}" for name, n in result.swept.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {result.created} demo complaints in {result.seconds:.1f} s: {states}")
        )
        self.stdout.write(f"Deadline sweep at the end of seeding: {swept}")

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"  {done}/{total} complaints")
