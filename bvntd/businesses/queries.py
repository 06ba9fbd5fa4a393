"""Reads of the business side: scorecards, the registry search, the case page's business panel."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum

from bvntd.core.text import fold

from .models import Business, BusinessName, Referral, ReferralStatus
from .names import name_key, normalize_tax_code


@dataclass(frozen=True)
class Scorecard:
    received: int
    answered_on_time: int
    answered_late: int
    not_answered: int
    by_status: dict[str, int] = field(default_factory=dict)
    relief_vnd: int = 0
    disputes: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.answered_on_time / self.received if self.received else None


def scorecard_referrals(business: Business, *, public: bool, now: dt.datetime) -> QuerySet[Referral]:
    """The public counts only cases whose consumer consented to publication and whose answer window has
    closed (so a business is never shown late on a case it still has time for)."""
    referrals = Referral.objects.filter(business=business)
    if public:
        referrals = referrals.filter(complaint__publish_consent=True, answer_due_at__lt=now)
    return referrals


def scorecard(business: Business, *, public: bool, now: dt.datetime) -> Scorecard:
    referrals = scorecard_referrals(business, public=public, now=now)
    totals = referrals.aggregate(
        received=Count("pk"),
        on_time=Count("pk", filter=Q(first_answer_at__lte=F("answer_due_at"))),
        late=Count("pk", filter=Q(first_answer_at__gt=F("answer_due_at"))),
        # The business's time ran out with the case still in its hands; not a case the consumer withdrew or
        # the agency took back before the answer was due.
        none=Count(
            "pk",
            filter=Q(first_answer_at__isnull=True, answer_due_at__lt=now)
            & (Q(ended_at__isnull=True) | Q(ended_at__gt=F("answer_due_at"))),
        ),
        relief=Sum("relief_vnd"),
        disputes=Count("pk", filter=Q(status=ReferralStatus.DISPUTED)),
    )
    by_status = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    return Scorecard(
        received=totals["received"],
        answered_on_time=totals["on_time"],
        answered_late=totals["late"],
        not_answered=totals["none"],
        by_status={ReferralStatus(k).label: v for k, v in sorted(by_status.items())},
        relief_vnd=totals["relief"] or 0,
        disputes=totals["disputes"],
    )


def search_businesses(query: str) -> QuerySet[Business]:
    """The registry by tax code (exact) or by any of its names, ignoring diacritics and legal forms."""
    businesses = Business.objects.filter(merged_into__isnull=True)
    query = (query or "").strip()
    if not query:
        return businesses.order_by("name", "pk")
    compact = normalize_tax_code(query)
    if compact:
        return businesses.with_tax_code(compact).order_by("name", "pk")
    key = name_key(query) or fold(query)
    matching = BusinessName.objects.filter(key__contains=key).values("business_id")
    return businesses.filter(pk__in=matching).order_by("name", "pk")
