"""Build the shipped unit CSVs from the upstream JSON snapshots. Run by hand, once per new snapshot.

The product never reads `../shared` at run time (a user's clone has no such directory). A developer runs
this script to turn each upstream snapshot into a compact UTF-8 CSV here, checks the diff and commits them:

    python bvntd/geo/data/build_units.py [SOURCE]    # SOURCE defaults to ../shared/data/vn-admin-units

It reads `SOURCE/<snapshot>/full_json_generated_data_vn_units.json` (upstream repository
thanglequoc/vietnamese-provinces-database, MIT; see README.md here) and writes `units_<snapshot>.csv`,
one row per province and per commune, with the columns level, code, province_code, name, name_en,
full_name, full_name_en, code_name, unit_type.
Standard library only; the output is deterministic (sorted by level, province code, code).
"""

import csv
import json
import sys
import unicodedata
from pathlib import Path

SNAPSHOTS = ["2025-07-01", "2026-04-30"]
COLUMNS = [
    "level",
    "code",
    "province_code",
    "name",
    "name_en",
    "full_name",
    "full_name_en",
    "code_name",
    "unit_type",
]
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "data" / "vn-admin-units"  # ../shared next to the clone


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def row(level: str, unit: dict, province_code: str) -> dict:
    full_name = clean(unit["FullName"])
    # Upstream typo in 2026-04-30 ("xã Bắc Sơn", 06325): a full name starts with its capitalised unit type.
    full_name = full_name[:1].upper() + full_name[1:]
    return {
        "level": level,
        "code": unit["Code"],
        "province_code": province_code,
        "name": clean(unit["Name"]),
        "name_en": clean(unit["NameEn"]),
        "full_name": full_name,
        "full_name_en": clean(unit["FullNameEn"]),
        "code_name": clean(unit["CodeName"]),
        "unit_type": clean(unit["AdministrativeUnitShortName"]),  # Tỉnh/Thành phố, Xã/Phường/Đặc khu
    }


def build(source: Path, snapshot: str) -> Path:
    provinces = json.loads((source / snapshot / "full_json_generated_data_vn_units.json").read_text("utf-8"))
    rows = [row("province", p, p["Code"]) for p in provinces]
    rows += [row("commune", w, p["Code"]) for p in provinces for w in p["Wards"]]
    rows.sort(key=lambda r: (r["level"] != "province", r["province_code"], r["code"]))
    out = HERE / f"units_{snapshot}.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    communes = len(rows) - len(provinces)
    print(f"{out.name}: {len(provinces)} provinces, {communes} communes")
    return out


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    for snapshot in SNAPSHOTS:
        build(source, snapshot)
