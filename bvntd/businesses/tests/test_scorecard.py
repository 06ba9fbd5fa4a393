"""The business scorecard: how a business answered the complaints sent to it first, for staff (every case)
and for the public (only cases whose consumer consented and whose answer window has closed).

The referrals are made through the business stage's own services, and every figure is checked twice: against
a number worked out for this data by hand, and against a count over the raw Referral and BusinessAnswer rows.

Dates (Vietnam time, November 2026): ten complaints about shop_a are filed on Mon 2/11 (the business's
answer is due by the end of Wed 11/11, 7 working days); two more on Mon 16/11 (due Thu 26/11, after the
Tue 24/11 holiday). The scorecard is read on Thu 19/11 at noon.
"""

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from bvntd.businesses import registry, stage
from bvntd.businesses.models import (
    AnswerKind,
    Business,
    BusinessAnswer,
    Referral,
    ReferralStatus,
)
from bvntd.businesses.queries import scorecard
from bvntd.complaints import services
from bvntd.complaints.states import Status
from tests_helpers import vn

FILED = vn(2026, 11, 2, 9)
FILED_LATER = vn(2026, 11, 16, 9)
READ_AT = vn(2026, 11, 19, 12)
BODY = "Cửa hàng đã kiểm tra và trả lời khiếu nại của quý khách như sau."


def answer(complaint, business, at, kind, amount=None, expected_on=None):
    return stage.referral_answer(
        complaint=complaint,
        business=business,
        now=at,
        kind=kind,
        body=BODY,
        amount_vnd=amount,
        expected_on=expected_on,
    )


@pytest.fixture
def cases(shop_a, shop_b, file_about, personas):
    """Twelve referrals of shop_a, each a different story, and one of shop_b that must not count."""
    business, _user = shop_a
    officer = personas["canbo.sct"]

    def filed(consent: bool, at=FILED):
        complaint = file_about(business, at=at, publish_consent=consent)
        assert complaint.status == Status.AT_BUSINESS and complaint.referral.business == business
        return complaint

    c = {}
    # Answered on time with money back, accepted by the consumer.
    c["refund"] = filed(True)
    answer(c["refund"], business, vn(2026, 11, 4, 10), AnswerKind.MONETARY, amount=2_000_000)
    stage.answer_accept(complaint=c["refund"], now=vn(2026, 11, 5, 8))
    # The same, but the consumer did not consent to publication.
    c["refund_private"] = filed(False)
    answer(c["refund_private"], business, vn(2026, 11, 3, 10), AnswerKind.MONETARY, amount=700_000)
    stage.answer_accept(complaint=c["refund_private"], now=vn(2026, 11, 4, 8))
    # Answered a day late (before the sweep moved the case on); the consumer has not decided yet.
    c["late"] = filed(True)
    answer(c["late"], business, vn(2026, 11, 12, 8), AnswerKind.EXPLANATION)
    # Answered on time; the consumer disputed the answer.
    c["disputed"] = filed(True)
    answer(c["disputed"], business, vn(2026, 11, 9, 15), AnswerKind.NON_MONETARY)
    stage.answer_dispute(complaint=c["disputed"], now=vn(2026, 11, 10, 9), reason="Máy đổi vẫn lỗi.")
    # Refused on time (to the agency at once).
    c["refused"] = filed(False)
    answer(c["refused"], business, vn(2026, 11, 6, 9), AnswerKind.REFUSED)
    # "In progress" on time, then nothing by the date it named: silent, though its first answer was on time.
    c["stalled"] = filed(True)
    answer(
        c["stalled"], business, vn(2026, 11, 5, 9), AnswerKind.IN_PROGRESS, expected_on=dt.date(2026, 11, 16)
    )
    # No answer at all.
    c["silent"] = filed(True)
    c["silent_private"] = filed(False)
    # The consumer withdrew, and the agency took another case back, both long before the answer was due:
    # the business never had to answer them, so they do not count against it.
    c["withdrawn"] = filed(True)
    services.complaint_withdraw(complaint=c["withdrawn"], now=vn(2026, 11, 3, 9), reason="Đã tự thỏa thuận.")
    c["taken_over"] = filed(False)
    stage.referral_take_over(
        complaint=c["taken_over"], actor=officer, now=vn(2026, 11, 3, 10), reason="Nguy cơ cho sức khỏe."
    )
    # The sweep after the due date: silence moves the case to the agency.
    assert stage.sweep_business_stage(now=vn(2026, 11, 12, 9)) == {"business_silent": 2, "answers_lapsed": 0}
    assert stage.sweep_business_stage(now=vn(2026, 11, 17, 9)) == {"business_silent": 1, "answers_lapsed": 0}

    # Filed later: the answer windows are still open when the scorecard is read.
    c["open_waiting"] = filed(True, at=FILED_LATER)
    c["open_refund"] = filed(True, at=FILED_LATER)
    answer(c["open_refund"], business, vn(2026, 11, 17, 10), AnswerKind.MONETARY, amount=300_000)
    stage.answer_accept(complaint=c["open_refund"], now=vn(2026, 11, 18, 8))

    # Another business's case: never part of shop_a's figures.
    other, _ = shop_b
    c["other"] = file_about(other, publish_consent=True)
    answer(c["other"], other, vn(2026, 11, 3, 9), AnswerKind.MONETARY, amount=9_000_000)
    stage.answer_accept(complaint=c["other"], now=vn(2026, 11, 4, 9))

    for complaint in c.values():
        complaint.refresh_from_db()
    return c


def test_the_stories_ended_where_expected(cases):
    statuses = {name: Referral.objects.get(complaint=c).status for name, c in cases.items()}
    assert statuses == {
        "refund": ReferralStatus.ACCEPTED,
        "refund_private": ReferralStatus.ACCEPTED,
        "late": ReferralStatus.ANSWERED,
        "disputed": ReferralStatus.DISPUTED,
        "refused": ReferralStatus.REFUSED,
        "stalled": ReferralStatus.SILENT,
        "silent": ReferralStatus.SILENT,
        "silent_private": ReferralStatus.SILENT,
        "withdrawn": ReferralStatus.WITHDRAWN,
        "taken_over": ReferralStatus.TAKEN_OVER,
        "open_waiting": ReferralStatus.WAITING,
        "open_refund": ReferralStatus.ACCEPTED,
        "other": ReferralStatus.ACCEPTED,
    }
    assert cases["silent"].status == Status.RECEIVED and cases["refund"].status == Status.CLOSED
    assert Referral.objects.get(complaint=cases["refund"]).relief_vnd == 2_000_000


def by_hand(business: Business, *, public: bool, now: dt.datetime) -> dict:
    """The scorecard's figures counted in Python over the raw rows, the first answer taken from the answers
    themselves (not from the referral's own copy of its time)."""
    figures = {"received": 0, "on_time": 0, "late": 0, "not_answered": 0, "relief_vnd": 0, "disputes": 0}
    for referral in Referral.objects.filter(business=business).select_related("complaint"):
        if public and not (referral.complaint.publish_consent and referral.answer_due_at < now):
            continue
        answers = list(BusinessAnswer.objects.filter(referral=referral).order_by("created_at", "pk"))
        figures["received"] += 1
        if answers:
            first = answers[0].created_at
            figures["on_time" if first <= referral.answer_due_at else "late"] += 1
        elif referral.answer_due_at < now and (referral.status == ReferralStatus.SILENT or referral.is_open):
            # The business's time ran out while the case was still with it.
            figures["not_answered"] += 1
        if referral.status in {ReferralStatus.ACCEPTED, ReferralStatus.LAPSED}:
            accepted = answers[-1]
            if accepted.kind == AnswerKind.MONETARY:
                figures["relief_vnd"] += accepted.amount_vnd
        if referral.status == ReferralStatus.DISPUTED:
            figures["disputes"] += 1
    return figures


def figures_of(card) -> dict:
    return {
        "received": card.received,
        "on_time": card.answered_on_time,
        "late": card.answered_late,
        "not_answered": card.not_answered,
        "relief_vnd": card.relief_vnd,
        "disputes": card.disputes,
    }


def test_the_staff_scorecard_counts_every_case(cases, shop_a):
    business, _ = shop_a
    card = scorecard(business, public=False, now=READ_AT)
    expected = {
        "received": 12,
        # refund, refund_private, disputed, refused, stalled, open_refund
        "on_time": 6,
        "late": 1,
        # silent, silent_private; not open_waiting (its window is open), nor withdrawn or taken_over
        "not_answered": 2,
        "relief_vnd": 2_000_000 + 700_000 + 300_000,
        "disputes": 1,
    }
    assert figures_of(card) == expected
    assert by_hand(business, public=False, now=READ_AT) == expected
    assert card.by_status == {
        "Chờ doanh nghiệp trả lời": 1,
        "Đã trả lời, chờ người tiêu dùng": 1,
        "Người tiêu dùng đồng ý": 3,
        "Người tiêu dùng không đồng ý": 1,
        "Doanh nghiệp từ chối": 1,
        "Doanh nghiệp không trả lời đúng hạn": 3,
        "Cơ quan tiếp nhận giải quyết": 1,
        "Người tiêu dùng rút yêu cầu": 1,
    }
    assert card.on_time_share == 6 / 12


def test_the_public_scorecard_counts_consented_cases_whose_window_closed(cases, shop_a):
    business, _ = shop_a
    card = scorecard(business, public=True, now=READ_AT)
    expected = {
        # refund, late, disputed, stalled, silent, withdrawn
        "received": 6,
        "on_time": 3,
        "late": 1,
        "not_answered": 1,
        "relief_vnd": 2_000_000,
        "disputes": 1,
    }
    assert figures_of(card) == expected
    assert by_hand(business, public=True, now=READ_AT) == expected
    assert card.by_status == {
        "Đã trả lời, chờ người tiêu dùng": 1,
        "Người tiêu dùng đồng ý": 1,
        "Người tiêu dùng không đồng ý": 1,
        "Doanh nghiệp không trả lời đúng hạn": 2,
        "Người tiêu dùng rút yêu cầu": 1,
    }
    # Once the later windows close, the two later cases count too (the waiting one as not answered).
    after = vn(2026, 11, 27, 9)
    assert figures_of(scorecard(business, public=True, now=after)) == by_hand(
        business, public=True, now=after
    )
    assert scorecard(business, public=True, now=after).received == 8


def test_another_business_has_its_own_figures(cases, shop_b):
    other, _ = shop_b
    card = scorecard(other, public=True, now=READ_AT)
    assert (card.received, card.answered_on_time, card.relief_vnd) == (1, 1, 9_000_000)


def scorecard_on_page(page: str) -> list[tuple[str, str]]:
    # The figures, then the outcomes under their own heading.
    blocks = re.findall(
        r'<dl class="facts scorecard" data-testid="scorecard(?:-outcomes)?">(.*?)</dl>', page, re.S
    )
    pairs = [pair for block in blocks for pair in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)]
    return [(html.unescape(term).strip(), html.unescape(value).strip()) for term, value in pairs]


def test_the_public_page_shows_the_public_figures_and_nothing_personal(client, cases, shop_a, time_machine):
    business, _ = shop_a
    time_machine.move_to(READ_AT, tick=False)
    response = client.get(f"/cong-khai/doanh-nghiep/{business.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert business.name in page
    assert scorecard_on_page(page) == [
        ("Khiếu nại doanh nghiệp nhận", "6"),
        ("Trả lời đúng hạn", "3 (50%)"),
        ("Trả lời trễ hạn", "1"),
        ("Không trả lời", "1"),
        ("Tiền trả lại người tiêu dùng", "2.000.000 ₫"),
        ("Người tiêu dùng không đồng ý", "1"),
        # By the referral's status.
        ("Người tiêu dùng đồng ý", "1"),
        ("Đã trả lời, chờ người tiêu dùng", "1"),
        ("Người tiêu dùng không đồng ý", "1"),
        ("Doanh nghiệp không trả lời đúng hạn", "2"),
        ("Người tiêu dùng rút yêu cầu", "1"),
    ]
    for complaint in cases.values():
        assert complaint.consumer_name not in page
        assert complaint.tracking_code not in page
    for secret in ("Nguyễn Văn An", "0912345678", "912345678", "an.nguyen@example.com", BODY):
        assert secret not in page


def test_the_public_search_finds_a_business_without_diacritics(client, shop_a, shop_b):
    business, _ = shop_a
    response = client.get("/cong-khai/doanh-nghiep/", {"q": "anh duong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/cong-khai/doanh-nghiep/{business.pk}/"' in page and business.name in page
    assert "Bình Minh" not in page
    assert (
        "Không tìm thấy doanh nghiệp."
        in client.get("/cong-khai/doanh-nghiep/", {"q": "xyz"}).content.decode()
    )
    # By tax code, and nothing listed before a search.
    assert business.name in client.get("/cong-khai/doanh-nghiep/", {"q": business.tax_code}).content.decode()
    assert business.name not in client.get("/cong-khai/doanh-nghiep/").content.decode()


def test_the_search_keeps_the_query_across_pages(client, personas, now):
    for i in range(27):
        registry.business_create(actor=personas["canbo.sct"], now=now, name=f"Cửa hàng A&B số {i:02d}")
    page = client.get("/cong-khai/doanh-nghiep/", {"q": "a&b"}).content.decode()
    assert "Trang 1/2" in page
    link = html.unescape(re.search(r'<a href="([^"]*page=2[^"]*)"', page).group(1))
    assert parse_qs(urlsplit(link).query) == {"page": ["2"], "q": ["a&b"]}
    assert "Trang 2/2" in client.get("/cong-khai/doanh-nghiep/" + link).content.decode()


def test_a_merged_duplicates_public_page_redirects_to_the_kept_record(client, shop_a, personas, now):
    business, _ = shop_a
    duplicate = registry.business_create(actor=personas["canbo.sct"], now=now, name="Điện máy Ánh Dương (cũ)")
    registry.business_merge(keep=business, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    response = client.get(f"/cong-khai/doanh-nghiep/{duplicate.pk}/")
    assert response.status_code == 302
    assert response.url == f"/cong-khai/doanh-nghiep/{business.pk}/"
    assert client.get(response.url).status_code == 200
    # The duplicate is not listed on its own any more.
    listed = client.get("/cong-khai/doanh-nghiep/", {"q": "anh duong"}).content.decode()
    assert f"/cong-khai/doanh-nghiep/{duplicate.pk}/" not in listed
    assert client.get("/cong-khai/doanh-nghiep/999999/").status_code == 404
