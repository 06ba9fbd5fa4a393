"""Reference data cached per process: read once, cleared by a change in this process, expired after the
configured seconds (other processes), and off when set to 0."""

import datetime as dt

import pytest

from bvntd.core import cache
from bvntd.core.models import CalendarOverride, OverrideKind
from bvntd.core.workdays import get_calendar
from bvntd.geo.queries import map_on

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def cached(settings):
    settings.BVNTD = {**settings.BVNTD, "REFERENCE_CACHE_SECONDS": 60}
    cache.clear_reference_caches()
    yield
    cache.clear_reference_caches()


@pytest.mark.django_db
def test_the_map_is_read_once_then_served_from_memory(cached, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = map_on(MONDAY)
        again = map_on(MONDAY)
    assert first is again and "86" in first.provinces and len(first.provinces) == 34


@pytest.mark.django_db
def test_a_new_calendar_override_takes_effect_at_once_in_this_process(cached):
    assert get_calendar(range(2026, 2027)).is_working_day(MONDAY)
    CalendarOverride.objects.create(date=MONDAY, kind=OverrideKind.DAY_OFF, reason="Nghỉ bù")
    assert not get_calendar(range(2026, 2027)).is_working_day(MONDAY)


@pytest.mark.django_db
def test_other_processes_see_a_change_when_the_entry_expires(cached, monkeypatch):
    assert get_calendar(range(2026, 2027)).is_working_day(MONDAY)
    # Another process writes the row: no signal here.
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=MONDAY, kind=OverrideKind.DAY_OFF, reason="x")]
    )
    assert get_calendar(range(2026, 2027)).is_working_day(MONDAY)  # still the cached calendar
    later = cache.time.monotonic() + 61
    monkeypatch.setattr(cache.time, "monotonic", lambda: later)
    assert not get_calendar(range(2026, 2027)).is_working_day(MONDAY)


@pytest.mark.django_db
def test_zero_seconds_turns_the_cache_off(settings, django_assert_num_queries):
    settings.BVNTD = {**settings.BVNTD, "REFERENCE_CACHE_SECONDS": 0}
    with django_assert_num_queries(2):
        map_on(MONDAY)
        map_on(MONDAY)
