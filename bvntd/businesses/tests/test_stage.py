"""The business stage: the business answers first within 7 working days (Law 19/2023 Art.57(2)); silence,
a refusal or the consumer's dispute moves the case to the agency (Art.56(3))."""

import datetime as dt

import pytest

from bvntd.businesses import stage
from bvntd.businesses.models import AnswerKind, ReferralStatus
from bvntd.businesses.stage import answer_accept, answer_dispute, referral_answer, sweep_business_stage
from bvntd.complaints.models import ComplaintEvent, EventKind, VulnerableStatus
from bvntd.complaints.services import complaint_accept, complaint_withdraw
from bvntd.complaints.states import DueKind, Outcome, Status
from bvntd.core.calendar import local_date
from bvntd.core.errors import DomainError, FieldErrors
from tests_helpers import vn

pytestmark = pytest.mark.django_db


def kinds(complaint) -> list[str]:
    return list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))


def test_it_sends_a_complaint_the_consumer_has_not_raised_to_the_registered_business(shop_a, file_about):
    business, _user = shop_a
    complaint = file_about(business)

    assert complaint.status == Status.AT_BUSINESS
    assert complaint.business == business
    assert complaint.due_kind == DueKind.BUSINESS
    assert complaint.referral.status == ReferralStatus.WAITING
    assert kinds(complaint) == [EventKind.CREATED, EventKind.SENT_TO_BUSINESS]
    # The agency still owns it (ARCHITECTURE rule 1).
    assert complaint.owner_agency.code == "86-sct"


def test_the_seven_day_clock_skips_the_national_day_holidays(shop_a, file_about):
    business, _user = shop_a
    # Thu 27 Aug 2026. Off: Mon 31/8 (bridge), Tue 1/9 and Wed 2/9 (National Day). Seven working days:
    # Fri 28, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9, Thu 10 (without the holidays it would be Mon 7).
    complaint = file_about(business, at=vn(2026, 8, 27, 10))

    assert local_date(complaint.due_at) == dt.date(2026, 9, 10)
    assert complaint.referral.answer_due_at == complaint.due_at


def test_the_clock_counts_across_tet(shop_a, file_about):
    business, _user = shop_a
    # Thu 12 Feb 2026; Tết: Mon 16 - Fri 20 Feb off. Fri 13, Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Mon 2/3.
    complaint = file_about(business, at=vn(2026, 2, 12, 10), purchased_on="2026-02-01")

    assert local_date(complaint.due_at) == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"contacted_business": True}, "the consumer already asked the business"),
        ({"contacted_business": None}, "the consumer did not say"),
        ({"business_tax_code": ""}, "no tax code: a name alone is never matched automatically"),
    ],
)
def test_it_goes_straight_to_the_agency_when(shop_a, file_about, overrides, why):
    business, _user = shop_a
    complaint = file_about(business, **overrides)

    assert complaint.status == Status.RECEIVED, why
    assert not hasattr(complaint, "referral") or complaint.referral is None


def test_a_registered_business_without_a_portal_account_is_not_sent_the_case(personas, file_about, now):
    from bvntd.businesses.registry import business_create

    business = business_create(
        actor=personas["canbo.sct"], now=now, name="Nhà thuốc Hồng Phúc", tax_code="0309532909"
    )
    complaint = file_about(business)

    assert complaint.status == Status.RECEIVED
    assert complaint.business == business


def test_silence_moves_the_case_to_the_agency_with_the_silence_on_record(shop_a, file_about):
    business, _user = shop_a
    complaint = file_about(business)
    due = complaint.due_at

    assert sweep_business_stage(now=due - dt.timedelta(minutes=1)) == {
        "business_silent": 0,
        "answers_lapsed": 0,
    }
    assert sweep_business_stage(now=due + dt.timedelta(minutes=1))["business_silent"] == 1
    complaint.refresh_from_db()

    assert complaint.status == Status.RECEIVED
    assert complaint.due_kind == DueKind.ACCEPT
    assert complaint.referral.status == ReferralStatus.SILENT
    silence = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.BUSINESS_SILENT)
    assert silence.public and silence.actor_label == "system"
    assert "Điều 57" in silence.reason
    # The agency's accept clock starts when the case reaches it: 3 working days from then.
    assert complaint.due_at > due
    # Idempotent: a second sweep finds nothing.
    assert sweep_business_stage(now=due + dt.timedelta(minutes=2))["business_silent"] == 0


def test_monetary_relief_accepted_by_the_consumer_closes_the_case(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)
    later = now + dt.timedelta(days=1)

    referral_answer(
        complaint=complaint,
        business=business,
        now=later,
        kind=AnswerKind.MONETARY,
        body="Công ty xin lỗi và hoàn lại toàn bộ 5.500.000 đồng vào tài khoản của quý khách.",
        amount_vnd=5_500_000,
        author=user,
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.BUSINESS_ANSWERED
    assert complaint.due_kind == DueKind.CONSUMER_DECISION

    answer_accept(complaint=complaint, now=later + dt.timedelta(hours=2))
    complaint.refresh_from_db()

    assert complaint.status == Status.CLOSED
    assert complaint.outcome == Outcome.REFUNDED
    assert complaint.referral.status == ReferralStatus.ACCEPTED
    assert complaint.referral.relief_vnd == 5_500_000
    assert complaint.referral.first_answer_at == later
    assert kinds(complaint)[-2:] == [EventKind.BUSINESS_ANSWERED, EventKind.ANSWER_ACCEPTED]


def test_a_disputed_answer_moves_the_case_to_the_agency(shop_a, file_about, personas, now):
    business, user = shop_a
    complaint = file_about(business)
    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.EXPLANATION,
        body="Lỗi do người dùng làm rơi máy, không thuộc bảo hành.",
        author=user,
    )
    complaint.refresh_from_db()

    answer_dispute(complaint=complaint, now=now + dt.timedelta(hours=1), reason="Máy không hề bị rơi.")
    complaint.refresh_from_db()

    assert complaint.status == Status.RECEIVED
    assert complaint.referral.status == ReferralStatus.DISPUTED
    assert kinds(complaint)[-1] == EventKind.ANSWER_DISPUTED
    # The agency takes it from there.
    complaint_accept(complaint=complaint, actor=personas["canbo.sct"], now=now + dt.timedelta(hours=2))
    assert complaint.status == Status.ACCEPTED


def test_a_refusal_moves_the_case_to_the_agency_at_once(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)

    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.REFUSED,
        body="Sản phẩm đã quá hạn đổi trả 7 ngày.",
        author=user,
    )
    complaint.refresh_from_db()

    assert complaint.status == Status.RECEIVED
    assert complaint.referral.status == ReferralStatus.REFUSED
    assert kinds(complaint)[-1] == EventKind.BUSINESS_REFUSED


def test_an_in_progress_answer_keeps_the_case_until_its_date_then_silence_moves_it(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)
    promised = dt.date(2026, 11, 13)

    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.IN_PROGRESS,
        body="Đã gửi máy đi kiểm tra tại hãng, sẽ trả lời sau khi có kết quả.",
        expected_on=promised,
        author=user,
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.AT_BUSINESS
    assert local_date(complaint.due_at) == promised
    assert complaint.referral.status == ReferralStatus.IN_PROGRESS

    sweep_business_stage(now=complaint.due_at + dt.timedelta(minutes=1))
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert (
        "ngày đã hẹn"
        in ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.BUSINESS_SILENT).reason
    )


def test_an_in_progress_date_must_be_within_the_limit(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)

    for bad in (None, dt.date(2026, 11, 2), dt.date(2027, 1, 30)):
        with pytest.raises(FieldErrors) as error:
            referral_answer(
                complaint=complaint,
                business=business,
                now=now,
                kind=AnswerKind.IN_PROGRESS,
                body="Đang kiểm tra, sẽ trả lời sau.",
                expected_on=bad,
                author=user,
            )
        assert [e.field for e in error.value.errors] == ["expected_on"]


def test_every_bad_field_of_an_answer_is_reported_at_once(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)

    with pytest.raises(FieldErrors) as error:
        referral_answer(
            complaint=complaint, business=business, now=now, kind=AnswerKind.MONETARY, body="ok", author=user
        )

    assert {e.field for e in error.value.errors} == {"body", "amount_vnd"}
    assert complaint.referral.answers.count() == 0


def test_the_consumer_may_dispute_the_delay_an_in_progress_answer_asks_for(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)
    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.IN_PROGRESS,
        body="Đang kiểm tra, sẽ trả lời sau.",
        expected_on=dt.date(2026, 11, 20),
        author=user,
    )
    complaint.refresh_from_db()

    answer_dispute(complaint=complaint, now=now, reason="Tôi không chờ thêm được.")
    complaint.refresh_from_db()

    assert complaint.status == Status.RECEIVED


def test_a_consumer_who_lets_the_window_pass_accepts_the_answer(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)
    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.NON_MONETARY,
        body="Đã đổi máy mới cho khách tại cửa hàng.",
        author=user,
    )
    complaint.refresh_from_db()

    assert sweep_business_stage(now=complaint.due_at + dt.timedelta(minutes=1))["answers_lapsed"] == 1
    complaint.refresh_from_db()

    assert complaint.status == Status.CLOSED
    assert complaint.outcome == Outcome.REPAIRED
    assert complaint.referral.status == ReferralStatus.LAPSED


def test_a_second_answer_while_the_consumer_decides_is_refused(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)
    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.EXPLANATION,
        body="Đã giải thích cho khách qua điện thoại.",
        author=user,
    )
    complaint.refresh_from_db()

    with pytest.raises(DomainError):
        referral_answer(
            complaint=complaint,
            business=business,
            now=now,
            kind=AnswerKind.EXPLANATION,
            body="Giải thích thêm lần nữa.",
            author=user,
        )


def test_a_vulnerable_consumer_declared_without_evidence_waits_for_staff(shop_a, file_about):
    business, _user = shop_a
    complaint = file_about(business, vulnerable_group="poor")

    assert complaint.vulnerable_status == VulnerableStatus.DECLARED
    assert not complaint.referral.priority
    # The ordinary 7 working days from Mon 2 Nov: Wed 11 Nov.
    assert local_date(complaint.due_at) == dt.date(2026, 11, 11)


def test_staff_confirmation_makes_the_case_a_priority_the_business_cannot_hand_over(
    shop_a, file_about, personas, now
):
    from bvntd.businesses.registry import complaint_confirm_vulnerable

    business, user = shop_a
    complaint = file_about(business, vulnerable_group="elderly")
    complaint_confirm_vulnerable(complaint=complaint, actor=personas["canbo.sct"], now=now, group="elderly")
    complaint.referral.refresh_from_db()

    assert complaint.referral.priority
    assert complaint.vulnerable_status == VulnerableStatus.CONFIRMED
    # The event says it was confirmed, never which group (sensitive data).
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.VULNERABLE_CONFIRMED)
    assert "elderly" not in str(event.data) and "elderly" not in event.reason
    with pytest.raises(DomainError, match="Điều 8"):
        stage.referral_hand_over(
            complaint=complaint, business=business, now=now, third_party="Trung tâm bảo hành X", author=user
        )


def test_a_priority_case_filed_with_evidence_gets_the_shorter_target(shop_a, file_about, monkeypatch):
    from bvntd.complaints import services

    business, _user = shop_a
    # Intake with a file attached counts the declaration as evidenced (Art.8(2)); the file itself is
    # tested by the attachment suite, here only its presence matters.
    monkeypatch.setattr(services, "store_attachments", lambda **kwargs: None)
    complaint = file_about(business, vulnerable_group="disability", files=["giay-xac-nhan.pdf"])

    assert complaint.vulnerable_status == VulnerableStatus.EVIDENCED
    assert complaint.referral.priority
    # Mon 2 Nov 09:00 + 3 working days (BUSINESS_PRIORITY_WORKING_DAYS) → Thu 5 Nov.
    assert local_date(complaint.due_at) == dt.date(2026, 11, 5)


def test_a_business_may_hand_an_ordinary_case_to_a_third_party_and_stays_answerable(shop_a, file_about, now):
    business, user = shop_a
    complaint = file_about(business)

    stage.referral_hand_over(
        complaint=complaint,
        business=business,
        now=now,
        third_party="Trung tâm bảo hành Sao Việt",
        author=user,
    )
    complaint.referral.refresh_from_db()

    assert complaint.referral.handed_to == "Trung tâm bảo hành Sao Việt"
    assert complaint.status == Status.AT_BUSINESS
    assert kinds(complaint)[-1] == EventKind.BUSINESS_HANDED_OVER


def test_staff_send_a_case_matched_after_intake_and_may_take_it_back(personas, shop_a, file_about, now):
    from bvntd.businesses.registry import complaint_link_business

    business, _user = shop_a
    complaint = file_about(business_tax_code="", business_name="dien may anh duong")
    assert complaint.status == Status.RECEIVED
    officer = personas["canbo.sct"]

    complaint_link_business(complaint=complaint, business=business, actor=officer, now=now)
    stage.referral_send(complaint=complaint, actor=officer, now=now)
    assert complaint.status == Status.AT_BUSINESS
    with pytest.raises(DomainError):
        stage.referral_send(complaint=complaint, actor=officer, now=now)

    stage.referral_take_over(
        complaint=complaint, actor=officer, now=now, reason="Sản phẩm nguy hiểm, cần xử lý ngay."
    )
    assert complaint.status == Status.RECEIVED
    complaint.referral.refresh_from_db()
    assert complaint.referral.status == ReferralStatus.TAKEN_OVER


def test_a_case_the_consumer_raised_with_the_business_cannot_be_sent_back_to_it(
    personas, shop_a, file_about, now
):
    business, _user = shop_a
    complaint = file_about(business, contacted_business=True)

    with pytest.raises(DomainError, match="Điều 56"):
        stage.referral_send(complaint=complaint, actor=personas["canbo.sct"], now=now)


def test_withdrawing_during_the_business_stage_ends_it(shop_a, file_about, now):
    business, _user = shop_a
    complaint = file_about(business)

    complaint_withdraw(complaint=complaint, now=now, reason="Đã tự thỏa thuận được.")
    complaint.referral.refresh_from_db()

    assert complaint.status == Status.WITHDRAWN
    assert complaint.referral.status == ReferralStatus.WITHDRAWN
    assert sweep_business_stage(now=now + dt.timedelta(days=30)) == {
        "business_silent": 0,
        "answers_lapsed": 0,
    }


def test_the_deadline_sweep_reminds_the_business_not_the_agency(shop_a, file_about):
    from bvntd.complaints.notifications import deadline_recipients

    business, user = shop_a
    complaint = file_about(business)

    assert deadline_recipients(complaint, overdue=False) == [user.email]
