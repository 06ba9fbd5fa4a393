"""`manage.py sweep`: one pass that prints its counts, or a loop that outlives failed passes."""

import io
import logging
import os
import signal

import pytest
from django.core.management import call_command

from bvntd.complaints.management.commands import sweep as command
from bvntd.complaints.models import ComplaintEvent


def run_sweep(**options) -> str:
    out = io.StringIO()
    call_command("sweep", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_sweeps_once_and_prints_the_counts(make_complaint):
    make_complaint()  # received on 2 Nov 2026, due to be accepted by 5 Nov: overdue today

    assert (
        run_sweep().strip() == "Sweep: business_silent 0, answers_lapsed 0, due_soon 0, overdue 1, closed 0, "
        "transfers_auto_accepted 0, transfers_lapsed 0, promises_due_soon 0, promises_broken 0, "
        "fingerprinted 0, router_retrain_enqueued 0"
    )
    assert ComplaintEvent.objects.filter(kind="overdue").count() == 1
    # Idempotent: the next pass finds nothing new to record.
    assert (
        run_sweep().strip() == "Sweep: business_silent 0, answers_lapsed 0, due_soon 0, overdue 0, closed 0, "
        "transfers_auto_accepted 0, transfers_lapsed 0, promises_due_soon 0, promises_broken 0, "
        "fingerprinted 0, router_retrain_enqueued 0"
    )


@pytest.mark.django_db
def test_the_loop_survives_a_failed_pass_and_stops_on_sigterm(monkeypatch, caplog):
    calls = []

    def flaky_sweep(*, now):
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # handled by the loop: stop after this pass
        return {"due_soon": 0, "overdue": len(calls), "closed": 0}

    monkeypatch.setattr(command, "sweep_everything", flaky_sweep)
    previous = signal.getsignal(signal.SIGTERM)
    with caplog.at_level(logging.INFO, logger="bvntd.sweep"):
        output = run_sweep(loop=True, interval=0.01)

    assert len(calls) == 3
    assert "Sweep stopped." in output
    assert "Sweep pass failed" in caplog.text
    assert "overdue 2" in caplog.text
    assert signal.getsignal(signal.SIGTERM) is previous  # the handler is put back


def test_the_interval_must_be_positive():
    with pytest.raises(command.CommandError):
        run_sweep(loop=True, interval=0)
