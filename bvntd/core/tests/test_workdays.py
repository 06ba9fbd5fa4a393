"""The calendar as loaded from the database: overrides change deadlines and the calendar's version."""

from datetime import UTC, date, datetime

import holidays
import pytest
import time_machine

from bvntd.core.calendar import VN_TZ
from bvntd.core.models import CalendarOverride, OverrideKind
from bvntd.core.workdays import deadline_from, get_calendar

pytestmark = pytest.mark.django_db

YEARS = range(2025, 2029)


def vn(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=VN_TZ)


def test_it_seeds_the_2026_swap():
    rows = {row.date: row.kind for row in CalendarOverride.objects.all()}
    assert rows == {date(2026, 8, 22): OverrideKind.WORKING_DAY, date(2026, 8, 31): OverrideKind.DAY_OFF}


@pytest.mark.parametrize(
    ("now", "n", "expected"),
    [
        (vn(2026, 2, 13), 3, vn(2026, 2, 25, 23)),  # across Tết
        (vn(2026, 8, 21), 1, vn(2026, 8, 22, 23)),  # the make-up Saturday is worked
        (vn(2026, 8, 28), 1, vn(2026, 9, 3, 23)),  # 31/8, 1/9 and 2/9 are not
        (vn(2026, 12, 31), 1, vn(2027, 1, 4, 23)),  # 1/1/2027 and a weekend
    ],
)
def test_it_computes_deadlines(now, n, expected):
    due_at, _version = deadline_from(now, n)
    assert due_at == expected.replace(minute=59, second=59)


def test_it_returns_an_aware_end_of_day():
    due_at, _version = deadline_from(datetime(2026, 2, 12, 18, 30, tzinfo=UTC), 3)
    assert due_at.isoformat() == "2026-02-25T23:59:59+07:00"


def test_it_lets_an_override_cancel_culture_day():
    before, old_version = deadline_from(vn(2026, 11, 23), 1)
    CalendarOverride.objects.create(
        date=date(2026, 11, 24), kind=OverrideKind.WORKING_DAY, reason="Chưa có văn bản cho nghỉ"
    )
    after, new_version = deadline_from(vn(2026, 11, 23), 1)
    assert before.date() == date(2026, 11, 25)
    assert after.date() == date(2026, 11, 24)
    assert new_version != old_version


def test_it_adds_an_announced_day_off():
    CalendarOverride.objects.create(date=date(2026, 9, 4), kind=OverrideKind.DAY_OFF, reason="Nghỉ bổ sung")
    due_at, _version = deadline_from(vn(2026, 9, 3), 1)
    assert due_at.date() == date(2026, 9, 7)


def test_it_lets_a_day_off_row_beat_a_package_make_up_day():
    # holidays 0.109 also knows Sat 22/8/2026 is worked; an administrator's row still wins.
    CalendarOverride.objects.filter(date=date(2026, 8, 22)).update(kind=OverrideKind.DAY_OFF)
    assert not get_calendar(YEARS).is_working_day(date(2026, 8, 22))


def test_it_versions_the_calendar_by_its_overrides():
    version = get_calendar(YEARS).version
    assert version.startswith(f"holidays-{holidays.__version__}+")
    assert version.startswith("holidays-0.109+")

    # The reason is only a note: it does not change which days are worked.
    CalendarOverride.objects.filter(date=date(2026, 8, 22)).update(reason="Sửa ghi chú")
    assert get_calendar(YEARS).version == version

    CalendarOverride.objects.filter(date=date(2026, 8, 22)).update(kind=OverrideKind.DAY_OFF)
    assert get_calendar(YEARS).version != version


def test_it_loads_overrides_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        get_calendar(YEARS)


@time_machine.travel(datetime(2026, 11, 28, 9, 0, tzinfo=VN_TZ), tick=False)
def test_it_covers_next_year_by_default():
    calendar = get_calendar()
    assert not calendar.is_working_day(date(2027, 2, 8))  # Tết 2027
    assert not calendar.is_working_day(date(2025, 9, 2))  # last year's National Day
