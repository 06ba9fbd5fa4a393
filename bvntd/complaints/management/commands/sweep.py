"""`manage.py sweep`: run the deadline sweep once, or every N seconds with `--loop` until stopped.

The sweep is idempotent and claims each row with a compare-and-swap, so a pass that fails (a locked
database, a lost connection) loses nothing: the next pass records what it missed. Any number of these
loops may run on any number of machines.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from bvntd.complaints.sweep import sweep_everything

logger = logging.getLogger("bvntd.sweep")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


class Command(BaseCommand):
    help = (
        "Record 'due soon' and 'overdue' once per due date and close resolved cases past their dispute "
        "window. Once, or with --loop every BVNTD_SWEEP_INTERVAL_SECONDS until SIGTERM/SIGINT."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="repeat until SIGTERM or SIGINT (Ctrl-C)")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between passes with --loop (default: settings.BVNTD['SWEEP_INTERVAL_SECONDS'])",
        )

    def handle(self, *args, loop: bool, interval: float | None, **options):
        if not loop:
            counts = sweep_everything(now=timezone.now())
            self.stdout.write(f"Sweep: {format_counts(counts)}")
            return
        interval = settings.BVNTD["SWEEP_INTERVAL_SECONDS"] if interval is None else interval
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds")
        self.loop(interval)

    def loop(self, interval: float) -> None:
        stop = threading.Event()

        def request_stop(signum, frame):
            logger.info("Sweep: %s received, stopping after this pass", signal.Signals(signum).name)
            stop.set()

        previous = {signum: signal.signal(signum, request_stop) for signum in STOP_SIGNALS}
        logger.info("Sweep: every %s s until SIGTERM or SIGINT", f"{interval:g}")
        try:
            while not stop.is_set():
                self.one_pass()
                stop.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Sweep stopped.")

    def one_pass(self) -> None:
        refresh_connections()
        try:
            counts = sweep_everything(now=timezone.now())
        except Exception:
            # Logged, never fatal: the next pass picks up whatever this one did not record.
            logger.exception("Sweep pass failed; trying again at the next interval")
            return
        if any(counts.values()):
            logger.info("Sweep: %s", format_counts(counts))


def refresh_connections() -> None:
    """A long-lived process: before each pass, drop connections that broke (a database restart, an error
    that left them unusable) or outlived CONN_MAX_AGE; Django opens a fresh one on the next query."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:  # a caller's transaction (a test) is not ours to close
            connection.close_if_unusable_or_obsolete()
