import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bvntd.agencies.models import Agency, Sector
from bvntd.complaints.models import ComplaintEvent
from bvntd.core.errors import Conflict, DomainError, NotFound
from bvntd.geo.models import Commune, Province
from bvntd.routing.competence import (
    SEED_FROM,
    UNCONFIRMED,
    competence_change,
    competence_delegate_commune,
    open_rule,
    resolve_competence,
    rules_in_force,
    seed_competence,
)
from bvntd.routing.models import CompetenceRule

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 2)
LATER = dt.date(2027, 1, 1)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def codes(agencies) -> set[str]:
    return {a.code for a in agencies.all()}


def province_rule(sector: str, province: str = "86") -> CompetenceRule:
    rule = open_rule(sector_code=sector, province_code=province)
    assert rule is not None
    return rule


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("quantri", "quantri@bvntd.example", None)


def change(
    rule, lead, *, valid_from=LATER, supporting=(), legal_basis="Quyết định 35/2025/QĐ-UBND", actor=None
):
    return competence_change(
        rule=rule,
        lead_agency=lead,
        supporting=supporting,
        legal_basis=legal_basis,
        valid_from=valid_from,
        actor=actor,
        now=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC),
    )


def delegate(commune, lead, *, sector="general", province="86", valid_from=LATER):
    return competence_delegate_commune(
        sector=Sector.objects.get(code=sector),
        province=Province.objects.get(code=province),
        commune=commune,
        lead_agency=lead,
        legal_basis="Quyết định phân cấp của UBND tỉnh",
        valid_from=valid_from,
        actor=None,
        now=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC),
    )


def test_it_seeds_one_open_rule_per_province_and_sector():
    rules = CompetenceRule.objects.filter(valid_to__isnull=True)
    assert rules.count() == 34 * 14 == 476
    assert not rules.filter(commune__isnull=False).exists()
    assert set(rules.values_list("valid_from", flat=True)) == {SEED_FROM}
    pairs = set(rules.values_list("sector_id", "province_id"))
    provinces = set(Province.objects.values_list("code", flat=True))
    assert pairs == {(s, p) for s in Sector.objects.values_list("code", flat=True) for p in provinces}


def test_it_seeds_the_defaults_of_domain_md():
    general = province_rule("general")
    assert general.lead_agency.code == "86-sct"
    assert general.legal_basis == "Nghị định 146/2025/NĐ-CP Điều 46(1)"
    assert codes(general.supporting_agencies) == set()

    food = province_rule("food")
    assert food.lead_agency.code == "86-health"
    assert codes(food.supporting_agencies) == {"86-agri", "86-sct"}
    assert food.legal_basis.startswith("Luật An toàn thực phẩm 2010")

    assert province_rule("telecom").lead_agency.code == "86-science"
    assert province_rule("finance").lead_agency.code == "sbv"  # national: no provincial office
    assert province_rule("data", "01").lead_agency.code == "01-police"
    assert province_rule("data").lead_agency.code == "86-police"

    market = province_rule("market")
    assert (market.lead_agency.code, codes(market.supporting_agencies)) == ("86-qltt", {"86-sct"})
    ecommerce = province_rule("ecommerce")
    assert (ecommerce.lead_agency.code, codes(ecommerce.supporting_agencies)) == ("86-sct", {"86-qltt"})
    quality = province_rule("quality")
    assert (quality.lead_agency.code, codes(quality.supporting_agencies)) == ("86-science", {"86-sct"})
    housing = province_rule("housing")
    assert (housing.lead_agency.code, housing.legal_basis) == ("86-construction", UNCONFIRMED)


def test_resolve_on_a_date():
    rule = resolve_competence(sector_code="general", province_code="86", on=ON)
    assert rule.lead_agency.code == "86-sct"
    assert resolve_competence(sector_code="general", province_code="86", on=SEED_FROM) == rule
    # An unknown commune or none at all: the province's rule.
    assert resolve_competence(sector_code="general", province_code="86", commune_code="", on=ON) == rule
    with pytest.raises(NotFound):
        resolve_competence(sector_code="general", province_code="86", on=SEED_FROM - dt.timedelta(days=1))
    with pytest.raises(NotFound):
        resolve_competence(sector_code="no-such-sector", province_code="86", on=ON)


def test_change_closes_the_old_rule_and_keeps_the_owner_of_open_cases(make_complaint, personas):
    complaint = make_complaint()
    assert complaint.owner_agency.code == "86-sct"
    events = ComplaintEvent.objects.filter(complaint=complaint).count()
    old = province_rule("general")
    actor = personas["lanhdao.sct"]

    new = change(old, agency("86-sct-cp"), supporting=[agency("86-qltt")], actor=actor)

    old.refresh_from_db()
    assert old.valid_to == LATER  # closed, kept as history
    assert (new.valid_from, new.valid_to, new.lead_agency.code) == (LATER, None, "86-sct-cp")
    assert codes(new.supporting_agencies) == {"86-qltt"}
    assert new.legal_basis == "Quyết định 35/2025/QĐ-UBND"
    assert new.created_by == actor
    assert open_rule(sector_code="general", province_code="86") == new
    assert (
        resolve_competence(sector_code="general", province_code="86", on=LATER - dt.timedelta(days=1)) == old
    )
    assert resolve_competence(sector_code="general", province_code="86", on=LATER) == new
    # The rule changed; the case did not.
    complaint.refresh_from_db()
    assert complaint.owner_agency.code == "86-sct"
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events


def test_a_national_agency_may_lead():
    new = change(province_rule("finance"), agency("national"))
    assert new.lead_agency.code == "national"


@pytest.mark.parametrize(
    ("valid_from", "lead", "supporting", "legal_basis", "code"),
    [
        (SEED_FROM, "86-sct-cp", [], "QĐ", "valid_from_too_early"),
        (SEED_FROM - dt.timedelta(days=1), "86-sct-cp", [], "QĐ", "valid_from_too_early"),
        (LATER, "01-sct", [], "QĐ", "agency_other_province"),
        (LATER, "86-sct-cp", ["01-qltt"], "QĐ", "agency_other_province"),
        (LATER, "86-sct-cp", ["86-sct-cp"], "QĐ", "lead_also_supporting"),
        (LATER, "86-sct-cp", [], "  ", "legal_basis_missing"),
    ],
)
def test_change_refusals(valid_from, lead, supporting, legal_basis, code):
    old = province_rule("general")
    with pytest.raises(DomainError) as refused:
        change(
            old,
            agency(lead),
            valid_from=valid_from,
            supporting=[agency(c) for c in supporting],
            legal_basis=legal_basis,
        )
    assert refused.value.code == code
    assert open_rule(sector_code="general", province_code="86") == old
    assert CompetenceRule.objects.filter(sector="general", province="86").count() == 1


def test_change_refuses_an_inactive_agency():
    Agency.objects.filter(code="86-sct-cp").update(is_active=False)
    with pytest.raises(DomainError) as refused:
        change(province_rule("general"), agency("86-sct-cp"))
    assert refused.value.code == "agency_inactive"


def test_a_stale_rule_cannot_be_changed_twice():
    stale = province_rule("general")
    change(CompetenceRule.objects.get(pk=stale.pk), agency("86-sct-cp"))
    with pytest.raises(Conflict):
        change(stale, agency("86-qltt"), valid_from=LATER + dt.timedelta(days=10))
    assert CompetenceRule.objects.filter(sector="general", province="86").count() == 2


def test_commune_delegation_wins_for_that_commune_only():
    delegated, neighbour = Commune.objects.filter(province_id="86", valid_to__isnull=True)[:2]
    province = province_rule("general")
    rule = delegate(delegated, agency("86-sct-cp"))
    assert rule.commune == delegated

    def lead(commune, on, sector="general"):
        found = resolve_competence(sector_code=sector, province_code="86", commune_code=commune.pk, on=on)
        return found.lead_agency.code

    assert lead(delegated, LATER) == "86-sct-cp"
    assert lead(delegated, LATER - dt.timedelta(days=1)) == "86-sct"  # not yet delegated
    assert lead(neighbour, LATER) == "86-sct"
    assert lead(delegated, LATER, sector="food") == "86-health"  # other sectors stay with the province
    assert resolve_competence(sector_code="general", province_code="86", on=LATER) == province
    assert rules_in_force(LATER).count() == 477

    # A later change of the commune rule closes it like any other; handing it back leaves history.
    back = change(rule, agency("86-sct"), valid_from=LATER + dt.timedelta(days=30))
    assert back.commune == delegated
    assert lead(delegated, LATER + dt.timedelta(days=30)) == "86-sct"


def test_commune_delegation_refusals():
    other = Commune.objects.filter(province_id="01").first()
    with pytest.raises(DomainError) as refused:
        delegate(other, agency("86-sct-cp"))
    assert refused.value.code == "commune_not_in_province"

    commune = Commune.objects.filter(province_id="86").first()
    with pytest.raises(DomainError) as refused:
        delegate(commune, agency("01-sct"))
    assert refused.value.code == "agency_other_province"

    delegate(commune, agency("86-sct-cp"))
    with pytest.raises(DomainError) as refused:
        delegate(commune, agency("86-qltt"), valid_from=LATER + dt.timedelta(days=1))
    assert refused.value.code == "delegation_exists"


def test_rules_in_force():
    assert rules_in_force(ON).count() == 476
    assert rules_in_force(SEED_FROM - dt.timedelta(days=1)).count() == 0
    change(province_rule("general"), agency("86-sct-cp"))
    assert rules_in_force(LATER).filter(province="86", sector="general").get().lead_agency.code == "86-sct-cp"
    assert rules_in_force(ON).filter(province="86", sector="general").get().lead_agency.code == "86-sct"


def test_seeding_twice_creates_nothing_and_keeps_changes():
    change(province_rule("general"), agency("86-sct-cp"))
    before = CompetenceRule.objects.count()
    counts = seed_competence(today=ON)
    assert (counts["rules_created"], counts["supporting_links"]) == (0, 0)
    assert CompetenceRule.objects.count() == before
    assert province_rule("general").lead_agency.code == "86-sct-cp"


def test_seeding_fills_in_a_new_sector():
    Sector.objects.create(code="gaming", name="Trò chơi", name_en="Games", default_lead_kind="culture")
    counts = seed_competence(today=ON)
    assert counts["rules_created"] == 34
    rule = province_rule("gaming")
    assert (rule.lead_agency.code, rule.legal_basis, rule.valid_from) == (
        "86-culture",
        UNCONFIRMED,
        SEED_FROM,
    )


def test_admin_lists_and_shows_rules_read_only(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:routing_competencerule_changelist")
    assert client.get(url, {"in_force": "yes", "sector__code__exact": "food"}).status_code == 200
    assert client.get(url, {"q": "Vĩnh Long"}).status_code == 200
    rule = province_rule("general")
    page = reverse("admin:routing_competencerule_change", args=[rule.pk])
    assert client.get(page).status_code == 200  # view only
    assert client.get(reverse("admin:routing_competencerule_add")).status_code == 200
    response = client.post(page, {"lead_agency": agency("86-qltt").pk})
    assert response.status_code == 403
    assert client.post(reverse("admin:routing_competencerule_delete", args=[rule.pk])).status_code == 403
    rule.refresh_from_db()
    assert (rule.lead_agency.code, rule.valid_to) == ("86-sct", None)
    for name in ("routermodel", "sectorsuggestion"):
        assert client.get(reverse(f"admin:routing_{name}_changelist")).status_code == 200


def admin_form(**overrides):
    data = {
        "sector": "general",
        "province": "86",
        "commune": "",
        "lead_agency": agency("86-sct-cp").pk,
        "supporting_agencies": [agency("86-qltt").pk],
        "legal_basis": "Quyết định 17/2025/QĐ-UBND",
        "valid_from": LATER.isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


def test_admin_add_opens_a_new_version_through_the_service(client, admin_user):
    client.force_login(admin_user)
    old = province_rule("general")
    response = client.post(reverse("admin:routing_competencerule_add"), admin_form())
    assert response.status_code == 302
    old.refresh_from_db()
    new = province_rule("general")
    assert old.valid_to == LATER
    assert (new.lead_agency.code, new.created_by, codes(new.supporting_agencies)) == (
        "86-sct-cp",
        admin_user,
        {"86-qltt"},
    )


def test_admin_add_delegates_a_commune(client, admin_user):
    client.force_login(admin_user)
    commune = Commune.objects.filter(province_id="86").first()
    response = client.post(reverse("admin:routing_competencerule_add"), admin_form(commune=commune.pk))
    assert response.status_code == 302
    assert open_rule(sector_code="general", province_code="86", commune_code=commune.pk).lead_agency.code == (
        "86-sct-cp"
    )
    assert province_rule("general").lead_agency.code == "86-sct"


def test_admin_add_shows_refusals_and_writes_nothing(client, admin_user):
    client.force_login(admin_user)
    before = CompetenceRule.objects.count()
    url = reverse("admin:routing_competencerule_add")
    response = client.post(url, admin_form(lead_agency=agency("01-sct").pk))
    assert response.status_code == 200
    assert "thuộc tỉnh/thành phố khác" in response.content.decode()
    response = client.post(url, admin_form(valid_from=SEED_FROM.isoformat()))
    assert response.status_code == 200
    assert "phải sau ngày hiệu lực" in response.content.decode()
    assert CompetenceRule.objects.count() == before
