"""Reads of the agency registry used by intake and routing."""

from bvntd.core.cache import reference_cached

from .models import Agency, AgencyKind, Sector


@reference_cached
def provincial(kind: str, province_code: str) -> Agency:
    return Agency.objects.get(kind=kind, province_id=province_code, is_active=True)


def intake_owner(province_code: str) -> Agency:
    """The agency that owns a new negotiation-support request from a consumer living in the province.

    Decree 146/2025/NĐ-CP Art.46(1): since 1/7/2025 these requests go to the provincial People's Committee
    through the Sở Công Thương where the consumer resides.
    """
    return provincial(AgencyKind.SCT, province_code)


def coordinator_unit(province_code: str) -> Agency:
    """The consumer-protection unit of the province's Sở Công Thương: triage, arbitration, statistics."""
    return provincial(AgencyKind.SCT_CP, province_code)


def lead_agency_for(sector_code: str, province_code: str) -> Agency:
    """The default lead body for a sector in a province (data, editable: DOMAIN.md "Sector codes").

    Takes the province's body of the sector's default kind. If there is none, it takes the national body of
    that kind: the State Bank has no provincial office in the registry. If that is missing too, it takes the
    Ministry's consumer-protection authority.
    """
    kind = Sector.objects.values_list("default_lead_kind", flat=True).get(code=sector_code)
    of_kind = Agency.objects.filter(kind=kind, is_active=True)
    return (
        of_kind.filter(province_id=province_code).first()
        or of_kind.filter(province__isnull=True).first()
        or Agency.objects.get(kind=AgencyKind.NATIONAL, province__isnull=True, is_active=True)
    )
