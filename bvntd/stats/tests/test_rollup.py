"""The statistics rollup: kept by the services in the same transaction, always equal to a count over the raw
complaints, and read by the statistics queries."""

import datetime as dt

import pytest

from bvntd.agencies.models import Sector
from bvntd.complaints import services
from bvntd.complaints.demo import seed_demo
from bvntd.complaints.states import Outcome
from bvntd.complaints.sweep import sweep_everything
from bvntd.stats import rollup
from bvntd.stats.models import MonthlyCount
from bvntd.stats.queries import Period, counts_by, totals
from tests_helpers import vn


def rollup_rows() -> dict:
    # A bucket emptied by a move keeps its row with zeros; the raw count has no such row.
    return {
        (row.month, row.province_id, row.sector_code): tuple(getattr(row, name) for name in rollup.COUNTS)
        for row in MonthlyCount.objects.all()
        if any(getattr(row, name) for name in rollup.COUNTS)
    }


def raw_rows() -> dict:
    return {
        (row["month"], row["province_id"], row["sector_code"]): tuple(row[name] for name in rollup.COUNTS)
        for row in rollup.raw_counts()
    }


def resolve(complaint, officer, at):
    services.complaint_resolve(
        complaint=complaint, actor=officer, now=at, outcome=Outcome.REFUNDED, summary="Đã hoàn tiền."
    )


@pytest.mark.django_db
def test_cases_walked_through_every_state_are_counted_as_the_raw_rows_say(personas):
    # The demo files each case with complaint_submit and walks it through the services: the business stage,
    # triage to another sector's agency, information requests, extensions, disputes, reopening, closing.
    seed_demo(count=60, seed=11, now=vn(2026, 11, 20, 10))
    sweep_everything(now=vn(2026, 12, 31, 10))  # the sweep closes and moves cases too

    assert rollup_rows() == raw_rows()
    assert sum(received for received, *_ in rollup_rows().values()) == 60


@pytest.mark.django_db
def test_a_new_sector_moves_the_case_to_its_bucket_and_resolution_counts_on_time(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1, 9))
    before = rollup.contribution(complaint)
    assert before.counts == (1, 1, 0, 0)

    telecom = Sector.objects.get(pk="telecom")
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 2, 9), sector=telecom)
    resolve(complaint, officer, vn(2026, 10, 5, 9))  # well before the 15-working-day deadline

    row = MonthlyCount.objects.get(
        month=dt.date(2026, 10, 1), province=complaint.province, sector_code="telecom"
    )
    assert (row.received, row.open_cases, row.resolved, row.resolved_on_time) == (1, 0, 1, 1)
    if before.key[2] != "telecom":
        old = MonthlyCount.objects.get(month=dt.date(2026, 10, 1), sector_code=before.key[2])
        assert (old.received, old.open_cases) == (0, 0)
    assert rollup_rows() == raw_rows()


@pytest.mark.django_db
def test_the_on_time_share_of_a_province_and_of_the_nation(make_complaint, personas):
    officer = personas["canbo.sct"]
    early = make_complaint(at=vn(2026, 9, 1, 9))
    late = make_complaint(at=vn(2026, 9, 2, 9))
    still_open = make_complaint(at=vn(2026, 10, 6, 9))
    for complaint in (early, late):
        services.complaint_accept(complaint=complaint, actor=officer, now=complaint.received_at)
    resolve(early, officer, vn(2026, 9, 10, 9))
    resolve(late, officer, vn(2026, 11, 20, 9))  # long after its resolve deadline

    province = early.province_id
    for scope in (province, None):
        year = totals(Period.year(2026), province=scope)
        assert (year.received, year.open_cases, year.resolved, year.resolved_on_time) == (3, 1, 2, 1)
        assert year.on_time_share == 0.5
    assert totals(Period.year(2025)).received == 0
    assert totals(Period.year(2025)).on_time_share is None

    months = counts_by("month", Period.year(2026), province=province)
    assert [(row.key, row.received) for row in months] == [
        (dt.date(2026, 9, 1), 2),
        (dt.date(2026, 10, 1), 1),
    ]
    assert [(row.key, row.received) for row in counts_by("province", Period.year(2026))] == [(province, 3)]
    assert sum(row.received for row in counts_by("sector", Period.year(2026))) == 3
    assert still_open.status in {"received", "at_business"}


@pytest.mark.django_db
def test_rebuild_repairs_a_damaged_table(make_complaint):
    make_complaint(at=vn(2026, 10, 1, 9))
    make_complaint(at=vn(2026, 11, 3, 9))
    MonthlyCount.objects.update(received=99)
    MonthlyCount.objects.create(month=dt.date(2020, 1, 1), province_id="01", received=5)

    assert rollup.rebuild() == 2
    assert rollup_rows() == raw_rows()


@pytest.mark.django_db
def test_a_case_missing_from_the_table_does_not_stop_the_case_work(make_complaint, personas, caplog):
    complaint = make_complaint(at=vn(2026, 10, 1, 9))
    MonthlyCount.objects.all().delete()  # rows loaded in bulk without rebuild_stats

    services.complaint_accept(complaint=complaint, actor=personas["canbo.sct"], now=vn(2026, 10, 2, 9))
    services.complaint_reject(
        complaint=complaint,
        actor=personas["canbo.sct"],
        now=vn(2026, 10, 3, 9),
        reason_code="out_of_scope",
        explanation="Không thuộc phạm vi.",
    )

    assert "rebuild_stats" in caplog.text
    assert not MonthlyCount.objects.filter(received__gt=0).exists()


def test_the_last_twelve_months_end_with_the_current_one():
    period = Period.last_twelve_months(dt.date(2026, 11, 28))
    assert (period.start, period.end) == (dt.date(2025, 12, 1), dt.date(2026, 12, 1))
