"""Mass-complaint alerts: many near-duplicate complaints about one business within a window.

Each complaint gets a MinHash signature of its text and LSH band keys (businesses.similarity). A new
complaint's candidates are the complaints about the same business, within the window, that share a band
with it; the candidates whose estimated similarity passes the threshold join it in a cluster. A cluster of
at least MASS_ALERT_MIN_CASES opens an alert (or grows the open one) and notifies the province's market
surveillance (Chi cục QLTT) and its consumer-protection coordinator.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bvntd.agencies.models import Agency, AgencyKind, Role
from bvntd.complaints import services as case_services
from bvntd.complaints.access import membership_of
from bvntd.complaints.models import Complaint, EventKind
from bvntd.complaints.notifications import _send_after_commit
from bvntd.core.errors import DomainError, PermissionDenied

from .models import AlertStatus, Fingerprint, FingerprintBand, MassAlert
from .registry import business_key_for
from .similarity import band_keys, estimate_jaccard, signature


def policy(name: str):
    return settings.BVNTD[name]


def fingerprint(complaint: Complaint) -> Fingerprint:
    """Store the complaint's signature and bands (idempotent)."""
    existing = Fingerprint.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    key = business_key_for(complaint)
    sig = signature(complaint.description)
    record = Fingerprint.objects.create(
        complaint=complaint, business_key=key, received_at=complaint.received_at, signature=sig
    )
    FingerprintBand.objects.bulk_create(
        FingerprintBand(complaint=complaint, business_key=key, band=band, received_at=complaint.received_at)
        for band in band_keys(sig)
    )
    return record


def similar_recent(record: Fingerprint) -> list[int]:
    """Complaints about the same business within the window whose text is near-duplicate to this one."""
    window = dt.timedelta(days=policy("MASS_ALERT_WINDOW_DAYS"))
    bands = band_keys(bytes(record.signature))
    candidates = set(
        FingerprintBand.objects.filter(
            business_key=record.business_key,
            band__in=bands,
            received_at__gte=record.received_at - window,
            received_at__lte=record.received_at + window,
        )
        .exclude(complaint_id=record.complaint_id)
        .values_list("complaint_id", flat=True)
    )
    threshold = policy("MASS_ALERT_SIMILARITY")
    mine = bytes(record.signature)
    return sorted(
        other.complaint_id
        for other in Fingerprint.objects.filter(complaint_id__in=candidates)
        if estimate_jaccard(mine, bytes(other.signature)) >= threshold
    )


@transaction.atomic
def detect_mass_complaint(*, complaint: Complaint, now: dt.datetime) -> MassAlert | None:
    """Fingerprint one new complaint and open or grow an alert when it completes a cluster."""
    record = fingerprint(complaint)
    similar = similar_recent(record)
    if len(similar) + 1 < policy("MASS_ALERT_MIN_CASES"):
        return None
    cases = [complaint.pk, *similar]
    alert, created = _live_alert(record, complaint, now)
    already = set(alert.complaints.values_list("pk", flat=True))
    new = [pk for pk in cases if pk not in already]
    if not new:
        return alert
    alert.complaints.add(*new)
    MassAlert.objects.filter(pk=alert.pk).update(updated_at=now)
    _mark_cases(alert, new, now)
    if created:
        _notify(alert, len(cases))
    return alert


def alert_province(complaint: Complaint) -> str:
    """Where the business is, whose market surveillance acts: the registered business's province, else the
    one the consumer gave for the business, else (a local shop) the consumer's own."""
    business = complaint.business
    if business is not None and business.province_id:
        return business.province_id
    return complaint.business_province_id or complaint.province_id


def _live_alert(record: Fingerprint, complaint: Complaint, now: dt.datetime) -> tuple[MassAlert, bool]:
    """The business's open alert, or a new one. Two workers completing a cluster at the same moment: the
    unique constraint lets one create it, and the other reads the winner's."""
    live = [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]
    existing = MassAlert.objects.select_for_update().filter(business_key=record.business_key, status__in=live)
    alert = existing.first()
    if alert is not None:
        return alert, False
    try:
        with transaction.atomic():
            alert = MassAlert.objects.create(
                business_key=record.business_key,
                business=complaint.business,
                business_name=complaint.business.name if complaint.business else complaint.business_name,
                province_id=alert_province(complaint),
                sample_text=complaint.description[:2000],
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        return existing.get(), False
    return alert, True


def _mark_cases(alert: MassAlert, complaint_ids: list[int], now: dt.datetime) -> None:
    """An event on each case, so its officer sees it belongs to a mass incident (no status change)."""
    rows = Complaint.objects.filter(pk__in=complaint_ids).values_list("pk", "status", "owner_agency_id")
    case_services.record_events(
        rows, kind=EventKind.MASS_ALERT, now=now, reason=alert.business_name, data={"alert": alert.pk}
    )


def alert_recipients(alert: MassAlert) -> list[Agency]:
    """Market surveillance and the consumer-protection coordinator of the province where the business is."""
    return list(
        Agency.objects.filter(
            province=alert.province, kind__in=[AgencyKind.QLTT, AgencyKind.SCT_CP], is_active=True
        ).order_by("kind")
    )


def _notify(alert: MassAlert, count: int) -> None:
    _send_after_commit(
        [agency.email for agency in alert_recipients(alert)],
        f"[BVNTD] Cảnh báo khiếu nại hàng loạt: {alert.business_name}",
        f"{count} khiếu nại có nội dung gần giống nhau về {alert.business_name} trong "
        f"{policy('MASS_ALERT_WINDOW_DAYS')} ngày.\n{settings.SITE_URL}/can-bo/canh-bao/{alert.pk}/",
    )


def fingerprint_missed(*, now: dt.datetime, batch: int = 500) -> int:
    """The sweep's backstop: complaints of the window that no task fingerprinted (a lost task, a worker
    down) are checked now, oldest first."""
    since = now - dt.timedelta(days=policy("MASS_ALERT_WINDOW_DAYS"))
    missed = Complaint.objects.filter(received_at__gte=since, fingerprint__isnull=True).order_by(
        "received_at"
    )
    done = 0
    for complaint in missed.select_related("business", "province", "business_province")[:batch]:
        detect_mass_complaint(complaint=complaint, now=now)
        done += 1
    return done


def may_acknowledge(user, alert: MassAlert) -> bool:
    """The agencies the alert was sent to, and the national authority."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.NATIONAL:
        return True
    return membership.agency in alert_recipients(alert)


@transaction.atomic
def alert_acknowledge(*, alert: MassAlert, actor, now: dt.datetime) -> MassAlert:
    if not may_acknowledge(actor, alert):
        raise PermissionDenied(_("Bạn không có quyền xử lý cảnh báo này."))
    written = MassAlert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_by=actor, updated_at=now
    )
    if written != 1:
        raise DomainError(_("Cảnh báo đã được tiếp nhận trước đó."))
    alert.refresh_from_db()
    return alert
