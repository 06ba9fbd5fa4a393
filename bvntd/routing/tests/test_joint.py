"""Joint handling: the lead asks supporting agencies for tasks with their own due dates, and cannot resolve
while one is open unless it records why."""

import datetime as dt

import pytest

from bvntd.agencies.models import Agency
from bvntd.complaints import services
from bvntd.complaints.access import Action, can
from bvntd.complaints.states import Outcome, Status
from bvntd.core.calendar import VN_TZ
from bvntd.core.errors import Conflict, DomainError, PermissionDenied
from bvntd.routing.joint import task_answer, task_request
from bvntd.routing.models import TaskStatus
from tests_helpers import vn


@pytest.fixture
def accepted(make_complaint, personas):
    complaint = make_complaint(at=vn(2026, 11, 2))
    services.complaint_accept(complaint=complaint, actor=personas["canbo.sct"], now=vn(2026, 11, 2, 10))
    return complaint


@pytest.mark.django_db
def test_a_task_has_its_own_due_date_and_lets_the_supporter_read_the_case(accepted, personas):
    qltt = Agency.objects.get(code="86-qltt")
    task = task_request(
        complaint=accepted,
        actor=personas["canbo.sct"],
        now=vn(2026, 11, 2, 11),
        agency=qltt,
        request="Kiểm tra nguồn gốc lô hàng tại cửa hàng.",
        working_days=3,
    )
    assert task.due_at.astimezone(VN_TZ).date() == dt.date(2026, 11, 5)
    assert accepted.events.last().kind == "task_requested"
    assert not can(personas["canbo.syt"], accepted, Action.VIEW)


@pytest.mark.django_db
def test_only_the_lead_asks_and_only_the_supporter_answers(accepted, personas):
    health = Agency.objects.get(code="86-health")
    with pytest.raises(PermissionDenied):
        task_request(
            complaint=accepted, actor=personas["canbo.syt"], now=vn(2026, 11, 3), agency=health, request="x"
        )
    task = task_request(
        complaint=accepted,
        actor=personas["canbo.sct"],
        now=vn(2026, 11, 3),
        agency=health,
        request="Cho ý kiến về thành phần sản phẩm.",
    )
    assert can(personas["canbo.syt"], accepted, Action.VIEW)
    assert not can(personas["canbo.syt"], accepted, Action.RESOLVE)
    for username in ("canbo.sct", "dieuphoi.vl", "quocgia"):
        with pytest.raises(PermissionDenied):
            task_answer(task=task, actor=personas[username], now=vn(2026, 11, 4), answer="x")
    task_answer(task=task, actor=personas["canbo.syt"], now=vn(2026, 11, 4), answer="Sản phẩm chứa chất cấm.")
    assert task.status == TaskStatus.DONE
    with pytest.raises(Conflict):
        task_answer(task=task, actor=personas["canbo.syt"], now=vn(2026, 11, 4), answer="Lần nữa")


@pytest.mark.django_db
def test_the_lead_cannot_resolve_with_an_open_task_unless_it_says_why(accepted, personas):
    officer = personas["canbo.sct"]
    task_request(
        complaint=accepted,
        actor=officer,
        now=vn(2026, 11, 3),
        agency=Agency.objects.get(code="86-qltt"),
        request="Kiểm tra cửa hàng.",
    )
    with pytest.raises(DomainError, match="phối hợp"):
        services.complaint_resolve(
            complaint=accepted,
            actor=officer,
            now=vn(2026, 11, 4),
            outcome=Outcome.SETTLED,
            summary="Đã thương lượng.",
        )
    services.complaint_resolve(
        complaint=accepted,
        actor=officer,
        now=vn(2026, 11, 4),
        outcome=Outcome.SETTLED,
        summary="Đã thương lượng.",
        open_tasks_reason="Hai bên đã tự thỏa thuận xong.",
    )
    assert accepted.status == Status.RESOLVED
    assert accepted.events.last().data["open_tasks_reason"] == "Hai bên đã tự thỏa thuận xong."


@pytest.mark.django_db
def test_the_case_page_asks_and_answers(client, accepted, personas):
    url = f"/can-bo/ho-so/{accepted.tracking_code}/"
    client.force_login(personas["canbo.sct"])
    assert 'data-task-step="request"' in client.get(url).content.decode()
    qltt = Agency.objects.get(code="86-qltt")
    assert (
        client.post(
            url + "phoi-hop/request/", {"agency": qltt.pk, "request": "", "working_days": 3}
        ).status_code
        == 422
    )
    assert (
        client.post(
            url + "phoi-hop/request/", {"agency": qltt.pk, "request": "Kiểm tra.", "working_days": 3}
        ).status_code
        == 302
    )
    task = accepted.support_tasks.get()
    other = Agency.objects.get(code="86-health")
    assert other != task.agency
    assert client.post(url + f"phoi-hop/answer-{task.pk}/", {"answer": "Tôi trả lời thay"}).status_code == 403


@pytest.mark.django_db
def test_a_business_in_another_province_gets_a_support_request_there(make_complaint, personas):
    complaint = make_complaint(business_province_code="79")  # consumer in Vĩnh Long, shop in Hồ Chí Minh
    assert complaint.owner_agency.code == "86-sct"  # the consumer's province keeps the case
    task = complaint.support_tasks.get()
    assert task.agency.code == "79-sct" and task.created_by is None
    assert [e.kind for e in complaint.events.order_by("id")] == ["created", "task_requested"]
    same = make_complaint(business_province_code="86")
    assert not same.support_tasks.exists()


@pytest.mark.django_db
def test_a_bad_business_province_is_refused(client):
    import json

    from conftest import valid_intake

    body = valid_intake(business_province_code="99")
    response = client.post("/api/v1/complaints", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "business_province_code"
