"""Mediation by the agency: sessions, minutes, the settlement and the promises in it.

Law 19/2023 ch.5 names negotiation, mediation, arbitration and court. A settlement resolves the case; its
promises keep it open until each is kept, and a broken promise reopens it with a fresh resolve clock.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bvntd.complaints import notifications
from bvntd.complaints import services as case_services
from bvntd.complaints.access import Action, require
from bvntd.complaints.models import Complaint, EventKind
from bvntd.complaints.states import FINAL, Outcome, Status
from bvntd.core.calendar import VN_TZ, local_date
from bvntd.core.errors import Conflict, DomainError, FieldError, FieldErrors
from bvntd.core.workdays import calendar_for

from .models import MediationSession, Party, Promise, PromiseStatus, SessionStatus, Settlement

# Mediation is agency work on an accepted case.
MEDIATION_STATES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})
MAX_PROMISES = 20


def policy(name: str) -> int:
    return settings.BVNTD[name]


@dataclass(frozen=True)
class PromiseInput:
    party: str
    description: str
    amount_vnd: int | None
    due_on: dt.date | None


# --- sessions -----------------------------------------------------------------------------------------


def _check_session(now, scheduled_at, place, online_link, participants) -> list[str]:
    errors = []
    if scheduled_at is None:
        errors.append(FieldError("scheduled_at", _("Vui lòng chọn thời gian hòa giải.")))
    elif scheduled_at < now - dt.timedelta(days=30):
        errors.append(FieldError("scheduled_at", _("Thời gian hòa giải không được trước quá 30 ngày.")))
    if not (place or "").strip() and not (online_link or "").strip():
        errors.append(FieldError("place", _("Vui lòng nhập địa điểm hoặc đường dẫn họp trực tuyến.")))
    lines = [line.strip() for line in (participants or "").splitlines() if line.strip()]
    if len(lines) < 2:
        errors.append(
            FieldError("participants", _("Vui lòng ghi ít nhất hai người tham dự, mỗi người một dòng."))
        )
    if errors:
        raise FieldErrors(errors)
    return lines


@transaction.atomic
def mediation_schedule(
    *,
    complaint: Complaint,
    actor,
    now: dt.datetime,
    scheduled_at: dt.datetime | None,
    place: str = "",
    online_link: str = "",
    participants: str = "",
) -> MediationSession:
    require(actor, complaint, Action.MEDIATE)
    if complaint.status not in MEDIATION_STATES:
        raise DomainError(_("Chỉ tổ chức hòa giải khi hồ sơ đã được thụ lý và đang giải quyết."))
    lines = _check_session(now, scheduled_at, place, online_link, participants)
    number = (complaint.mediations.aggregate(n=Max("number"))["n"] or 0) + 1
    session = MediationSession.objects.create(
        complaint=complaint,
        agency=complaint.owner_agency,
        number=number,
        scheduled_at=scheduled_at,
        place=" ".join(place.split())[:300],
        online_link=online_link.strip()[:500],
        participants="\n".join(lines),
        created_by=actor,
        created_at=now,
    )
    when = scheduled_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
    where = session.place or session.online_link
    message = _("Phiên hòa giải số %(n)s: %(when)s, %(where)s.") % {"n": number, "when": when, "where": where}
    case_services.write_change(
        complaint,
        kind=EventKind.MEDIATION_SCHEDULED,
        now=now,
        actor=actor,
        reason=message,
        public=True,
        data={"session": session.pk, "number": number},
    )
    notifications.consumer_update(complaint, message)
    if complaint.business_id:
        notifications.business_update(complaint, complaint.business, message)
    return session


@transaction.atomic
def mediation_cancel(*, session: MediationSession, actor, now: dt.datetime, reason: str) -> MediationSession:
    complaint = session.complaint
    require(actor, complaint, Action.MEDIATE)
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError(_("Chỉ hủy được phiên hòa giải chưa diễn ra."))
    if not (reason or "").strip():
        raise FieldErrors([FieldError("reason", _("Vui lòng nêu lý do hủy."))])
    _claim(session, SessionStatus.SCHEDULED, status=SessionStatus.CANCELLED)
    case_services.write_change(
        complaint,
        kind=EventKind.MEDIATION_CANCELLED,
        now=now,
        actor=actor,
        reason=reason,
        public=True,
        data={"session": session.pk},
    )
    return session


def _claim(session: MediationSession, expected: str, **changes) -> None:
    """Compare-and-swap on the session's status: two officers recording the same session, one wins."""
    if MediationSession.objects.filter(pk=session.pk, status=expected).update(**changes) != 1:
        raise Conflict(_("Phiên hòa giải vừa được người khác cập nhật. Vui lòng tải lại trang."))
    for name, value in changes.items():
        setattr(session, name, value)


# --- minutes and settlement ---------------------------------------------------------------------------


def _check_promises(promises: list[PromiseInput], today: dt.date) -> None:
    errors = []
    if len(promises) > MAX_PROMISES:
        errors.append(FieldError("promises", _("Tối đa %(n)s cam kết.") % {"n": MAX_PROMISES}))
    for index, item in enumerate(promises, start=1):
        prefix = f"promises.{index}"
        if item.party not in Party.values:
            errors.append(
                FieldError(f"{prefix}.party", _("Cam kết %(i)s: chọn bên thực hiện.") % {"i": index})
            )
        if not (item.description or "").strip():
            errors.append(
                FieldError(f"{prefix}.description", _("Cam kết %(i)s: ghi nội dung.") % {"i": index})
            )
        if item.amount_vnd is not None and not 0 < item.amount_vnd <= 10**13:
            errors.append(
                FieldError(f"{prefix}.amount_vnd", _("Cam kết %(i)s: số tiền không hợp lệ.") % {"i": index})
            )
        if item.due_on is None or item.due_on < today:
            errors.append(
                FieldError(
                    f"{prefix}.due_on", _("Cam kết %(i)s: hạn thực hiện từ hôm nay trở đi.") % {"i": index}
                )
            )
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def mediation_record(
    *,
    session: MediationSession,
    actor,
    now: dt.datetime,
    minutes: str,
    settlement_summary: str = "",
    promises: list[PromiseInput] | None = None,
) -> MediationSession:
    """Record what happened at a session and, when the sides agreed, the settlement: it resolves the case
    (outcome "settled") and its promises are tracked until kept."""
    complaint = session.complaint
    require(actor, complaint, Action.MEDIATE)
    promises = promises or []
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError(_("Phiên hòa giải này đã được ghi biên bản hoặc đã hủy."))
    if local_date(now) < local_date(session.scheduled_at):
        # Minutes of a session that has not taken place: the printout would date it before it happened.
        raise DomainError(
            _("Phiên hòa giải được lên lịch ngày %(date)s; chỉ ghi biên bản từ ngày đó.")
            % {"date": local_date(session.scheduled_at).strftime("%d/%m/%Y")}
        )
    if not (minutes or "").strip():
        raise FieldErrors([FieldError("minutes", _("Vui lòng ghi diễn biến phiên hòa giải."))])
    settled = bool((settlement_summary or "").strip())
    if promises and not settled:
        raise FieldErrors([FieldError("settlement_summary", _("Vui lòng tóm tắt thỏa thuận của các bên."))])
    if settled and complaint.status not in MEDIATION_STATES:
        raise DomainError(_("Hồ sơ không ở trạng thái có thể ghi nhận kết quả hòa giải."))
    _check_promises(promises, local_date(now))
    _claim(session, SessionStatus.SCHEDULED, status=SessionStatus.HELD, minutes=minutes.strip(), held_at=now)
    case_services.write_change(
        complaint,
        kind=EventKind.MEDIATION_HELD,
        now=now,
        actor=actor,
        public=True,
        data={"session": session.pk, "settled": settled},
    )
    if settled:
        _settle(session, actor, now, settlement_summary.strip(), promises)
    return session


def _settle(session, actor, now, summary: str, promises: list[PromiseInput]) -> Settlement:
    complaint = session.complaint
    settlement = Settlement.objects.create(
        complaint=complaint, session=session, summary=summary, created_by=actor, created_at=now
    )
    Promise.objects.bulk_create(
        Promise(
            settlement=settlement,
            complaint=complaint,
            party=item.party,
            description=" ".join(item.description.split())[:500],
            amount_vnd=item.amount_vnd,
            due_on=item.due_on,
        )
        for item in promises
    )
    case_services.write_change(
        complaint,
        kind=EventKind.SETTLEMENT_RECORDED,
        now=now,
        actor=actor,
        reason=summary,
        public=True,
        data={"settlement": settlement.pk, "promises": len(promises)},
    )
    case_services.complaint_resolve(
        complaint=complaint,
        actor=actor,
        now=now,
        outcome=Outcome.SETTLED,
        summary=summary,
        open_tasks_reason=_("Đã hòa giải thành công."),
    )
    return settlement


# --- promises -----------------------------------------------------------------------------------------


@transaction.atomic
def promise_mark(*, promise: Promise, actor, now: dt.datetime, kept: bool, note: str = "") -> Promise:
    """An officer records that a promise was kept (with what shows it) or broken."""
    require(actor, promise.complaint, Action.MEDIATE)
    if kept and not (note or "").strip():
        raise FieldErrors(
            [FieldError("note", _("Vui lòng ghi căn cứ xác nhận đã thực hiện (chứng từ, xác nhận)."))]
        )
    if kept:
        _end(promise, PromiseStatus.KEPT, now, note)
        case_services.write_change(
            promise.complaint,
            kind=EventKind.PROMISE_KEPT,
            now=now,
            actor=actor,
            reason=promise.description,
            public=True,
            data={"promise": promise.pk},
        )
        return promise
    _break(promise, now, note or _("Cán bộ xác nhận cam kết không được thực hiện."), actor=actor)
    return promise


@transaction.atomic
def promise_report_broken(*, promise: Promise, now: dt.datetime, reason: str) -> Promise:
    """The consumer says the business did not keep a promise (from the tracking page), once its due date has
    passed; the consumer's own promises and those not yet due are the officer's to judge."""
    if not (reason or "").strip():
        raise DomainError(_("Vui lòng cho biết cam kết nào chưa được thực hiện."))
    if promise.party != Party.BUSINESS or local_date(now) <= promise.due_on:
        raise DomainError(_("Chỉ báo được cam kết của doanh nghiệp đã quá hạn thực hiện."))
    _break(promise, now, reason, label=case_services.CONSUMER)
    return promise


def _end(promise: Promise, status: str, now: dt.datetime, note: str) -> None:
    written = Promise.objects.filter(pk=promise.pk, status=PromiseStatus.PENDING).update(
        status=status, ended_at=now, ended_note=note.strip()
    )
    if written != 1:
        raise DomainError(_("Cam kết này đã được ghi nhận trước đó."))
    promise.status, promise.ended_at, promise.ended_note = status, now, note.strip()


def _break(promise: Promise, now: dt.datetime, reason: str, *, actor=None, label: str = "") -> None:
    complaint = Complaint.objects.get(pk=promise.complaint_id)
    if complaint.status in FINAL:
        # Withdrawn or rejected after a first broken promise reopened it: the rest of the settlement is moot,
        # and an event saying "reopened" on an ended case would be false.
        raise DomainError(_("Hồ sơ đã kết thúc; không ghi nhận thêm về cam kết hòa giải."))
    _end(promise, PromiseStatus.BROKEN, now, reason)
    reopens = complaint.status == Status.RESOLVED
    data = {"promise": promise.pk, "due_on": promise.due_on.isoformat()}
    label = label or ("" if actor else case_services.SYSTEM)
    # A resolved case's settlement failed: it reopens with a fresh resolve clock, as after a dispute.
    case_services.write_change(
        complaint,
        kind=EventKind.PROMISE_BROKEN,
        now=now,
        actor=actor,
        actor_label=label,
        to_status=Status.REOPENED if reopens else None,
        changes=case_services.reopen_changes(now) if reopens else None,
        reason=reason,
        public=True,
        data=data,
    )
    notifications.agency_update(
        complaint,
        _("Cam kết hòa giải không được thực hiện; hồ sơ mở lại.")
        if reopens
        else _("Cam kết hòa giải không được thực hiện."),
    )


def sweep_promises(*, now: dt.datetime, batch: int = 500) -> dict[str, int]:
    """Remind before a promise falls due; a promise still unmarked after the grace period counts as broken."""
    calendar = calendar_for(now)
    today = local_date(now)
    soon = calendar.add_working_days(today, policy("PROMISE_DUE_SOON_WORKING_DAYS"))
    reminded = 0
    # A case withdrawn or rejected with promises still pending: nothing left to remind of or to break.
    pending = Promise.objects.filter(status=PromiseStatus.PENDING).exclude(complaint__status__in=FINAL)
    for promise in pending.filter(due_soon_noted=False, due_on__lte=soon).order_by("due_on", "pk")[:batch]:
        try:
            with transaction.atomic():
                if (
                    Promise.objects.filter(pk=promise.pk, due_soon_noted=False).update(due_soon_noted=True)
                    != 1
                ):
                    continue
                # Read the case now, not with the batch: an earlier promise of the same settlement may have
                # just written to it, and a stale version would be refused.
                complaint = Complaint.objects.get(pk=promise.complaint_id)
                text = _("Cam kết hòa giải đến hạn ngày %(date)s: %(what)s") % {
                    "date": promise.due_on.strftime("%d/%m/%Y"),
                    "what": promise.description,
                }
                case_services.write_change(
                    complaint,
                    kind=EventKind.PROMISE_DUE_SOON,
                    now=now,
                    actor_label=case_services.SYSTEM,
                    reason=text,
                    public=True,
                    data={"promise": promise.pk},
                )
                notifications.agency_update(complaint, text)
        except (Conflict, DomainError):
            continue  # changed meanwhile; the next sweep looks again
        reminded += 1
    broken = 0
    # The last day for marking is the grace period's last working day after the due date (Civil Code
    # counting: the due date itself excluded); the query takes only promises whose grace period is over.
    overdue = pending.filter(due_on__lte=_last_broken_due_date(calendar, today)).order_by("due_on", "pk")
    for promise in overdue[:batch]:
        try:
            with transaction.atomic():
                _break(promise, now, _("Quá hạn thực hiện cam kết mà không có xác nhận đã thực hiện."))
        except (Conflict, DomainError):
            continue
        broken += 1
    return {"promises_due_soon": reminded, "promises_broken": broken}


def _last_broken_due_date(calendar, today: dt.date) -> dt.date:
    """The latest due date whose grace period ended before `today`."""
    grace = policy("PROMISE_GRACE_WORKING_DAYS")
    due = today - dt.timedelta(days=1)
    while calendar.add_working_days(due, grace) >= today:
        due -= dt.timedelta(days=1)
    return due
