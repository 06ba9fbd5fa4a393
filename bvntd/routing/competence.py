"""The competence matrix: sector × province (× commune where a province delegates) → the lead agency and the
supporting agencies for joint handling.

The matrix is data, not code (DOMAIN.md "Sector codes"): `seed_competence` writes the defaults for every
province, administrators change them with effective dates, and each change closes the rule in force and opens
a new one, so the history stays. The owner of an open case is stored on the case, so no change here rewrites
it: a new rule only routes what arrives after it.

Dates are local (Asia/Ho_Chi_Minh) calendar dates; `valid_from` is inclusive and `valid_to` exclusive.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bvntd.agencies.models import Agency, AgencyKind, Sector
from bvntd.agencies.queries import lead_agency_for
from bvntd.core.cache import reference_cached
from bvntd.core.errors import Conflict, DomainError, NotFound
from bvntd.geo.models import Commune, Province
from bvntd.geo.queries import commune_in_province, valid_on

from .models import CompetenceRule

# The seeded defaults start with the 34-province map and with Decree 146/2025/NĐ-CP Art.46(1), which sent
# negotiation-support requests to the provincial Sở Công Thương: both from 1/7/2025.
SEED_FROM = dt.date(2025, 7, 1)

# Supporting agencies of the default rules, by kind, in the same province as the lead.
SUPPORTING_KINDS = {
    # Food Safety Law 2010 (55/2010/QH12) splits food by product: Health (functional foods, additives, bottled
    # water, and the lead by default), Agriculture and Environment (fresh produce, meat, fish, rice), Industry
    # and Trade (alcohol, beer, soft drinks, processed milk, vegetable oil, confectionery).
    "food": [AgencyKind.AGRI, AgencyKind.SCT],
    # Market surveillance sits inside the Sở Công Thương, which supports it; and it supports the Sở Công
    # Thương on online selling (counterfeits and fake origins sold online).
    "market": [AgencyKind.SCT],
    "ecommerce": [AgencyKind.QLTT],
    # The Sở Khoa học và Công nghệ leads on quality and metrology; the Sở Công Thương supports on goods sold.
    "quality": [AgencyKind.SCT],
}

DECREE_146 = "Nghị định 146/2025/NĐ-CP Điều 46(1)"
UNCONFIRMED = "Mặc định, chưa xác nhận theo quy chế phối hợp của tỉnh"
LEGAL_BASIS = {
    "general": DECREE_146,
    "ecommerce": DECREE_146,
    "energy": DECREE_146,
    "food": "Luật An toàn thực phẩm 2010 (55/2010/QH12)",
}


def rules_in_force(on: dt.date) -> QuerySet[CompetenceRule]:
    """Every rule (province and commune level) in force on `on`, for the admin and the board."""
    return valid_on(CompetenceRule.objects.all(), on).select_related(
        "sector", "province", "commune", "lead_agency"
    )


def open_rule(*, sector_code: str, province_code: str, commune_code: str = "") -> CompetenceRule | None:
    """The rule with no end date for a sector and a place (the province's own if `commune_code` is empty)."""
    rules = CompetenceRule.objects.filter(
        sector_id=sector_code, province_id=province_code, valid_to__isnull=True
    )
    if commune_code:
        return rules.filter(commune_id=commune_code).first()
    return rules.filter(commune__isnull=True).first()


def resolve_competence(
    *, sector_code: str, province_code: str, commune_code: str = "", on: dt.date
) -> CompetenceRule:
    """The rule that decides who leads a matter of `sector_code` in a place on `on`: the commune's rule where
    the province delegated that commune, else the province's rule."""
    rules = _rules_in_force(sector_code, province_code, on)
    rule = rules.get(commune_code) if commune_code else None
    if rule is None:
        rule = rules.get("")
    if rule is None:
        raise NotFound(
            _(
                "Chưa có quy định thẩm quyền cho lĩnh vực %(sector)s tại tỉnh/thành phố %(province)s "
                "ngày %(on)s."
            )
            % {"sector": sector_code, "province": province_code, "on": on.strftime("%d/%m/%Y")}
        )
    return rule


@reference_cached
def _rules_in_force(sector_code: str, province_code: str, on: dt.date) -> dict[str, CompetenceRule]:
    """A province's rules for a sector on a date, by commune code ("" for the province's own): one query
    for every commune of the province, cached with the other reference data."""
    rules = valid_on(CompetenceRule.objects.filter(sector_id=sector_code, province_id=province_code), on)
    by_commune: dict[str, CompetenceRule] = {}
    for rule in rules.select_related("lead_agency").prefetch_related("supporting_agencies").order_by("pk"):
        by_commune.setdefault(rule.commune_id or "", rule)
    return by_commune


def seed_competence(*, today: dt.date, now: dt.datetime | None = None, stdout=None) -> dict:
    """Create the default province rule of every sector in every province in force on `today` that has no open
    rule: the lead from `lead_agency_for`, the supporting agencies of SUPPORTING_KINDS. Idempotent; it never
    changes an existing rule. Needs the map and the agencies (`load_reference`)."""
    now = now or timezone.now()
    provinces = list(valid_on(Province.objects.all(), today))
    sectors = list(Sector.objects.values_list("code", flat=True))
    with transaction.atomic():
        rules = CompetenceRule.objects.filter(commune__isnull=True)
        have_open = set(rules.filter(valid_to__isnull=True).values_list("sector_id", "province_id"))
        # A pair whose rules were all closed starts again after the last one, so periods never overlap.
        last_end = {
            (row["sector_id"], row["province_id"]): row["end"]
            for row in rules.values("sector_id", "province_id").annotate(end=Max("valid_to"))
        }
        provincial = Agency.objects.filter(province__isnull=False, is_active=True)
        agencies = {
            (province, kind): pk for province, kind, pk in provincial.values_list("province_id", "kind", "pk")
        }
        new = []
        for province in provinces:
            start = max(SEED_FROM, province.valid_from)
            for sector in sectors:
                if (sector, province.code) in have_open:
                    continue
                new.append(
                    CompetenceRule(
                        sector_id=sector,
                        province=province,
                        lead_agency=lead_agency_for(sector, province.code),
                        legal_basis=LEGAL_BASIS.get(sector, UNCONFIRMED),
                        valid_from=max(start, last_end.get((sector, province.code)) or start),
                        created_at=now,
                    )
                )
        CompetenceRule.objects.bulk_create(new)
        # Look the new rows up by their place rather than rely on bulk_create returning keys.
        open_rules = rules.filter(valid_to__isnull=True).values_list("sector_id", "province_id", "pk")
        ids = {(sector, province): pk for sector, province, pk in open_rules}
        through = CompetenceRule.supporting_agencies.through
        links = [
            through(competencerule_id=ids[rule.sector_id, rule.province_id], agency_id=agencies[key])
            for rule in new
            for key in [(rule.province_id, kind) for kind in SUPPORTING_KINDS.get(rule.sector_id, [])]
            if key in agencies and agencies[key] != rule.lead_agency_id
        ]
        through.objects.bulk_create(links)

    counts = {
        "provinces": len(provinces),
        "sectors": len(sectors),
        "rules_created": len(new),
        "supporting_links": len(links),
    }
    if stdout is not None:
        stdout.write("Competence: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return counts


def _check_agencies(*, province_code: str, lead_agency: Agency, supporting: Iterable[Agency]) -> list[Agency]:
    supporting = list({agency.pk: agency for agency in supporting}.values())
    for agency in [lead_agency, *supporting]:
        if not agency.is_active:
            raise DomainError(
                _("Cơ quan %(agency)s đã ngừng hoạt động.") % {"agency": agency}, code="agency_inactive"
            )
        # A provincial rule names the province's own bodies, or a national one (the State Bank, the Ministry).
        if agency.province_id is not None and agency.province_id != province_code:
            raise DomainError(
                _("Cơ quan %(agency)s thuộc tỉnh/thành phố khác.") % {"agency": agency},
                code="agency_other_province",
            )
    if any(agency.pk == lead_agency.pk for agency in supporting):
        raise DomainError(
            _("Cơ quan chủ trì không thể đồng thời là cơ quan phối hợp."), code="lead_also_supporting"
        )
    return supporting


def _check_legal_basis(legal_basis: str) -> str:
    # ARCHITECTURE rule 10: configurable policy, cited law. A change says what it rests on.
    legal_basis = legal_basis.strip()
    if not legal_basis:
        raise DomainError(_("Vui lòng nhập căn cứ pháp lý của thay đổi."), code="legal_basis_missing")
    return legal_basis


def check_change(
    *,
    rule: CompetenceRule,
    lead_agency: Agency,
    supporting: Iterable[Agency],
    legal_basis: str,
    valid_from: dt.date,
) -> list[Agency]:
    """Refuse what `competence_change` refuses, without writing (the admin form calls it to show errors)."""
    if rule.valid_to is not None:
        raise Conflict(_("Quy định này đã được thay thế. Vui lòng tải lại trang và thử lại."))
    if valid_from <= rule.valid_from:
        raise DomainError(
            _("Ngày hiệu lực mới phải sau ngày hiệu lực của quy định đang áp dụng (%(date)s).")
            % {"date": rule.valid_from.strftime("%d/%m/%Y")},
            code="valid_from_too_early",
        )
    if rule.commune_id and not commune_in_province(rule.commune_id, rule.province_id, valid_from):
        raise DomainError(
            _("Xã/phường không thuộc tỉnh/thành phố này vào ngày hiệu lực."), code="commune_not_in_province"
        )
    _check_legal_basis(legal_basis)
    return _check_agencies(province_code=rule.province_id, lead_agency=lead_agency, supporting=supporting)


def competence_change(
    *,
    rule: CompetenceRule,
    lead_agency: Agency,
    supporting: Iterable[Agency] = (),
    legal_basis: str,
    valid_from: dt.date,
    actor,
    now: dt.datetime,
    note: str = "",
) -> CompetenceRule:
    """Close the open `rule` on `valid_from` and open its successor from that day, in one transaction.

    Nothing is written on complaints: the owner of an open case stays what it is (ARCHITECTURE rule 1); the
    new rule routes only what arrives after it.
    """
    supporting = check_change(
        rule=rule,
        lead_agency=lead_agency,
        supporting=supporting,
        legal_basis=legal_basis,
        valid_from=valid_from,
    )
    with transaction.atomic():
        # Compare-and-swap: of two administrators changing the same rule at once, one wins, the other is told.
        closed = CompetenceRule.objects.filter(
            pk=rule.pk, valid_to__isnull=True, valid_from__lt=valid_from
        ).update(valid_to=valid_from)
        if closed != 1:
            raise Conflict(_("Quy định này vừa được người khác thay đổi. Vui lòng tải lại trang và thử lại."))
        rule.valid_to = valid_from
        return _open_rule(
            sector_id=rule.sector_id,
            province_id=rule.province_id,
            commune_id=rule.commune_id,
            lead_agency=lead_agency,
            supporting=supporting,
            legal_basis=legal_basis.strip(),
            valid_from=valid_from,
            actor=actor,
            now=now,
            note=note,
        )


def check_delegation(
    *,
    sector: Sector,
    province: Province,
    commune: Commune,
    lead_agency: Agency,
    supporting: Iterable[Agency],
    legal_basis: str,
    valid_from: dt.date,
) -> list[Agency]:
    """Refuse what `competence_delegate_commune` refuses, without writing."""
    # Decree 139/2025/NĐ-CP gave the former districts' consumer-protection tasks to communes; a province may
    # delegate a sector to a commune only for its own communes, as the map stood on the first day.
    if not commune_in_province(commune.pk, province.pk, valid_from):
        raise DomainError(
            _("Xã/phường không thuộc tỉnh/thành phố này vào ngày hiệu lực."), code="commune_not_in_province"
        )
    if open_rule(sector_code=sector.pk, province_code=province.pk, commune_code=commune.pk) is not None:
        raise DomainError(
            _("Xã/phường này đã có quy định thẩm quyền cho lĩnh vực này; hãy thay đổi quy định đó."),
            code="delegation_exists",
        )
    _check_legal_basis(legal_basis)
    return _check_agencies(province_code=province.pk, lead_agency=lead_agency, supporting=supporting)


def competence_delegate_commune(
    *,
    sector: Sector,
    province: Province,
    commune: Commune,
    lead_agency: Agency,
    supporting: Iterable[Agency] = (),
    legal_basis: str,
    valid_from: dt.date,
    actor,
    now: dt.datetime,
    note: str = "",
) -> CompetenceRule:
    """Open a commune-level rule: from `valid_from`, matters of `sector` in `commune` go to `lead_agency`
    instead of the province's lead. Later changes, including handing the matter back to the province's lead
    agency, go through `competence_change`, so every step keeps its author and date."""
    supporting = check_delegation(
        sector=sector,
        province=province,
        commune=commune,
        lead_agency=lead_agency,
        supporting=supporting,
        legal_basis=legal_basis,
        valid_from=valid_from,
    )
    with transaction.atomic():
        return _open_rule(
            sector_id=sector.pk,
            province_id=province.pk,
            commune_id=commune.pk,
            lead_agency=lead_agency,
            supporting=supporting,
            legal_basis=legal_basis.strip(),
            valid_from=valid_from,
            actor=actor,
            now=now,
            note=note,
        )


def _open_rule(*, supporting: list[Agency], actor, now: dt.datetime, **fields) -> CompetenceRule:
    rule = CompetenceRule.objects.create(created_by=actor, created_at=now, **fields)
    rule.supporting_agencies.set(supporting)
    return rule
