"""Mediation by the agency: a session scheduled through the case page, its minutes with a settlement and
promises, the promises' reminders and breaks (by the sweep, the officer or the consumer), closing only once
every promise is kept, and the minutes as a PDF.

The views read the clock themselves, so view steps run under `time_machine` at a fixed moment; services get
their `now` passed in.

Dates (Vietnam time, November 2026): the case is accepted on Mon 2/11; the session is scheduled for
Thu 5/11 14:00 and its minutes recorded at 16:30 the same day. The dispute window of that outcome ends on
Fri 20/11 (15 calendar days). Promises fall due on Tue 10/11 and Fri 20/11 unless a test says otherwise.
"""

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from pypdf import PdfReader

from bvntd.businesses import mediation
from bvntd.businesses.mediation import PromiseInput, sweep_promises
from bvntd.businesses.models import MediationSession, Party, Promise, PromiseStatus, SessionStatus, Settlement
from bvntd.complaints import services
from bvntd.complaints.models import ComplaintEvent, EventKind
from bvntd.complaints.states import DueKind, Outcome, Status
from bvntd.complaints.sweep import sweep_deadlines
from bvntd.core.errors import DomainError, FieldErrors
from bvntd.core.workdays import calendar_for
from tests_helpers import vn

SCHEDULED = vn(2026, 11, 5, 14)
HELD = vn(2026, 11, 5, 16) + dt.timedelta(minutes=30)
PARTICIPANTS = (
    "Nguyễn Văn An — người tiêu dùng\n"
    "Trần Quốc Việt — đại diện Cửa hàng Điện thoại Minh Phát\n"
    "Nguyễn Thị Lan — hòa giải viên, Sở Công Thương"
)
PLACE = "Phòng họp số 2, Sở Công Thương Vĩnh Long"
SETTLEMENT = "Cửa hàng hoàn lại tiền và đổi máy mới cùng loại; người tiêu dùng rút yêu cầu."
REFUND = "Hoàn tiền chênh lệch cho người tiêu dùng"
SWAP = "Đổi điện thoại mới cùng loại, giao tại nhà"
PDF_DIR = Path(settings.BASE_DIR) / "test-results" / "mediation"


@pytest.fixture
def officer(personas):
    return personas["canbo.sct"]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def case(make_complaint, officer, now):
    """A case the consumer had already taken to the business, accepted by the agency on Mon 2/11."""
    complaint = make_complaint(contacted_business=True)
    services.complaint_accept(complaint=complaint, actor=officer, now=now)
    assert complaint.status == Status.ACCEPTED
    return complaint


def url(complaint, step: str) -> str:
    return f"/can-bo/ho-so/{complaint.tracking_code}/hoa-giai/{step}/"


def schedule_form(**overrides) -> dict:
    data = {
        "scheduled_at": SCHEDULED.strftime("%Y-%m-%dT%H:%M"),
        "place": PLACE,
        "online_link": "",
        "participants": PARTICIPANTS,
    }
    data.update(overrides)
    return data


def record_form(session, **overrides) -> dict:
    data = {
        "session": session.pk,
        "minutes": "Hòa giải viên nêu quyền, nghĩa vụ của các bên.\n\nCác bên trình bày và thống nhất.",
        "settlement_summary": SETTLEMENT,
        "p1_party": Party.BUSINESS,
        "p1_description": REFUND,
        "p1_amount": "1.500.000",
        "p1_due_on": "2026-11-10",
        "p2_party": Party.BUSINESS,
        "p2_description": SWAP,
        "p2_amount": "",
        "p2_due_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def settle(case, officer, *, due=(dt.date(2026, 11, 10), dt.date(2026, 11, 20))) -> Settlement:
    """The same steps as the views, through the services: scheduled on Mon 2/11, held on Thu 5/11."""
    session = mediation.mediation_schedule(
        complaint=case,
        actor=officer,
        now=vn(2026, 11, 2, 10),
        scheduled_at=SCHEDULED,
        place=PLACE,
        participants=PARTICIPANTS,
    )
    promises = [
        PromiseInput(party=Party.BUSINESS, description=REFUND, amount_vnd=1_500_000, due_on=due[0]),
        PromiseInput(party=Party.BUSINESS, description=SWAP, amount_vnd=None, due_on=due[1]),
    ]
    mediation.mediation_record(
        session=session,
        actor=officer,
        now=HELD,
        minutes="Các bên trình bày và thống nhất.",
        settlement_summary=SETTLEMENT,
        promises=promises,
    )
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    return session.settlement


def kinds(complaint, kind: str):
    return ComplaintEvent.objects.filter(complaint=complaint, kind=kind)


def track(client, complaint) -> str:
    """The consumer proves the case is theirs (code + phone); the session remembers it."""
    response = client.post("/tra-cuu/", {"tracking_code": complaint.tracking_code, "contact": "0912345678"})
    assert response.status_code == 302
    return f"/tra-cuu/{complaint.tracking_code}/"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# --- scheduling ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_schedules_a_session_and_the_consumer_sees_it(officer_client, client, case, officer):
    with time_machine.travel(vn(2026, 11, 2, 10), tick=False):
        response = officer_client.post(url(case, "schedule"), schedule_form())
    assert response.status_code == 302
    assert response.url == f"/can-bo/ho-so/{case.tracking_code}/"
    session = MediationSession.objects.get(complaint=case)
    assert (session.number, session.status, session.scheduled_at) == (1, SessionStatus.SCHEDULED, SCHEDULED)
    assert session.place == PLACE and session.agency == case.owner_agency and session.created_by == officer
    assert session.participant_lines == PARTICIPANTS.splitlines()
    event = kinds(case, EventKind.MEDIATION_SCHEDULED).get()
    assert event.public and event.actor == officer
    assert event.reason == f"Phiên hòa giải số 1: 14:00 05/11/2026, {PLACE}."
    assert event.data == {"session": session.pk, "number": 1}
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED  # scheduling does not move the case

    page = officer_client.get(f"/can-bo/ho-so/{case.tracking_code}/").content.decode()
    assert 'data-testid="mediation-panel"' in page and "Phiên 1 · Đã lên lịch" in page

    client.logout()
    consumer = client.get(track(client, case)).content.decode()
    assert "Lên lịch hòa giải" in consumer
    assert "Phiên hòa giải số 1: 14:00 05/11/2026" in consumer and PLACE in consumer


@pytest.mark.django_db
def test_a_session_online_only_is_accepted(officer, case, now):
    session = mediation.mediation_schedule(
        complaint=case,
        actor=officer,
        now=now,
        scheduled_at=SCHEDULED,
        online_link=" https://meet.example.vn/hoa-giai ",
        participants=PARTICIPANTS,
    )
    assert (session.place, session.online_link) == ("", "https://meet.example.vn/hoa-giai")
    event = kinds(case, EventKind.MEDIATION_SCHEDULED).get()
    assert event.reason.endswith("https://meet.example.vn/hoa-giai.")


@pytest.mark.django_db
def test_a_session_without_a_place_or_enough_participants_is_refused(officer_client, case):
    version = case.version
    with time_machine.travel(vn(2026, 11, 2, 10), tick=False):
        response = officer_client.post(
            url(case, "schedule"), schedule_form(place="  ", online_link="", participants="Nguyễn Văn An\n\n")
        )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Vui lòng nhập địa điểm hoặc đường dẫn họp trực tuyến." in page
    assert "Vui lòng ghi ít nhất hai người tham dự, mỗi người một dòng." in page
    # The form stays open with what the officer typed.
    assert 'data-action="schedule" open' in page and "Nguyễn Văn An" in page
    assert not MediationSession.objects.filter(complaint=case).exists()
    assert not kinds(case, EventKind.MEDIATION_SCHEDULED).exists()
    case.refresh_from_db()
    assert case.version == version


@pytest.mark.django_db
def test_mediation_needs_an_accepted_case(officer, make_complaint, now):
    received = make_complaint(contacted_business=True)
    with pytest.raises(DomainError):
        mediation.mediation_schedule(
            complaint=received,
            actor=officer,
            now=now,
            scheduled_at=SCHEDULED,
            place=PLACE,
            participants=PARTICIPANTS,
        )
    assert not MediationSession.objects.exists()


@pytest.mark.django_db
def test_a_session_is_cancelled_with_a_reason(officer_client, officer, case, now):
    session = mediation.mediation_schedule(
        complaint=case, actor=officer, now=now, scheduled_at=SCHEDULED, place=PLACE, participants=PARTICIPANTS
    )
    with time_machine.travel(vn(2026, 11, 3, 9), tick=False):
        assert (
            officer_client.post(url(case, "cancel"), {"session": session.pk, "reason": ""}).status_code == 422
        )
        ok = officer_client.post(
            url(case, "cancel"), {"session": session.pk, "reason": "Doanh nghiệp xin dời."}
        )
    assert ok.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert kinds(case, EventKind.MEDIATION_CANCELLED).get().reason == "Doanh nghiệp xin dời."
    # The next session gets the next number.
    case.refresh_from_db()
    again = mediation.mediation_schedule(
        complaint=case,
        actor=officer,
        now=vn(2026, 11, 3, 10),
        scheduled_at=SCHEDULED,
        place=PLACE,
        participants=PARTICIPANTS,
    )
    assert again.number == 2


# --- minutes and settlement -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_minutes_with_a_settlement_resolve_the_case_and_track_two_promises(officer_client, officer, case):
    with time_machine.travel(vn(2026, 11, 2, 10), tick=False):
        assert officer_client.post(url(case, "schedule"), schedule_form()).status_code == 302
    session = MediationSession.objects.get(complaint=case)
    with time_machine.travel(HELD, tick=False):
        response = officer_client.post(url(case, "record"), record_form(session))
    assert response.status_code == 302

    session.refresh_from_db()
    assert (session.status, session.held_at) == (SessionStatus.HELD, HELD)
    assert "Các bên trình bày" in session.minutes
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert (case.outcome, case.outcome_summary, case.resolved_at) == (Outcome.SETTLED, SETTLEMENT, HELD)
    assert case.dispute_until == vn(2026, 11, 20, 23) + dt.timedelta(minutes=59, seconds=59)
    settlement = Settlement.objects.get(complaint=case)
    assert (settlement.session, settlement.summary, settlement.created_by) == (session, SETTLEMENT, officer)
    promises = list(Promise.objects.filter(complaint=case).order_by("due_on"))
    assert [(p.party, p.description, p.amount_vnd, p.due_on, p.status) for p in promises] == [
        (Party.BUSINESS, REFUND, 1_500_000, dt.date(2026, 11, 10), PromiseStatus.PENDING),
        (Party.BUSINESS, SWAP, None, dt.date(2026, 11, 20), PromiseStatus.PENDING),
    ]
    assert all(p.settlement == settlement for p in promises)

    held = kinds(case, EventKind.MEDIATION_HELD).get()
    assert held.public and held.data == {"session": session.pk, "settled": True}
    recorded = kinds(case, EventKind.SETTLEMENT_RECORDED).get()
    assert recorded.public and recorded.reason == SETTLEMENT
    assert recorded.data == {"settlement": settlement.pk, "promises": 2}
    resolved = kinds(case, EventKind.RESOLVED).get()
    assert (resolved.from_status, resolved.to_status, resolved.data) == (
        Status.ACCEPTED,
        Status.RESOLVED,
        {"outcome": "settled"},
    )
    # Held, then settled, then resolved: the order the consumer reads.
    order = list(
        case.events.filter(
            kind__in=[EventKind.MEDIATION_HELD, EventKind.SETTLEMENT_RECORDED, EventKind.RESOLVED]
        ).values_list("kind", flat=True)
    )
    assert order == [EventKind.MEDIATION_HELD, EventKind.SETTLEMENT_RECORDED, EventKind.RESOLVED]

    page = officer_client.get(f"/can-bo/ho-so/{case.tracking_code}/").content.decode()
    assert "Theo dõi cam kết" in page and "1.500.000 ₫" in page and "10/11/2026" in page
    assert f"/hoa-giai/{session.pk}/bien-ban.pdf" in page


@pytest.mark.django_db
def test_recording_the_same_session_twice_is_refused(officer_client, officer, case):
    settlement = settle(case, officer)
    session = settlement.session
    version = case.version
    with time_machine.travel(HELD + dt.timedelta(minutes=5), tick=False):
        response = officer_client.post(url(case, "record"), record_form(session))
    assert response.status_code == 422
    assert "Phiên hòa giải này đã được ghi biên bản hoặc đã hủy." in response.content.decode()
    with pytest.raises(DomainError):
        mediation.mediation_record(
            session=MediationSession.objects.get(pk=session.pk),
            actor=officer,
            now=HELD,
            minutes="Lần nữa.",
            settlement_summary=SETTLEMENT,
        )
    assert Settlement.objects.filter(complaint=case).count() == 1
    assert Promise.objects.filter(complaint=case).count() == 2
    assert kinds(case, EventKind.MEDIATION_HELD).count() == 1
    case.refresh_from_db()
    assert case.version == version


@pytest.mark.django_db
def test_a_refusal_without_a_form_to_show_it_in_is_still_shown(officer_client, officer, case):
    settle(case, officer)
    # The case is resolved: no scheduling form any more, yet the officer who posted one sees why.
    with time_machine.travel(vn(2026, 11, 6, 9), tick=False):
        response = officer_client.post(url(case, "schedule"), schedule_form())
    assert response.status_code == 422
    assert "Chỉ tổ chức hòa giải khi hồ sơ đã được thụ lý và đang giải quyết." in response.content.decode()
    assert MediationSession.objects.filter(complaint=case).count() == 1


@pytest.mark.django_db
def test_a_session_without_agreement_leaves_the_case_open(officer, case, now):
    session = mediation.mediation_schedule(
        complaint=case, actor=officer, now=now, scheduled_at=SCHEDULED, place=PLACE, participants=PARTICIPANTS
    )
    mediation.mediation_record(session=session, actor=officer, now=HELD, minutes="Các bên chưa thống nhất.")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and not Settlement.objects.exists()
    assert kinds(case, EventKind.MEDIATION_HELD).get().data == {"session": session.pk, "settled": False}


@pytest.mark.django_db
def test_bad_promises_are_refused_with_every_error(officer_client, officer, case, now):
    session = mediation.mediation_schedule(
        complaint=case, actor=officer, now=now, scheduled_at=SCHEDULED, place=PLACE, participants=PARTICIPANTS
    )
    with time_machine.travel(HELD, tick=False):
        response = officer_client.post(
            url(case, "record"),
            record_form(session, p1_due_on="2026-11-04", p2_party="", p2_description=""),
        )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Cam kết 1: hạn thực hiện từ hôm nay trở đi." in page
    assert "Cam kết 2: chọn bên thực hiện." in page and "Cam kết 2: ghi nội dung." in page
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert not Settlement.objects.exists()
    # Promises without a settlement make no sense either.
    with pytest.raises(FieldErrors):
        mediation.mediation_record(
            session=session,
            actor=officer,
            now=HELD,
            minutes="Biên bản.",
            promises=[PromiseInput(Party.BUSINESS, REFUND, None, dt.date(2026, 11, 10))],
        )


@pytest.mark.django_db
def test_minutes_cannot_be_recorded_before_the_session_day(officer, case, now):
    session = mediation.mediation_schedule(
        complaint=case, actor=officer, now=now, scheduled_at=SCHEDULED, place=PLACE, participants=PARTICIPANTS
    )
    with pytest.raises(DomainError):
        mediation.mediation_record(
            session=session,
            actor=officer,
            now=vn(2026, 11, 4, 16),
            minutes="Chưa họp.",
            settlement_summary=SETTLEMENT,
        )
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    # The same day, even before the appointed hour (a session may start early), is fine.
    mediation.mediation_record(session=session, actor=officer, now=vn(2026, 11, 5, 11), minutes="Đã họp.")


# --- promises: reminders and breaks ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_reminds_once_when_a_promise_falls_due_soon(officer, case, settings):
    assert settings.BVNTD["PROMISE_DUE_SOON_WORKING_DAYS"] == 2
    settle(case, officer)
    refund = Promise.objects.get(complaint=case, description=REFUND)  # due Tue 10/11
    # Thu 5/11: two working days ahead is Mon 9/11, not yet.
    assert sweep_promises(now=vn(2026, 11, 5, 18))["promises_due_soon"] == 0
    # Fri 6/11: two working days ahead is Tue 10/11.
    assert sweep_promises(now=vn(2026, 11, 6, 8)) == {"promises_due_soon": 1, "promises_broken": 0}
    assert sweep_promises(now=vn(2026, 11, 6, 8) + dt.timedelta(minutes=1)) == {
        "promises_due_soon": 0,
        "promises_broken": 0,
    }
    event = kinds(case, EventKind.PROMISE_DUE_SOON).get()
    assert event.public and event.actor_label == "system"
    assert event.reason == f"Cam kết hòa giải đến hạn ngày 10/11/2026: {REFUND}"
    assert event.data == {"promise": refund.pk}
    refund.refresh_from_db()
    assert refund.due_soon_noted and refund.status == PromiseStatus.PENDING
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


@pytest.mark.django_db
def test_two_promises_of_one_case_falling_due_together_are_both_reminded(officer, case):
    settle(case, officer, due=(dt.date(2026, 11, 10), dt.date(2026, 11, 10)))
    assert sweep_promises(now=vn(2026, 11, 6, 8))["promises_due_soon"] == 2
    assert kinds(case, EventKind.PROMISE_DUE_SOON).count() == 2
    assert sweep_promises(now=vn(2026, 11, 6, 9))["promises_due_soon"] == 0


@pytest.mark.django_db
def test_an_unmarked_promise_is_broken_after_the_grace_period_and_the_case_reopens(officer, case, settings):
    assert settings.BVNTD["PROMISE_GRACE_WORKING_DAYS"] == 2
    settle(case, officer)
    refund = Promise.objects.get(complaint=case, description=REFUND)  # due Tue 10/11
    accepted_clock = case.resolve_due_at
    # The grace period is Wed 11/11 and Thu 12/11: to the end of Thursday nothing breaks.
    assert sweep_promises(now=vn(2026, 11, 12, 23))["promises_broken"] == 0
    refund.refresh_from_db()
    assert refund.status == PromiseStatus.PENDING
    case.refresh_from_db()
    assert case.status == Status.RESOLVED

    friday = vn(2026, 11, 13, 0) + dt.timedelta(minutes=30)
    assert sweep_promises(now=friday)["promises_broken"] == 1
    assert sweep_promises(now=friday + dt.timedelta(hours=1))["promises_broken"] == 0
    refund.refresh_from_db()
    assert (refund.status, refund.ended_at) == (PromiseStatus.BROKEN, friday)
    assert refund.ended_note == "Quá hạn thực hiện cam kết mà không có xác nhận đã thực hiện."
    case.refresh_from_db()
    assert case.status == Status.REOPENED
    fresh = calendar_for(friday).deadline(friday, settings.BVNTD["RESOLVE_WORKING_DAYS"])
    assert (case.due_kind, case.due_at, case.resolve_due_at) == (DueKind.RESOLVE, fresh, fresh)
    assert fresh != accepted_clock
    assert (case.outcome, case.outcome_summary, case.resolved_at, case.dispute_until) == ("", "", None, None)
    assert case.extended is False
    event = kinds(case, EventKind.PROMISE_BROKEN).get()
    assert (event.from_status, event.to_status, event.actor, event.actor_label) == (
        Status.RESOLVED,
        Status.REOPENED,
        None,
        "system",
    )
    assert event.public and event.data == {"promise": refund.pk, "due_on": "2026-11-10"}
    # The other promise is still tracked, and the agency may mediate again.
    assert Promise.objects.get(complaint=case, description=SWAP).status == PromiseStatus.PENDING
    again = mediation.mediation_schedule(
        complaint=case,
        actor=officer,
        now=friday + dt.timedelta(hours=9),
        scheduled_at=vn(2026, 11, 18, 9),
        place=PLACE,
        participants=PARTICIPANTS,
    )
    assert again.number == 2


@pytest.mark.django_db
def test_a_second_broken_promise_on_a_reopened_case_is_recorded_without_a_move(officer, case):
    settle(case, officer, due=(dt.date(2026, 11, 10), dt.date(2026, 11, 10)))
    assert sweep_promises(now=vn(2026, 11, 13, 8))["promises_broken"] == 2
    case.refresh_from_db()
    assert case.status == Status.REOPENED
    moves = list(kinds(case, EventKind.PROMISE_BROKEN).values_list("from_status", "to_status"))
    assert moves == [(Status.RESOLVED, Status.REOPENED), (Status.REOPENED, Status.REOPENED)]


@pytest.mark.django_db
def test_promises_left_on_a_withdrawn_case_are_not_broken_any_more(client, officer, case):
    settle(case, officer)
    assert sweep_promises(now=vn(2026, 11, 13, 8))["promises_broken"] == 1  # the refund, due 10/11
    case.refresh_from_db()
    services.complaint_withdraw(complaint=case, now=vn(2026, 11, 13, 10), reason="Đã tự thỏa thuận.")
    swap = Promise.objects.get(complaint=case, description=SWAP)
    # Long after the swap's due date (20/11): nothing is reminded or broken on the ended case.
    assert sweep_promises(now=vn(2026, 11, 30, 9)) == {"promises_due_soon": 0, "promises_broken": 0}
    with pytest.raises(DomainError):
        mediation.promise_report_broken(promise=swap, now=vn(2026, 11, 30, 9), reason="Chưa đổi máy.")
    swap.refresh_from_db()
    assert swap.status == PromiseStatus.PENDING
    assert kinds(case, EventKind.PROMISE_BROKEN).count() == 1
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


@pytest.mark.django_db
def test_an_officer_marks_a_promise_kept_with_what_shows_it(officer_client, officer, case):
    settle(case, officer)
    refund = Promise.objects.get(complaint=case, description=REFUND)
    moment = vn(2026, 11, 9, 15)
    with time_machine.travel(moment, tick=False):
        missing = officer_client.post(url(case, "promise"), {"promise": refund.pk, "kept": "1", "note": " "})
    assert missing.status_code == 422
    assert "Vui lòng ghi căn cứ xác nhận đã thực hiện (chứng từ, xác nhận)." in missing.content.decode()
    refund.refresh_from_db()
    assert refund.status == PromiseStatus.PENDING and not kinds(case, EventKind.PROMISE_KEPT).exists()
    # One form per promise on the page: each field has its own id, so each label names its own field.
    page = missing.content.decode()
    panel = re.search(r'<section class="card" data-testid="mediation-panel">.*?</section>', page, re.S).group(
        0
    )
    ids = re.findall(r'\sid="([^"]+)"', panel)
    elsewhere = set(re.findall(r'\sid="([^"]+)"', page.replace(panel, "")))
    assert len(ids) == len(set(ids)) and not set(ids) & elsewhere
    assert f'id="mediation-promise-{refund.pk}-note"' in panel

    note = "Ủy nhiệm chi số 123 ngày 09/11/2026"
    with time_machine.travel(moment, tick=False):
        ok = officer_client.post(url(case, "promise"), {"promise": refund.pk, "kept": "1", "note": note})
    assert ok.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.ended_at, refund.ended_note) == (PromiseStatus.KEPT, moment, note)
    event = kinds(case, EventKind.PROMISE_KEPT).get()
    assert (event.actor, event.reason, event.public, event.data) == (
        officer,
        REFUND,
        True,
        {"promise": refund.pk},
    )
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    # A kept promise is not broken later by the sweep, nor marked twice.
    assert sweep_promises(now=vn(2026, 11, 16, 9))["promises_broken"] == 0
    with pytest.raises(DomainError):
        mediation.promise_mark(promise=refund, actor=officer, now=moment, kept=False, note="Nhầm")


@pytest.mark.django_db
def test_an_officer_marks_a_promise_broken_and_the_case_reopens(officer, case):
    settle(case, officer)
    swap = Promise.objects.get(complaint=case, description=SWAP)
    mediation.promise_mark(promise=swap, actor=officer, now=vn(2026, 11, 9, 15), kept=False)
    case.refresh_from_db()
    assert case.status == Status.REOPENED
    event = kinds(case, EventKind.PROMISE_BROKEN).get()
    assert (event.actor, event.reason) == (officer, "Cán bộ xác nhận cam kết không được thực hiện.")


@pytest.mark.django_db
def test_the_consumer_reports_a_broken_promise_from_the_tracking_page(client, officer, case, make_complaint):
    settle(case, officer)
    swap = Promise.objects.get(complaint=case, description=SWAP)
    page_url = track(client, case)
    moment = vn(2026, 11, 21, 10)  # the day after the promise's due date
    with time_machine.travel(moment, tick=False):
        page = client.get(page_url).content.decode()
        assert "Cam kết hòa giải" in page and SWAP in page and "Báo chưa được thực hiện" in page
        empty = client.post(page_url + "promise_broken/", {"promise": swap.pk, "reason": ""})
        assert empty.status_code == 422
        response = client.post(
            page_url + "promise_broken/", {"promise": swap.pk, "reason": "Cửa hàng chưa đổi máy cho tôi."}
        )
    assert response.status_code == 302
    swap.refresh_from_db()
    assert (swap.status, swap.ended_at, swap.ended_note) == (
        PromiseStatus.BROKEN,
        moment,
        "Cửa hàng chưa đổi máy cho tôi.",
    )
    case.refresh_from_db()
    assert case.status == Status.REOPENED and case.outcome == ""
    fresh = calendar_for(moment).deadline(moment, settings.BVNTD["RESOLVE_WORKING_DAYS"])
    assert (case.due_kind, case.resolve_due_at) == (DueKind.RESOLVE, fresh)
    event = kinds(case, EventKind.PROMISE_BROKEN).get()
    assert (event.actor, event.actor_label, event.reason, event.to_status) == (
        None,
        "consumer",
        "Cửa hàng chưa đổi máy cho tôi.",
        Status.REOPENED,
    )
    with time_machine.travel(moment, tick=False):
        page = client.get(page_url).content.decode()
    assert "Cam kết không được thực hiện; mở lại hồ sơ" in page

    # Someone else's promise cannot be reported from this case.
    other = make_complaint(contacted_business=True)
    services.complaint_accept(complaint=other, actor=officer, now=vn(2026, 11, 2, 9))
    other_refund = settle(other, officer).promises.get(description=REFUND)
    with time_machine.travel(moment, tick=False):
        stranger = client.post(
            page_url + "promise_broken/", {"promise": other_refund.pk, "reason": "Không làm."}
        )
    assert stranger.status_code == 422
    other_refund.refresh_from_db()
    assert other_refund.status == PromiseStatus.PENDING


# --- closing waits for the promises -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pending_promise_keeps_a_settled_case_from_closing(officer, case):
    settlement = settle(case, officer, due=(dt.date(2026, 11, 25), dt.date(2026, 11, 27)))
    after_window = vn(2026, 11, 23, 9)
    assert case.dispute_until < after_window
    with pytest.raises(DomainError, match="Còn cam kết hòa giải chưa được thực hiện"):
        services.complaint_close(complaint=case, actor=officer, now=after_window)
    assert sweep_deadlines(now=after_window)["closed"] == 0
    case.refresh_from_db()
    assert case.status == Status.RESOLVED

    first, second = settlement.promises.order_by("due_on")
    mediation.promise_mark(promise=first, actor=officer, now=after_window, kept=True, note="Biên nhận")
    assert sweep_deadlines(now=after_window + dt.timedelta(minutes=1))["closed"] == 0
    mediation.promise_mark(promise=second, actor=officer, now=after_window, kept=True, note="Biên nhận")
    assert sweep_deadlines(now=after_window + dt.timedelta(minutes=2))["closed"] == 1
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    closed = kinds(case, EventKind.CLOSED).get()
    assert (closed.actor, closed.actor_label) == (None, "system")


@pytest.mark.django_db
def test_an_officer_closes_once_every_promise_is_kept_and_the_window_passed(officer, case):
    settlement = settle(case, officer, due=(dt.date(2026, 11, 6), dt.date(2026, 11, 9)))
    for promise in settlement.promises.all():
        mediation.promise_mark(
            promise=promise, actor=officer, now=vn(2026, 11, 9, 16), kept=True, note="Xong"
        )
    case.refresh_from_db()
    with pytest.raises(DomainError, match="còn thời hạn phản hồi"):
        services.complaint_close(complaint=case, actor=officer, now=vn(2026, 11, 20, 17))
    services.complaint_close(complaint=case, actor=officer, now=vn(2026, 11, 21, 9))
    case.refresh_from_db()
    assert case.status == Status.CLOSED


# --- the minutes as a PDF -------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return squash(" ".join(page.extract_text() for page in reader.pages))


@pytest.mark.django_db
def test_the_minutes_print_as_a_pdf_and_the_print_is_audited(officer_client, officer, case):
    with time_machine.travel(vn(2026, 11, 2, 10), tick=False):
        assert officer_client.post(url(case, "schedule"), schedule_form()).status_code == 302
    session = MediationSession.objects.get(complaint=case)
    with time_machine.travel(HELD, tick=False):
        assert officer_client.post(url(case, "record"), record_form(session)).status_code == 302
    pdf_url = f"/can-bo/ho-so/{case.tracking_code}/hoa-giai/{session.pk}/bien-ban.pdf"
    printed = vn(2026, 11, 6, 8) + dt.timedelta(minutes=15)
    with time_machine.travel(printed, tick=False):
        response = officer_client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'inline; filename="bien-ban-hoa-giai-{case.tracking_code}-1.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / "bien-ban.pdf").write_bytes(pdf)

    text = pdf_text(pdf)
    for expected in (
        case.tracking_code,
        "BIÊN BẢN HÒA GIẢI",
        f"Hồ sơ {case.tracking_code} — phiên 1",
        squash(SETTLEMENT),
        "1.500.000",
        "10/11/2026",
        "20/11/2026",
        squash(REFUND),
        "Nguyễn Văn An",  # the consumer, under the signature line
        "Nguyễn Thị Lan",  # the mediating officer
        "Cửa hàng Điện thoại Minh Phát",
        "Sở Công Thương",
        PLACE,
        # The session's own time, not the time its minutes were typed in.
        "Thời gian: 14 giờ 00, ngày 05/11/2026",
        "Vĩnh Long, ngày 5 tháng 11 năm 2026",
        "In lúc 08:15 06/11/2026",
    ):
        assert squash(expected) in text, expected

    reveal = kinds(case, EventKind.PII_REVEALED).get()
    assert (reveal.actor, reveal.public, reveal.created_at) == (officer, False, printed)
    assert reveal.reason == "In biên bản hòa giải phiên 1"


@pytest.mark.django_db
def test_the_minutes_pdf_is_only_for_the_owning_agencys_mediators(client, personas, officer, case):
    settlement = settle(case, officer)
    pdf_url = f"/can-bo/ho-so/{case.tracking_code}/hoa-giai/{settlement.session_id}/bien-ban.pdf"
    client.force_login(personas["canbo.hanoi"])
    assert client.get(pdf_url).status_code == 404
    client.force_login(personas["kiemtoan"])
    assert client.get(pdf_url).status_code == 403
    client.logout()
    assert client.get(pdf_url).status_code == 302  # to the login page
    assert not kinds(case, EventKind.PII_REVEALED).exists()
    # Another case's session under this case's code is not found either.
    client.force_login(officer)
    assert client.get(f"/can-bo/ho-so/{case.tracking_code}/hoa-giai/999999/bien-ban.pdf").status_code == 404


@pytest.mark.django_db
def test_only_a_held_session_has_minutes_to_print(officer_client, officer, case, now):
    scheduled = mediation.mediation_schedule(
        complaint=case, actor=officer, now=now, scheduled_at=SCHEDULED, place=PLACE, participants=PARTICIPANTS
    )
    cancelled = mediation.mediation_schedule(
        complaint=case, actor=officer, now=now, scheduled_at=SCHEDULED, place=PLACE, participants=PARTICIPANTS
    )
    mediation.mediation_cancel(session=cancelled, actor=officer, now=now, reason="Trùng lịch")
    for session in (scheduled, cancelled):
        pdf_url = f"/can-bo/ho-so/{case.tracking_code}/hoa-giai/{session.pk}/bien-ban.pdf"
        assert officer_client.get(pdf_url).status_code == 404
    assert not kinds(case, EventKind.PII_REVEALED).exists()


@pytest.mark.django_db
def test_a_long_description_is_quoted_and_marked_as_cut(officer, make_complaint, now):
    from bvntd.businesses.documents import SUBJECT_MAX, mediation_record

    long_case = make_complaint(contacted_business=True, description="Điện thoại lỗi màn hình. " * 200)
    services.complaint_accept(complaint=long_case, actor=officer, now=now)
    session = mediation.mediation_schedule(
        complaint=long_case,
        actor=officer,
        now=now,
        scheduled_at=SCHEDULED,
        place=PLACE,
        participants=PARTICIPANTS,
    )
    subject = mediation_record(session, now=now).subject
    kept = subject.removesuffix(" […]")
    assert subject.endswith(" […]") and len(kept) <= SUBJECT_MAX
    # Cut between words: what is kept is the description's start, up to a whole word.
    assert long_case.description.startswith(kept) and long_case.description[len(kept)] == " "


@pytest.mark.django_db
def test_other_officers_cannot_mediate(client, personas, case):
    client.force_login(personas["kiemtoan"])
    assert client.post(url(case, "schedule"), schedule_form()).status_code == 403
    client.force_login(personas["canbo.hanoi"])
    assert client.post(url(case, "schedule"), schedule_form()).status_code == 404
    assert not MediationSession.objects.exists()


@pytest.mark.django_db
def test_the_consumer_reports_only_a_business_promise_past_its_due_date(officer, case):
    settle(case, officer)
    promise = Promise.objects.filter(complaint=case, party="business").order_by("due_on").first()
    before = vn(promise.due_on.year, promise.due_on.month, promise.due_on.day, 10)

    with pytest.raises(DomainError, match="quá hạn"):
        mediation.promise_report_broken(promise=promise, now=before, reason="Chưa nhận được tiền.")
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.PENDING
