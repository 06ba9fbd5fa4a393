"""The working-day calendar as the system uses it: the `holidays` package plus `CalendarOverride` rows.

The package (pinned in requirements.txt) knows Tết and the other Labour Code 2019 Art.112 holidays and the
swaps announced before its release; administrators add what was announced later, or correct it, as
overrides. A row always wins over the package.
"""

import functools
import hashlib
from datetime import date, datetime

import holidays
from django.utils import timezone

from .cache import reference_cached
from .calendar import WorkingCalendar, local_date, public_holidays, public_make_up_days
from .models import CalendarOverride, OverrideKind


def calendar_years(today: date) -> range:
    # Last year for clocks started before a pause, two years ahead for the longest extended deadline.
    return range(today.year - 1, today.year + 3)


@functools.lru_cache(maxsize=8)
def _package_days(years: range) -> tuple[frozenset[date], frozenset[date]]:
    # Computing the lunar holidays takes a few milliseconds; the data only changes with the package.
    return public_holidays(years), public_make_up_days(years)


@reference_cached
def _overrides() -> list[tuple[date, str]]:
    return sorted(CalendarOverride.objects.values_list("date", "kind"))


def _version(overrides: list[tuple[date, str]]) -> str:
    text = ";".join(f"{d.isoformat()}:{kind}" for d, kind in overrides)
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]
    return f"holidays-{holidays.__version__}+{digest}"


def get_calendar(years: range | None = None) -> WorkingCalendar:
    if years is None:
        years = calendar_years(timezone.localdate())
    overrides = _overrides()
    days_off = frozenset(d for d, kind in overrides if kind == OverrideKind.DAY_OFF)
    working_days = frozenset(d for d, kind in overrides if kind == OverrideKind.WORKING_DAY)
    package_holidays, package_make_up_days = _package_days(years)
    return WorkingCalendar(
        holidays=package_holidays,
        extra_days_off=days_off,
        # A "working_day" row beats a package holiday inside is_working_day; a "day_off" row beats a
        # package make-up Saturday here.
        extra_working_days=(package_make_up_days - days_off) | working_days,
        version=_version(overrides),
    )


def deadline_from(now: datetime, working_days: int) -> tuple[datetime, str]:
    """The deadline `working_days` after `now`, and the version of the calendar that computed it."""
    calendar = get_calendar(calendar_years(local_date(now)))
    return calendar.deadline(now, working_days), calendar.version


def calendar_for(now: datetime) -> WorkingCalendar:
    """The calendar around the caller's `now`, so a service reads the clock only once (STYLE 18)."""
    return get_calendar(calendar_years(local_date(now)))
