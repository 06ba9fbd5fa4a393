"""The periodic deadline sweep: records "due soon" and "overdue" once per due date and notifies the owner,
and closes resolved cases whose dispute window has passed.

Rows are claimed in batches under a row lock (skipped by other sweepers on PostgreSQL; SQLite has one
writer at a time) and re-checked, so any number of sweepers on any number of machines record each warning
exactly once, on SQLite and PostgreSQL alike.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from bvntd.core.calendar import end_of_day, local_date
from bvntd.core.errors import DomainError
from bvntd.core.workdays import calendar_for

from . import notifications
from .models import Complaint, ComplaintEvent, EventKind
from .services import SYSTEM, complaint_close
from .states import BUSINESS_STAGE, OPEN, DueKind, Status

BATCH = 500


def _not_noted(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | ~Q(**{field: F("due_at")})


def sweep_deadlines(*, now: dt.datetime) -> dict[str, int]:
    return {
        "due_soon": mark_due_soon(now),
        "overdue": mark_overdue(now),
        "closed": _close_past_dispute_window(now),
    }


def _open_with_clock():
    # The business stage's clocks end in a move, not a warning (businesses.stage.sweep_business_stage); the
    # business is reminded before its own due date, the consumer's decision window needs no reminder.
    return Complaint.objects.filter(status__in=OPEN, due_at__isnull=False).exclude(
        due_kind=DueKind.CONSUMER_DECISION
    )


def mark_due_soon(now: dt.datetime) -> int:
    """Record "due soon" on up to BATCH cases due within the next working days; returns how many."""
    calendar = calendar_for(now)
    soon_until = end_of_day(
        calendar.add_working_days(local_date(now), settings.BVNTD["DUE_SOON_WORKING_DAYS"])
    )
    due_soon = _open_with_clock().filter(due_at__gte=now, due_at__lte=soon_until)
    return _record(
        due_soon.filter(_not_noted("due_soon_noted_for")), "due_soon_noted_for", EventKind.DUE_SOON, now
    )


def mark_overdue(now: dt.datetime) -> int:
    """Record "overdue" on up to BATCH cases past their due date and not yet marked; returns how many."""
    overdue = _open_with_clock().filter(due_at__lt=now).exclude(status__in=BUSINESS_STAGE)
    return _record(
        overdue.filter(_not_noted("overdue_noted_for")), "overdue_noted_for", EventKind.OVERDUE, now
    )


def _record(candidates, marker: str, kind: str, now: dt.datetime) -> int:
    """Record one warning on up to BATCH candidates in one transaction. The rows are locked as they are read
    (PostgreSQL: another sweeper skips them; SQLite: one writer at a time) and re-checked by the candidates'
    own filter, so each warning is recorded exactly once however many sweepers run."""
    with transaction.atomic():
        batch = list(
            candidates.select_related("owner_agency")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("due_at")[:BATCH]
        )
        if not batch:
            return 0
        Complaint.objects.filter(pk__in=[complaint.pk for complaint in batch]).update(**{marker: F("due_at")})
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint=complaint,
                kind=kind,
                created_at=now,
                actor_label=SYSTEM,
                from_status=complaint.status,
                to_status=complaint.status,
                from_agency_id=complaint.owner_agency_id,
                to_agency_id=complaint.owner_agency_id,
                due_at=complaint.due_at,
                data={"due_kind": complaint.due_kind},
            )
            for complaint in batch
        )
        for complaint in batch:
            notifications.deadline_warning(complaint, overdue=kind == EventKind.OVERDUE)
    return len(batch)


def _close_past_dispute_window(now: dt.datetime) -> int:
    closed = 0
    # A settlement's pending promises keep the case open (businesses.mediation); those are not candidates.
    resolved = Complaint.objects.filter(status=Status.RESOLVED, dispute_until__lt=now).exclude(
        promises__status="pending"
    )
    for complaint in resolved[:BATCH]:
        try:
            complaint_close(complaint=complaint, actor=None, now=now)
        except DomainError:
            continue  # someone else changed it meanwhile; the next sweep looks again
        closed += 1
    return closed


def sweep_everything(*, now: dt.datetime) -> dict[str, int]:
    """One pass of every periodic duty: deadlines, transfers whose target stayed silent, and the sector
    model's periodic retraining (enqueued for the task worker)."""
    from bvntd.businesses.alerts import fingerprint_missed
    from bvntd.businesses.mediation import sweep_promises
    from bvntd.businesses.stage import sweep_business_stage
    from bvntd.routing.tasks import enqueue_retrain_if_due
    from bvntd.routing.transfers import sweep_transfers

    return {
        **sweep_business_stage(now=now),
        **sweep_deadlines(now=now),
        **sweep_transfers(now=now),
        **sweep_promises(now=now),
        "fingerprinted": fingerprint_missed(now=now),
        "router_retrain_enqueued": enqueue_retrain_if_due(now),
    }
