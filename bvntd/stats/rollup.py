"""The statistics rollup: what one complaint adds to the monthly counts, applied as deltas by the services.

Every write of a complaint goes through `complaints.services` (intake and `write_change`), which calls
`record_change(before, after)` in the same transaction: a case moving from one bucket or count to another
is subtracted from the old and added to the new, so the table always equals a count over the raw rows
(`raw_counts`, the definition the tests and the benchmark compare against).
"""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, Value
from django.db.models.functions import Coalesce, TruncMonth

from bvntd.complaints.states import OPEN
from bvntd.core.calendar import VN_TZ, local_date

from .models import MonthlyCount

logger = logging.getLogger(__name__)

COUNTS = ("received", "open_cases", "resolved", "resolved_on_time")
Key = tuple[dt.date, str, str]  # month, province code, sector code ("" for none)


@dataclass(frozen=True)
class Contribution:
    key: Key
    counts: tuple[int, int, int, int]  # in the order of COUNTS


def contribution(complaint) -> Contribution:
    """What a complaint counts for. On time: resolved no later than its resolve deadline (with any
    extension), as `complaints.services` sets it from the BVNTD_RESOLVE_* settings (DOMAIN.md: the 2023 law
    sets no agency deadline; the defaults follow the superseded Decree 99/2011's practice)."""
    resolved = complaint.resolved_at is not None
    on_time = (
        resolved
        and complaint.resolve_due_at is not None
        and complaint.resolved_at <= complaint.resolve_due_at
    )
    return Contribution(
        key=(month_of(complaint.received_at), complaint.province_id, complaint.sector_id or ""),
        counts=(1, int(complaint.status in OPEN), int(resolved), int(on_time)),
    )


def month_of(moment: dt.datetime) -> dt.date:
    return local_date(moment).replace(day=1)


def record_change(before: Contribution | None, after: Contribution | None) -> None:
    """Apply what changed between two contributions of one complaint (None: it did not / no longer exists)."""
    deltas: dict[Key, Counter] = {}
    for contrib, sign in ((before, -1), (after, 1)):
        if contrib is None:
            continue
        bucket = deltas.setdefault(contrib.key, Counter())
        for name, value in zip(COUNTS, contrib.counts, strict=True):
            bucket[name] += sign * value
    # Keys in a fixed order: two transactions touching the same two rows lock them in the same order.
    for key in sorted(deltas):
        delta = deltas[key]
        if any(delta.values()):
            _upsert(key, delta)


# The same statements on PostgreSQL and SQLite (3.24+): one round trip, no read-modify-write race.
ADD = """
    INSERT INTO stats_monthlycount
        (month, province_id, sector_code, received, open_cases, resolved, resolved_on_time)
    VALUES (%s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (month, province_id, sector_code) DO UPDATE SET
        received = stats_monthlycount.received + excluded.received,
        open_cases = stats_monthlycount.open_cases + excluded.open_cases,
        resolved = stats_monthlycount.resolved + excluded.resolved,
        resolved_on_time = stats_monthlycount.resolved_on_time + excluded.resolved_on_time
"""
# Something leaves the bucket: its row exists (the case was counted in it). ADD would be refused by the
# counts' CHECK (>= 0) even where it turns into an update.
MOVE = """
    UPDATE stats_monthlycount SET
        received = received + %s, open_cases = open_cases + %s,
        resolved = resolved + %s, resolved_on_time = resolved_on_time + %s
    WHERE month = %s AND province_id = %s AND sector_code = %s
"""


def _upsert(key: Key, delta: Counter) -> None:
    month, province, sector = key
    values = [delta[name] for name in COUNTS]
    with connection.cursor() as cursor:
        if all(value >= 0 for value in values):
            cursor.execute(ADD, [month, province, sector, *values])
            return
        cursor.execute(MOVE, [*values, month, province, sector])
        if cursor.rowcount != 1:
            # The table missed this case (rows loaded without `rebuild_stats`): the case work goes on, and
            # the figures need a rebuild.
            logger.error("Statistics rollup out of date for %s; run manage.py rebuild_stats.", key)


def raw_counts(complaints=None):
    """The rollup's definition as one aggregate over the complaints: rows of month, province_id,
    sector_code and the four counts. Slow at scale (a full scan); the reference the rollup must equal."""
    from bvntd.complaints.models import Complaint

    complaints = Complaint.objects.all() if complaints is None else complaints
    return (
        complaints.annotate(
            month=TruncMonth("received_at", output_field=DateField(), tzinfo=VN_TZ),
            sector_code=Coalesce("sector_id", Value("")),
        )
        .values("month", "province_id", "sector_code")
        .annotate(
            received=Count("pk"),
            open_cases=Count("pk", filter=Q(status__in=OPEN)),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
            resolved_on_time=Count("pk", filter=Q(resolved_at__lte=F("resolve_due_at"))),
        )
        .order_by()
    )


def rebuild() -> int:
    """Recompute the whole table from the complaints (after a bulk load or a repair). Returns the rows."""
    with transaction.atomic():
        # Lock out concurrent deltas first: a change not yet committed when the count runs adds its delta
        # after this transaction, on top of the new rows.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {MonthlyCount._meta.db_table} IN EXCLUSIVE MODE")
        rows = [
            MonthlyCount(
                month=row["month"],
                province_id=row["province_id"],
                sector_code=row["sector_code"],
                **{name: row[name] for name in COUNTS},
            )
            for row in raw_counts()
        ]
        MonthlyCount.objects.all().delete()
        MonthlyCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
