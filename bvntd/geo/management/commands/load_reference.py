"""`manage.py load_reference`: load the shipped administrative map, then seed sectors and default agencies."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bvntd.agencies.services import seed_agencies
from bvntd.geo.services import load_units
from bvntd.routing.competence import seed_competence


class Command(BaseCommand):
    help = "Load provinces, communes and their history from bvntd/geo/data, then seed sectors and agencies."

    def handle(self, *args, **options):
        started = time.perf_counter()
        # One transaction: a failure leaves neither a half-loaded map nor agencies without their provinces.
        with transaction.atomic():
            load_units(stdout=self.stdout)
            seed_agencies(stdout=self.stdout)
            seed_competence(today=timezone.localdate(), stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded in {time.perf_counter() - started:.2f} s")
        )
