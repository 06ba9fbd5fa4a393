"""`manage.py train_router`: retrain the sector model from the seed set and the closed cases."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from bvntd.routing.services import router_train


class Command(BaseCommand):
    help = "Train the sector model on the shipped seed set and the closed cases, and make it active."

    def add_arguments(self, parser):
        parser.add_argument("--seed-only", action="store_true", help="leave the agencies' closed cases out")

    def handle(self, *args, seed_only: bool, **options):
        started = timezone.now()
        model = router_train(now=started, include_cases=not seed_only)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Sector model {model.version}: trained on {model.training_rows} in {seconds:.1f} s; "
            f"held-out {model.metrics}"
        )
