"""The consumer's pages: the intake form, the confirmation, the look-up and the tracking page."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from bvntd.complaints import services
from bvntd.complaints.models import Attachment, Complaint
from bvntd.complaints.states import Outcome, Status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(**overrides):
    data = {
        "consumer_name": "Trần Thị Mai",
        "phone": "0987 654 321",
        "email": "",
        "province_code": "86",
        "commune_code": "",
        "business_name": "Siêu thị Điện máy Xanh Lợi",
        "description": "Tủ lạnh mua về không lạnh, cửa hàng hẹn mãi không sửa.",
        "amount_vnd": "8.990.000",
        "purchased_on": "01/10/2026",
        "desired_outcome": "Đổi tủ lạnh mới",
        "contacted_business": "true",
        "consent": "true",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_form_files_a_complaint_and_shows_the_tracking_code(client):
    response = client.post("/khieu-nai/moi/", form_data(), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.channel == "web"
    assert complaint.amount_vnd == 8_990_000
    assert str(complaint.purchased_on) == "2026-10-01"
    assert complaint.contacted_business is True
    assert complaint.tracking_code in response.content.decode()


@pytest.mark.django_db
def test_the_form_shows_every_error_keeps_the_values_and_writes_nothing(client):
    response = client.post("/khieu-nai/moi/", form_data(phone="12", consent="", description="ngắn"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Số điện thoại không hợp lệ" in page
    assert "Cần có sự đồng ý" in page
    assert "Siêu thị Điện máy Xanh Lợi" in page  # kept
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_an_attachment_is_checked_by_its_content_not_its_name(client):
    fake = SimpleUploadedFile("hoa-don.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post("/khieu-nai/moi/", {**form_data(), "attachments": [fake]})
    assert response.status_code == 422
    assert "không phải ảnh" in response.content.decode()
    assert not Complaint.objects.exists()
    real = SimpleUploadedFile("anh.bin", PNG, content_type="application/octet-stream")
    client.post("/khieu-nai/moi/", {**form_data(), "attachments": [real]})
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.extension, attachment.size) == ("image/png", "png", len(PNG))


@pytest.mark.django_db
def test_html_in_a_complaint_is_shown_as_text(client, personas):
    client.post(
        "/khieu-nai/moi/", form_data(description="<script>alert('x')</script> hàng giả, không đổi trả")
    )
    complaint = Complaint.objects.get()
    client.force_login(personas["canbo.sct"])
    page = client.get(f"/can-bo/ho-so/{complaint.tracking_code}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


@pytest.mark.django_db
def test_communes_for_a_province(client):
    response = client.get("/khieu-nai/xa-phuong/", {"province_code": "86"})
    assert response.status_code == 200
    assert response.content.decode().count("<option") > 50


@pytest.mark.django_db
def test_lookup_needs_the_code_and_the_contact(client, make_complaint):
    complaint = make_complaint()
    wrong = client.post("/tra-cuu/", {"tracking_code": complaint.tracking_code, "contact": "0900000000"})
    assert wrong.status_code == 422
    assert client.get(f"/tra-cuu/{complaint.tracking_code}/").status_code == 302  # not proven yet
    right = client.post(
        "/tra-cuu/", {"tracking_code": complaint.tracking_code.lower(), "contact": "0912 345 678"}
    )
    assert right.status_code == 302
    page = client.get(right.url).content.decode()
    assert "Đã tiếp nhận" in page
    assert "Sở Công Thương" in page


@pytest.mark.django_db
def test_lookup_by_email_ignores_case(client, make_complaint):
    complaint = make_complaint()
    response = client.post(
        "/tra-cuu/", {"tracking_code": complaint.tracking_code, "contact": "AN.Nguyen@Example.com"}
    )
    assert response.status_code == 302


def _track(client, complaint):
    client.post("/tra-cuu/", {"tracking_code": complaint.tracking_code, "contact": "0912345678"})
    return f"/tra-cuu/{complaint.tracking_code}/"


@pytest.mark.django_db
def test_the_consumer_answers_a_request_for_information_with_a_file(client, make_complaint, personas):
    complaint = make_complaint()
    officer = personas["canbo.sct"]
    services.complaint_accept(complaint=complaint, actor=officer, now=complaint.received_at)
    services.complaint_request_info(
        complaint=complaint, actor=officer, now=complaint.received_at, message="Vui lòng gửi ảnh hóa đơn."
    )
    url = _track(client, complaint)
    assert "Vui lòng gửi ảnh hóa đơn." in client.get(url).content.decode()
    photo = SimpleUploadedFile("hd.png", PNG)
    response = client.post(url + "reply/", {"body": "Ảnh hóa đơn đây ạ.", "attachments": [photo]})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.attachments.get().message.body == "Ảnh hóa đơn đây ạ."


@pytest.mark.django_db
def test_the_consumer_rates_or_disputes_the_outcome(client, make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint()
    services.complaint_accept(complaint=complaint, actor=officer, now=complaint.received_at)
    services.complaint_resolve(
        complaint=complaint,
        actor=officer,
        now=complaint.received_at,
        outcome=Outcome.REFUNDED,
        summary="Hoàn tiền đủ.",
    )
    url = _track(client, complaint)
    with time_machine.travel(complaint.received_at + dt.timedelta(days=3)):
        assert client.post(url + "dispute/", {"reason": ""}).status_code == 422
        assert client.post(url + "dispute/", {"reason": "Chưa nhận tiền."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED


@pytest.mark.django_db
def test_withdrawing_needs_a_confirmation(client, make_complaint):
    complaint = make_complaint()
    url = _track(client, complaint)
    assert client.post(url + "withdraw/", {"reason": "Thôi"}).status_code == 422
    assert client.post(url + "withdraw/", {"reason": "Thôi", "confirm": "on"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN


@pytest.mark.django_db
def test_the_public_timeline_hides_internal_notes(client, make_complaint, personas):
    complaint = make_complaint()
    services.complaint_add_note(
        complaint=complaint,
        actor=personas["canbo.sct"],
        now=complaint.received_at,
        body="Nghi ngờ doanh nghiệp tái phạm",
    )
    page = client.get(_track(client, complaint)).content.decode()
    assert "Nghi ngờ doanh nghiệp tái phạm" not in page


@pytest.mark.django_db
def test_pages_render_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get("/khieu-nai/moi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page


@pytest.mark.django_db
def test_too_many_failed_lookups_pause_the_client(client, make_complaint, settings):
    settings.BVNTD = {**settings.BVNTD, "LOOKUP_MAX_FAILURES": 3, "LOOKUP_WINDOW_MINUTES": 15}
    complaint = make_complaint()
    for _ in range(3):
        wrong = client.post("/tra-cuu/", {"tracking_code": complaint.tracking_code, "contact": "0900000000"})
        assert wrong.status_code == 422
    # Now even the right contact is refused for a while, from the page and from the API alike.
    right = {"tracking_code": complaint.tracking_code, "contact": "0912345678"}
    blocked = client.post("/tra-cuu/", right)
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    api = client.get(f"/api/v1/complaints/{complaint.tracking_code}", {"contact": "0912345678"})
    assert api.status_code == 429
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        assert client.post("/tra-cuu/", right).status_code == 302


@pytest.mark.django_db
def test_failed_api_lookups_count_too(client, make_complaint, settings):
    settings.BVNTD = {**settings.BVNTD, "LOOKUP_MAX_FAILURES": 2}
    complaint = make_complaint()
    url = f"/api/v1/complaints/{complaint.tracking_code}"
    assert client.get(url, {"contact": "0900000001"}).status_code == 404
    assert client.get(url, {"contact": "0900000002"}).status_code == 404
    assert client.get(url, {"contact": "0912345678"}).status_code == 429
