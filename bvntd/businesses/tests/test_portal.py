"""The business portal through the browser's eyes: the invitation, one business's cases only, the answer,
and the consumer's decision on the tracking page."""

import datetime as dt

import pytest
from django.urls import reverse

from bvntd.businesses import portal
from bvntd.businesses.models import BusinessEvent, BusinessMember, ReferralStatus
from bvntd.complaints.states import Status

pytestmark = pytest.mark.django_db


def test_an_invitation_opens_once_and_creates_the_representatives_account(client, personas):
    from django.utils import timezone

    from bvntd.businesses.registry import business_create

    now = timezone.now()  # the page checks the link's expiry against the real clock

    business = business_create(
        actor=personas["canbo.sct"], now=now, name="Công ty CP Sữa Cửu Long", tax_code="0309532909"
    )
    _invitation, token = portal.invitation_create(
        business=business, email="Phap.Che@SuaCuuLong.vn", actor=personas["canbo.sct"], now=now
    )
    url = reverse("businesses:invitation", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    assert "Công ty CP Sữa Cửu Long" in page.text

    bad = client.post(url, {"full_name": "", "password": "Mat-khau-dai-2026!", "password_again": "khac"})
    assert bad.status_code == 422
    assert "Hai mật khẩu không khớp." in bad.text and "Vui lòng nhập họ và tên." in bad.text

    done = client.post(
        url,
        {
            "full_name": "Trần Thị Mai",
            "password": "Mat-khau-dai-2026!",
            "password_again": "Mat-khau-dai-2026!",
        },
    )
    assert done.status_code == 302 and done.url == reverse("businesses:portal")
    member = BusinessMember.objects.get(business=business)
    assert member.user.username == "phap.che@suacuulong.vn"
    assert BusinessEvent.objects.filter(business=business, kind="user_joined").exists()

    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "đã được sử dụng" in again.text


def test_an_expired_or_unknown_invitation_is_refused(client, personas):
    from django.utils import timezone

    from bvntd.businesses.registry import business_create

    now = timezone.now()

    business = business_create(actor=personas["canbo.sct"], now=now, name="Cửa hàng Hoa Mai")
    _invitation, token = portal.invitation_create(
        business=business,
        email="hoamai@example.vn",
        actor=personas["canbo.sct"],
        now=now - dt.timedelta(days=30),
    )

    assert client.get(reverse("businesses:invitation", args=[token])).status_code == 410
    assert client.get(reverse("businesses:invitation", args=["khong-ton-tai"])).status_code == 404


def test_only_agency_staff_may_invite(personas, now, shop_a):
    business, user = shop_a
    from bvntd.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        portal.invitation_create(business=business, email="x@example.vn", actor=user, now=now)
    with pytest.raises(PermissionDenied):
        portal.invitation_create(business=business, email="x@example.vn", actor=personas["kiemtoan"], now=now)


def test_a_business_user_sees_only_its_own_complaints(client, shop_a, shop_b, file_about):
    business_a, user_a = shop_a
    business_b, _user_b = shop_b
    mine = file_about(business_a)
    theirs = file_about(business_b, phone="0987654321")
    client.force_login(user_a)

    listing = client.get(reverse("businesses:portal"))
    assert mine.tracking_code in listing.text
    assert theirs.tracking_code not in listing.text
    assert client.get(reverse("businesses:portal_case", args=[mine.tracking_code])).status_code == 200
    # Company B's case does not exist for company A.
    assert client.get(reverse("businesses:portal_case", args=[theirs.tracking_code])).status_code == 404
    assert (
        client.post(
            reverse("businesses:portal_step", args=[theirs.tracking_code, "answer"]),
            {"kind": "explanation", "body": "Không liên quan đến chúng tôi."},
        ).status_code
        == 404
    )


def test_a_business_user_is_kept_out_of_staff_pages(client, shop_a, file_about):
    business, user = shop_a
    complaint = file_about(business)
    client.force_login(user)

    assert client.get(reverse("complaints:case", args=[complaint.tracking_code])).status_code == 404
    assert client.get(reverse("businesses:registry")).status_code == 403
    assert client.get(reverse("businesses:alerts")).status_code == 403


def test_the_portal_masks_the_consumer_and_shows_priority(client, shop_a, file_about, personas, now):
    from bvntd.businesses.registry import complaint_confirm_vulnerable

    business, user = shop_a
    complaint = file_about(business, vulnerable_group="elderly")
    complaint_confirm_vulnerable(complaint=complaint, actor=personas["canbo.sct"], now=now, group="elderly")
    client.force_login(user)

    page = client.get(reverse("businesses:portal_case", args=[complaint.tracking_code]))

    assert "Nguyễn Văn An" not in page.text and "0912345678" not in page.text
    assert "Điều 8" in page.text
    assert "Người cao tuổi" not in page.text  # the group itself stays with the agency
    assert "Giao bên thứ ba" not in page.text


def test_a_business_answers_in_the_portal_and_the_consumer_accepts_on_the_tracking_page(
    client, shop_a, file_about
):
    business, user = shop_a
    complaint = file_about(business)
    client.force_login(user)
    answer_url = reverse("businesses:portal_step", args=[complaint.tracking_code, "answer"])

    bad = client.post(answer_url, {"kind": "monetary", "body": "Hoàn tiền cho khách.", "amount_vnd": ""})
    assert bad.status_code == 422
    assert "Vui lòng nhập số tiền hoàn trả" in bad.text

    ok = client.post(
        answer_url,
        {
            "kind": "monetary",
            "body": "Công ty hoàn lại 5.500.000 đồng trong 3 ngày.",
            "amount_vnd": "5.500.000",
        },
    )
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.BUSINESS_ANSWERED

    client.logout()
    client.post(
        reverse("complaints:lookup"), {"tracking_code": complaint.tracking_code, "contact": "0912345678"}
    )
    track = client.get(reverse("complaints:track", args=[complaint.tracking_code]))
    assert "Công ty hoàn lại 5.500.000 đồng" in track.text
    assert "Đồng ý với câu trả lời" in track.text

    unconfirmed = client.post(
        reverse("complaints:track_action", args=[complaint.tracking_code, "accept_answer"]), {}
    )
    assert unconfirmed.status_code == 422
    complaint.refresh_from_db()
    assert complaint.status == Status.BUSINESS_ANSWERED

    accepted = client.post(
        reverse("complaints:track_action", args=[complaint.tracking_code, "accept_answer"]), {"confirm": "on"}
    )
    assert accepted.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.referral.status == ReferralStatus.ACCEPTED


def test_the_consumer_disputes_the_answer_on_the_tracking_page(client, shop_a, file_about, now):
    from bvntd.businesses.models import AnswerKind
    from bvntd.businesses.stage import referral_answer

    business, user = shop_a
    complaint = file_about(business)
    referral_answer(
        complaint=complaint,
        business=business,
        now=now,
        kind=AnswerKind.EXPLANATION,
        body="Máy hỏng do người dùng, không bảo hành.",
        author=user,
    )
    client.post(
        reverse("complaints:lookup"), {"tracking_code": complaint.tracking_code, "contact": "0912345678"}
    )

    response = client.post(
        reverse("complaints:track_action", args=[complaint.tracking_code, "dispute_answer"]),
        {"reason": "Tôi không làm rơi máy."},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_staff_case_page_shows_the_business_stage(client, personas, shop_a, file_about):
    business, _user = shop_a
    complaint = file_about(business)
    client.force_login(personas["canbo.sct"])

    page = client.get(reverse("complaints:case", args=[complaint.tracking_code]))

    assert page.status_code == 200
    assert 'data-testid="referral"' in page.text
    assert "Cơ quan giải quyết ngay" in page.text


def test_staff_link_a_candidate_and_send_the_case_from_the_case_page(client, personas, shop_a, file_about):
    business, _user = shop_a
    complaint = file_about(business_tax_code="", business_name="Dien may Anh Duong")
    client.force_login(personas["canbo.sct"])

    page = client.get(reverse("complaints:case", args=[complaint.tracking_code]))
    assert "Công ty TNHH Điện máy Ánh Dương" in page.text  # offered as a candidate

    client.post(
        reverse("businesses:case_step", args=[complaint.tracking_code, "link"]), {"business": business.pk}
    )
    sent = client.post(reverse("businesses:case_step", args=[complaint.tracking_code, "send"]))

    assert sent.status_code == 302
    complaint.refresh_from_db()
    assert complaint.business == business
    assert complaint.status == Status.AT_BUSINESS


def test_a_failed_take_over_keeps_the_form_open_with_its_error(client, personas, shop_a, file_about):
    business, _user = shop_a
    complaint = file_about(business)
    client.force_login(personas["canbo.sct"])

    response = client.post(
        reverse("businesses:case_step", args=[complaint.tracking_code, "take_over"]), {"reason": ""}
    )

    assert response.status_code == 422
    assert "This field is required" in response.text or "Trường này là bắt buộc" in response.text
    complaint.refresh_from_db()
    assert complaint.status == Status.AT_BUSINESS
