"""The transfer protocol: who may propose, answer and decide; silence; contests; ping-pong to the arbiter."""

import datetime as dt

import pytest

from bvntd.agencies.models import Agency
from bvntd.complaints.access import Action, can
from bvntd.complaints.sweep import sweep_everything
from bvntd.core.calendar import VN_TZ
from bvntd.core.errors import Conflict, DomainError, PermissionDenied
from bvntd.routing.models import Transfer, TransferReason, TransferStatus
from bvntd.routing.transfers import (
    transfer_accept,
    transfer_contest,
    transfer_decide,
    transfer_propose,
    transfer_withdraw,
)
from tests_helpers import vn

FOOD_LAW = "Luật An toàn thực phẩm 2010: thực phẩm chức năng thuộc ngành Y tế."


def agency(code):
    return Agency.objects.get(code=code)


@pytest.fixture
def case(make_complaint):
    return make_complaint(at=vn(2026, 11, 2))


def propose(case, actor, to="86-health", now=None):
    return transfer_propose(
        complaint=case,
        actor=actor,
        now=now or vn(2026, 11, 2, 10),
        to_agency=agency(to),
        reason_code=TransferReason.OUTSIDE_SECTOR,
        legal_basis=FOOD_LAW,
    )


@pytest.mark.django_db
def test_the_sender_owns_the_case_until_the_target_accepts(case, personas):
    due = case.due_at
    transfer = propose(case, personas["canbo.sct"])
    case.refresh_from_db()
    assert case.owner_agency.code == "86-sct"
    assert transfer.status == TransferStatus.PROPOSED
    # 2 working days to answer: Mon 2/11 → Wed 4/11.
    assert transfer.respond_by.astimezone(VN_TZ).date() == dt.date(2026, 11, 4)
    # The target may read it, and do nothing else with it yet.
    assert can(personas["canbo.syt"], case, Action.VIEW)
    assert not can(personas["canbo.syt"], case, Action.RESOLVE)
    transfer_accept(transfer=transfer, actor=personas["canbo.syt"], now=vn(2026, 11, 3))
    case.refresh_from_db()
    assert case.owner_agency.code == "86-health"
    assert case.due_at == due  # the consumer's clock keeps running
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["created", "transfer_proposed", "transfer_accepted"]
    accepted = case.events.last()
    assert (accepted.from_agency.code, accepted.to_agency.code) == ("86-sct", "86-health")


@pytest.mark.django_db
def test_only_the_holder_proposes(case, personas):
    for username in ("canbo.syt", "canbo.hanoi", "dieuphoi.vl", "quocgia", "kiemtoan", "tongdai"):
        with pytest.raises(PermissionDenied):
            propose(case, personas[username])
    assert not Transfer.objects.exists()


@pytest.mark.django_db
def test_only_the_target_answers(case, personas):
    transfer = propose(case, personas["canbo.sct"])
    for username in ("canbo.sct", "lanhdao.sct", "canbo.hanoi", "dieuphoi.vl", "quocgia"):
        with pytest.raises(PermissionDenied):
            transfer_accept(transfer=transfer, actor=personas[username], now=vn(2026, 11, 3))
        with pytest.raises(PermissionDenied):
            transfer_contest(transfer=transfer, actor=personas[username], now=vn(2026, 11, 3), reason="Không")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


@pytest.mark.django_db
def test_a_transfer_needs_a_reason_a_legal_basis_and_a_named_target(case, personas):
    officer = personas["canbo.sct"]
    with pytest.raises(DomainError):
        transfer_propose(
            complaint=case,
            actor=officer,
            now=vn(2026, 11, 2),
            to_agency=agency("86-health"),
            reason_code="",
            legal_basis=FOOD_LAW,
        )
    with pytest.raises(DomainError):
        transfer_propose(
            complaint=case,
            actor=officer,
            now=vn(2026, 11, 2),
            to_agency=agency("86-health"),
            reason_code=TransferReason.OUTSIDE_SECTOR,
            legal_basis="  ",
        )
    with pytest.raises(DomainError):
        transfer_propose(
            complaint=case,
            actor=officer,
            now=vn(2026, 11, 2),
            to_agency=agency("86-sct"),
            reason_code=TransferReason.OUTSIDE_SECTOR,
            legal_basis=FOOD_LAW,
        )
    with pytest.raises(DomainError):
        transfer_propose(
            complaint=case,
            actor=officer,
            now=vn(2026, 11, 2),
            to_agency=agency("86-health"),
            reason_code=TransferReason.DUPLICATE,
            legal_basis=FOOD_LAW,
        )
    propose(case, officer)
    with pytest.raises(Conflict):
        propose(case, officer, to="86-qltt")


@pytest.mark.django_db
def test_silence_counts_as_acceptance_and_says_so(case, personas):
    propose(case, personas["canbo.sct"])
    assert sweep_everything(now=vn(2026, 11, 4, 20))["transfers_auto_accepted"] == 0
    assert (
        sweep_everything(
            now=vn(
                2026,
                11,
                5,
                0,
            )
        )["transfers_auto_accepted"]
        == 1
    )
    case.refresh_from_db()
    assert case.owner_agency.code == "86-health"
    event = case.events.get(kind="transfer_auto_accepted")
    assert event.actor is None and event.actor_label == "system"
    assert "coi như đồng ý" in event.reason
    assert sweep_everything(now=vn(2026, 11, 6))["transfers_auto_accepted"] == 0


@pytest.mark.django_db
def test_a_contest_goes_to_the_provincial_coordinator_whose_decision_binds(case, personas):
    transfer = propose(case, personas["canbo.sct"])
    with pytest.raises(DomainError):
        transfer_contest(transfer=transfer, actor=personas["canbo.syt"], now=vn(2026, 11, 3), reason="")
    transfer_contest(
        transfer=transfer,
        actor=personas["canbo.syt"],
        now=vn(2026, 11, 3),
        reason="Sản phẩm là thực phẩm thường, không phải thực phẩm chức năng.",
    )
    assert transfer.status == TransferStatus.ARBITRATION
    assert transfer.arbiter_agency.code == "86-sct-cp"
    assert transfer.decide_by.astimezone(VN_TZ).date() == dt.date(2026, 11, 6)  # 3 working days
    # Silence no longer applies once contested.
    assert sweep_everything(now=vn(2026, 11, 10))["transfers_auto_accepted"] == 0
    for username in ("canbo.sct", "canbo.syt", "quocgia", "kiemtoan"):
        with pytest.raises(PermissionDenied):
            transfer_decide(
                transfer=transfer,
                actor=personas[username],
                now=vn(2026, 11, 4),
                owner=agency("86-health"),
                reason="x",
            )
    transfer_decide(
        transfer=transfer,
        actor=personas["dieuphoi.vl"],
        now=vn(2026, 11, 4),
        owner=agency("86-health"),
        reason="Thực phẩm chức năng: Sở Y tế chủ trì.",
    )
    case.refresh_from_db()
    assert case.owner_agency.code == "86-health"
    decided = case.events.get(kind="transfer_decided")
    assert (decided.from_agency.code, decided.to_agency.code, decided.actor) == (
        "86-sct",
        "86-health",
        personas["dieuphoi.vl"],
    )


@pytest.mark.django_db
def test_the_arbiter_may_keep_the_case_with_the_sender(case, personas):
    transfer = propose(case, personas["canbo.sct"])
    transfer_contest(
        transfer=transfer, actor=personas["canbo.syt"], now=vn(2026, 11, 3), reason="Không thuộc."
    )
    transfer_decide(
        transfer=transfer,
        actor=personas["dieuphoi.vl"],
        now=vn(2026, 11, 4),
        owner=agency("86-sct"),
        reason="Hàng hóa thông thường: Sở Công Thương giữ.",
    )
    case.refresh_from_db()
    assert case.owner_agency.code == "86-sct"
    assert transfer.decided_owner.code == "86-sct"


@pytest.mark.django_db
def test_two_provinces_disagreeing_go_to_the_national_authority(case, personas):
    transfer = propose(case, personas["canbo.sct"], to="01-sct")
    transfer_contest(
        transfer=transfer, actor=personas["canbo.hanoi"], now=vn(2026, 11, 3), reason="Người bán ở VL."
    )
    assert transfer.arbiter_agency.code == "national"
    with pytest.raises(PermissionDenied):
        transfer_decide(
            transfer=transfer,
            actor=personas["dieuphoi.vl"],
            now=vn(2026, 11, 4),
            owner=agency("01-sct"),
            reason="x",
        )
    transfer_decide(
        transfer=transfer,
        actor=personas["quocgia"],
        now=vn(2026, 11, 4),
        owner=agency("01-sct"),
        reason="Doanh nghiệp đặt trụ sở tại Hà Nội.",
    )
    case.refresh_from_db()
    assert case.owner_agency.code == "01-sct"


@pytest.mark.django_db
def test_a_second_transfer_goes_straight_to_the_arbiter(case, personas):
    first = propose(case, personas["canbo.sct"])
    transfer_accept(transfer=first, actor=personas["canbo.syt"], now=vn(2026, 11, 3))
    case.refresh_from_db()
    ping_pong = propose(case, personas["canbo.syt"], to="86-sct", now=vn(2026, 11, 3, 11))
    assert ping_pong.status == TransferStatus.ARBITRATION
    assert ping_pong.arbiter_agency.code == "86-sct-cp"
    case.refresh_from_db()
    assert case.owner_agency.code == "86-health"
    assert case.events.last().kind == "transfer_to_arbiter"
    with pytest.raises(Conflict):
        transfer_accept(transfer=ping_pong, actor=personas["canbo.sct"], now=vn(2026, 11, 4))


@pytest.mark.django_db
def test_the_sender_may_withdraw_an_unanswered_proposal(case, personas):
    transfer = propose(case, personas["canbo.sct"])
    with pytest.raises(PermissionDenied):
        transfer_withdraw(transfer=transfer, actor=personas["canbo.syt"], now=vn(2026, 11, 3))
    transfer_withdraw(transfer=transfer, actor=personas["canbo.sct"], now=vn(2026, 11, 3))
    assert transfer.status == TransferStatus.WITHDRAWN
    assert not can(personas["canbo.syt"], case, Action.VIEW)


@pytest.mark.django_db
def test_two_answers_at_once_one_wins(case, personas):
    transfer = propose(case, personas["canbo.sct"])
    stale = Transfer.objects.get(pk=transfer.pk)
    transfer_accept(transfer=transfer, actor=personas["canbo.syt"], now=vn(2026, 11, 3))
    with pytest.raises(Conflict):
        transfer_contest(transfer=stale, actor=personas["canbo.syt"], now=vn(2026, 11, 3), reason="Không")


@pytest.mark.django_db
def test_the_case_page_walks_the_protocol(client, case, personas):
    url = f"/can-bo/ho-so/{case.tracking_code}/"
    client.force_login(personas["canbo.sct"])
    page = client.get(url).content.decode()
    assert 'data-transfer-step="propose"' in page
    bad = client.post(
        url + "chuyen/propose/",
        {"to_agency": agency("86-health").pk, "reason_code": "outside_sector", "legal_basis": ""},
    )
    assert bad.status_code == 422
    ok = client.post(
        url + "chuyen/propose/",
        {"to_agency": agency("86-health").pk, "reason_code": "outside_sector", "legal_basis": FOOD_LAW},
    )
    assert ok.status_code == 302
    client.force_login(personas["canbo.syt"])
    page = client.get(url).content.decode()
    assert 'data-transfer-step="contest"' in page
    assert client.post(url + "chuyen/contest/", {"reason": "Thực phẩm thường."}).status_code == 302
    client.force_login(personas["dieuphoi.vl"])
    assert 'data-transfer-step="decide"' in client.get(url).content.decode()
    decided = client.post(
        url + "chuyen/decide/", {"owner": agency("86-health").pk, "reason": "Sở Y tế chủ trì."}
    )
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.owner_agency.code == "86-health"
    client.force_login(personas["canbo.hanoi"])
    assert client.post(url + "chuyen/propose/", {}).status_code == 404


@pytest.mark.django_db
def test_time_in_each_agencys_hands_is_charged_to_it(case, personas):
    from bvntd.complaints.queries import custody_periods

    transfer = propose(case, personas["canbo.sct"])  # Mon 2/11
    transfer_accept(transfer=transfer, actor=personas["canbo.syt"], now=vn(2026, 11, 5))  # Thu
    case.refresh_from_db()
    periods = custody_periods(case, vn(2026, 11, 10))  # Tue
    assert [(p.agency_label, p.working_days) for p in periods] == [
        ("Sở Công Thương tỉnh Vĩnh Long", 3),
        ("Sở Y tế tỉnh Vĩnh Long", 3),
    ]
    assert periods[-1].end is None


@pytest.mark.django_db
def test_an_accept_that_fails_says_why_on_the_case_page(client, case, personas):
    propose(case, personas["canbo.sct"])
    from bvntd.complaints import services

    services.complaint_withdraw(complaint=case, now=vn(2026, 11, 2, 11))  # the consumer withdrew meanwhile
    client.force_login(personas["canbo.syt"])
    response = client.post(f"/can-bo/ho-so/{case.tracking_code}/chuyen/accept/")
    assert response.status_code == 422
    assert "không thể chuyển" in response.content.decode()
    case.refresh_from_db()
    assert case.owner_agency.code == "86-sct"
