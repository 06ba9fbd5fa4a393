from collections import Counter

import pytest

from bvntd.agencies.models import Agency, AgencyKind, Sector
from bvntd.agencies.queries import coordinator_unit, intake_owner, lead_agency_for
from bvntd.agencies.services import seed_agencies
from bvntd.geo.models import Province
from bvntd.geo.services import load_units

pytestmark = pytest.mark.django_db

PROVINCIAL_KINDS = [
    AgencyKind.SCT,
    AgencyKind.SCT_CP,
    AgencyKind.QLTT,
    AgencyKind.HEALTH,
    AgencyKind.AGRI,
    AgencyKind.SCIENCE,
    AgencyKind.CONSTRUCTION,
    AgencyKind.EDUCATION,
    AgencyKind.CULTURE,
    AgencyKind.FINANCE,
    AgencyKind.POLICE,
]
SECTORS = [
    "general", "ecommerce", "market", "energy", "food", "health", "telecom",
    "quality", "finance", "housing", "transport", "education", "tourism", "data",
]  # fmt: skip


@pytest.fixture
def seeded():
    load_units()
    return seed_agencies()


def test_sectors_follow_domain_md(seeded):
    assert list(Sector.objects.values_list("code", flat=True)) == SECTORS
    kinds = set(AgencyKind.values)
    assert all(kind in kinds for kind in Sector.objects.values_list("default_lead_kind", flat=True))


def test_every_province_has_one_agency_of_each_provincial_kind(seeded):
    counts = Counter(Agency.objects.filter(province__isnull=False).values_list("province_id", "kind"))
    provinces = list(Province.objects.values_list("code", flat=True))
    assert counts == Counter({(code, kind): 1 for code in provinces for kind in PROVINCIAL_KINDS})
    for code in provinces:
        sct = Agency.objects.get(province_id=code, kind=AgencyKind.SCT)
        # The consumer-protection unit and market surveillance sit inside the Sở Công Thương.
        assert coordinator_unit(code).parent == sct
        assert Agency.objects.get(province_id=code, kind=AgencyKind.QLTT).parent == sct


def test_national_bodies(seeded):
    national = Agency.objects.filter(province__isnull=True)
    assert dict(national.values_list("code", "kind")) == {
        "national": AgencyKind.NATIONAL,
        "sbv": AgencyKind.SBV,
        "vinastas": AgencyKind.ASSOCIATION,
    }


def test_intake_goes_to_the_provincial_sct(seeded):
    for code in Province.objects.values_list("code", flat=True):
        owner = intake_owner(code)
        assert (owner.kind, owner.province_id, owner.code) == (AgencyKind.SCT, code, f"{code}-sct")
    assert intake_owner("86").name == "Sở Công Thương tỉnh Vĩnh Long"


def test_lead_agency_for_sectors(seeded):
    assert lead_agency_for("general", "86") == intake_owner("86")
    assert lead_agency_for("market", "86").kind == AgencyKind.QLTT
    assert lead_agency_for("food", "86").kind == AgencyKind.HEALTH
    assert lead_agency_for("data", "01").code == "01-police"
    assert lead_agency_for("finance", "86").code == "sbv"  # no provincial office: the national bank
    Agency.objects.filter(code="86-education").update(is_active=False)
    Agency.objects.filter(code="sbv").update(is_active=False)
    assert lead_agency_for("education", "86").code == "national"
    assert lead_agency_for("finance", "86").code == "national"


def test_food_is_shared_by_health_agriculture_and_industry(seeded):
    food = Agency.objects.filter(province_id="86", sectors="food")
    assert set(food.values_list("kind", flat=True)) == {AgencyKind.HEALTH, AgencyKind.AGRI, AgencyKind.SCT}
    assert set(intake_owner("86").sectors.values_list("code", flat=True)) == {
        "general",
        "ecommerce",
        "energy",
        "food",
    }


def test_placeholder_emails_are_on_a_reserved_domain(seeded):
    emails = list(Agency.objects.values_list("email", flat=True))
    assert all(email.endswith("@bvntd.example") for email in emails)
    assert len(set(emails)) == len(emails)


def test_seeding_twice_creates_nothing_and_keeps_admin_edits(seeded):
    # The session already loaded the reference data once (conftest), so this is at least the second run.
    assert seeded["agencies"] == 34 * 11 + 3
    Agency.objects.filter(code="86-sct").update(email="bvntd@sct.example.org")
    links = Agency.sectors.through.objects.count()
    again = seed_agencies()
    assert (again["agencies_created"], again["sectors_created"]) == (0, 0)
    assert Agency.objects.count() == 34 * 11 + 3
    assert Agency.sectors.through.objects.count() == links
    assert intake_owner("86").email == "bvntd@sct.example.org"
