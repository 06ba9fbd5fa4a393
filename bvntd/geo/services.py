"""Writes to the administrative map: load the unit CSVs shipped in `data/` (see data/README.md)."""

import csv
import unicodedata
from datetime import date
from pathlib import Path

from django.db import models, transaction

from .models import Commune, Province, UnitLevel, UnitVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
# Snapshot dates, oldest first. Each snapshot is in force from its date: the 2025 reform from 1/7/2025, and
# Đồng Nai's change to a centrally governed city from 30/4/2026 (DOMAIN.md "Administrative map").
SNAPSHOTS = [date(2025, 7, 1), date(2026, 4, 30)]
# The five Vietnamese tone marks in NFD. Circumflex, breve and horn are letters, so they are not in this set.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

Row = dict[str, str]
Key = tuple[str, str]  # (level, code)


def read_snapshot(on: date) -> dict[Key, Row]:
    with (DATA_DIR / f"units_{on.isoformat()}.csv").open(encoding="utf-8", newline="") as f:
        return {(row["level"], row["code"]): row for row in csv.DictReader(f)}


def read_abbreviations() -> dict[str, str]:
    with (DATA_DIR / "province_abbr.csv").open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["abbr"] for row in csv.DictReader(f)}


def spelling_key(text: str) -> str:
    """`text` with each word's tone mark moved to the end of the word, so that "Hòa" equals "Hoà".

    The 2026 snapshot moved the tone mark to the older position in about 300 names ("Thanh Hóa" became
    "Thanh Hoá"). That is a spelling convention, not a change of the unit, so it must not open a new version.
    """
    words = []
    for word in unicodedata.normalize("NFD", text).casefold().split():
        words.append(
            "".join(c for c in word if c not in TONE_MARKS) + "".join(c for c in word if c in TONE_MARKS)
        )
    return " ".join(words)


def state(row: Row) -> tuple[str, ...]:
    """The attributes whose change makes a new UnitVersion."""
    return (row["province_code"], row["unit_type"], spelling_key(row["name"]), spelling_key(row["full_name"]))


def unit_versions(snapshots: list[tuple[date, dict[Key, Row]]]) -> list[UnitVersion]:
    """One version per distinct state of each unit, valid from the snapshot where it first appears until
    (exclusive) the snapshot where the unit changes or disappears. The latest spelling wins within a state."""
    versions: list[UnitVersion] = []
    open_versions: dict[Key, tuple[UnitVersion, tuple[str, ...]]] = {}
    for on, rows in snapshots:
        for key in [key for key in open_versions if key not in rows]:
            open_versions.pop(key)[0].valid_to = on
        for key, row in rows.items():
            version, current_state = open_versions.get(key, (None, None))
            if version is None or current_state != state(row):
                if version is not None:
                    version.valid_to = on
                version = UnitVersion(level=row["level"], code=row["code"], valid_from=on)
                versions.append(version)
                open_versions[key] = (version, state(row))
            for field in ("province_code", "name", "full_name", "unit_type"):
                setattr(version, field, row[field])
    return versions


def upsert(model: type[models.Model], objects: list, unique_fields: list[str]) -> None:
    """Insert or update in bulk (INSERT ... ON CONFLICT DO UPDATE on SQLite and PostgreSQL)."""
    update_fields = [
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in unique_fields
    ]
    model.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields
    )


def load_units(*, stdout=None) -> dict:
    """Load both snapshots. Province and Commune get the latest attributes; UnitVersion gets the history.

    Idempotent: a second run writes the same values and deletes nothing. Versions starting before the first
    snapshot (e.g. the 63 former provinces) are never touched.
    """
    snapshots = [(on, read_snapshot(on)) for on in SNAPSHOTS]
    first_seen: dict[Key, date] = {}
    for on, rows in snapshots:
        for key in rows:
            first_seen.setdefault(key, on)
    latest = snapshots[-1][1]
    abbreviations = read_abbreviations()
    missing = sorted(
        code for level, code in latest if level == UnitLevel.PROVINCE and code not in abbreviations
    )
    if missing:
        raise ValueError(f"province_abbr.csv has no abbreviation for province codes {', '.join(missing)}")

    def attributes(row: Row) -> dict:
        names = ("name", "name_en", "full_name", "full_name_en", "unit_type")
        return {name: row[name] for name in names} | {"valid_from": first_seen[row["level"], row["code"]]}

    provinces = [
        Province(
            code=row["code"], code_name=row["code_name"], abbr=abbreviations[row["code"]], **attributes(row)
        )
        for row in latest.values()
        if row["level"] == UnitLevel.PROVINCE
    ]
    communes = [
        Commune(code=row["code"], province_id=row["province_code"], **attributes(row))
        for row in latest.values()
        if row["level"] == UnitLevel.COMMUNE
    ]
    versions = unit_versions(snapshots)
    wanted = {(v.level, v.code, v.valid_from) for v in versions}

    with transaction.atomic():
        upsert(Province, provinces, ["code"])
        upsert(Commune, communes, ["code"])
        upsert(UnitVersion, versions, ["level", "code", "valid_from"])
        # A state that a corrected snapshot no longer has would otherwise stay valid for ever.
        loaded = UnitVersion.objects.filter(valid_from__gte=SNAPSHOTS[0]).values_list(
            "pk", "level", "code", "valid_from"
        )
        stale = [pk for pk, *key in loaded if tuple(key) not in wanted]
        UnitVersion.objects.filter(pk__in=stale).delete()

    counts = {
        "provinces": len(provinces),
        "communes": len(communes),
        "unit_versions": len(versions),
        "stale_versions_deleted": len(stale),
    }
    if stdout is not None:
        stdout.write("Units: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return counts
