"""Every write to a complaint. One function per transition; views, the API, the admin and tasks call them.

Each service takes the clock reading `now` from its caller, checks the actor's right and the transition
table, writes the case with a compare-and-swap on `version` (two officers at once: one wins, the other
gets `Conflict`), and records a `ComplaintEvent` in the same transaction. Side effects (e-mail) are
enqueued after commit.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bvntd.agencies.models import Agency, Sector
from bvntd.businesses import registry as business_registry
from bvntd.businesses import stage as business_stage
from bvntd.businesses.models import Promise, PromiseStatus, ReferralStatus
from bvntd.businesses.tasks import detect_mass_complaint
from bvntd.core.calendar import end_of_day, local_date
from bvntd.core.crypto import blind_index
from bvntd.core.errors import Conflict, DomainError
from bvntd.core.outbox import enqueue_on_commit
from bvntd.core.text import fold
from bvntd.core.workdays import calendar_for
from bvntd.geo.queries import province_abbr
from bvntd.routing.models import SupportTask, TaskStatus
from bvntd.routing.services import record_suggestion, route_intake
from bvntd.stats import rollup

from . import notifications
from .access import Action, require
from .attachments import UploadedAttachment, store_attachments
from .intake import IntakeData
from .models import (
    Complaint,
    ComplaintEvent,
    EventKind,
    IdempotencyKey,
    Message,
    MessageKind,
    VulnerableStatus,
)
from .states import CLOCK_PAUSED, OPEN, DueKind, Outcome, RejectReason, Status, can_move

CONSUMER = "consumer"
SYSTEM = "system"
# Crockford's base32 without I, L, O, U: easy to read over the phone, 40 random bits per code.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def policy(name: str) -> int:
    return settings.BVNTD[name]


def new_tracking_code(abbr: str) -> str:
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{abbr}-{body[:4]}-{body[4:]}"


# --- writing one change -------------------------------------------------------------------------------


def _write(
    complaint: Complaint,
    *,
    kind: str,
    now: dt.datetime,
    actor=None,
    actor_label: str = "",
    to_status: str | None = None,
    changes: dict | None = None,
    reason: str = "",
    public: bool = False,
    data: dict | None = None,
) -> ComplaintEvent:
    """Compare-and-swap the case, then record the event. Call inside `transaction.atomic()`."""
    changes = dict(changes or {})
    old_status, old_owner = complaint.status, complaint.owner_agency_id
    counted = rollup.contribution(complaint)
    # The table has no self-loops, so repeating a transition (a re-submitted form) is refused too.
    if to_status is not None:
        if not can_move(old_status, to_status):
            raise DomainError(
                _("Không thể chuyển hồ sơ từ trạng thái “%(old)s” sang “%(new)s”.")
                % {"old": Status(old_status).label, "new": Status(to_status).label}
            )
        changes["status"] = to_status
    changes["updated_at"] = now
    written = Complaint.objects.filter(pk=complaint.pk, version=complaint.version).update(
        **changes, version=F("version") + 1
    )
    if written != 1:
        raise Conflict(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thử lại."))
    for field, value in changes.items():
        setattr(complaint, field, value)
    complaint.version += 1
    rollup.record_change(counted, rollup.contribution(complaint))
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        created_at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        from_status=old_status,
        to_status=complaint.status,
        from_agency_id=old_owner,
        to_agency_id=complaint.owner_agency_id,
        reason=reason,
        # The due date this change set, if it set one (the history of the clock).
        due_at=changes.get("due_at"),
        public=public,
        data=data or {},
    )


# Other apps' services (the business stage, mediation) change a case through this same door.
write_change = _write


def resolve_clock(now: dt.datetime, working_days: int) -> dict:
    calendar = calendar_for(now)
    due = calendar.deadline(now, working_days)
    return {
        "due_kind": DueKind.RESOLVE,
        "due_at": due,
        "resolve_due_at": due,
        "calendar_version": calendar.version,
        "paused_working_days": None,
    }


def reopen_changes(now: dt.datetime) -> dict:
    """A new round after a failed outcome (a dispute, a broken settlement): a fresh resolve clock, the old
    outcome cleared (it stays in the events)."""
    return {
        **resolve_clock(now, policy("RESOLVE_WORKING_DAYS")),
        "extended": False,
        "outcome": "",
        "outcome_summary": "",
        "resolved_at": None,
        "dispute_until": None,
    }


def record_events(rows, *, kind: str, now: dt.datetime, actor=None, reason: str = "", data: dict) -> None:
    """One event on each of many cases at once, for a change that leaves their status and owner as they are
    (a merge of their business, a mass-complaint alert). `rows` are (pk, status, owner_agency_id)."""
    ComplaintEvent.objects.bulk_create(
        ComplaintEvent(
            complaint_id=pk,
            kind=kind,
            created_at=now,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label="" if getattr(actor, "pk", None) else SYSTEM,
            from_status=status,
            to_status=status,
            from_agency_id=owner,
            to_agency_id=owner,
            reason=reason,
            data=data,
        )
        for pk, status, owner in rows
    )


# --- intake -------------------------------------------------------------------------------------------


def request_fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def complaint_submit(
    *,
    data: IntakeData,
    channel: str,
    now: dt.datetime,
    actor=None,
    files: Sequence[UploadedAttachment] = (),
    idempotency_key: str = "",
    request_hash: str = "",
) -> tuple[Complaint, bool]:
    """File a complaint. Returns (complaint, created); a retry with the same Idempotency-Key and body
    returns the complaint the first call made, and a different body under the same key is refused."""
    if idempotency_key:
        earlier = _idempotent_replay(idempotency_key, request_hash)
        if earlier is not None:
            return earlier, False
    # The owner from intake until a transfer is accepted: see route_intake (Decree 146/2025 Art.46(1) and
    # the competence matrix).
    decision = route_intake(
        description=data.description,
        business_name=data.business_name,
        province_code=data.province_code,
        commune_code=data.commune_code,
        now=now,
    )
    owner = decision.owner
    sector = decision.suggestion.sector if decision.routed else None
    calendar = calendar_for(now)
    due = calendar.deadline(now, policy("ACCEPT_WORKING_DAYS"))
    try:
        with transaction.atomic():
            complaint = _create_complaint(
                data, channel, now, actor, owner, sector, due, calendar.version, has_files=bool(files)
            )
            # Counted before any later step of intake moves it (those deltas apply on top).
            rollup.record_change(None, rollup.contribution(complaint))
            record_suggestion(complaint=complaint, decision=decision, now=now)
            if idempotency_key:
                IdempotencyKey.objects.create(
                    key=idempotency_key, request_hash=request_hash, complaint=complaint, created_at=now
                )
            store_attachments(complaint=complaint, files=files, now=now, by_consumer=actor is None)
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=EventKind.CREATED,
                created_at=now,
                actor=actor,
                actor_label="" if actor else CONSUMER,
                to_status=Status.RECEIVED,
                to_agency=owner,
                due_at=due,
                public=True,
                data={"channel": channel, "routed": decision.routed, "sector": sector},
            )
            _ask_business_province(complaint, now)
            # Law 19/2023 Art.57(2): a registered business not yet asked answers first.
            business_stage.referral_on_intake(complaint=complaint, now=now)
            # Near-duplicate complaints about one business: checked by the worker, off the intake path.
            enqueue_on_commit(detect_mass_complaint, complaint_id=complaint.pk)
            notifications.complaint_received(complaint)
    except IntegrityError:
        # Two retries raced with the same key: the other one won; answer with its complaint.
        if idempotency_key:
            earlier = _idempotent_replay(idempotency_key, request_hash)
            if earlier is not None:
                return earlier, False
        raise
    return complaint, True


def _idempotent_replay(key: str, request_hash: str) -> Complaint | None:
    record = IdempotencyKey.objects.select_related("complaint").filter(key=key).first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise Conflict(
            _("Idempotency-Key này đã được dùng cho một yêu cầu khác."), code="idempotency_mismatch"
        )
    return record.complaint


def _create_complaint(
    data, channel, now, actor, owner: Agency, sector, due, calendar_version, *, has_files: bool
) -> Complaint:
    vulnerable_status = ""
    if data.vulnerable_group:
        # Law 19/2023 Art.8(2): priority comes with evidence; a file attached to the declaration counts as
        # evidence until staff confirm or correct it.
        vulnerable_status = VulnerableStatus.EVIDENCED if has_files else VulnerableStatus.DECLARED
    fields = dict(
        channel=channel,
        status=Status.RECEIVED,
        owner_agency=owner,
        consumer_name=data.consumer_name,
        phone=data.phone,
        email=data.email,
        address=data.address,
        phone_index=blind_index("phone", data.phone) if data.phone else "",
        email_index=blind_index("email", data.email) if data.email else "",
        province_id=data.province_code,
        commune_id=data.commune_code or None,
        business_name=data.business_name,
        business_tax_code=data.business_tax_code,
        business_address=data.business_address,
        business_province_id=data.business_province_code or None,
        description=data.description,
        amount_vnd=data.amount_vnd,
        purchased_on=data.purchased_on,
        desired_outcome=data.desired_outcome,
        contacted_business=data.contacted_business,
        publish_consent=data.publish_consent,
        vulnerable_group=data.vulnerable_group,
        vulnerable_status=vulnerable_status,
        business=business_registry.business_for_tax_code(data.business_tax_code),
        consent_at=now,
        search_text=search_text_for(data.description, data.business_name),
        sector_id=sector,
        due_kind=DueKind.ACCEPT,
        due_at=due,
        calendar_version=calendar_version,
        received_at=now,
        updated_at=now,
        created_by=actor,
    )
    # The owner's province; a national owner (the State Bank leads banking complaints) has none: the
    # consumer's province then.
    abbr = province_abbr(owner.province_id or data.province_code)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Complaint.objects.create(tracking_code=new_tracking_code(abbr), **fields)
        except IntegrityError:
            continue  # 40 random bits: a collision is rare; try another code
    raise DomainError(_("Không tạo được mã hồ sơ, vui lòng thử lại."))


def _ask_business_province(complaint: Complaint, now: dt.datetime) -> None:
    """A business in another province: that province's Sở Công Thương is asked to support the case (issue 3;
    the consumer's own province keeps it, Decree 146/2025 Art.46(1))."""
    province = complaint.business_province_id
    if not province or province == complaint.owner_agency.province_id:
        return
    agency = Agency.objects.filter(kind="sct", province_id=province, is_active=True).first()
    if agency is None or agency.pk == complaint.owner_agency_id:
        return
    request = _(
        "Doanh nghiệp bị khiếu nại ở %(province)s: đề nghị hỗ trợ liên hệ, xác minh doanh nghiệp."
    ) % {"province": agency.province.full_name}
    task = SupportTask.objects.create(
        complaint=complaint,
        lead_agency=complaint.owner_agency,
        agency=agency,
        request=request,
        due_at=calendar_for(now).deadline(now, policy("SUPPORT_TASK_WORKING_DAYS")),
        created_at=now,
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=EventKind.TASK_REQUESTED,
        created_at=now,
        actor_label=SYSTEM,
        from_status=complaint.status,
        to_status=complaint.status,
        from_agency=complaint.owner_agency,
        to_agency=complaint.owner_agency,
        reason=request,
        public=True,
        data={"task": task.pk, "agency": agency.code},
    )


def search_text_for(description: str, business_name: str) -> str:
    return fold(f"{business_name} {description}")


# --- the agency's work --------------------------------------------------------------------------------


@transaction.atomic
def complaint_accept(
    *, complaint: Complaint, actor, now: dt.datetime, sector: Sector | None = None
) -> Complaint:
    require(actor, complaint, Action.ACCEPT)
    changes = {"accepted_at": now, **resolve_clock(now, policy("RESOLVE_WORKING_DAYS"))}
    if sector is not None:
        changes["sector"] = sector
    _write(
        complaint,
        kind=EventKind.ACCEPTED,
        now=now,
        actor=actor,
        to_status=Status.ACCEPTED,
        changes=changes,
        public=True,
    )
    return complaint


@transaction.atomic
def complaint_start(*, complaint: Complaint, actor, now: dt.datetime) -> Complaint:
    require(actor, complaint, Action.START)
    _write(complaint, kind=EventKind.STARTED, now=now, actor=actor, to_status=Status.IN_PROGRESS, public=True)
    return complaint


@transaction.atomic
def complaint_request_info(*, complaint: Complaint, actor, now: dt.datetime, message: str) -> Complaint:
    """Ask the consumer for information. The resolve clock pauses with the working days it had left."""
    require(actor, complaint, Action.REQUEST_INFO)
    _require_text(message, _("Vui lòng ghi rõ thông tin cần bổ sung."))
    calendar = calendar_for(now)
    left = calendar.working_days_between(local_date(now), local_date(complaint.resolve_due_at or now))
    changes = {
        "paused_working_days": max(left, 1),
        "due_kind": DueKind.CONSUMER_REPLY,
        # Practice under Decree 99/2011 (DOMAIN.md: unconfirmed for the 2023 law, hence a setting).
        "due_at": calendar.deadline(now, policy("CONSUMER_REPLY_WORKING_DAYS")),
        "calendar_version": calendar.version,
    }
    _write(
        complaint,
        kind=EventKind.INFO_REQUESTED,
        now=now,
        actor=actor,
        to_status=Status.AWAITING_INFO,
        changes=changes,
        reason=message,
        public=True,
    )
    Message.objects.create(
        complaint=complaint, kind=MessageKind.TO_CONSUMER, author=actor, body=message, created_at=now
    )
    notifications.consumer_update(complaint, message)
    return complaint


@transaction.atomic
def complaint_reassign(
    *, complaint: Complaint, actor, now: dt.datetime, to_agency: Agency, reason: str
) -> Complaint:
    """Hand the case to another agency. The consumer's clock keeps running (nothing is reset)."""
    require(actor, complaint, Action.REASSIGN)
    _require_open(complaint)
    _require_text(reason, _("Vui lòng nêu lý do chuyển hồ sơ."))
    if to_agency.pk == complaint.owner_agency_id:
        raise DomainError(_("Hồ sơ đang thuộc cơ quan này."))
    if not to_agency.is_active:
        raise DomainError(_("Cơ quan nhận không còn hoạt động."))
    _write(
        complaint,
        kind=EventKind.REASSIGNED,
        now=now,
        actor=actor,
        changes={"owner_agency": to_agency, "assigned_officer": None},
        reason=reason,
        public=True,
    )
    notifications.agency_received(complaint, to_agency)
    return complaint


@transaction.atomic
def complaint_extend(*, complaint: Complaint, actor, now: dt.datetime, reason: str) -> Complaint:
    """One extension of the resolve deadline, with a reason (DOMAIN.md default: 15 working days, once)."""
    require(actor, complaint, Action.EXTEND)
    _require_text(reason, _("Vui lòng nêu lý do gia hạn."))
    if complaint.extended:
        raise DomainError(_("Hồ sơ đã được gia hạn một lần; không thể gia hạn thêm."))
    if complaint.due_kind != DueKind.RESOLVE or complaint.status not in OPEN - CLOCK_PAUSED:
        raise DomainError(_("Chỉ gia hạn được khi hồ sơ đang trong thời hạn giải quyết."))
    if complaint.resolve_due_at < now:
        # An extension is decided while the time limit runs, not after it has passed (it would set a
        # new due date that is already past).
        raise DomainError(_("Hồ sơ đã quá hạn giải quyết; không thể gia hạn nữa."))
    calendar = calendar_for(now)
    base = local_date(complaint.resolve_due_at)
    due = end_of_day(calendar.add_working_days(base, policy("EXTENSION_WORKING_DAYS")))
    _write(
        complaint,
        kind=EventKind.EXTENDED,
        now=now,
        actor=actor,
        reason=reason,
        public=True,
        changes={
            "extended": True,
            "due_at": due,
            "resolve_due_at": due,
            "calendar_version": calendar.version,
        },
    )
    return complaint


@transaction.atomic
def complaint_resolve(
    *, complaint: Complaint, actor, now: dt.datetime, outcome: str, summary: str, open_tasks_reason: str = ""
) -> Complaint:
    require(actor, complaint, Action.RESOLVE)
    # Joint handling: the lead cannot resolve while a supporting agency's task is open, unless it says why.
    open_tasks = SupportTask.objects.filter(complaint=complaint, status=TaskStatus.OPEN).exists()
    if open_tasks and not (open_tasks_reason or "").strip():
        raise DomainError(
            _("Còn việc phối hợp chưa được trả lời; vui lòng ghi rõ lý do giải quyết trước khi có trả lời.")
        )
    if outcome not in Outcome.values:
        raise DomainError(_("Vui lòng chọn kết quả giải quyết."))
    _require_text(summary, _("Vui lòng tóm tắt kết quả giải quyết."))
    calendar = calendar_for(now)
    # The consumer may dispute the outcome within 15 days (Civil Code Art.147-148 counting).
    dispute_until = end_of_day(calendar.end_of_period(local_date(now), policy("DISPUTE_WINDOW_DAYS")))
    changes = {
        "outcome": outcome,
        "outcome_summary": summary,
        "resolved_at": now,
        "dispute_until": dispute_until,
        "due_kind": "",
        "due_at": None,
        "paused_working_days": None,
    }
    _write(
        complaint,
        kind=EventKind.RESOLVED,
        now=now,
        actor=actor,
        to_status=Status.RESOLVED,
        changes=changes,
        reason=summary,
        public=True,
        data={"outcome": outcome, **({"open_tasks_reason": open_tasks_reason} if open_tasks else {})},
    )
    notifications.consumer_update(complaint, summary)
    return complaint


@transaction.atomic
def complaint_reject(
    *,
    complaint: Complaint,
    actor,
    now: dt.datetime,
    reason_code: str,
    explanation: str,
    duplicate_of: Complaint | None = None,
) -> Complaint:
    require(actor, complaint, Action.REJECT)
    if reason_code not in RejectReason.values:
        raise DomainError(_("Vui lòng chọn lý do từ chối."))
    _require_text(explanation, _("Vui lòng giải thích lý do từ chối cho người tiêu dùng."))
    if reason_code == RejectReason.DUPLICATE and (duplicate_of is None or duplicate_of.pk == complaint.pk):
        raise DomainError(_("Vui lòng nhập mã hồ sơ bị trùng (khác hồ sơ này)."))
    if reason_code == RejectReason.NO_REPLY and not (
        complaint.status == Status.AWAITING_INFO and complaint.due_at and complaint.due_at < now
    ):
        raise DomainError(_("Chỉ từ chối vì không bổ sung khi đã hết hạn bổ sung thông tin."))
    changes = {
        "reject_reason": reason_code,
        "closed_at": now,
        "due_kind": "",
        "due_at": None,
        "duplicate_of": duplicate_of if reason_code == RejectReason.DUPLICATE else None,
    }
    _write(
        complaint,
        kind=EventKind.REJECTED,
        now=now,
        actor=actor,
        to_status=Status.REJECTED,
        changes=changes,
        reason=explanation,
        public=True,
        data={"reason_code": reason_code},
    )
    business_stage.end_open_referral(complaint=complaint, now=now, status=ReferralStatus.TAKEN_OVER)
    notifications.consumer_update(complaint, explanation)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor, now: dt.datetime) -> Complaint:
    """Close a resolved case once the consumer's window to dispute it has passed. A rating does not end the
    window early: the consumer keeps the right to dispute for the whole 15 days."""
    if actor is not None:
        require(actor, complaint, Action.CLOSE)
    if complaint.status == Status.RESOLVED and dispute_window_open(complaint, now):
        raise DomainError(_("Người tiêu dùng còn thời hạn phản hồi kết quả; chưa thể đóng hồ sơ."))
    if Promise.objects.filter(complaint=complaint, status=PromiseStatus.PENDING).exists():
        raise DomainError(_("Còn cam kết hòa giải chưa được thực hiện; chưa thể đóng hồ sơ."))
    _write(
        complaint,
        kind=EventKind.CLOSED,
        now=now,
        actor=actor,
        actor_label="" if actor else SYSTEM,
        to_status=Status.CLOSED,
        changes={"closed_at": now},
        public=True,
    )
    return complaint


@transaction.atomic
def complaint_assign_officer(*, complaint: Complaint, actor, now: dt.datetime, officer) -> Complaint:
    require(actor, complaint, Action.ASSIGN)
    membership = getattr(officer, "membership", None)
    if membership is None or membership.agency_id != complaint.owner_agency_id:
        raise DomainError(_("Cán bộ được phân công phải thuộc cơ quan đang xử lý hồ sơ."))
    _write(
        complaint,
        kind=EventKind.OFFICER_ASSIGNED,
        now=now,
        actor=actor,
        changes={"assigned_officer": officer},
        data={"officer": officer.get_username()},
    )
    return complaint


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, actor, now: dt.datetime, body: str) -> Message:
    """An internal note: staff only, never shown to the consumer."""
    require(actor, complaint, Action.NOTE)
    _require_text(body, _("Nội dung ghi chú không được để trống."))
    _write(complaint, kind=EventKind.NOTE, now=now, actor=actor)
    return Message.objects.create(
        complaint=complaint, kind=MessageKind.NOTE, author=actor, body=body, created_at=now
    )


@transaction.atomic
def complaint_message_consumer(*, complaint: Complaint, actor, now: dt.datetime, body: str) -> Message:
    require(actor, complaint, Action.MESSAGE)
    _require_text(body, _("Nội dung tin nhắn không được để trống."))
    _write(complaint, kind=EventKind.MESSAGE, now=now, actor=actor, reason=body, public=True)
    message = Message.objects.create(
        complaint=complaint, kind=MessageKind.TO_CONSUMER, author=actor, body=body, created_at=now
    )
    notifications.consumer_update(complaint, body)
    return message


@transaction.atomic
def complaint_reveal_contact(
    *, complaint: Complaint, actor, now: dt.datetime, purpose: str
) -> dict[str, str]:
    """Show the consumer's personal data to staff for a stated purpose; every reveal is audited."""
    require(actor, complaint, Action.REVEAL)
    _require_text(purpose, _("Vui lòng nêu mục đích xem thông tin cá nhân."))
    _write(complaint, kind=EventKind.PII_REVEALED, now=now, actor=actor, reason=purpose)
    return {
        "consumer_name": complaint.consumer_name,
        "phone": complaint.phone,
        "email": complaint.email,
        "address": complaint.address,
    }


# --- for the transfer protocol (routing.transfers checks the rights and the protocol's own states) ---


def complaint_record(
    *,
    complaint: Complaint,
    kind: str,
    now: dt.datetime,
    actor=None,
    reason: str = "",
    data: dict | None = None,
) -> ComplaintEvent:
    """A step of the transfer protocol that leaves the owner as it is. Call inside a transaction."""
    return _write(
        complaint,
        kind=kind,
        now=now,
        actor=actor,
        actor_label="" if actor else SYSTEM,
        reason=reason,
        public=True,
        data=data,
    )


def complaint_change_owner(
    *,
    complaint: Complaint,
    to_agency: Agency,
    kind: str,
    now: dt.datetime,
    actor=None,
    reason: str = "",
    data: dict | None = None,
) -> ComplaintEvent:
    """The owner changes hands (an accepted or decided transfer). The clock keeps running: only the owner
    and the assigned officer change. Call inside a transaction."""
    _require_open(complaint)
    return _write(
        complaint,
        kind=kind,
        now=now,
        actor=actor,
        actor_label="" if actor else SYSTEM,
        changes={"owner_agency": to_agency, "assigned_officer": None},
        reason=reason,
        public=True,
        data=data,
    )


# --- the consumer's side ------------------------------------------------------------------------------


@transaction.atomic
def complaint_consumer_reply(
    *, complaint: Complaint, now: dt.datetime, body: str, files: Sequence[UploadedAttachment] = ()
) -> Complaint:
    """The consumer adds information. While the case waits for it, the resolve clock resumes with the
    working days it had left when it paused."""
    _require_text(body, _("Vui lòng nhập nội dung bổ sung."))
    if not complaint.is_open:
        raise DomainError(_("Hồ sơ đã kết thúc; không thể bổ sung thông tin."))
    message = Message.objects.create(
        complaint=complaint, kind=MessageKind.FROM_CONSUMER, body=body, created_at=now
    )
    if complaint.status == Status.AWAITING_INFO:
        changes = resolve_clock(now, complaint.paused_working_days or 1)
        _write(
            complaint,
            kind=EventKind.INFO_PROVIDED,
            now=now,
            actor_label=CONSUMER,
            to_status=Status.IN_PROGRESS,
            changes=changes,
            public=True,
        )
    else:
        _write(complaint, kind=EventKind.INFO_PROVIDED, now=now, actor_label=CONSUMER, public=True)
    store_attachments(complaint=complaint, files=files, now=now, by_consumer=True, message=message)
    notifications.agency_update(complaint, "Người tiêu dùng đã bổ sung thông tin.")
    return complaint


@transaction.atomic
def complaint_dispute(*, complaint: Complaint, now: dt.datetime, reason: str) -> Complaint:
    """The consumer disputes the outcome within the window: the case reopens with a fresh resolve clock."""
    _require_text(reason, _("Vui lòng nêu lý do không đồng ý với kết quả."))
    if complaint.status != Status.RESOLVED:
        raise DomainError(_("Chỉ có thể phản đối khi hồ sơ đã có kết quả."))
    if not dispute_window_open(complaint, now):
        raise DomainError(_("Đã hết thời hạn 15 ngày để phản đối kết quả."))
    # The disputed outcome, its rating and its window stay in the events; the case starts a new round.
    changes = {**reopen_changes(now), "consumer_rating": None}
    _write(
        complaint,
        kind=EventKind.DISPUTED,
        now=now,
        actor_label=CONSUMER,
        to_status=Status.REOPENED,
        changes=changes,
        reason=reason,
        public=True,
    )
    notifications.agency_update(complaint, "Người tiêu dùng không đồng ý với kết quả giải quyết.")
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, now: dt.datetime, rating: int, comment: str = "") -> Complaint:
    if complaint.status not in {Status.RESOLVED, Status.CLOSED}:
        raise DomainError(_("Chỉ có thể đánh giá khi hồ sơ đã có kết quả."))
    if complaint.consumer_rating is not None:
        raise DomainError(_("Bạn đã đánh giá hồ sơ này."))
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Điểm đánh giá từ 1 đến 5."))
    _write(
        complaint,
        kind=EventKind.RATED,
        now=now,
        actor_label=CONSUMER,
        changes={"consumer_rating": rating},
        reason=comment,
        public=True,
        data={"rating": rating},
    )
    return complaint


@transaction.atomic
def complaint_withdraw(*, complaint: Complaint, now: dt.datetime, reason: str = "") -> Complaint:
    if not complaint.is_open:
        raise DomainError(_("Hồ sơ đã kết thúc."))
    _write(
        complaint,
        kind=EventKind.WITHDRAWN,
        now=now,
        actor_label=CONSUMER,
        to_status=Status.WITHDRAWN,
        changes={"closed_at": now, "due_kind": "", "due_at": None},
        reason=reason,
        public=True,
    )
    business_stage.end_open_referral(complaint=complaint, now=now, status=ReferralStatus.WITHDRAWN)
    notifications.agency_update(complaint, "Người tiêu dùng đã rút yêu cầu.")
    return complaint


# --- helpers ------------------------------------------------------------------------------------------


def dispute_window_open(complaint: Complaint, now: dt.datetime) -> bool:
    return complaint.dispute_until is not None and now <= complaint.dispute_until


def _require_text(value: str, message: str) -> None:
    if not (value or "").strip():
        raise DomainError(message)


def _require_open(complaint: Complaint) -> None:
    if complaint.status not in OPEN:
        raise DomainError(_("Hồ sơ đã kết thúc hoặc đã có kết quả; không thể chuyển."))
