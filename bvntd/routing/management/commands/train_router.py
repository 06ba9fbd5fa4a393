"""`manage.py train_router`: retrain the sector model from the seed set and the closed cases."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from bvntd.routing.models import RouterModel
from bvntd.routing.services import router_train


class Command(BaseCommand):
    help = "Train the sector model on the shipped seed set and the closed cases, and make it active."

    def add_arguments(self, parser):
        parser.add_argument("--seed-only", action="store_true", help="leave the agencies' closed cases out")
        parser.add_argument("--if-missing", action="store_true", help="do nothing when a model is active")

    def handle(self, *args, seed_only: bool, if_missing: bool, **options):
        if if_missing and RouterModel.objects.filter(is_active=True).exists():
            self.stdout.write("Sector model already trained; nothing to do.")
            return
        started = timezone.now()
        model = router_train(now=started, include_cases=not seed_only)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Sector model {model.version}: trained on {model.training_rows} in {seconds:.1f} s; "
            f"held-out {model.metrics}"
        )
