import re
from collections import Counter
from datetime import date

import pytest

from bvntd.geo.models import Commune, Province, UnitLevel, UnitVersion
from bvntd.geo.queries import commune_in_province, communes_of, current_provinces, unit_as_of
from bvntd.geo.services import DATA_DIR, load_units

pytestmark = pytest.mark.django_db

DONG_NAI = "75"  # units_*.csv: province,75,75,Đồng Nai,...
LOC_NINH = "25270"  # a xã of Đồng Nai that became a phường on 30/4/2026


@pytest.fixture
def units():
    return load_units()


def test_data_ship_in_the_repository_with_their_licence():
    # A user's clone has no ../shared: the loader reads bvntd/geo/data, where the MIT notice must travel too.
    assert DATA_DIR.parent.name == "geo"
    assert "MIT License" in (DATA_DIR / "LICENSE").read_text()


def test_current_map_has_34_provinces_and_3321_communes(units):
    assert current_provinces().count() == 34
    assert Commune.objects.filter(valid_to__isnull=True).count() == 3321
    assert sum(communes_of(p.code).count() for p in current_provinces()) == 3321
    assert Province.objects.get(code=DONG_NAI).name == "Đồng Nai"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 5, 1), {"Xã": 2611, "Phường": 697, "Đặc khu": 13}),
        (date(2025, 8, 1), {"Xã": 2621, "Phường": 687, "Đặc khu": 13}),
    ],
)
def test_commune_types_as_of_a_date(units, on, expected):
    types = Counter(
        unit_as_of(UnitLevel.COMMUNE, code, on).unit_type
        for code in Commune.objects.values_list("code", flat=True)
    )
    assert types == expected


def test_dong_nai_became_a_city_on_30_april_2026(units):
    assert unit_as_of(UnitLevel.PROVINCE, DONG_NAI, date(2026, 5, 1)).unit_type == "Thành phố"
    assert unit_as_of(UnitLevel.PROVINCE, DONG_NAI, date(2026, 4, 30)).full_name == "Thành phố Đồng Nai"
    assert unit_as_of(UnitLevel.PROVINCE, DONG_NAI, date(2026, 4, 29)).full_name == "Tỉnh Đồng Nai"
    assert unit_as_of(UnitLevel.PROVINCE, DONG_NAI, date(2025, 8, 1)).unit_type == "Tỉnh"
    assert unit_as_of(UnitLevel.PROVINCE, DONG_NAI, date(2025, 6, 30)) is None  # before the reform
    # The identity row holds the current attributes, valid since the first snapshot.
    dong_nai = Province.objects.get(code=DONG_NAI)
    assert (dong_nai.unit_type, dong_nai.valid_from, dong_nai.valid_to) == (
        "Thành phố",
        date(2025, 7, 1),
        None,
    )
    assert Commune.objects.get(code=LOC_NINH).unit_type == "Phường"


def test_unchanged_units_keep_one_open_version(units):
    versions = UnitVersion.objects.filter(level=UnitLevel.COMMUNE, code="00004")  # Phường Ba Đình, Hà Nội
    assert list(versions.values_list("valid_from", "valid_to")) == [(date(2025, 7, 1), None)]
    # A tone mark moved ("Thanh Hóa" → "Thanh Hoá") is spelling, not a change: one version, latest spelling.
    thanh_hoa = UnitVersion.objects.get(level=UnitLevel.PROVINCE, code="38")
    assert (thanh_hoa.name, thanh_hoa.valid_to) == ("Thanh Hoá", None)
    changed = UnitVersion.objects.filter(valid_to=date(2026, 4, 30))
    assert changed.filter(province_code=DONG_NAI).count() == 11  # the province and its 10 xã


def test_loading_twice_changes_nothing(units):
    columns = ("level", "code", "valid_from", "valid_to", "province_code", "full_name", "unit_type")
    versions = sorted(UnitVersion.objects.values_list(*columns))
    provinces = list(Province.objects.values())
    communes = Commune.objects.count()

    again = load_units()

    assert again == units
    assert again["stale_versions_deleted"] == 0
    assert sorted(UnitVersion.objects.values_list(*columns)) == versions
    assert list(Province.objects.values()) == provinces
    assert Commune.objects.count() == communes == 3321
    assert len({row[:3] for row in versions}) == len(versions) == units["unit_versions"]  # no duplicates


def test_commune_in_province(units):
    assert commune_in_province(LOC_NINH, DONG_NAI, date(2026, 5, 1))
    assert commune_in_province(LOC_NINH, DONG_NAI, date(2025, 8, 1))
    assert not commune_in_province(LOC_NINH, "79", date(2026, 5, 1))  # Hồ Chí Minh
    assert not commune_in_province(LOC_NINH, DONG_NAI, date(2025, 6, 30))  # not yet a unit
    assert not commune_in_province("99999", DONG_NAI, date(2026, 5, 1))
    assert commune_in_province("00004", "01", date(2026, 5, 1))  # Ba Đình, Hà Nội


def test_34_unique_tracking_abbreviations(units):
    abbreviations = list(Province.objects.values_list("abbr", flat=True))
    assert len(set(abbreviations)) == 34
    assert all(re.fullmatch(r"[A-Z]{2}", abbr) for abbr in abbreviations)
    assert Province.objects.get(code="86").abbr == "VL"
