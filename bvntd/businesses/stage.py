"""The business stage: a complaint goes to the business first, which answers in its portal or API; the
consumer accepts or disputes the answer; silence, a refusal or a dispute moves the case to the agency.

Law 19/2023 Art.57(2): the business receives the consumer's request and negotiates within 7 working days.
Art.56(3), 57(3): when it does not, or refuses without valid reason, the consumer turns to a state agency.
The agency owns the case throughout (ARCHITECTURE rule 1); the clocks are the business's, then the
consumer's, and the agency's own accept clock starts when the case comes to it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bvntd.complaints import notifications
from bvntd.complaints import services as case_services
from bvntd.complaints.access import Action, require
from bvntd.complaints.models import Complaint, EventKind
from bvntd.complaints.states import BUSINESS_STAGE, DueKind, Outcome, Status
from bvntd.core.calendar import end_of_day, local_date
from bvntd.core.errors import Conflict, DomainError, FieldError, FieldErrors
from bvntd.core.workdays import calendar_for

from .models import (
    FINAL_ANSWERS,
    REFERRAL_OPEN,
    AnswerKind,
    Business,
    BusinessAnswer,
    BusinessApiToken,
    BusinessMember,
    Referral,
    ReferralStatus,
)

BUSINESS = "business"
ANSWER_MIN, ANSWER_MAX = 10, 10_000
MAX_RELIEF_VND = 10**13
# What a final answer becomes when the consumer accepts it.
OUTCOME_OF = {
    AnswerKind.MONETARY: Outcome.REFUNDED,
    AnswerKind.NON_MONETARY: Outcome.REPAIRED,
    AnswerKind.EXPLANATION: Outcome.EXPLAINED,
}


def policy(name: str) -> int:
    return settings.BVNTD[name]


def has_portal(business: Business) -> bool:
    """A business can answer only if someone (a person or its systems) is there to read the case."""
    return (
        BusinessMember.objects.filter(business=business, user__is_active=True).exists()
        or BusinessApiToken.objects.filter(business=business, revoked_at__isnull=True).exists()
    )


def answer_due(now: dt.datetime, *, priority: bool) -> dt.datetime:
    # Law 19/2023 Art.57(2): 7 working days; Art.8 priority: a shorter target set by policy.
    days = policy("BUSINESS_PRIORITY_WORKING_DAYS") if priority else policy("BUSINESS_ANSWER_WORKING_DAYS")
    return calendar_for(now).deadline(now, days)


# --- sending ------------------------------------------------------------------------------------------


def referral_on_intake(*, complaint: Complaint, now: dt.datetime) -> Referral | None:
    """At intake: a consumer who has not asked the business yet, about a registered business with a portal,
    goes to the business first. Call inside the intake transaction."""
    if complaint.contacted_business is not False or complaint.business is None:
        return None
    if not has_portal(complaint.business):
        return None
    return _send(complaint, complaint.business, now, actor=None)


@transaction.atomic
def referral_send(*, complaint: Complaint, actor, now: dt.datetime) -> Referral:
    """Staff send a case to the business first (the consumer had not asked it; the business was matched
    after intake)."""
    require(actor, complaint, Action.BUSINESS)
    if complaint.status != Status.RECEIVED:
        raise DomainError(_("Chỉ chuyển doanh nghiệp giải quyết trước khi cơ quan chưa thụ lý hồ sơ."))
    if complaint.business is None:
        raise DomainError(_("Vui lòng xác định doanh nghiệp bị khiếu nại trước."))
    if complaint.contacted_business:
        raise DomainError(
            _(
                "Người tiêu dùng đã yêu cầu doanh nghiệp giải quyết; "
                "cơ quan hỗ trợ giải quyết (Điều 56 khoản 3)."
            )
        )
    if Referral.objects.filter(complaint=complaint).exists():
        raise DomainError(_("Hồ sơ đã qua giai đoạn doanh nghiệp giải quyết."))
    if not has_portal(complaint.business):
        raise DomainError(_("Doanh nghiệp chưa có tài khoản trên hệ thống; vui lòng mời doanh nghiệp trước."))
    return _send(complaint, complaint.business, now, actor=actor)


def _send(complaint: Complaint, business: Business, now: dt.datetime, *, actor) -> Referral:
    priority = complaint.is_priority
    due = answer_due(now, priority=priority)
    referral = Referral.objects.create(
        complaint=complaint, business=business, priority=priority, sent_at=now, answer_due_at=due
    )
    case_services.write_change(
        complaint,
        kind=EventKind.SENT_TO_BUSINESS,
        now=now,
        actor=actor,
        actor_label="" if actor else case_services.SYSTEM,
        to_status=Status.AT_BUSINESS,
        changes={"due_kind": DueKind.BUSINESS, "due_at": due, "calendar_version": calendar_for(now).version},
        reason=_("Doanh nghiệp %(name)s trả lời trước (Luật Bảo vệ quyền lợi người tiêu dùng 2023, Điều 57).")
        % {"name": business.name},
        public=True,
        data={"business": business.pk, "priority": priority},
    )
    notifications.business_received(complaint, business)
    return referral


# --- the business answers ----------------------------------------------------------------------------


def _check_answer(referral, now, kind, body, amount_vnd, expected_on) -> None:
    errors = []
    if kind not in AnswerKind.values:
        errors.append(FieldError("kind", _("Vui lòng chọn loại trả lời.")))
    text = (body or "").strip()
    if len(text) < ANSWER_MIN:
        errors.append(
            FieldError("body", _("Vui lòng trả lời cụ thể (ít nhất %(n)s ký tự).") % {"n": ANSWER_MIN})
        )
    elif len(text) > ANSWER_MAX:
        errors.append(FieldError("body", _("Tối đa %(limit)s ký tự.") % {"limit": ANSWER_MAX}))
    if kind == AnswerKind.MONETARY and (
        isinstance(amount_vnd, bool)
        or not isinstance(amount_vnd, int)
        or not 0 < amount_vnd <= MAX_RELIEF_VND
    ):
        errors.append(
            FieldError("amount_vnd", _("Vui lòng nhập số tiền hoàn trả, bồi thường (đồng, lớn hơn 0)."))
        )
    if kind == AnswerKind.IN_PROGRESS:
        latest = calendar_for(now).add_working_days(
            local_date(referral.sent_at), policy("BUSINESS_IN_PROGRESS_MAX_WORKING_DAYS")
        )
        if expected_on is None:
            errors.append(FieldError("expected_on", _("Vui lòng hẹn ngày trả lời.")))
        elif not local_date(now) < expected_on <= latest:
            errors.append(
                FieldError(
                    "expected_on",
                    _("Ngày hẹn phải sau hôm nay và không muộn hơn %(date)s.")
                    % {"date": latest.strftime("%d/%m/%Y")},
                )
            )
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def referral_answer(
    *,
    complaint: Complaint,
    business: Business,
    now: dt.datetime,
    kind: str,
    body: str,
    amount_vnd: int | None = None,
    expected_on: dt.date | None = None,
    author=None,
    via: str = "portal",
) -> BusinessAnswer:
    """The business's structured answer. A final answer waits for the consumer; "in progress" keeps the case
    with the business until the date it names; a refusal sends the case to the agency at once."""
    referral = _open_referral(complaint, business)
    if referral.status == ReferralStatus.ANSWERED:
        raise DomainError(_("Doanh nghiệp đã trả lời; đang chờ người tiêu dùng phản hồi."))
    _check_answer(referral, now, kind, body, amount_vnd, expected_on)
    answer = BusinessAnswer.objects.create(
        referral=referral,
        kind=kind,
        body=body.strip(),
        amount_vnd=amount_vnd if kind == AnswerKind.MONETARY else None,
        expected_on=expected_on if kind == AnswerKind.IN_PROGRESS else None,
        author=author,
        via=via,
        created_at=now,
    )
    if referral.first_answer_at is None:
        referral.first_answer_at = now
    data = {"answer": answer.pk, "kind": kind, "amount_vnd": answer.amount_vnd, "via": via}
    label = "" if author else BUSINESS
    if kind == AnswerKind.REFUSED:
        _save(referral, ReferralStatus.REFUSED, now)
        _to_agency(
            complaint, now, kind=EventKind.BUSINESS_REFUSED, actor=author, label=label, reason=body, data=data
        )
    else:
        if kind == AnswerKind.IN_PROGRESS:
            # The case stays with the business until the date it named.
            _save(referral, ReferralStatus.IN_PROGRESS, None)
            to_status, changes = None, {"due_at": end_of_day(expected_on)}
        else:
            _save(referral, ReferralStatus.ANSWERED, None)
            days = policy("ANSWER_DECISION_DAYS")
            decide_by = end_of_day(calendar_for(now).end_of_period(local_date(now), days))
            to_status = Status.BUSINESS_ANSWERED
            changes = {"due_kind": DueKind.CONSUMER_DECISION, "due_at": decide_by}
        case_services.write_change(
            complaint,
            kind=EventKind.BUSINESS_ANSWERED,
            now=now,
            actor=author,
            actor_label=label,
            to_status=to_status,
            changes=changes,
            reason=body,
            public=True,
            data=data,
        )
    notifications.consumer_update(complaint, _("Doanh nghiệp đã trả lời khiếu nại của bạn."))
    return answer


@transaction.atomic
def referral_hand_over(
    *, complaint: Complaint, business: Business, now: dt.datetime, third_party: str, author=None
) -> Referral:
    """The business asks a third party (a seller on its marketplace, a warranty centre) to handle the
    request; it stays answerable for it."""
    referral = _open_referral(complaint, business)
    if referral.priority:
        # Law 19/2023 Art.8(2): a vulnerable consumer's request may not be handed to a third party.
        raise DomainError(
            _(
                "Người tiêu dùng thuộc nhóm dễ bị tổn thương: doanh nghiệp phải trực tiếp tiếp nhận, "
                "giải quyết, không được chuyển cho bên thứ ba "
                "(Điều 8 Luật Bảo vệ quyền lợi người tiêu dùng 2023)."
            )
        )
    name = " ".join((third_party or "").split())
    if not name:
        raise FieldErrors([FieldError("third_party", _("Vui lòng nhập tên bên thứ ba."))])
    Referral.objects.filter(pk=referral.pk).update(handed_to=name[:300])
    case_services.write_change(
        complaint,
        kind=EventKind.BUSINESS_HANDED_OVER,
        now=now,
        actor=author,
        actor_label="" if author else BUSINESS,
        reason=name,
        public=True,
    )
    return referral


def _open_referral(complaint: Complaint, business: Business) -> Referral:
    referral = Referral.objects.select_for_update().filter(complaint=complaint, business=business).first()
    if referral is None or not referral.is_open or complaint.status not in BUSINESS_STAGE:
        raise DomainError(_("Hồ sơ không còn ở giai đoạn doanh nghiệp giải quyết."))
    return referral


def _save(referral: Referral, status: str, ended_at: dt.datetime | None, **extra) -> None:
    fields = {"status": status, "ended_at": ended_at, "first_answer_at": referral.first_answer_at, **extra}
    Referral.objects.filter(pk=referral.pk).update(**fields)
    for name, value in fields.items():
        setattr(referral, name, value)


def _to_agency(
    complaint: Complaint, now: dt.datetime, *, kind: str, actor=None, label="", reason="", data=None
):
    """The case comes to the agency: its accept clock starts now."""
    calendar = calendar_for(now)
    case_services.write_change(
        complaint,
        kind=kind,
        now=now,
        actor=actor,
        actor_label=label,
        to_status=Status.RECEIVED,
        changes={
            "due_kind": DueKind.ACCEPT,
            "due_at": calendar.deadline(now, policy("ACCEPT_WORKING_DAYS")),
            "calendar_version": calendar.version,
        },
        reason=reason,
        public=True,
        data=data,
    )
    notifications.agency_update(complaint, _("Hồ sơ chuyển sang giai đoạn cơ quan giải quyết."))


# --- the consumer decides ----------------------------------------------------------------------------


def latest_answer(referral: Referral) -> BusinessAnswer | None:
    return referral.answers.order_by("-created_at", "-pk").first()


@transaction.atomic
def answer_accept(*, complaint: Complaint, now: dt.datetime, lapsed: bool = False) -> Complaint:
    """The consumer accepts the business's answer (or lets the window pass): the case closes with it."""
    if complaint.status != Status.BUSINESS_ANSWERED:
        raise DomainError(_("Không có câu trả lời nào của doanh nghiệp đang chờ bạn phản hồi."))
    referral = Referral.objects.select_for_update().get(complaint=complaint)
    answer = latest_answer(referral)
    if answer is None or answer.kind not in FINAL_ANSWERS:
        raise DomainError(_("Không có câu trả lời nào của doanh nghiệp đang chờ bạn phản hồi."))
    status = ReferralStatus.LAPSED if lapsed else ReferralStatus.ACCEPTED
    _save(referral, status, now, relief_vnd=answer.amount_vnd)
    case_services.write_change(
        complaint,
        kind=EventKind.ANSWER_LAPSED if lapsed else EventKind.ANSWER_ACCEPTED,
        now=now,
        actor_label=case_services.SYSTEM if lapsed else case_services.CONSUMER,
        to_status=Status.CLOSED,
        changes={
            "outcome": OUTCOME_OF[answer.kind],
            "outcome_summary": answer.body,
            "resolved_at": now,
            "closed_at": now,
            "due_kind": "",
            "due_at": None,
        },
        public=True,
        data={"answer": answer.pk, "amount_vnd": answer.amount_vnd},
    )
    notifications.business_update(
        complaint, referral.business, _("Người tiêu dùng đã đồng ý với câu trả lời.")
    )
    return complaint


@transaction.atomic
def answer_dispute(*, complaint: Complaint, now: dt.datetime, reason: str) -> Complaint:
    """The consumer does not accept the answer (or the delay an "in progress" answer asks for): the agency
    steps in (Law 19/2023 Art.56(3))."""
    if not (reason or "").strip():
        raise DomainError(_("Vui lòng nêu lý do không đồng ý."))
    referral = Referral.objects.select_for_update().filter(complaint=complaint).first()
    waiting_on_consumer = complaint.status == Status.BUSINESS_ANSWERED
    delayed = (
        complaint.status == Status.AT_BUSINESS and referral and referral.status == ReferralStatus.IN_PROGRESS
    )
    if referral is None or not (waiting_on_consumer or delayed):
        raise DomainError(_("Không có câu trả lời nào của doanh nghiệp đang chờ bạn phản hồi."))
    _save(referral, ReferralStatus.DISPUTED, now)
    _to_agency(complaint, now, kind=EventKind.ANSWER_DISPUTED, label=case_services.CONSUMER, reason=reason)
    notifications.business_update(
        complaint, referral.business, _("Người tiêu dùng không đồng ý với câu trả lời.")
    )
    return complaint


# --- the agency ---------------------------------------------------------------------------------------


@transaction.atomic
def referral_take_over(*, complaint: Complaint, actor, now: dt.datetime, reason: str) -> Complaint:
    """The agency takes the case from the business before its time is up (an urgent or unsafe matter)."""
    require(actor, complaint, Action.BUSINESS)
    if complaint.status not in BUSINESS_STAGE:
        raise DomainError(_("Hồ sơ không ở giai đoạn doanh nghiệp giải quyết."))
    if not (reason or "").strip():
        raise DomainError(_("Vui lòng nêu lý do cơ quan tiếp nhận giải quyết ngay."))
    referral = Referral.objects.select_for_update().get(complaint=complaint)
    _save(referral, ReferralStatus.TAKEN_OVER, now)
    _to_agency(complaint, now, kind=EventKind.AGENCY_TOOK_OVER, actor=actor, reason=reason)
    return complaint


def end_open_referral(*, complaint: Complaint, now: dt.datetime, status: str) -> None:
    """The case ended while with the business (withdrawn, rejected): end the business stage too."""
    Referral.objects.filter(complaint=complaint, status__in=REFERRAL_OPEN).update(status=status, ended_at=now)


# --- the sweep ----------------------------------------------------------------------------------------


def sweep_business_stage(*, now: dt.datetime, batch: int = 500) -> dict[str, int]:
    """Silence moves the case to the agency; a consumer who lets the answer window pass accepts it."""
    silent = lapsed = 0
    late = Complaint.objects.filter(status=Status.AT_BUSINESS, due_at__lt=now).order_by("due_at")[:batch]
    for complaint in late:
        try:
            _silence(complaint, now)
        except (Conflict, DomainError):
            continue  # changed meanwhile; the next sweep looks again
        silent += 1
    waiting = Complaint.objects.filter(status=Status.BUSINESS_ANSWERED, due_at__lt=now).order_by("due_at")[
        :batch
    ]
    for complaint in waiting:
        try:
            answer_accept(complaint=complaint, now=now, lapsed=True)
        except (Conflict, DomainError):
            continue
        lapsed += 1
    return {"business_silent": silent, "answers_lapsed": lapsed}


@transaction.atomic
def _silence(complaint: Complaint, now: dt.datetime) -> None:
    referral = Referral.objects.select_for_update().get(complaint=complaint)
    in_progress = referral.status == ReferralStatus.IN_PROGRESS
    _save(referral, ReferralStatus.SILENT, now)
    reason = (
        _("Doanh nghiệp không trả lời đến ngày đã hẹn.")
        if in_progress
        else _(
            "Doanh nghiệp không trả lời trong thời hạn (Luật Bảo vệ quyền lợi người tiêu dùng 2023, Điều 57)."
        )
    )
    _to_agency(
        complaint,
        now,
        kind=EventKind.BUSINESS_SILENT,
        label=case_services.SYSTEM,
        reason=reason,
        data={"business": referral.business_id, "due_at": complaint.due_at.isoformat()},
    )
