"""Statistics read from the monthly rollup: counts by sector, province and month, and the on-time share,
nationally or for one province, over a period of months."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from .models import MonthlyCount

DIMENSIONS = {"sector": "sector_code", "province": "province_id", "month": "month"}


@dataclass(frozen=True)
class Period:
    """Months received from `start` (inclusive) to `end` (exclusive), both first days of a month."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def last_twelve_months(cls, today: dt.date) -> "Period":
        end = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return cls(end.replace(year=end.year - 1), end)


@dataclass(frozen=True)
class Row:
    key: object
    received: int
    open_cases: int
    resolved: int
    resolved_on_time: int

    @property
    def on_time_share(self) -> float | None:
        return self.resolved_on_time / self.resolved if self.resolved else None


def _rows(period: Period, province: str | None):
    rows = MonthlyCount.objects.filter(month__gte=period.start, month__lt=period.end)
    return rows.filter(province_id=province) if province else rows


def _sums() -> dict:
    return {
        "received_sum": Sum("received"),
        "open_sum": Sum("open_cases"),
        "resolved_sum": Sum("resolved"),
        "on_time_sum": Sum("resolved_on_time"),
    }


def counts_by(dimension: str, period: Period, province: str | None = None) -> list[Row]:
    """Counts grouped by "sector", "province" or "month", largest first (months in order)."""
    column = DIMENSIONS[dimension]
    grouped = _rows(period, province).values(column).annotate(**_sums()).order_by(column)
    rows = [
        Row(row[column], row["received_sum"], row["open_sum"], row["resolved_sum"], row["on_time_sum"])
        for row in grouped
    ]
    if dimension != "month":
        rows.sort(key=lambda row: (-row.received, str(row.key)))
    return rows


def totals(period: Period, province: str | None = None) -> Row:
    """The whole period: received, still open, resolved, resolved on time (with the on-time share)."""
    sums = _rows(period, province).aggregate(**_sums())
    return Row(
        province or "",
        sums["received_sum"] or 0,
        sums["open_sum"] or 0,
        sums["resolved_sum"] or 0,
        sums["on_time_sum"] or 0,
    )
