"""Writes to the agency registry: seed the sectors and a default set of agencies for every province.

What the seed creates is a default. Administrators edit names, addresses, e-mails and the competence matrix
in the admin, because each province's coordination regulation may differ (DOMAIN.md "Sector codes"). So a
rerun only creates what is missing and never overwrites an existing row.
"""

import csv
from pathlib import Path

from django.db import transaction

from bvntd.geo.models import Province
from bvntd.geo.queries import current_provinces

from .models import Agency, AgencyKind, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"
# Placeholder contact addresses on a reserved domain (RFC 2606 ".example"), so no mail reaches a real office
# until an administrator enters the real address.
EMAIL_DOMAIN = "bvntd.example"

# Provincial departments (Decree 45/2025/NĐ-CP), with Vietnamese and English names.
DEPARTMENTS = [
    (AgencyKind.SCT, "Sở Công Thương", "Department of Industry and Trade"),
    (AgencyKind.HEALTH, "Sở Y tế", "Department of Health"),
    (AgencyKind.AGRI, "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    (AgencyKind.SCIENCE, "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    (AgencyKind.CONSTRUCTION, "Sở Xây dựng", "Department of Construction"),
    (AgencyKind.EDUCATION, "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    (AgencyKind.CULTURE, "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    (AgencyKind.FINANCE, "Sở Tài chính", "Department of Finance"),
]
# Sectors an agency handles besides those it leads by default. Food Safety Law 2010 splits food by product:
# Health leads by default, but Agriculture and Environment (fresh produce, meat, fish, rice) and Industry and
# Trade (alcohol, beer, soft drinks, processed milk, vegetable oil, confectionery) are competent too.
EXTRA_SECTORS = {AgencyKind.SCT: ["food"], AgencyKind.AGRI: ["food"]}


def read_sectors() -> list[Sector]:
    with (DATA_DIR / "sectors.csv").open(encoding="utf-8", newline="") as f:
        return [Sector(**row) for row in csv.DictReader(f)]


def email(kind: str, place: str) -> str:
    return f"{kind.replace('_', '-')}.{place.replace('_', '-')}@{EMAIL_DOMAIN}"


def provincial_agencies(province: Province) -> list[tuple[Agency, str | None]]:
    """The default agencies of one province, each with the code of its parent (or None)."""
    # In a name the unit word is lower-case: "Sở Y tế tỉnh Vĩnh Long", "Công an thành phố Hà Nội".
    place = province.full_name[:1].lower() + province.full_name[1:]
    place_en = province.full_name_en

    def agency(kind: str, name: str, name_en: str) -> Agency:
        code = f"{province.code}-{kind.replace('_', '-')}"
        return Agency(
            code=code,
            name=name,
            name_en=name_en,
            kind=kind,
            province=province,
            email=email(kind, province.code_name),
        )

    agencies: list[tuple[Agency, str | None]] = [
        (agency(kind, f"{name} {place}", f"{name_en} of {place_en}"), None)
        for kind, name, name_en in DEPARTMENTS
    ]
    agencies.append((agency(AgencyKind.POLICE, f"Công an {place}", f"{place_en} Police"), None))
    # The consumer-protection unit and market surveillance (Chi cục Quản lý thị trường) both sit inside the
    # Sở Công Thương (DOMAIN.md "The state").
    sct_units = [
        (
            AgencyKind.SCT_CP,
            f"Phòng Quản lý thương mại – Bộ phận bảo vệ người tiêu dùng, Sở Công Thương {place}",
            f"Trade Management Division – Consumer Protection Unit, Department of Industry and Trade of "
            f"{place_en}",
        ),
        (
            AgencyKind.QLTT,
            f"Chi cục Quản lý thị trường {place}",
            f"Market Surveillance Sub-department of {place_en}",
        ),
    ]
    agencies += [(agency(*unit), f"{province.code}-sct") for unit in sct_units]
    return agencies


def national_agencies() -> list[tuple[Agency, str | None]]:
    bodies = [
        (
            "national",
            AgencyKind.NATIONAL,
            "Cục Cạnh tranh và Bảo vệ người tiêu dùng – Bộ Công Thương",
            "Competition and Consumer Protection Authority – Ministry of Industry and Trade",
        ),
        # Finance complaints go to a regional branch of the State Bank by default. Which branch covers which
        # province is unconfirmed (DOMAIN.md "Sector codes"), so the seed creates only the national bank.
        ("sbv", AgencyKind.SBV, "Ngân hàng Nhà nước Việt Nam", "State Bank of Vietnam"),
        # A consumer association takes negotiation-support requests like an agency (Law 19/2023 Art.56(3)).
        # VINASTAS's registered name is "Hội Tiêu chuẩn và Bảo vệ người tiêu dùng Việt Nam".
        (
            "vinastas",
            AgencyKind.ASSOCIATION,
            "Hội Tiêu chuẩn và Bảo vệ người tiêu dùng Việt Nam",
            "Vietnam Standards and Consumers Association",
        ),
    ]
    return [
        (Agency(code=code, name=name, name_en=name_en, kind=kind, email=f"{code}@{EMAIL_DOMAIN}"), None)
        for code, kind, name, name_en in bodies
    ]


def seed_agencies(*, stdout=None) -> dict:
    """Create the sectors and the default agencies that do not exist yet. Needs `load_units()` first."""
    provinces = list(current_provinces())
    if not provinces:
        raise RuntimeError("No provinces: load the administrative map first (manage.py load_reference).")
    sectors = read_sectors()
    leads: dict[str, list[str]] = {}
    for sector in sectors:
        leads.setdefault(sector.default_lead_kind, []).append(sector.code)

    wanted = national_agencies() + [pair for province in provinces for pair in provincial_agencies(province)]
    with transaction.atomic():
        existing_sectors = set(Sector.objects.values_list("code", flat=True))
        new_sectors = Sector.objects.bulk_create([s for s in sectors if s.code not in existing_sectors])

        existing = set(Agency.objects.values_list("code", flat=True))
        new = [(agency, parent) for agency, parent in wanted if agency.code not in existing]
        # Parents first, so that children can point at them.
        Agency.objects.bulk_create([agency for agency, parent in new if parent is None])
        ids = dict(Agency.objects.values_list("code", "pk"))
        for agency, parent in new:
            agency.parent_id = ids[parent] if parent else None
        Agency.objects.bulk_create([agency for agency, parent in new if parent is not None])

        ids = dict(Agency.objects.values_list("code", "pk"))
        through = Agency.sectors.through
        through.objects.bulk_create(
            [
                through(agency_id=ids[agency.code], sector_id=code)
                for agency, _ in new
                for code in leads.get(agency.kind, []) + EXTRA_SECTORS.get(agency.kind, [])
            ],
            ignore_conflicts=True,
        )

    counts = {
        "sectors": len(sectors),
        "sectors_created": len(new_sectors),
        "agencies": len(wanted),
        "agencies_created": len(new),
    }
    if stdout is not None:
        stdout.write("Agencies: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return counts
