"""The staff workspace: inbox with filters and search, the case page, its action forms, the hotline form,
and the staff API."""

import datetime as dt

import pytest
import time_machine

from bvntd.complaints import services
from bvntd.complaints.models import Complaint
from bvntd.complaints.states import Status
from bvntd.core.api_auth import issue_token


@pytest.fixture
def officer_client(client, personas):
    client.force_login(personas["canbo.sct"])
    return client


@pytest.mark.django_db
def test_the_inbox_needs_a_login(client):
    response = client.get("/can-bo/ho-so/")
    assert response.status_code == 302 and "/dang-nhap/" in response.url


@pytest.mark.django_db
def test_search_finds_text_with_or_without_diacritics(officer_client, make_complaint):
    phone_case = make_complaint(description="Tôi mua điện thoại bị lỗi màn hình ngay khi mở hộp.")
    fridge_case = make_complaint(
        description="Tủ lạnh không lạnh, cửa hàng không bảo hành.", business_name="Điện máy Bình Minh"
    )
    for query in ("dien thoai", "điện thoại", "ĐIỆN THOẠI", "Dien   thoai"):
        page = officer_client.get("/can-bo/ho-so/", {"q": query}).content.decode()
        assert phone_case.tracking_code in page, query
        assert fridge_case.tracking_code not in page, query
    assert (
        fridge_case.tracking_code in officer_client.get("/can-bo/ho-so/", {"q": "binh minh"}).content.decode()
    )


@pytest.mark.django_db
def test_the_inbox_shows_only_the_agencys_cases(officer_client, make_complaint):
    mine = make_complaint()
    theirs = make_complaint(province_code="01")
    page = officer_client.get("/can-bo/ho-so/").content.decode()
    assert mine.tracking_code in page and theirs.tracking_code not in page


@pytest.mark.django_db
def test_a_page_of_the_inbox_reads_no_personal_data_and_a_fixed_number_of_queries(
    officer_client, make_complaint, django_assert_max_num_queries, monkeypatch
):
    from bvntd.core import crypto

    for _ in range(30):
        make_complaint()
    decrypted = []
    original = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: decrypted.append(token) or original(token))
    # Session, user, membership, the two short scope lists, count, calendar overrides, the page, then the
    # layout's and the filters' (business membership, agency, sectors, provinces): none per row.
    with django_assert_max_num_queries(12):
        page = officer_client.get("/can-bo/ho-so/").content.decode()
    assert page.count('href="/can-bo/ho-so/VL-') == 25
    assert decrypted == []


@pytest.mark.django_db
def test_filters_and_pagination(officer_client, make_complaint, personas, now, settings):
    settings.BVNTD = {**settings.BVNTD, "DUE_SOON_WORKING_DAYS": 1}
    cases = [make_complaint() for _ in range(27)]
    services.complaint_accept(complaint=cases[0], actor=personas["canbo.sct"], now=now)
    accepted = officer_client.get("/can-bo/ho-so/", {"status": "accepted"}).content.decode()
    assert cases[0].tracking_code in accepted and cases[1].tracking_code not in accepted
    first = officer_client.get("/can-bo/ho-so/").content.decode()
    second = officer_client.get("/can-bo/ho-so/", {"page": 2}).content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    with time_machine.travel(now):
        assert "0 hồ sơ" in officer_client.get("/can-bo/ho-so/", {"due": "overdue"}).content.decode()
    with time_machine.travel(now + dt.timedelta(days=8)):
        # The 26 accept clocks (3 working days) have run out; the accepted case has 15 working days.
        overdue = officer_client.get("/can-bo/ho-so/", {"due": "overdue"}).content.decode()
        assert "26 hồ sơ" in overdue and cases[0].tracking_code not in overdue
    with time_machine.travel(now + dt.timedelta(days=1)):
        soon = officer_client.get("/can-bo/ho-so/", {"due": "soon"}).content.decode()
        assert "0 hồ sơ" in soon  # due Thu 5/11; on Tue 3/11 the next working day is Wed
    with time_machine.travel(now + dt.timedelta(days=2)):
        assert "26 hồ sơ" in officer_client.get("/can-bo/ho-so/", {"due": "soon"}).content.decode()


@pytest.mark.django_db
def test_another_agencys_case_is_404(client, personas, make_complaint):
    complaint = make_complaint()
    client.force_login(personas["canbo.hanoi"])
    assert client.get(f"/can-bo/ho-so/{complaint.tracking_code}/").status_code == 404
    response = client.post(f"/can-bo/ho-so/{complaint.tracking_code}/accept/", {"version": 1})
    assert response.status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


@pytest.mark.django_db
def test_the_auditor_reads_but_cannot_act(client, personas, make_complaint):
    complaint = make_complaint()
    client.force_login(personas["kiemtoan"])
    page = client.get(f"/can-bo/ho-so/{complaint.tracking_code}/").content.decode()
    assert "chỉ có quyền xem" in page
    assert client.post(f"/can-bo/ho-so/{complaint.tracking_code}/accept/", {"version": 1}).status_code == 403


@pytest.mark.django_db
def test_the_case_page_masks_personal_data_until_revealed_for_a_purpose(officer_client, make_complaint):
    complaint = make_complaint()
    url = f"/can-bo/ho-so/{complaint.tracking_code}/"
    page = officer_client.get(url).content.decode()
    assert "Nguyễn Văn An" not in page and "0912345678" not in page and "+84912345678" not in page
    missing = officer_client.post(url + "reveal/", {"version": complaint.version, "purpose": ""})
    assert missing.status_code == 422
    shown = officer_client.post(url + "reveal/", {"version": complaint.version, "purpose": "Gọi xác minh"})
    assert "Nguyễn Văn An" in shown.content.decode()
    assert complaint.events.filter(kind="pii_revealed").count() == 1


@pytest.mark.django_db
def test_actions_through_the_case_page(officer_client, make_complaint):
    complaint = make_complaint()
    url = f"/can-bo/ho-so/{complaint.tracking_code}/"
    assert officer_client.post(url + "accept/", {"version": 1, "sector": "ecommerce"}).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.sector_id) == (Status.ACCEPTED, "ecommerce")
    bad = officer_client.post(
        url + "resolve/", {"version": complaint.version, "outcome": "refunded", "summary": ""}
    )
    assert bad.status_code == 422
    ok = officer_client.post(
        url + "resolve/",
        {"version": complaint.version, "outcome": "refunded", "summary": "Hoàn tiền 5.500.000 đồng."},
    )
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED


@pytest.mark.django_db
def test_the_head_assigns_an_officer_of_the_agency(client, personas, make_complaint):
    complaint = make_complaint()
    url = f"/can-bo/ho-so/{complaint.tracking_code}/assign/"
    client.force_login(personas["canbo.sct"])
    assert client.post(url, {"version": 1, "officer": personas["canbo2.sct"].pk}).status_code == 403
    client.force_login(personas["lanhdao.sct"])
    outsider = client.post(url, {"version": 1, "officer": personas["canbo.syt"].pk})
    assert outsider.status_code == 422  # not a choice: only the owning agency's people are offered
    assert client.post(url, {"version": 1, "officer": personas["canbo2.sct"].pk}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_officer == personas["canbo2.sct"]
    assert "Trần Văn Bình" in client.get(f"/can-bo/ho-so/{complaint.tracking_code}/").content.decode()


@pytest.mark.django_db
def test_a_stale_form_loses_with_a_clear_message(client, personas, make_complaint):
    complaint = make_complaint()
    url = f"/can-bo/ho-so/{complaint.tracking_code}/"
    client.force_login(personas["canbo.sct"])
    client.post(url + "accept/", {"version": 1})
    client.force_login(personas["canbo2.sct"])
    response = client.post(url + "note/", {"version": 1, "body": "Tôi nhận hồ sơ này"})
    assert response.status_code == 422
    assert "người khác cập nhật" in response.content.decode()
    assert not complaint.messages.exists()


@pytest.mark.django_db
def test_the_hotline_operator_enters_a_call(client, personas):
    from tests_helpers import hotline_form

    client.force_login(personas["tongdai"])
    response = client.post("/can-bo/tong-dai/moi/", hotline_form())
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "hotline" and complaint.created_by == personas["tongdai"]


@pytest.mark.django_db
def test_a_consumer_cannot_use_the_hotline_form(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="khach"))
    assert client.get("/can-bo/tong-dai/moi/").status_code == 403


# --- staff API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_staff_api_needs_a_token(client):
    response = client.get("/api/v1/staff/complaints")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_the_staff_api_lists_and_details_within_scope(client, personas, make_complaint):
    mine = make_complaint()
    theirs = make_complaint(province_code="01")
    token = issue_token(user=personas["canbo.sct"], name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/v1/staff/complaints", {"page_size": 10}, **auth).json()
    assert [item["tracking_code"] for item in listing["items"]] == [mine.tracking_code]
    assert listing["count"] == 1
    detail = client.get(f"/api/v1/staff/complaints/{mine.tracking_code}", **auth).json()
    assert detail["phone_masked"] != "+84912345678" and "consumer_name" not in detail
    assert client.get(f"/api/v1/staff/complaints/{theirs.tracking_code}", **auth).status_code == 404
    assert client.get("/api/v1/staff/complaints", {"page_size": 1000}, **auth).status_code == 422


@pytest.mark.django_db
def test_the_public_api_lookup(client, make_complaint):
    complaint = make_complaint()
    url = f"/api/v1/complaints/{complaint.tracking_code}"
    assert client.get(url, {"contact": "0999999999"}).status_code == 404
    body = client.get(url, {"contact": "+84 912 345 678"}).json()
    assert body["status"] == "received"
    assert [event["kind"] for event in body["timeline"]] == ["created"]
    assert "phone" not in body and "consumer_name" not in body


@pytest.mark.django_db
def test_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/complaints" in spec["paths"]
    body = spec["paths"]["/api/v1/complaints"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "consent" in body["required"]


@pytest.mark.django_db
def test_rejecting_needs_a_confirmation(officer_client, make_complaint):
    complaint = make_complaint()
    url = f"/can-bo/ho-so/{complaint.tracking_code}/reject/"
    form = {"version": 1, "reason_code": "out_of_scope", "explanation": "Giao dịch giữa hai cá nhân."}
    assert officer_client.post(url, form).status_code == 422
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert officer_client.post(url, {**form, "confirm": "on"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REJECTED
