"""Writes to the business registry, matching a complaint to a registered business, and merging duplicates.

Every change leaves a `BusinessEvent` (the registry's audit trail); linking a complaint to a business leaves a
`ComplaintEvent` on the case, through the complaint's one door for writes.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext as _

from bvntd.agencies.models import Role
from bvntd.complaints import services as case_services
from bvntd.complaints.access import Action, membership_of, require
from bvntd.complaints.models import Complaint, EventKind, VulnerableGroup, VulnerableStatus
from bvntd.core.errors import Conflict, DomainError, FieldError, FieldErrors, PermissionDenied

from .models import (
    Business,
    BusinessApiToken,
    BusinessEvent,
    BusinessEventKind,
    BusinessInvitation,
    BusinessMember,
    BusinessName,
    Fingerprint,
    FingerprintBand,
    MassAlert,
    NameKind,
    Referral,
)
from .names import Candidate, name_key, normalize_tax_code, rank_candidates

# How many stored names the fuzzy matcher scores for one query (the longest words pick them).
CANDIDATE_POOL = 400
# The registry is national: any agency's case workers and coordinators may add, complete and merge records;
# the read-only roles (auditor, hotline) may not.
REGISTRARS = frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR, Role.NATIONAL})


def may_change_registry(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in REGISTRARS


def require_registrar(actor) -> None:
    if not may_change_registry(actor):
        raise PermissionDenied(_("Bạn không có quyền thay đổi danh bạ doanh nghiệp."))


def active(business: Business) -> Business:
    """The record a (possibly merged) business now lives in."""
    seen = set()
    while business.merged_into_id is not None and business.pk not in seen:
        seen.add(business.pk)
        business = business.merged_into
    return business


def business_for_tax_code(tax_code: str) -> Business | None:
    """The registered business with this exact tax code: the only automatic match, because a wrong match
    would send a consumer's complaint to another company's portal."""
    if not tax_code:
        return None
    business = Business.objects.with_tax_code(tax_code).select_related("merged_into").first()
    return active(business) if business else None


def business_key_for(complaint: Complaint) -> str:
    """The key mass-complaint alerts group by: the registered business, or its name as typed (folded)."""
    if complaint.business_id:
        return f"b:{complaint.business_id}"
    return f"n:{name_key(complaint.business_name)}"[:320]


# --- candidates --------------------------------------------------------------------------------------


def business_candidates(*, name: str, tax_code: str = "", limit: int = 5) -> list[tuple[Business, Candidate]]:
    """Registered businesses that may be the one a consumer named: exact tax code first, then names that
    look alike once diacritics, legal forms ("Công ty TNHH", "CTCP", "JSC") and case are set aside."""
    key = name_key(name) if name else ""
    rows: list[tuple[int, str, str]] = []
    compact = normalize_tax_code(tax_code) if tax_code else None
    if compact:
        rows += [(b.pk, b.tax_code, b.name_key) for b in Business.objects.with_tax_code(compact)]
    significant = sorted({w for w in key.split() if len(w) >= 3}, key=len, reverse=True)
    words = significant[:2]
    if words:
        pool = BusinessName.objects.filter(business__merged_into__isnull=True)
        query = Q()
        for word in words:
            query |= Q(key__contains=word)
        # Common words ("dien may") can match far more names than the pool holds: the pool takes the exact
        # key first, then the names sharing the most of the query's words, not whichever the database
        # returns first.
        shared = sum(
            (Case(When(key__contains=word, then=Value(1)), default=Value(0)) for word in significant),
            Value(0),
        )
        exact = Case(When(key=key, then=Value(1)), default=Value(0))
        names = (
            pool.filter(query)
            .annotate(exact=exact, shared=shared)
            .order_by("-exact", "-shared", "pk")
            .select_related("business")[:CANDIDATE_POOL]
        )
        rows += [(n.business_id, n.business.tax_code, n.key) for n in names]
    ranked = rank_candidates(key, compact or "", rows, limit=limit)
    businesses = Business.objects.in_bulk([c.business_id for c in ranked])
    return [(active(businesses[c.business_id]), c) for c in ranked if c.business_id in businesses]


# --- create, update, names ---------------------------------------------------------------------------


def _record(business: Business, kind: str, actor, now: dt.datetime, **data) -> None:
    BusinessEvent.objects.create(
        business=business,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        data=data,
    )


def _add_names(business: Business, names: Iterable[str], kind: str) -> int:
    added = 0
    for raw in names:
        text = " ".join(raw.split())
        key = name_key(text) if text else ""
        if not key:
            continue
        _, created = BusinessName.objects.get_or_create(
            business=business, key=key, defaults={"name": text[:300], "kind": kind}
        )
        added += created
    return added


@transaction.atomic
def business_create(
    *,
    actor,
    now: dt.datetime,
    name: str,
    tax_code: str = "",
    province_id: str | None = None,
    commune_id: str | None = None,
    address: str = "",
    sector_id: str | None = None,
    website: str = "",
    aliases: Iterable[str] = (),
    shops: Iterable[str] = (),
    event: str = BusinessEventKind.CREATED,
) -> Business:
    require_registrar(actor)
    name = " ".join(name.split())
    errors = []
    if not name:
        errors.append(FieldError("name", _("Vui lòng nhập tên doanh nghiệp.")))
    compact = ""
    if tax_code.strip():
        compact = normalize_tax_code(tax_code) or ""
        if not compact:
            errors.append(
                FieldError("tax_code", _("Mã số thuế không hợp lệ (10 chữ số, hoặc 13 với mã chi nhánh)."))
            )
        elif Business.objects.with_tax_code(compact).exists():
            errors.append(FieldError("tax_code", _("Đã có doanh nghiệp với mã số thuế này trong danh bạ.")))
    if errors:
        # The message names the problems too: a caller without a form (the case page's "add this business"
        # button) shows only the message.
        raise FieldErrors(errors, " ".join(error.message for error in errors))
    try:
        with transaction.atomic():
            business = Business.objects.create(
                tax_code=compact,
                name=name[:300],
                name_key=name_key(name),
                province_id=province_id or None,
                commune_id=commune_id or None,
                address=address[:500],
                sector_id=sector_id or None,
                website=website,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        # Two people registered the same tax code at once: the other one won.
        taken = _("Đã có doanh nghiệp với mã số thuế này trong danh bạ.")
        raise FieldErrors([FieldError("tax_code", taken)], taken) from None
    _add_names(business, [name], NameKind.LEGAL)
    _add_names(business, aliases, NameKind.ALIAS)
    _add_names(business, shops, NameKind.SHOP)
    _record(business, event, actor, now, name=name, tax_code=compact)
    return business


@transaction.atomic
def business_update(*, business: Business, actor, now: dt.datetime, **fields) -> Business:
    """Change the fields given (name, province_id, commune_id, address, sector_id, website), add aliases and
    shops; the audit row keeps what changed from what."""
    require_registrar(actor)
    aliases = fields.pop("aliases", ())
    shops = fields.pop("shops", ())
    changed = {}
    for field, value in fields.items():
        if value in (None, "") or getattr(business, field) == value:
            continue
        changed[field] = [str(getattr(business, field) or ""), str(value)]
        setattr(business, field, value)
    if "name" in changed:
        business.name_key = name_key(business.name)
        _add_names(business, [business.name], NameKind.LEGAL)
    added = _add_names(business, aliases, NameKind.ALIAS) + _add_names(business, shops, NameKind.SHOP)
    if not changed and not added:
        return business
    business.updated_at = now
    business.save()
    _record(business, BusinessEventKind.UPDATED, actor, now, changed=changed, names_added=added)
    return business


# --- a complaint's business ------------------------------------------------------------------------


@transaction.atomic
def complaint_link_business(
    *, complaint: Complaint, business: Business, actor, now: dt.datetime
) -> Complaint:
    """Staff confirm which registered business a complaint is about."""
    require(actor, complaint, Action.BUSINESS)
    business = active(business)
    if complaint.business_id == business.pk:
        raise DomainError(_("Hồ sơ đã gắn với doanh nghiệp này."))
    if hasattr(complaint, "referral") and complaint.referral.is_open:
        raise DomainError(_("Doanh nghiệp đang giải quyết hồ sơ; không thể đổi doanh nghiệp lúc này."))
    case_services.write_change(
        complaint,
        kind=EventKind.BUSINESS_LINKED,
        now=now,
        actor=actor,
        changes={"business": business},
        data={"business": business.pk, "tax_code": business.tax_code, "name": business.name},
    )
    key = f"b:{business.pk}"
    Fingerprint.objects.filter(complaint=complaint).update(business_key=key)
    FingerprintBand.objects.filter(complaint=complaint).update(business_key=key)
    return complaint


@transaction.atomic
def complaint_confirm_vulnerable(*, complaint: Complaint, actor, now: dt.datetime, group: str) -> Complaint:
    """Staff confirm that the consumer belongs to a vulnerable group (Law 19/2023 Art.8), from what the
    consumer declared or showed; the business then sees the case as a priority."""
    require(actor, complaint, Action.BUSINESS)
    if group not in VulnerableGroup.values:
        raise DomainError(_("Vui lòng chọn nhóm người tiêu dùng dễ bị tổn thương."))
    if complaint.vulnerable_status == VulnerableStatus.CONFIRMED and complaint.vulnerable_group == group:
        raise DomainError(_("Đã xác nhận trước đó."))
    # The group itself is sensitive: the event records that it was confirmed, not which group.
    case_services.write_change(
        complaint,
        kind=EventKind.VULNERABLE_CONFIRMED,
        now=now,
        actor=actor,
        changes={"vulnerable_group": group, "vulnerable_status": VulnerableStatus.CONFIRMED},
    )
    referral = getattr(complaint, "referral", None)
    if referral is not None and referral.is_open and not referral.priority:
        type(referral).objects.filter(pk=referral.pk).update(priority=True)
    return complaint


# --- merging duplicates ------------------------------------------------------------------------------


def check_merge(*, keep: Business, duplicate: Business) -> tuple[Business, Business]:
    """The two active records a merge would fold together, or the reason it cannot."""
    keep, duplicate = active(keep), active(duplicate)
    if keep.pk == duplicate.pk:
        raise DomainError(_("Hai hồ sơ là một doanh nghiệp; không có gì để gộp."))
    if keep.tax_code and duplicate.tax_code:
        raise DomainError(
            _("Hai doanh nghiệp có mã số thuế khác nhau (%(a)s, %(b)s); không thể gộp.")
            % {"a": keep.tax_code, "b": duplicate.tax_code}
        )
    return keep, duplicate


@transaction.atomic
def business_merge(*, keep: Business, duplicate: Business, actor, now: dt.datetime) -> Business:
    """Fold a duplicate record into `keep`. Every complaint, referral, name, member, token and alert moves;
    the duplicate stays as a pointer so old links and the audit trail still resolve."""
    require_registrar(actor)
    given = (keep, duplicate)
    keep, duplicate = check_merge(keep=keep, duplicate=duplicate)
    # Decide on the records as they are now, locked (in id order, so two merges cannot deadlock): from
    # instances loaded earlier, merging A into B after B was merged into A would make each the other's
    # duplicate and hide both.
    locked = {
        b.pk: b
        for b in Business.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if not (keep.is_active and duplicate.is_active):
        raise Conflict(_("Hồ sơ doanh nghiệp vừa được gộp hoặc thay đổi. Vui lòng tải lại trang và thử lại."))
    check_merge(keep=keep, duplicate=duplicate)
    moved = _move_complaints(duplicate, keep, actor, now)
    for model in (Referral, BusinessMember, BusinessInvitation, BusinessApiToken):
        model.objects.filter(business=duplicate).update(business=keep)
    _move_names(duplicate, keep)
    MassAlert.objects.filter(business=duplicate).update(business=keep, business_key=f"b:{keep.pk}")
    for model in (Fingerprint, FingerprintBand):
        model.objects.filter(business_key=f"b:{duplicate.pk}").update(business_key=f"b:{keep.pk}")
    if duplicate.tax_code:
        # The unique tax code moves: clear it on the duplicate first.
        tax_code = duplicate.tax_code
        Business.objects.filter(pk=duplicate.pk).update(tax_code="")
        keep.tax_code = tax_code
    Business.objects.filter(pk=duplicate.pk).update(merged_into=keep, updated_at=now)
    keep.updated_at = now
    keep.save()
    _record(keep, BusinessEventKind.MERGED, actor, now, absorbed=duplicate.pk, complaints=moved)
    _record(duplicate, BusinessEventKind.MERGED, actor, now, merged_into=keep.pk, complaints=moved)
    for record in given:
        record.refresh_from_db()
    return keep


def _move_names(duplicate: Business, keep: Business) -> None:
    have = set(keep.names.values_list("key", flat=True))
    for record in duplicate.names.all():
        if record.key in have:
            record.delete()
            continue
        kind = NameKind.ALIAS if record.kind == NameKind.LEGAL else record.kind
        BusinessName.objects.filter(pk=record.pk).update(business=keep, kind=kind)


def _move_complaints(duplicate: Business, keep: Business, actor, now: dt.datetime) -> int:
    """Re-point the duplicate's complaints in bulk (a merge may move thousands), each with its event and a
    bumped version so an open form on one of them sees the change."""
    cases = list(Complaint.objects.filter(business=duplicate).values_list("pk", "status", "owner_agency_id"))
    Complaint.objects.filter(business=duplicate).update(
        business=keep, version=F("version") + 1, updated_at=now
    )
    case_services.record_events(
        cases,
        kind=EventKind.BUSINESS_LINKED,
        now=now,
        actor=actor,
        reason=_("Gộp hồ sơ doanh nghiệp trùng"),
        data={"business": keep.pk, "merged_from": duplicate.pk},
    )
    return len(cases)
