"""The read figures of bench/run, in-process against a generated database (Django set up by the caller):
the staff inbox and its text search, statistics, and the deadline sweep, each beside its own limit.

- Inbox: the busiest Sở Công Thương's officer opens the first page (`complaints.queries.inbox` through the
  view's Paginator: the count and 25 rows with their agency, sector and province). Limit: the same page
  written by hand in SQL (two statements, psycopg, no ORM).
- Statistics: `stats.queries` over the last twelve months, nationally and for the busiest province. Beside
  it, the same figures counted over the raw complaints (what the rollup saves), and whether they agree.
- Sweep: `complaints.sweep.sweep_deadlines` run until it finds nothing more, at the first moment a working
  day's cases become overdue, inside a transaction rolled back afterwards (the database stays reusable).
  Limit: one hand-written UPDATE … RETURNING with the INSERT of the events, rolled back too.
"""

import datetime as dt
import statistics
import time

from measure import percentile

from bvntd.complaints.states import BUSINESS_STAGE, OPEN

PAGE = 25
OPEN_STATUSES = sorted(OPEN)


class Rollback(Exception):
    pass


def timed(action, runs: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
    }


def busiest_agency(conn) -> tuple[int, str, str]:
    """The Sở Công Thương with the most open cases: the worst first page."""
    return conn.execute(
        "SELECT a.id, a.code, a.province_id FROM complaints_complaint c "
        "JOIN agencies_agency a ON a.id = c.owner_agency_id "
        "WHERE c.status = ANY(%s) AND a.code LIKE '%%-sct' GROUP BY a.id ORDER BY count(*) DESC LIMIT 1",
        [OPEN_STATUSES],
    ).fetchone()


# --- the inbox ----------------------------------------------------------------------------------------------

INBOX_CASES = (
    # (figure, status filter, search words)
    ("inbox_open_by_due", "", ""),
    ("inbox_received_by_due", "received", ""),
    ("inbox_search_no_diacritics", "", "dien thoai"),
    ("inbox_search_diacritics", "", "điện thoại"),
)

# The statuses written into the statement, as the ORM does, in its order (complaints.queries.INBOX_OPEN):
# with a bound array PostgreSQL cannot prove that the query falls under the partial indexes' WHERE.
HAND_WHERE = "c.owner_agency_id = %s AND c.status IN ({statuses})"
HAND_PAGE = (
    "SELECT c.*, a.name, s.name, p.name FROM complaints_complaint c "
    "JOIN agencies_agency a ON a.id = c.owner_agency_id LEFT JOIN agencies_sector s ON s.code = c.sector_id "
    "JOIN geo_province p ON p.code = c.province_id WHERE {where} "
    "ORDER BY c.due_at ASC NULLS LAST, c.id DESC LIMIT 25"
)


def inbox_figures(conn, agency_id: int, now: dt.datetime, runs: int) -> tuple[list[dict], dict]:
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bvntd.agencies.models import Membership, Role
    from bvntd.complaints.queries import INBOX_OPEN, InboxFilters, inbox
    from bvntd.core.text import search_terms

    officer = Membership.objects.filter(agency_id=agency_id, role=Role.OFFICER).first().user
    figures, plans = [], {}
    for name, status, words in INBOX_CASES:
        filters = InboxFilters(status=status, q=words)
        result = {}

        def orm(filters=filters, result=result):
            page = Paginator(inbox(officer, filters, now=now), PAGE).get_page(1)
            result["rows"] = len(list(page.object_list))
            result["count"] = page.paginator.count

        statuses = ", ".join(f"'{s}'" for s in ([status] if status else INBOX_OPEN))
        where = HAND_WHERE.format(statuses=statuses) + " AND c.search_text LIKE %s" * len(search_terms(words))
        params = [agency_id, *(f"%{term}%" for term in search_terms(words))]

        def hand(where=where, params=params, result=result):
            result["hand_count"] = conn.execute(
                f"SELECT count(*) FROM complaints_complaint c WHERE {where}",
                params,
                prepare=False,
            ).fetchone()[0]
            page = conn.execute(HAND_PAGE.format(where=where), params, prepare=False)
            result["hand_rows"] = len(page.fetchall())

        app = timed(orm, runs)
        limit = timed(hand, runs)
        figures.append(
            {
                "figure": name,
                **app,
                "limit": "hand-written SQL (count + page), psycopg",
                "limit_p50_ms": limit["p50_ms"],
                "limit_p95_ms": limit["p95_ms"],
                "ratio_p95": round(limit["p95_ms"] / app["p95_ms"], 2),
                "rows": result["rows"],
                "matching": result["count"],
                "same_result": (result["rows"], result["count"])
                == (result["hand_rows"], result["hand_count"]),
            }
        )
        # The plans of the two statements the page runs: the count, then the rows (as executed: the
        # statements captured with their values).
        with CaptureQueriesContext(connection) as captured:
            orm()
        statements = [q["sql"] for q in captured.captured_queries if "complaints_complaint" in q["sql"]]
        with connection.cursor() as cursor:
            for label, sql in zip(("count", "page"), statements[-2:], strict=True):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
                plans[f"{name} ({label})"] = "\n".join(row[0] for row in cursor.fetchall())
    return figures, plans


# --- statistics ---------------------------------------------------------------------------------------------


def statistics_figures(province: str, today: dt.date, runs: int) -> list[dict]:
    from bvntd.complaints.models import Complaint
    from bvntd.core.calendar import VN_TZ
    from bvntd.stats import rollup
    from bvntd.stats.queries import Period, counts_by, totals

    period = Period.last_twelve_months(today)
    cases = (
        ("stats_by_sector_national", lambda: counts_by("sector", period)),
        ("stats_by_province_national", lambda: counts_by("province", period)),
        ("stats_by_month_province", lambda: counts_by("month", period, province=province)),
        ("stats_by_sector_province", lambda: counts_by("sector", period, province=province)),
        ("stats_on_time_national", lambda: totals(period).on_time_share),
        ("stats_on_time_province", lambda: totals(period, province=province).on_time_share),
    )
    figures = [{"figure": name, **timed(action, runs)} for name, action in cases]

    start = dt.datetime.combine(period.start, dt.time(), tzinfo=VN_TZ)
    end = dt.datetime.combine(period.end, dt.time(), tzinfo=VN_TZ)
    raw_rows = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    checks = []
    for scope, rows in (("national", raw_rows), ("province", raw_rows.filter(province_id=province))):
        started = time.perf_counter()
        raw = [0, 0, 0, 0]
        for row in rollup.raw_counts(rows):
            for i, name in enumerate(rollup.COUNTS):
                raw[i] += row[name]
        raw_ms = (time.perf_counter() - started) * 1000
        rolled = totals(period, province=province if scope == "province" else None)
        checks.append(
            {
                "figure": f"stats_raw_count_{scope}",
                "ms": round(raw_ms, 1),
                "what": "the same year counted over the raw complaints (one run)",
                "received": raw[0],
                "agrees_with_rollup": raw
                == [rolled.received, rolled.open_cases, rolled.resolved, rolled.resolved_on_time],
            }
        )
    return figures + checks


# --- the deadline sweep -------------------------------------------------------------------------------------

HAND_SWEEP = """
WITH due AS (
    UPDATE complaints_complaint SET overdue_noted_for = due_at
    WHERE status = ANY(%(open)s) AND due_at < %(now)s AND due_kind <> 'consumer_decision'
      AND (overdue_noted_for IS NULL OR overdue_noted_for <> due_at)
    RETURNING id, status, owner_agency_id, due_at, due_kind
)
INSERT INTO complaints_complaintevent
    (kind, created_at, actor_label, from_status, to_status, reason, due_at, public, data, complaint_id,
     from_agency_id, to_agency_id)
SELECT 'overdue', %(now)s, 'system', status, status, '', due_at, false,
       jsonb_build_object('due_kind', due_kind), id, owner_agency_id, owner_agency_id
FROM due
"""


def sweep_figure(conn, at: dt.datetime) -> dict:
    from django.db import transaction

    from bvntd.complaints.sweep import mark_overdue, sweep_deadlines

    def until_done(step) -> tuple[float, int, int]:
        """Run a sweep step until it finds nothing more, in a transaction rolled back afterwards."""
        passes, found = 0, 0
        started = time.perf_counter()
        try:
            with transaction.atomic():
                while True:
                    passes += 1
                    result = step()
                    count = sum(result.values()) if isinstance(result, dict) else result
                    found += count
                    if not count:
                        break
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        return seconds, passes, found

    seconds, passes, marked = until_done(lambda: mark_overdue(at))
    whole_seconds, _passes, whole_found = until_done(lambda: sweep_deadlines(now=at))

    hand_started = time.perf_counter()
    with conn.transaction(force_rollback=True):
        limit_marked = conn.execute(HAND_SWEEP, {"open": sorted(OPEN - BUSINESS_STAGE), "now": at}).rowcount
    hand_seconds = time.perf_counter() - hand_started
    return {
        "figure": "sweep_newly_overdue",
        "at": at.isoformat(),
        "seconds": round(seconds, 2),
        "passes": passes,
        "marked": marked,
        "limit": "one UPDATE ... RETURNING + INSERT of the events, psycopg",
        "limit_seconds": round(hand_seconds, 2),
        "limit_marked": limit_marked,
        "ratio": round(hand_seconds / seconds, 3) if seconds else None,
        # The periodic sweep does more in the same pass: "due soon" warnings and closing resolved cases
        # whose dispute window has passed.
        "whole_sweep_seconds": round(whole_seconds, 2),
        "whole_sweep_changes": whole_found,
        "rolled_back": True,
    }
