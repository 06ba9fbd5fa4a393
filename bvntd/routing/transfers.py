"""The transfer protocol: no complaint bounced, none orphaned.

The holding agency proposes a transfer with a reason code, a legal basis and a named target; it keeps the
case until the target accepts. The target accepts or contests within 2 working days (a setting), and silence
counts as acceptance. A contested transfer, or a case about to be transferred a second time, goes to the
arbiter: the province's coordinating unit, or the national authority when two provinces disagree; its
decision, with reasons, is binding. The consumer's clock runs through all of it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bvntd.agencies.models import Agency, AgencyKind, Role
from bvntd.agencies.queries import coordinator_unit
from bvntd.complaints import notifications
from bvntd.complaints.access import membership_of
from bvntd.complaints.models import Complaint, EventKind
from bvntd.complaints.services import complaint_change_owner, complaint_record
from bvntd.complaints.states import OPEN
from bvntd.core.errors import Conflict, DomainError, PermissionDenied
from bvntd.core.workdays import calendar_for

from .models import OPEN_TRANSFER, Transfer, TransferReason, TransferStatus

CASE_WORKERS = {Role.OFFICER, Role.HEAD}
MOVED = (TransferStatus.ACCEPTED, TransferStatus.AUTO_ACCEPTED, TransferStatus.DECIDED)


def _policy(name: str) -> int:
    return settings.BVNTD[name]


# --- who may do what ----------------------------------------------------------------------------------


def is_holder(actor, complaint: Complaint) -> bool:
    membership = membership_of(actor)
    return bool(
        membership and membership.role in CASE_WORKERS and membership.agency_id == complaint.owner_agency_id
    )


def is_target(actor, transfer: Transfer) -> bool:
    membership = membership_of(actor)
    return bool(
        membership and membership.role in CASE_WORKERS and membership.agency_id == transfer.to_agency_id
    )


def is_arbiter(actor, transfer: Transfer) -> bool:
    membership = membership_of(actor)
    if membership is None or transfer.arbiter_agency_id is None:
        return False
    if transfer.arbiter_agency.kind == AgencyKind.NATIONAL:
        return membership.role == Role.NATIONAL
    return membership.role == Role.COORDINATOR and membership.agency_id == transfer.arbiter_agency_id


def arbiter_for(from_agency: Agency, to_agency: Agency) -> Agency:
    """The provincial coordinator when both agencies are in one province; otherwise the national authority."""
    if from_agency.province_id and from_agency.province_id == to_agency.province_id:
        return coordinator_unit(from_agency.province_id)
    return Agency.objects.get(kind=AgencyKind.NATIONAL, province__isnull=True, is_active=True)


def open_transfer(complaint: Complaint) -> Transfer | None:
    return (
        complaint.transfers.filter(status__in=OPEN_TRANSFER)
        .select_related("to_agency", "arbiter_agency")
        .first()
    )


# --- the steps ----------------------------------------------------------------------------------------


@transaction.atomic
def transfer_propose(
    *,
    complaint: Complaint,
    actor,
    now: dt.datetime,
    to_agency: Agency,
    reason_code: str,
    legal_basis: str,
    duplicate_of: Complaint | None = None,
) -> Transfer:
    if not is_holder(actor, complaint):
        raise PermissionDenied(_("Chỉ cơ quan đang giữ hồ sơ được đề nghị chuyển."))
    if complaint.status not in OPEN:
        raise DomainError(_("Hồ sơ đã kết thúc hoặc đã có kết quả; không thể chuyển."))
    if reason_code not in TransferReason.values:
        raise DomainError(_("Vui lòng chọn lý do chuyển."))
    if not (legal_basis or "").strip():
        raise DomainError(_("Vui lòng nêu căn cứ pháp lý của việc chuyển."))
    if to_agency.pk == complaint.owner_agency_id or not to_agency.is_active:
        raise DomainError(_("Vui lòng chọn một cơ quan nhận khác, đang hoạt động."))
    if reason_code == TransferReason.DUPLICATE and (duplicate_of is None or duplicate_of.pk == complaint.pk):
        raise DomainError(_("Vui lòng nhập mã hồ sơ bị trùng (khác hồ sơ này)."))
    if open_transfer(complaint) is not None:
        raise Conflict(_("Hồ sơ đang có một đề nghị chuyển chưa được giải quyết."))
    calendar = calendar_for(now)
    transfer = Transfer(
        complaint=complaint,
        from_agency=complaint.owner_agency,
        to_agency=to_agency,
        reason_code=reason_code,
        legal_basis=legal_basis.strip(),
        duplicate_of=duplicate_of,
        status=TransferStatus.PROPOSED,
        proposed_by=actor,
        proposed_at=now,
        respond_by=calendar.deadline(now, _policy("TRANSFER_RESPONSE_WORKING_DAYS")),
    )
    # A case that already changed hands once goes to the arbiter instead of bouncing on (ping-pong).
    second = complaint.transfers.filter(status__in=MOVED).exists()
    if second:
        _to_arbitration(transfer, now)
    transfer.save()
    reason = f"{TransferReason(reason_code).label}. {transfer.legal_basis}"
    complaint_record(
        complaint=complaint,
        kind=EventKind.TRANSFER_TO_ARBITER if second else EventKind.TRANSFER_PROPOSED,
        now=now,
        actor=actor,
        reason=reason,
        data={
            "transfer": transfer.pk,
            "to_agency": to_agency.code,
            "respond_by": transfer.respond_by.isoformat(),
        },
    )
    notifications.agency_received(complaint, transfer.arbiter_agency if second else to_agency)
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, actor, now: dt.datetime) -> Transfer:
    if not is_target(actor, transfer):
        raise PermissionDenied(_("Chỉ cơ quan được đề nghị nhận mới trả lời đề nghị chuyển."))
    _claim(transfer, TransferStatus.PROPOSED, TransferStatus.ACCEPTED, responded_by=actor, responded_at=now)
    complaint_change_owner(
        complaint=_case(transfer),
        to_agency=transfer.to_agency,
        kind=EventKind.TRANSFER_ACCEPTED,
        now=now,
        actor=actor,
        data={"transfer": transfer.pk},
    )
    return transfer


@transaction.atomic
def transfer_contest(*, transfer: Transfer, actor, now: dt.datetime, reason: str) -> Transfer:
    if not is_target(actor, transfer):
        raise PermissionDenied(_("Chỉ cơ quan được đề nghị nhận mới trả lời đề nghị chuyển."))
    if not (reason or "").strip():
        raise DomainError(_("Vui lòng nêu lý do không đồng ý nhận hồ sơ."))
    _to_arbitration(transfer, now)
    _claim(
        transfer,
        TransferStatus.PROPOSED,
        TransferStatus.ARBITRATION,
        responded_by=actor,
        responded_at=now,
        contest_reason=reason.strip(),
        arbiter_agency=transfer.arbiter_agency,
        decide_by=transfer.decide_by,
    )
    complaint_record(
        complaint=_case(transfer),
        kind=EventKind.TRANSFER_CONTESTED,
        now=now,
        actor=actor,
        reason=reason.strip(),
        data={"transfer": transfer.pk, "arbiter": transfer.arbiter_agency.code},
    )
    notifications.agency_received(transfer.complaint, transfer.arbiter_agency)
    return transfer


@transaction.atomic
def transfer_decide(*, transfer: Transfer, actor, now: dt.datetime, owner: Agency, reason: str) -> Transfer:
    """The arbiter's binding decision: who owns the case from now on, with reasons."""
    if not is_arbiter(actor, transfer):
        raise PermissionDenied(_("Chỉ cơ quan điều phối được giao mới quyết định."))
    if not (reason or "").strip():
        raise DomainError(_("Vui lòng nêu lý do của quyết định."))
    if not owner.is_active:
        raise DomainError(_("Cơ quan được giao không còn hoạt động."))
    _claim(
        transfer,
        TransferStatus.ARBITRATION,
        TransferStatus.DECIDED,
        decided_owner=owner,
        decided_by=actor,
        decided_at=now,
        decision_reason=reason.strip(),
    )
    complaint = _case(transfer)
    data = {"transfer": transfer.pk, "owner": owner.code}
    if owner.pk == complaint.owner_agency_id:
        complaint_record(
            complaint=complaint,
            kind=EventKind.TRANSFER_DECIDED,
            now=now,
            actor=actor,
            reason=reason.strip(),
            data=data,
        )
    else:
        complaint_change_owner(
            complaint=complaint,
            to_agency=owner,
            kind=EventKind.TRANSFER_DECIDED,
            now=now,
            actor=actor,
            reason=reason.strip(),
            data=data,
        )
        notifications.agency_received(complaint, owner)
    return transfer


@transaction.atomic
def transfer_withdraw(*, transfer: Transfer, actor, now: dt.datetime) -> Transfer:
    if not is_holder(actor, _case(transfer)):
        raise PermissionDenied(_("Chỉ cơ quan đang giữ hồ sơ được rút đề nghị chuyển."))
    _claim(transfer, TransferStatus.PROPOSED, TransferStatus.WITHDRAWN, responded_at=now)
    complaint_record(
        complaint=_case(transfer),
        kind=EventKind.TRANSFER_WITHDRAWN,
        now=now,
        actor=actor,
        data={"transfer": transfer.pk},
    )
    return transfer


def sweep_transfers(*, now: dt.datetime) -> dict[str, int]:
    """Silence past the answer deadline counts as acceptance, said so in the timeline; a proposal on a case
    that has ended meanwhile lapses."""
    accepted = lapsed = 0
    for transfer in Transfer.objects.filter(status=TransferStatus.PROPOSED, respond_by__lt=now)[:500]:
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().get(pk=transfer.complaint_id)
            if complaint.status not in OPEN:
                if _claimed(transfer, TransferStatus.PROPOSED, TransferStatus.WITHDRAWN, responded_at=now):
                    lapsed += 1
                continue
            if not _claimed(
                transfer, TransferStatus.PROPOSED, TransferStatus.AUTO_ACCEPTED, responded_at=now
            ):
                continue
            complaint_change_owner(
                complaint=complaint,
                to_agency=transfer.to_agency,
                kind=EventKind.TRANSFER_AUTO_ACCEPTED,
                now=now,
                reason=_("Cơ quan nhận không trả lời trong %(n)s ngày làm việc; coi như đồng ý tiếp nhận.")
                % {"n": _policy("TRANSFER_RESPONSE_WORKING_DAYS")},
                data={"transfer": transfer.pk},
            )
            notifications.agency_received(complaint, transfer.to_agency)
            accepted += 1
    return {"transfers_auto_accepted": accepted, "transfers_lapsed": lapsed}


# --- helpers ------------------------------------------------------------------------------------------


def _case(transfer: Transfer) -> Complaint:
    return transfer.complaint


def _to_arbitration(transfer: Transfer, now: dt.datetime) -> None:
    transfer.status = TransferStatus.ARBITRATION
    transfer.arbiter_agency = arbiter_for(transfer.from_agency, transfer.to_agency)
    transfer.decide_by = calendar_for(now).deadline(now, _policy("ARBITRATION_WORKING_DAYS"))


def _claimed(transfer: Transfer, from_status: str, to_status: str, **changes) -> bool:
    """Compare-and-swap on the transfer's status: of two people answering at once, one wins."""
    written = Transfer.objects.filter(pk=transfer.pk, status=from_status).update(status=to_status, **changes)
    if written == 1:
        transfer.status = to_status
        for field, value in changes.items():
            setattr(transfer, field, value)
    return written == 1


def _claim(transfer: Transfer, from_status: str, to_status: str, **changes) -> None:
    if not _claimed(transfer, from_status, to_status, **changes):
        raise Conflict(_("Đề nghị chuyển này đã được xử lý. Vui lòng tải lại trang."))
