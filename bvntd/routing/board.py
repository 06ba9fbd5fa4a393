"""The coordinator's board: the triage queue, the arbitration queue, the cases that bounce, the cases overdue
and long overdue, and per agency how it handles what it receives. Every figure is a set of cases, so each
one links to the list of those cases."""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from bvntd.agencies.models import Agency, AgencyKind, Role
from bvntd.complaints.access import membership_of
from bvntd.complaints.models import Complaint, ComplaintEvent, EventKind
from bvntd.complaints.states import OPEN, Status
from bvntd.core.calendar import local_date
from bvntd.core.errors import PermissionDenied
from bvntd.core.workdays import calendar_for

from .models import Transfer, TransferStatus

# Law-independent policy of the issue: 5 working days overdue puts a case in the province's report.
LEADERSHIP_OVERDUE_WORKING_DAYS = 5
IN_HANDS = (
    EventKind.CREATED,
    EventKind.TRANSFER_ACCEPTED,
    EventKind.TRANSFER_AUTO_ACCEPTED,
    EventKind.TRANSFER_DECIDED,
    EventKind.REASSIGNED,
)


@dataclass(frozen=True)
class Scope:
    """Whose board: a province's coordinator, or the national authority (every province)."""

    province_id: str | None
    arbiter: Agency

    def complaints(self) -> QuerySet[Complaint]:
        if self.province_id is None:
            return Complaint.objects.all()
        return Complaint.objects.filter(
            Q(province_id=self.province_id) | Q(owner_agency__province_id=self.province_id)
        )

    def agencies(self) -> QuerySet[Agency]:
        agencies = Agency.objects.filter(is_active=True)
        if self.province_id is None:
            return agencies.filter(kind=AgencyKind.SCT)
        return agencies.filter(province_id=self.province_id)


def board_scope(user) -> Scope:
    membership = membership_of(user)
    if membership is None or membership.role not in {Role.COORDINATOR, Role.NATIONAL, Role.AUDITOR}:
        raise PermissionDenied(_("Bảng điều phối dành cho cơ quan điều phối và cơ quan quốc gia."))
    if membership.role == Role.COORDINATOR:
        return Scope(membership.agency.province_id, membership.agency)
    national = Agency.objects.get(kind=AgencyKind.NATIONAL, province__isnull=True)
    return Scope(None, national)


def triage_queue(scope: Scope) -> QuerySet[Complaint]:
    """Cases the model could not route with confidence: owned by a coordinating unit, not yet accepted."""
    return (
        scope.complaints()
        .filter(owner_agency__kind=AgencyKind.SCT_CP, status=Status.RECEIVED)
        .select_related("owner_agency", "sector_suggestion__sector")
    )


def arbitration_queue(scope: Scope) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(status=TransferStatus.ARBITRATION, arbiter_agency=scope.arbiter)
        .select_related("complaint", "from_agency", "to_agency")
        .order_by("decide_by")
    )


def bouncing(scope: Scope) -> QuerySet[Complaint]:
    """Open cases proposed for transfer twice or more: the ones the board exists to stop."""
    return scope.complaints().filter(status__in=OPEN).annotate(n=Count("transfers")).filter(n__gte=2)


def overdue(scope: Scope, now: dt.datetime, *, long_overdue: bool = False) -> QuerySet[Complaint]:
    cases = scope.complaints().filter(status__in=OPEN, due_at__lt=now)
    if long_overdue:
        calendar = calendar_for(now)
        # The due date is LEADERSHIP_OVERDUE_WORKING_DAYS or more working days back.
        day = local_date(now)
        for _ in range(LEADERSHIP_OVERDUE_WORKING_DAYS):
            day = _previous_working_day(calendar, day)
        cases = cases.filter(due_at__date__lt=day + dt.timedelta(days=1))
    return cases.select_related("owner_agency").order_by("due_at")


def _previous_working_day(calendar, day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


# --- per agency ----------------------------------------------------------------------------------------

METRICS = (
    "received",
    "accepted",
    "transferred_out",
    "bounced_back",
    "contested",
    "arbitration_won",
    "arbitration_lost",
    "resolved",
    "resolved_on_time",
)


def metric_cases(agency: Agency, metric: str, since: dt.datetime) -> QuerySet[Complaint]:
    """The cases behind one figure of the agency table (the click-through)."""
    events = ComplaintEvent.objects.filter(created_at__gte=since)
    transfers = Transfer.objects.filter(proposed_at__gte=since)
    ids: QuerySet
    if metric == "received":
        ids = (
            events.filter(kind__in=IN_HANDS, to_agency=agency).exclude(from_agency=agency).values("complaint")
        )
    elif metric == "accepted":
        ids = events.filter(kind=EventKind.ACCEPTED, to_agency=agency).values("complaint")
    elif metric == "transferred_out":
        ids = transfers.filter(from_agency=agency).values("complaint")
    elif metric == "bounced_back":
        # Proposed by this agency, and the case ended up with it again (contest upheld for the target).
        ids = transfers.filter(
            from_agency=agency, status=TransferStatus.DECIDED, decided_owner=agency
        ).values("complaint")
    elif metric == "contested":
        ids = transfers.filter(to_agency=agency).exclude(contest_reason="").values("complaint")
    elif metric == "arbitration_won":
        ids = _arbitrations(transfers, agency).exclude(decided_owner=agency).values("complaint")
    elif metric == "arbitration_lost":
        ids = _arbitrations(transfers, agency).filter(decided_owner=agency).values("complaint")
    elif metric == "resolved":
        ids = events.filter(kind=EventKind.RESOLVED, to_agency=agency).values("complaint")
    elif metric == "resolved_on_time":
        ids = events.filter(kind=EventKind.RESOLVED, to_agency=agency).values("complaint")
        return Complaint.objects.filter(pk__in=ids, resolved_at__lte=F("resolve_due_at"))
    else:
        return Complaint.objects.none()
    return Complaint.objects.filter(pk__in=ids)


def _arbitrations(transfers, agency: Agency):
    """Decided transfers where the agency was a party that did not want the case."""
    return transfers.filter(status=TransferStatus.DECIDED).filter(
        Q(to_agency=agency, contest_reason__gt="") | Q(from_agency=agency)
    )


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    figures: dict[str, int]
    median_hours_to_accept: float | None
    on_time_share: float | None


def agency_table(scope: Scope, since: dt.datetime) -> list[AgencyRow]:
    rows = []
    for agency in scope.agencies().order_by("name"):
        figures = {metric: metric_cases(agency, metric, since).count() for metric in METRICS}
        rows.append(
            AgencyRow(
                agency,
                figures,
                _median_hours_to_accept(agency, since),
                figures["resolved_on_time"] / figures["resolved"] if figures["resolved"] else None,
            )
        )
    return rows


def _median_hours_to_accept(agency: Agency, since: dt.datetime) -> float | None:
    """From the moment the case came into the agency's hands to its acceptance: delay is charged to the
    agency that held the case."""
    accepted = ComplaintEvent.objects.filter(kind=EventKind.ACCEPTED, to_agency=agency, created_at__gte=since)
    hours = []
    for event in accepted.only("complaint_id", "created_at"):
        arrived = (
            ComplaintEvent.objects.filter(
                complaint_id=event.complaint_id,
                kind__in=IN_HANDS,
                to_agency=agency,
                created_at__lte=event.created_at,
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if arrived is not None:
            hours.append((event.created_at - arrived).total_seconds() / 3600)
    return round(statistics.median(hours), 1) if hours else None
