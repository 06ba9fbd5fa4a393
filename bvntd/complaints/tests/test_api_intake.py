"""POST /api/v1/complaints: the fields, the strict types, the one error shape, idempotent retries."""

import json

import pytest

from bvntd.complaints.models import Complaint, ComplaintEvent
from bvntd.complaints.states import Status
from conftest import valid_intake

URL = "/api/v1/complaints"


def post(client, body, **extra):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **extra)


def errors_by_field(response) -> dict:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.mark.django_db
def test_it_files_a_complaint_owned_by_the_provinces_sct(client):
    response = post(client, valid_intake())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.RECEIVED
    assert body["owner_agency"]["code"] == "86-sct"
    assert body["tracking_code"].startswith("VL-")
    assert body["due_at"]
    complaint = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert complaint.channel == "api"
    assert complaint.phone == "+84912345678"
    assert complaint.events.get().kind == "created"


@pytest.mark.django_db
def test_it_stores_personal_data_encrypted(client):
    from django.db import connection

    code = post(client, valid_intake()).json()["tracking_code"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT consumer_name, phone, email FROM complaints_complaint WHERE tracking_code = %s", [code]
        )
        raw = cursor.fetchone()
    assert "Nguyễn" not in raw[0] and "0912345678" not in raw[1] and "example.com" not in raw[2]


@pytest.mark.django_db
def test_it_ignores_unknown_fields_and_treats_empty_optional_strings_as_absent(client):
    body = valid_intake(email="", business_tax_code="", commune_code="", purchased_on="", amount_vnd=None)
    body["favourite_colour"] = "đỏ"
    response = post(client, body)
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_it_accepts_a_valid_foreign_phone(client):
    response = post(client, valid_intake(phone="+33 1 42 68 53 00", email=""))
    assert response.status_code == 201, response.content
    assert Complaint.objects.get().phone == "+33142685300"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consumer_name": ""}, "consumer_name"),
        ({"consumer_name": "A" * 201}, "consumer_name"),
        ({"consumer_name": 42}, "consumer_name"),
        ({"phone": 912345678}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "", "email": ""}, "phone"),
        ({"email": "khong-phai-email"}, "email"),
        ({"province_code": ""}, "province_code"),
        ({"province_code": "99"}, "province_code"),
        ({"province_code": 86}, "province_code"),
        ({"commune_code": "00004"}, "commune_code"),  # Ba Đình is in Hà Nội, not Vĩnh Long
        ({"business_name": "   "}, "business_name"),
        ({"business_tax_code": "0100109107"}, "business_tax_code"),
        ({"business_tax_code": 100109106}, "business_tax_code"),
        ({"description": "ngắn"}, "description"),
        ({"description": "x" * 20_001}, "description"),
        ({"amount_vnd": -1}, "amount_vnd"),
        ({"amount_vnd": 10**13 + 1}, "amount_vnd"),
        ({"amount_vnd": 1.5}, "amount_vnd"),
        ({"amount_vnd": "500000"}, "amount_vnd"),
        ({"amount_vnd": True}, "amount_vnd"),
        ({"purchased_on": "10/10/2026"}, "purchased_on"),
        ({"purchased_on": "2026-02-30"}, "purchased_on"),
        ({"purchased_on": "2999-01-01"}, "purchased_on"),
        ({"contacted_business": "yes"}, "contacted_business"),
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"consent": "true"}, "consent"),
    ],
)
def test_it_names_the_bad_field_and_writes_nothing(client, overrides, field):
    errors = errors_by_field(post(client, valid_intake(**overrides)))
    assert field in errors
    assert errors[field]  # a message, in Vietnamese by default
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0


@pytest.mark.django_db
def test_it_reports_every_bad_field_at_once(client):
    body = valid_intake(
        consumer_name="", phone="1", email="x@", province_code="99", description="", consent=False
    )
    errors = errors_by_field(post(client, body))
    assert {"consumer_name", "phone", "email", "province_code", "description", "consent"} <= set(errors)


@pytest.mark.django_db
def test_it_answers_in_english_when_asked(client):
    response = post(client, valid_intake(consent=False), HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = post(client, valid_intake(consent=False))
    assert response.status_code == 422 and vietnamese.status_code == 422
    assert response.json()["errors"][0]["message"] != vietnamese.json()["errors"][0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b""])
def test_it_refuses_a_body_that_is_not_a_json_object(client, body):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] is None


@pytest.mark.django_db
def test_it_keeps_html_as_text_and_cleans_invisible_characters(client):
    script = "<script>alert(1)</script> Máy hỏng\u200b ngay\u0007 khi mở hộp"
    body = valid_intake(description=script, business_name="Cửa hàng <b>A</b>")
    code = post(client, body).json()["tracking_code"]
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.description == "<script>alert(1)</script> Máy hỏng ngay khi mở hộp"
    assert complaint.business_name == "Cửa hàng <b>A</b>"


@pytest.mark.django_db
def test_it_normalises_text_to_nfc(client):
    decomposed = "Tôi mua điện thoại bị lỗi".encode().decode()
    import unicodedata

    body = valid_intake(description=unicodedata.normalize("NFD", decomposed))
    code = post(client, body).json()["tracking_code"]
    assert Complaint.objects.get(tracking_code=code).description == unicodedata.normalize("NFC", decomposed)


@pytest.mark.django_db
def test_a_retry_with_the_same_key_and_body_gives_the_same_complaint(client):
    first = post(client, valid_intake(), HTTP_IDEMPOTENCY_KEY="abc-123")
    again = post(client, valid_intake(), HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client):
    post(client, valid_intake(), HTTP_IDEMPOTENCY_KEY="abc-123")
    other = post(
        client,
        valid_intake(description="Một khiếu nại hoàn toàn khác về dịch vụ."),
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert other.status_code == 409
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_two_posts_make_two_complaints(client):
    post(client, valid_intake())
    post(client, valid_intake())
    assert Complaint.objects.count() == 2
