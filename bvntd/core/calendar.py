"""The Vietnamese working-day calendar and the Civil Code's rules for counting periods.

Pure: no Django and no database. `bvntd.core.workdays` builds a `WorkingCalendar` from the `holidays`
package and the administrators' `CalendarOverride` rows.

Law:
- Civil Code 2015 (91/2015/QH13) Art.147(2): a period counted in days starts on the day after the event;
  the day of the event is not counted.
- Art.148(1), (6): a period counted in days ends at 24:00 of its last day.
- Art.148(5): if the last day is a weekly day off or a public holiday, the period ends at the end of the
  next working day.
- Working days: state bodies work Monday to Friday (Decision 188/1999/QĐ-TTg, 40-hour week); public
  holidays are those of Labour Code 2019 Art.112; the government also announces swaps each year (a day
  off bridged to a holiday, worked back on a Saturday, e.g. 2026: Mon 31/8 off, Sat 22/8 worked).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date]
    extra_days_off: frozenset[date]
    extra_working_days: frozenset[date]
    # Which data produced this calendar; stored next to each deadline it computes.
    version: str

    def __post_init__(self) -> None:
        clash = self.extra_days_off & self.extra_working_days
        if clash:
            raise ValueError(f"dates both off and worked: {sorted(clash)}")

    def is_working_day(self, d: date) -> bool:
        # Announced make-up days are worked even on a Saturday, and an override of kind "working_day"
        # also cancels a holiday the `holidays` package lists ahead of the law (24/11 from 2026).
        if d in self.extra_working_days:
            return True
        # Labour Code 2019 Art.112 holidays and announced days off; Decision 188/1999/QĐ-TTg: Mon-Fri.
        if d in self.holidays or d in self.extra_days_off:
            return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        d += ONE_DAY
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`.

        n == 0 means "no period": `start` itself if it is a working day, otherwise the next working day.
        """
        if n < 0:
            raise ValueError(f"n must not be negative, not {n}")
        if n == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        # Civil Code 2015 Art.147: the day of the event is not counted, so counting starts the day after.
        d = start
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def end_of_period(self, start: date, n_calendar_days: int) -> date:
        """The last day of a period of calendar days, such as the dispute window."""
        if n_calendar_days < 0:
            raise ValueError(f"n_calendar_days must not be negative, not {n_calendar_days}")
        # Civil Code 2015 Art.147: the day of the event is not counted.
        last = start + timedelta(days=n_calendar_days)
        # Art.148(5): a last day off moves the end to the end of the next working day.
        return last if self.is_working_day(last) else self.next_working_day(last)

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days d with a < d <= b; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        # Civil Code 2015 Art.147: day `a` (the event, or the pause) is not counted; day `b` is.
        days = (a + timedelta(days=i) for i in range(1, (b - a).days + 1))
        return sum(1 for d in days if self.is_working_day(d))

    def deadline(self, start: datetime, n: int) -> datetime:
        """The end of the n-th working day after the Vietnamese date of `start`."""
        # Civil Code 2015 Art.147-148: counted from the next day, ending at 24:00 of the last one.
        return end_of_day(self.add_working_days(local_date(start), n))


def end_of_day(d: date) -> datetime:
    # Civil Code 2015 Art.148(6): a period ends at 24:00 of its last day, Vietnamese time.
    return datetime.combine(d, time(23, 59, 59), tzinfo=VN_TZ)


def local_date(dt: datetime) -> date:
    # Days are counted in Vietnam, whatever the zone the instant was stored in (UTC in the database).
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("local_date needs an aware datetime")
    return dt.astimezone(VN_TZ).date()


def public_holidays(years: Iterable[int]) -> frozenset[date]:
    """Labour Code 2019 Art.112 holidays, observed days and announced days off, per `holidays` (pinned).

    0.109 lists 24/11 (Vietnam Culture Day) from 2026 ahead of the law; a "working_day" override cancels it.
    """
    return frozenset(holidays.country_holidays("VN", years=list(years)))


def public_make_up_days(years: Iterable[int]) -> frozenset[date]:
    """The Saturdays `holidays` knows were worked to make up for an announced day off (2026: 22/8)."""
    wanted = set(years)
    calendar = holidays.country_holidays("VN", years=sorted(wanted))
    return frozenset(d for d in calendar.weekend_workdays if d.year in wanted)
