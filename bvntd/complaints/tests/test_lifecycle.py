"""The case from intake to closing, through the services, with the working-day clock."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction

from bvntd.complaints import services
from bvntd.complaints.models import ComplaintEvent, Message, MessageKind
from bvntd.complaints.states import DueKind, Outcome, RejectReason, Status
from bvntd.core.calendar import VN_TZ
from bvntd.core.errors import Conflict, DomainError, PermissionDenied
from tests_helpers import vn


def local_due(complaint):
    return complaint.due_at.astimezone(VN_TZ).date()


@pytest.mark.django_db
def test_intake_starts_the_three_working_day_accept_clock(make_complaint):
    complaint = make_complaint(at=vn(2026, 11, 2))  # Monday
    assert complaint.due_kind == DueKind.ACCEPT
    assert local_due(complaint) == dt.date(2026, 11, 5)  # Thursday: the day of receipt is not counted
    assert complaint.calendar_version.startswith("holidays-")


@pytest.mark.django_db
def test_a_complaint_received_before_tet_is_due_after_it(make_complaint):
    complaint = make_complaint(at=vn(2026, 2, 13))  # Friday before Tết (16-20/2/2026)
    assert local_due(complaint) == dt.date(2026, 2, 25)


@pytest.mark.django_db
def test_accept_starts_the_fifteen_day_resolve_clock(make_complaint, personas):
    complaint = make_complaint(at=vn(2026, 11, 2))
    services.complaint_accept(complaint=complaint, actor=personas["canbo.sct"], now=vn(2026, 11, 3))
    assert complaint.status == Status.ACCEPTED
    assert complaint.due_kind == DueKind.RESOLVE
    # 15 working days after Tue 3/11/2026; Tue 24/11 (Vietnam Culture Day in holidays 0.109) is skipped.
    assert local_due(complaint) == dt.date(2026, 11, 25)


@pytest.mark.django_db
def test_asking_for_information_pauses_the_clock_and_the_reply_resumes_it(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    resolve_due = local_due(complaint)  # 22/10/2026
    assert resolve_due == dt.date(2026, 10, 22)
    services.complaint_request_info(
        complaint=complaint, actor=officer, now=vn(2026, 10, 8), message="Vui lòng gửi ảnh hóa đơn."
    )
    assert complaint.status == Status.AWAITING_INFO
    assert complaint.due_kind == DueKind.CONSUMER_REPLY
    assert local_due(complaint) == dt.date(2026, 10, 15)  # 5 working days to reply
    assert complaint.paused_working_days == 10  # 9/10 .. 22/10
    services.complaint_consumer_reply(complaint=complaint, now=vn(2026, 10, 14), body="Ảnh hóa đơn đây ạ.")
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.due_kind == DueKind.RESOLVE
    assert local_due(complaint) == dt.date(2026, 10, 28)  # 10 working days after 14/10
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["created", "accepted", "info_requested", "info_provided"]
    assert Message.objects.filter(complaint=complaint, kind=MessageKind.FROM_CONSUMER).count() == 1


@pytest.mark.django_db
def test_extension_is_allowed_once_with_a_reason(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    with pytest.raises(DomainError):
        services.complaint_extend(complaint=complaint, actor=officer, now=vn(2026, 10, 2), reason=" ")
    services.complaint_extend(
        complaint=complaint, actor=officer, now=vn(2026, 10, 2), reason="Cần giám định."
    )
    assert local_due(complaint) == dt.date(2026, 11, 12)  # 22/10 + 15 working days
    with pytest.raises(DomainError, match="một lần"):
        services.complaint_extend(complaint=complaint, actor=officer, now=vn(2026, 10, 3), reason="Lần nữa.")


@pytest.mark.django_db
def test_an_overdue_case_cannot_be_extended(make_complaint, personas):
    # Found by the state machine: extending after the deadline set a new due date already in the past.
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))  # due 22/10
    with pytest.raises(DomainError, match="quá hạn"):
        services.complaint_extend(
            complaint=complaint, actor=officer, now=vn(2026, 10, 23), reason="Giám định."
        )
    assert not complaint.extended


@pytest.mark.django_db
def test_resolve_then_dispute_within_fifteen_days_reopens(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    services.complaint_resolve(
        complaint=complaint,
        actor=officer,
        now=vn(2026, 10, 5),
        outcome=Outcome.REFUNDED,
        summary="Cửa hàng hoàn 5.500.000 đồng.",
    )
    assert complaint.status == Status.RESOLVED
    assert complaint.due_at is None
    # 15 days after Mon 5/10 is Tue 20/10.
    assert complaint.dispute_until.astimezone(VN_TZ).date() == dt.date(2026, 10, 20)
    services.complaint_dispute(complaint=complaint, now=vn(2026, 10, 20, 22), reason="Chưa nhận được tiền.")
    assert complaint.status == Status.REOPENED
    assert complaint.due_kind == DueKind.RESOLVE


@pytest.mark.django_db
def test_a_dispute_after_the_window_is_refused(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    services.complaint_resolve(
        complaint=complaint,
        actor=officer,
        now=vn(2026, 10, 5),
        outcome=Outcome.SETTLED,
        summary="Đã thương lượng.",
    )
    with pytest.raises(DomainError, match="15 ngày"):
        services.complaint_dispute(complaint=complaint, now=vn(2026, 10, 21), reason="Muộn.")


@pytest.mark.django_db
def test_close_waits_for_the_dispute_window_even_after_a_rating(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    services.complaint_resolve(
        complaint=complaint,
        actor=officer,
        now=vn(2026, 10, 5),
        outcome=Outcome.SETTLED,
        summary="Đã thương lượng.",
    )
    services.complaint_rate(complaint=complaint, now=vn(2026, 10, 6), rating=1, comment="Không hài lòng")
    with pytest.raises(DomainError):
        services.complaint_close(complaint=complaint, actor=officer, now=vn(2026, 10, 6))
    services.complaint_close(complaint=complaint, actor=officer, now=vn(2026, 10, 21))
    assert complaint.status == Status.CLOSED


@pytest.mark.django_db
def test_a_dispute_clears_the_outcome_and_the_rating_for_the_new_round(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    services.complaint_resolve(
        complaint=complaint, actor=officer, now=vn(2026, 10, 5), outcome=Outcome.SETTLED, summary="Lần một."
    )
    services.complaint_rate(complaint=complaint, now=vn(2026, 10, 6), rating=4)
    services.complaint_dispute(
        complaint=complaint, now=vn(2026, 10, 7), reason="Doanh nghiệp không làm đúng."
    )
    assert (complaint.outcome, complaint.consumer_rating, complaint.dispute_until) == ("", None, None)
    services.complaint_resolve(
        complaint=complaint, actor=officer, now=vn(2026, 10, 9), outcome=Outcome.REFUNDED, summary="Lần hai."
    )
    services.complaint_rate(complaint=complaint, now=vn(2026, 10, 9), rating=5)
    assert complaint.consumer_rating == 5
    # The first round stays in the history.
    assert complaint.events.filter(kind="rated").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("repeat", ["accept", "request_info", "resolve", "reject", "close"])
def test_a_repeated_transition_is_refused(make_complaint, personas, repeat):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    calls = {
        "accept": lambda t: services.complaint_accept(complaint=complaint, actor=officer, now=t),
        "request_info": lambda t: services.complaint_request_info(
            complaint=complaint, actor=officer, now=t, message="Cần hóa đơn."
        ),
        "resolve": lambda t: services.complaint_resolve(
            complaint=complaint, actor=officer, now=t, outcome=Outcome.SETTLED, summary="Xong."
        ),
        "reject": lambda t: services.complaint_reject(
            complaint=complaint,
            actor=officer,
            now=t,
            reason_code=RejectReason.OUT_OF_SCOPE,
            explanation="Ngoài.",
        ),
        "close": lambda t: services.complaint_close(complaint=complaint, actor=officer, now=t),
    }
    if repeat in {"request_info", "resolve", "close"}:
        calls["accept"](vn(2026, 10, 1))
    if repeat == "close":
        calls["resolve"](vn(2026, 10, 2))
        calls["close"](vn(2026, 10, 30))
    else:
        calls[repeat](vn(2026, 10, 2))
    before = (complaint.status, complaint.due_at, complaint.version, complaint.events.count())
    with pytest.raises(DomainError, match="Không thể chuyển"):
        calls[repeat](vn(2026, 10, 31))
    complaint.refresh_from_db()
    assert (complaint.status, complaint.due_at, complaint.version, complaint.events.count()) == before


@pytest.mark.django_db
def test_reject_for_no_reply_only_after_the_reply_deadline(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    services.complaint_request_info(
        complaint=complaint, actor=officer, now=vn(2026, 10, 2), message="Cần hóa đơn."
    )
    with pytest.raises(DomainError):
        services.complaint_reject(
            complaint=complaint,
            actor=officer,
            now=vn(2026, 10, 5),
            reason_code=RejectReason.NO_REPLY,
            explanation="Không bổ sung.",
        )
    services.complaint_reject(
        complaint=complaint,
        actor=officer,
        now=vn(2026, 10, 12),
        reason_code=RejectReason.NO_REPLY,
        explanation="Không bổ sung.",
    )
    assert complaint.status == Status.REJECTED


@pytest.mark.django_db
def test_reject_as_duplicate_names_the_original(make_complaint, personas):
    officer = personas["canbo.sct"]
    original = make_complaint()
    complaint = make_complaint()
    with pytest.raises(DomainError):
        services.complaint_reject(
            complaint=complaint,
            actor=officer,
            now=complaint.received_at,
            reason_code=RejectReason.DUPLICATE,
            explanation="Trùng.",
        )
    services.complaint_reject(
        complaint=complaint,
        actor=officer,
        now=complaint.received_at,
        reason_code=RejectReason.DUPLICATE,
        explanation="Trùng.",
        duplicate_of=original,
    )
    assert complaint.duplicate_of == original


@pytest.mark.django_db
def test_reassign_changes_the_owner_keeps_the_clock_and_needs_a_reason(make_complaint, personas):
    from bvntd.agencies.models import Agency

    # A direct reassignment is the coordinator's (triage); the holding agency uses the transfer protocol.
    officer = personas["dieuphoi.vl"]
    complaint = make_complaint()
    due = complaint.due_at
    health = Agency.objects.get(code="86-health")
    with pytest.raises(PermissionDenied):
        services.complaint_reassign(
            complaint=complaint,
            actor=personas["canbo.sct"],
            now=complaint.received_at,
            to_agency=health,
            reason="Thuộc Sở Y tế.",
        )
    with pytest.raises(DomainError):
        services.complaint_reassign(
            complaint=complaint, actor=officer, now=complaint.received_at, to_agency=health, reason=""
        )
    services.complaint_reassign(
        complaint=complaint,
        actor=officer,
        now=complaint.received_at,
        to_agency=health,
        reason="Thực phẩm chức năng: thuộc Sở Y tế.",
    )
    assert complaint.owner_agency == health
    assert complaint.due_at == due
    event = complaint.events.last()
    assert (event.from_agency.code, event.to_agency.code) == ("86-sct", "86-health")


@pytest.mark.django_db
def test_a_disallowed_transition_is_refused_in_vietnamese(make_complaint, personas):
    complaint = make_complaint()
    with pytest.raises(DomainError, match="Không thể chuyển"):
        services.complaint_start(complaint=complaint, actor=personas["canbo.sct"], now=complaint.received_at)


@pytest.mark.django_db
def test_two_officers_at_once_one_wins_the_other_is_told(make_complaint, personas):
    from bvntd.complaints.models import Complaint

    complaint = make_complaint()
    seen_by_lan = Complaint.objects.get(pk=complaint.pk)
    seen_by_binh = Complaint.objects.get(pk=complaint.pk)
    services.complaint_accept(complaint=seen_by_lan, actor=personas["canbo.sct"], now=complaint.received_at)
    with pytest.raises(Conflict, match="người khác cập nhật"):
        services.complaint_add_note(
            complaint=seen_by_binh,
            actor=personas["canbo2.sct"],
            now=complaint.received_at,
            body="Tôi cũng đang xem.",
        )
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.status == Status.ACCEPTED
    # Nothing half-written: the losing note left neither an event nor a message.
    assert fresh.events.count() == 2
    assert not fresh.messages.exists()


@pytest.mark.django_db
def test_events_are_append_only_in_the_database(make_complaint):
    complaint = make_complaint()
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(complaint=complaint).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(complaint=complaint).delete()
    assert complaint.events.count() == 1


@pytest.mark.django_db
def test_postgresql_refuses_to_truncate_the_events_unless_told(make_complaint):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is refused above")
    make_complaint()
    with connection.cursor() as cursor:
        cursor.execute("RESET bvntd.allow_truncate")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks to hide the trigger
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE complaints_complaintevent CASCADE")
    assert ComplaintEvent.objects.count() == 1


@pytest.mark.django_db
def test_reveal_is_audited_with_its_purpose(make_complaint, personas):
    complaint = make_complaint()
    contact = services.complaint_reveal_contact(
        complaint=complaint, actor=personas["canbo.sct"], now=complaint.received_at, purpose="Gọi xác minh"
    )
    assert contact["phone"] == "+84912345678"
    event = complaint.events.get(kind="pii_revealed")
    assert event.actor == personas["canbo.sct"] and event.reason == "Gọi xác minh"
    assert not event.public


@pytest.mark.django_db
def test_a_withdrawn_case_accepts_no_more_information(make_complaint):
    complaint = make_complaint()
    services.complaint_withdraw(complaint=complaint, now=complaint.received_at, reason="Đã tự thỏa thuận.")
    with pytest.raises(DomainError):
        services.complaint_consumer_reply(complaint=complaint, now=complaint.received_at, body="Thêm")


@pytest.mark.django_db
def test_days_left_says_overdue_even_across_a_weekend(make_complaint):
    from bvntd.complaints.queries import days_left

    complaint = make_complaint(at=vn(2026, 11, 24))  # accept by Fri 27/11/2026
    assert days_left(complaint, vn(2026, 11, 27, 10)) == 0  # due today
    assert days_left(complaint, vn(2026, 11, 26, 10)) == 1
    assert days_left(complaint, vn(2026, 11, 28, 22)) == -1  # Saturday: no working day since, still late
    assert days_left(complaint, vn(2026, 12, 1, 9)) == -2  # Mon 30/11 and Tue 1/12


@pytest.mark.django_db
def test_a_case_owned_by_a_national_agency_takes_the_consumers_province_in_its_code(
    make_complaint, monkeypatch
):
    # The State Bank leads banking complaints and has no provincial office in the registry.
    from bvntd.agencies.models import Agency
    from bvntd.routing.services import RoutingDecision

    national = Agency.objects.filter(province__isnull=True).first()
    monkeypatch.setattr(
        services, "route_intake", lambda **kwargs: RoutingDecision(national, None, routed=False)
    )

    complaint = make_complaint(province_code="86")

    assert complaint.owner_agency == national
    assert complaint.tracking_code.startswith("VL-")
