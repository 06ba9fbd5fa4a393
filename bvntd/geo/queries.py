"""Reads of the administrative map.

Dates are local (Asia/Ho_Chi_Minh) calendar dates: pass `timezone.localdate()`, not a UTC date.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from bvntd.core.cache import reference_cached

from .models import Commune, Province, UnitLevel, UnitVersion


def valid_on(queryset: QuerySet, on: date) -> QuerySet:
    """Rows of an effective-dated model in force on `on`: `valid_from` inclusive, `valid_to` exclusive."""
    return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


def current_provinces() -> QuerySet[Province]:
    return Province.objects.filter(valid_to__isnull=True)


def communes_of(province_code: str) -> QuerySet[Commune]:
    return Commune.objects.filter(province_id=province_code, valid_to__isnull=True)


@reference_cached
def province_abbr(code: str) -> str:
    """The two letters that start the tracking codes of the province's cases, e.g. VL."""
    return Province.objects.values_list("abbr", flat=True).get(code=code)


@dataclass(frozen=True)
class MapOn:
    """The administrative map on one date, for checking many addresses: the province codes, and the
    (commune, province) pairs."""

    provinces: frozenset[str]
    communes: frozenset[tuple[str, str]]


@reference_cached
def map_on(on: date) -> MapOn:
    """One query for the whole map (some 3,400 units), cached with the other reference data: intake checks
    every address against it instead of two queries per commune."""
    units = valid_on(UnitVersion.objects.all(), on).values_list("level", "code", "province_code")
    provinces, communes = set(), set()
    for level, code, province in units:
        if level == UnitLevel.PROVINCE:
            provinces.add(code)
        elif level == UnitLevel.COMMUNE:
            communes.add((code, province))
    return MapOn(frozenset(provinces), frozenset(communes))


def unit_as_of(level: str, code: str, on: date) -> UnitVersion | None:
    """The state of a province or commune on a date, or None if the code named no unit then."""
    return valid_on(UnitVersion.objects.filter(level=level, code=code), on).order_by("-valid_from").first()


def commune_in_province(commune_code: str, province_code: str, on: date) -> bool:
    """Whether the commune existed on `on` and belonged to the province then (address checks, old cases)."""
    communes = UnitVersion.objects.filter(
        level=UnitLevel.COMMUNE, code=commune_code, province_code=province_code
    )
    return valid_on(communes, on).exists()
