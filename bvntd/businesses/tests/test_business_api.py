"""`/api/v1/business/...`: a business's own systems, with a token per business, rate-limited."""

import pytest
from django.test import override_settings
from django.utils import timezone

from bvntd.businesses import portal
from bvntd.businesses.models import BusinessApiToken
from bvntd.complaints.states import Status

pytestmark = pytest.mark.django_db
BASE = "/api/v1/business/complaints"


@pytest.fixture
def token_a(personas, shop_a):
    business, _user = shop_a
    return portal.api_token_issue(
        business=business, name="Hệ thống CSKH", actor=personas["canbo.sct"], now=timezone.now()
    )


@pytest.fixture
def token_b(personas, shop_b):
    business, _user = shop_b
    return portal.api_token_issue(
        business=business, name="CRM", actor=personas["canbo.sct"], now=timezone.now()
    )


def auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_it_needs_a_token(client):
    response = client.get(BASE)

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


def test_a_business_lists_and_reads_only_its_own_open_complaints(client, shop_a, shop_b, file_about, token_a):
    mine = file_about(shop_a[0])
    theirs = file_about(shop_b[0], phone="0987654321")

    listing = client.get(BASE, **auth(token_a))
    assert listing.status_code == 200
    body = listing.json()
    assert [case["tracking_code"] for case in body["results"]] == [mine.tracking_code]
    assert body["results"][0]["consumer"] != "Nguyễn Văn An"  # masked
    assert body["results"][0]["priority"] is False

    assert client.get(f"{BASE}/{mine.tracking_code}", **auth(token_a)).status_code == 200
    # Company B's case does not exist for company A.
    assert client.get(f"{BASE}/{theirs.tracking_code}", **auth(token_a)).status_code == 404


def test_a_business_answers_through_the_api(client, shop_a, file_about, token_a):
    complaint = file_about(shop_a[0])

    response = client.post(
        f"{BASE}/{complaint.tracking_code}/answer",
        {"kind": "non_monetary", "body": "Đã đổi sản phẩm mới cho khách tại cửa hàng."},
        content_type="application/json",
        **auth(token_a),
    )

    assert response.status_code == 201
    assert response.json()["status"] == Status.BUSINESS_ANSWERED
    assert response.json()["answers"][0]["kind"] == "non_monetary"
    complaint.refresh_from_db()
    assert complaint.referral.answers.get().via == "api"
    # Answered cases leave the open list.
    assert client.get(BASE, **auth(token_a)).json()["count"] == 0
    assert client.get(f"{BASE}?include_closed=true", **auth(token_a)).json()["count"] == 1


def test_a_bad_answer_gets_every_field_error_in_vietnamese(client, shop_a, file_about, token_a):
    complaint = file_about(shop_a[0])

    response = client.post(
        f"{BASE}/{complaint.tracking_code}/answer",
        {"kind": "monetary", "body": "ok"},
        content_type="application/json",
        **auth(token_a),
    )

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body", "amount_vnd"}


def test_an_unknown_answer_kind_is_refused(client, shop_a, file_about, token_a):
    complaint = file_about(shop_a[0])

    response = client.post(
        f"{BASE}/{complaint.tracking_code}/answer",
        {"kind": "ignore", "body": "Không trả lời."},
        content_type="application/json",
        **auth(token_a),
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payload.kind"


@override_settings(BVNTD={**__import__("django.conf").conf.settings.BVNTD, "BUSINESS_API_RATE_PER_MINUTE": 3})
def test_it_limits_each_token_per_minute(client, token_a, token_b):
    statuses = [client.get(BASE, **auth(token_a)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    # Another business's token has its own count.
    assert client.get(BASE, **auth(token_b)).status_code == 200


def test_a_revoked_token_no_longer_works(client, personas, token_a):
    record = BusinessApiToken.objects.get()
    portal.api_token_revoke(token=record, actor=personas["canbo.sct"], now=timezone.now())

    assert client.get(BASE, **auth(token_a)).status_code == 401


def test_the_business_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/business/complaints" in paths
    assert "post" in paths["/api/v1/business/complaints/{tracking_code}/answer"]
