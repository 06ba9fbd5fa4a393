"""The working-day calendar, without a database: `holidays` 0.109 plus explicit overrides.

Every expected date below was counted by hand from a 2026 wall calendar; the comment on each row says how.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bvntd.core.calendar import (
    VN_TZ,
    WorkingCalendar,
    end_of_day,
    local_date,
    public_holidays,
    public_make_up_days,
)

PACKAGE_HOLIDAYS = public_holidays(range(2025, 2029))


def make_calendar(*, off=(), worked=()) -> WorkingCalendar:
    return WorkingCalendar(
        holidays=PACKAGE_HOLIDAYS,
        extra_days_off=frozenset(off),
        extra_working_days=frozenset(worked),
        version="test",
    )


# The 2026 National Day swap as the seed migration enters it: Sat 22/8 worked, Mon 31/8 off.
CAL = make_calendar(off=[date(2026, 8, 31)], worked=[date(2026, 8, 22)])


def test_it_lists_the_2026_holidays_of_domain_md():
    tet = {date(2026, 2, d) for d in range(16, 21)}
    expected = {
        date(2026, 1, 1),
        *tet,
        date(2026, 4, 26),  # Hùng Kings, a Sunday
        date(2026, 4, 27),  # observed on Monday
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),  # swapped with Sat 22/8
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),  # Vietnam Culture Day: in 0.109 ahead of the law
    }
    assert public_holidays([2026]) == expected


def test_it_lists_the_make_up_saturdays_the_package_knows():
    assert public_make_up_days(range(2025, 2027)) == {date(2025, 4, 26), date(2026, 8, 22)}


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 9), True),  # an ordinary Monday
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 3, 8), False),  # an ordinary Sunday
        (date(2026, 1, 1), False),
        (date(2026, 2, 16), False),  # first day of the Tết break
        (date(2026, 2, 20), False),  # last day of the Tết break
        (date(2026, 2, 23), True),  # back to work after Tết
        (date(2026, 4, 26), False),  # Hùng Kings on a Sunday
        (date(2026, 4, 27), False),  # ... observed on Monday
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),  # make-up Saturday
        (date(2026, 8, 31), False),  # the day it makes up for
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 9, 3), True),
        (date(2026, 11, 24), False),  # Vietnam Culture Day per holidays 0.109, until overridden
        (date(2027, 1, 1), False),
    ],
)
def test_it_knows_working_days(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Fri 13/2/2026: weekend 14-15, Tết 16-20, weekend 21-22, then Mon 23 (1), Tue 24 (2), Wed 25 (3).
        (date(2026, 2, 13), 3, date(2026, 2, 25)),
        (date(2026, 2, 13), 1, date(2026, 2, 23)),
        # Before Tết: Thu 12 (1), Fri 13 (2), Mon 23 (3).
        (date(2026, 2, 11), 3, date(2026, 2, 23)),
        # Mon 9/2: 10-13 (4), 23-27/2 (9), 2-6/3 (14), Mon 9/3 (15).
        (date(2026, 2, 9), 15, date(2026, 3, 9)),
        # Starts on a Tết day: the break is skipped like a weekend.
        (date(2026, 2, 17), 1, date(2026, 2, 23)),
        # The make-up Saturday counts: Fri 21/8 -> Sat 22/8.
        (date(2026, 8, 21), 1, date(2026, 8, 22)),
        # Fri 21 (1), Sat 22 (2), Mon 24 (3).
        (date(2026, 8, 20), 3, date(2026, 8, 24)),
        # Mon 31/8 (swap), Tue 1/9 and Wed 2/9 (National Day) are off: Thu 3/9 (1), Fri 4/9 (2), Mon 7/9 (3).
        (date(2026, 8, 28), 1, date(2026, 9, 3)),
        (date(2026, 8, 28), 3, date(2026, 9, 7)),
        # Year end: Fri 1/1/2027 is a holiday, then a weekend.
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        # Thu 31/12 (1), Mon 4/1 (2), Tue 5/1 (3).
        (date(2026, 12, 30), 3, date(2027, 1, 5)),
        # Into 2026: Thu 1/1/2026 is a holiday.
        (date(2025, 12, 31), 1, date(2026, 1, 2)),
        # Event on a Saturday or Sunday: counting starts the next day, the first working day is Monday.
        (date(2026, 3, 7), 1, date(2026, 3, 9)),
        (date(2026, 3, 8), 1, date(2026, 3, 9)),
        (date(2026, 3, 7), 3, date(2026, 3, 11)),
        # Thu 30/4 and Fri 1/5, then a weekend.
        (date(2026, 4, 29), 1, date(2026, 5, 4)),
        # Hùng Kings on Sun 26/4, observed Mon 27/4: Fri 24/4 -> Tue 28/4.
        (date(2026, 4, 24), 1, date(2026, 4, 28)),
        # Fri 24 (1), Tue 28 (2), Wed 29 (3).
        (date(2026, 4, 23), 3, date(2026, 4, 29)),
        # 24/11/2026 is off in holidays 0.109.
        (date(2026, 11, 23), 1, date(2026, 11, 25)),
        # n == 0: the day itself if it is a working day, otherwise the next working day.
        (date(2026, 3, 9), 0, date(2026, 3, 9)),
        (date(2026, 3, 7), 0, date(2026, 3, 9)),
        (date(2026, 2, 16), 0, date(2026, 2, 23)),
    ],
)
def test_it_adds_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_it_skips_a_saturday_nobody_announced():
    # Without the override (and ignoring the package's make-up days) Sat 22/8 is a weekend day.
    assert make_calendar().add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 24)


def test_it_lets_an_override_cancel_culture_day():
    calendar = make_calendar(worked=[date(2026, 11, 24)])
    assert calendar.is_working_day(date(2026, 11, 24))
    assert calendar.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)


def test_it_adds_an_announced_bridge_day():
    calendar = make_calendar(off=[date(2026, 9, 4)])
    assert calendar.add_working_days(date(2026, 9, 3), 1) == date(2026, 9, 7)


def test_it_refuses_a_day_both_off_and_worked():
    with pytest.raises(ValueError, match="both off and worked"):
        make_calendar(off=[date(2026, 8, 22)], worked=[date(2026, 8, 22)])


def test_it_refuses_negative_periods():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 3, 9), -1)
    with pytest.raises(ValueError):
        CAL.end_of_period(date(2026, 3, 9), -1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tue 3/3 + 15 = Wed 18/3, a working day: no move.
        (date(2026, 3, 3), 15, date(2026, 3, 18)),
        # Sat 7/3 + 15 = Sun 22/3: Art.148(5) moves the end to Mon 23/3.
        (date(2026, 3, 7), 15, date(2026, 3, 23)),
        # Fri 6/3 + 15 = Sat 21/3 -> Mon 23/3.
        (date(2026, 3, 6), 15, date(2026, 3, 23)),
        # Sun 1/2 + 15 = Mon 16/2, Tết -> Mon 23/2.
        (date(2026, 2, 1), 15, date(2026, 2, 23)),
        # Mon 17/8 + 15 = Tue 1/9, National Day -> Thu 3/9.
        (date(2026, 8, 17), 15, date(2026, 9, 3)),
        # Fri 7/8 + 15 = Sat 22/8, the make-up Saturday: a working day, no move.
        (date(2026, 8, 7), 15, date(2026, 8, 22)),
        # Thu 17/12/2026 + 15 = Fri 1/1/2027 -> Mon 4/1/2027.
        (date(2026, 12, 17), 15, date(2027, 1, 4)),
    ],
)
def test_it_ends_calendar_day_periods(start, n, expected):
    assert CAL.end_of_period(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 3, 9), date(2026, 3, 9), 0),
        # Day a is not counted, day b is.
        (date(2026, 3, 9), date(2026, 3, 10), 1),
        (date(2026, 2, 13), date(2026, 2, 25), 3),
        # Entirely inside Tết and its weekends.
        (date(2026, 2, 13), date(2026, 2, 22), 0),
        (date(2026, 3, 7), date(2026, 3, 8), 0),
        (date(2026, 3, 6), date(2026, 3, 9), 1),
        (date(2026, 12, 31), date(2027, 1, 4), 1),
        # Sat 22/8 (1), 24-28/8 (6), 31/8-2/9 off, Thu 3/9 (7).
        (date(2026, 8, 21), date(2026, 9, 3), 7),
    ],
)
def test_it_counts_working_days_between(a, b, expected):
    assert CAL.working_days_between(a, b) == expected
    assert CAL.working_days_between(b, a) == -expected


@given(start=st.dates(date(2025, 1, 1), date(2027, 12, 31)), n=st.integers(1, 60))
def test_it_counts_back_what_it_added(start, n):
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime(2026, 2, 13, 10, 0, tzinfo=VN_TZ), "2026-02-25T23:59:59+07:00"),
        # 01:30 on Fri 13/2 in Vietnam, still Thursday in UTC.
        (datetime(2026, 2, 12, 18, 30, tzinfo=UTC), "2026-02-25T23:59:59+07:00"),
        # 23:59 on Thu 12/2 in Vietnam: Fri 13 (1), Mon 23 (2), Tue 24 (3).
        (datetime(2026, 2, 12, 16, 59, tzinfo=UTC), "2026-02-24T23:59:59+07:00"),
    ],
)
def test_it_ends_deadlines_at_the_end_of_the_vietnamese_day(start, expected):
    due = CAL.deadline(start, 3)
    assert due.isoformat() == expected
    assert due.utcoffset() == timedelta(hours=7)


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        CAL.deadline(datetime(2026, 2, 13, 10, 0), 3)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC), date(2026, 12, 31)),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2026, 6, 1, 0, 0, tzinfo=VN_TZ), date(2026, 6, 1)),
    ],
)
def test_it_converts_to_the_vietnamese_date(moment, expected):
    assert local_date(moment) == expected


def test_it_gives_the_end_of_a_day_in_vietnam():
    assert end_of_day(date(2026, 9, 3)) == datetime(2026, 9, 3, 16, 59, 59, tzinfo=UTC)
