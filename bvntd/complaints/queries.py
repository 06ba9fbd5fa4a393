"""Reads: the staff inbox with its filters, and the consumer's look-up by tracking code and contact."""

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet

from bvntd.core.calendar import end_of_day, local_date
from bvntd.core.crypto import blind_index
from bvntd.core.text import search_terms
from bvntd.core.workdays import calendar_for

from .access import visible_complaints
from .intake import normalise_email, normalise_phone
from .models import Complaint
from .states import OPEN, Status

# The open states in a fixed order, on purpose not the sorted order of the partial indexes' WHERE: with the
# very same list PostgreSQL takes the status test as already covered by the search index's predicate and
# drops it from the inbox index's side of a BitmapAnd, reading every case the agency ever had (a search
# at 10M took 990 ms instead of 40; docs/performance.md). A set's order changes with each process.
INBOX_OPEN = tuple(sorted(OPEN, reverse=True))

SORTS = {
    "due": (F("due_at").asc(nulls_last=True), "-id"),
    "-due": (F("due_at").desc(nulls_last=True), "-id"),
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
}


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    sector: str = ""
    province: str = ""
    due: str = ""  # "soon" or "overdue"
    q: str = ""
    sort: str = "due"

    @classmethod
    def from_params(cls, params) -> "InboxFilters":
        values = {
            name: (params.get(name) or "").strip()[:200]
            for name in ("status", "sector", "province", "due", "q")
        }
        sort = params.get("sort") or "due"
        return cls(**values, sort=sort if sort in SORTS else "due")


# What an inbox row never shows: personal data stays encrypted (and is not even read) and long texts stay
# in the database, so a page costs no decryption (docs/performance.md).
NOT_IN_LISTS = (
    "consumer_name", "phone", "email", "address", "vulnerable_group", "description", "desired_outcome",
    "outcome_summary", "search_text",
)  # fmt: skip


def inbox(user, filters: InboxFilters, *, now: dt.datetime) -> QuerySet[Complaint]:
    complaints = (
        visible_complaints(user).select_related("owner_agency", "sector", "province").defer(*NOT_IN_LISTS)
    )
    if filters.status == "open" or not filters.status:
        complaints = complaints.filter(status__in=INBOX_OPEN)
    elif filters.status in Status.values:
        complaints = complaints.filter(status=filters.status)
    # Any other status value ("all") shows every state.
    if filters.sector:
        complaints = complaints.filter(sector_id=filters.sector)
    if filters.province:
        complaints = complaints.filter(province_id=filters.province)
    if filters.due == "overdue":
        complaints = complaints.filter(status__in=INBOX_OPEN, due_at__lt=now)
    elif filters.due == "soon":
        calendar = calendar_for(now)
        until = end_of_day(
            calendar.add_working_days(local_date(now), settings.BVNTD["DUE_SOON_WORKING_DAYS"])
        )
        complaints = complaints.filter(status__in=INBOX_OPEN, due_at__gte=now, due_at__lte=until)
    # The search column holds folded text, so "dien thoai" and "điện thoại" find the same cases.
    for term in search_terms(filters.q):
        complaints = complaints.filter(search_text__contains=term)
    return complaints.order_by(*SORTS[filters.sort])


def find_for_consumer(tracking_code: str, contact: str) -> Complaint | None:
    """The case whose tracking code and contact (phone or e-mail given at intake) both match, else None."""
    code = (tracking_code or "").strip().upper()
    contact = (contact or "").strip()
    if not code or not contact:
        return None
    complaint = Complaint.objects.select_related("owner_agency").filter(tracking_code=code).first()
    if complaint is None:
        return None
    phone = normalise_phone(contact)
    if (
        phone
        and complaint.phone_index
        and hmac.compare_digest(complaint.phone_index, blind_index("phone", phone))
    ):
        return complaint
    email = normalise_email(contact)
    if complaint.email_index and hmac.compare_digest(complaint.email_index, blind_index("email", email)):
        return complaint
    return None


def days_left(complaint: Complaint, now: dt.datetime, calendar=None) -> int | None:
    """Working days from today to the due date, for display only: 0 when it is due today, negative when
    overdue (at least -1, even when the days since were a weekend)."""
    if complaint.due_at is None or complaint.status not in OPEN:
        return None
    calendar = calendar or calendar_for(now)
    if complaint.due_at < now:
        return -max(1, calendar.working_days_between(local_date(complaint.due_at), local_date(now)))
    return calendar.working_days_between(local_date(now), local_date(complaint.due_at))


def public_timeline(complaint: Complaint):
    return complaint.events.filter(public=True).select_related("to_agency", "from_agency")


@dataclass(frozen=True)
class Custody:
    agency_id: int
    agency_label: str
    start: dt.datetime
    end: dt.datetime | None  # None: still holds it
    working_days: int


def custody_periods(complaint: Complaint, now: dt.datetime) -> list[Custody]:
    """Who held the case and for how long (in working days), from its events: delay is charged to the
    agency that held the case, whatever the transfers in between."""
    calendar = calendar_for(now)
    changes = (
        complaint.events.filter(
            Q(kind="created") | ~Q(from_agency_id=F("to_agency_id")), to_agency__isnull=False
        )
        .select_related("to_agency")
        .order_by("created_at", "id")
    )
    periods: list[Custody] = []
    held: tuple | None = None
    for event in changes:
        if held is not None:
            periods.append(_custody(calendar, *held, event.created_at))
        held = (event.to_agency_id, event.to_agency.label, event.created_at)
    if held is not None:
        end = complaint.closed_at or complaint.resolved_at if not complaint.is_open else None
        periods.append(_custody(calendar, *held, end, until=now))
    return periods


def _custody(calendar, agency_id, label, start, end, until=None) -> Custody:
    stop = end or until
    days = max(0, calendar.working_days_between(local_date(start), local_date(stop)))
    return Custody(agency_id, label, start, end, days)
