"""A small in-process cache for reference data read on every request (the map, the calendar's overrides,
the active sector model's version, the intake agencies): national-scale intake measured these as a third
of its queries (docs/performance.md).

Each process keeps a result for BVNTD["REFERENCE_CACHE_SECONDS"] (60 by default; 0 turns it off, as the test
suite does, since its transactions roll reference rows back behind any cache's back). A change made in this
process clears the cache at once (`clear_reference_caches`, called from the models' save signals); other
processes see it within that time.
"""

import functools
import time

from django.conf import settings

_caches: list = []


def reference_cached(function):
    entries: dict = {}

    @functools.wraps(function)
    def cached(*args, **kwargs):
        seconds = settings.BVNTD["REFERENCE_CACHE_SECONDS"]
        if seconds <= 0:
            return function(*args, **kwargs)
        key = (args, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        hit = entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = function(*args, **kwargs)
        entries[key] = (now + seconds, value)
        return value

    _caches.append(entries)
    return cached


def clear_reference_caches() -> None:
    for entries in _caches:
        entries.clear()
