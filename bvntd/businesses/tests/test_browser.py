"""The business journey in a real browser: an officer registers a business and invites its representative;
the representative opens the one-time link and answers a complaint with monetary relief; the consumer accepts
the answer on a phone; an officer records a mediation with a settlement and prints its minutes as a PDF.

Screenshots go to test-results/browser/ (biz-*.png) and the PDF to test-results/browser/biz-bien-ban.pdf.
"""

import datetime as dt
import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect

from bvntd.core.calendar import VN_TZ
from bvntd.core.testing.browser import DESKTOP, PHONE, SCREENSHOTS, TIMEOUT_MS, log_in, post_json, watch

pytestmark = pytest.mark.browser

TAX_CODE = "0100109106"
BUSINESS = "Công ty TNHH Điện máy Ánh Dương"
PASSWORD = "Mat-khau-dai-2026!"
ANSWER = (
    "Điện máy Ánh Dương xin lỗi quý khách và hoàn lại 3.200.000 đồng vào tài khoản trong 3 ngày làm việc."
)
SETTLEMENT = "Cửa hàng hoàn trả 2.000.000 đồng và đổi máy giặt mới cho người tiêu dùng."


def complaint_body(**overrides) -> dict:
    body = {
        "consumer_name": "Phan Thị Mỹ Linh",
        "phone": "0903 456 789",
        "province_code": "86",
        "business_name": "Điện máy Ánh Dương",
        "business_tax_code": TAX_CODE,
        "description": "Tôi mua máy giặt cửa trước, giao đến bị móp cửa, máy chạy rung lắc mạnh, rò nước.",
        "amount_vnd": 3_200_000,
        "contacted_business": False,
        "publish_consent": True,
        "consent": True,
    }
    body.update(overrides)
    return body


def test_business_answers_consumer_accepts_officer_mediates(live_app, chromium, screenshots):
    expect.set_options(timeout=TIMEOUT_MS)
    officer_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    business_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    consumer_context = chromium.new_context(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    pages = {
        "officer": officer_context.new_page(),
        "business": business_context.new_page(),
        "consumer": consumer_context.new_page(),
    }
    problems: list[str] = []
    for who, page in pages.items():
        page.set_default_timeout(TIMEOUT_MS)
        watch(page, who, problems)
    try:
        invitation = _officer_registers_and_invites(live_app.url, pages["officer"], screenshots)
        _business_opens_invitation(invitation, pages["business"], screenshots)
        # Filed once the business has a portal account, by a consumer who has not asked it yet: it goes to
        # the business first.
        code = post_json(f"{live_app.url}/api/v1/complaints", complaint_body())["tracking_code"]
        _business_answers(pages["business"], code, screenshots)
        _consumer_accepts(live_app.url, pages["consumer"], code, screenshots)
        other = post_json(
            f"{live_app.url}/api/v1/complaints",
            complaint_body(phone="0918 222 333", contacted_business=True, consumer_name="Trịnh Văn Đức"),
        )["tracking_code"]
        _officer_mediates_and_prints(live_app.url, pages["officer"], other, screenshots)
        assert not problems, "\n".join(problems)
    except BaseException:
        for name, page in pages.items():
            if not page.is_closed() and page.url != "about:blank":
                page.screenshot(path=SCREENSHOTS / f"failure-biz-{name}.png", full_page=True)
        print("Browser problems:", *problems, sep="\n  ")
        print(f"gunicorn log ({live_app.log_path}):\n{live_app.log()}")
        raise
    finally:
        for context in (officer_context, business_context, consumer_context):
            context.close()


def _officer_registers_and_invites(base_url: str, page, shoot) -> str:
    log_in(base_url, page, "canbo.sct")
    page.goto(f"{base_url}/can-bo/doanh-nghiep/moi/")
    page.locator("#id_name").fill(BUSINESS)
    page.locator("#id_tax_code").fill("0100 109 106")
    page.locator("#id_province").select_option("86")
    page.locator("#id_aliases").fill("Điện máy Ánh Dương; Anh Duong Electronics")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BUSINESS)

    invite = page.locator("details", has_text="Mời người đại diện")
    invite.locator("summary").click()
    invite.locator("input[name=email]").fill("cskh@anhduong.example")
    invite.get_by_role("button", name="Gửi lời mời").click()
    message = page.locator(".messages")
    expect(message).to_contain_text("Đã gửi lời mời tới cskh@anhduong.example")
    shoot(page, "biz-01-officer-invites")
    link = re.search(r"(https?://[^/\s]+)(/doanh-nghiep/loi-moi/\S+/)", message.inner_text())
    assert link.group(1) == base_url, link.group(0)
    return link.group(0)


def _business_opens_invitation(invitation: str, page, shoot) -> None:
    page.goto(invitation)
    expect(page.locator("main")).to_contain_text(BUSINESS)
    page.locator("#id_full_name").fill("Trần Thị Mai")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_again").fill(PASSWORD)
    shoot(page, "biz-02-invitation")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cổng doanh nghiệp")
    expect(page.get_by_test_id("portal-list")).to_contain_text("Không có hồ sơ.")


def _business_answers(page, code: str, shoot) -> None:
    page.reload()
    expect(page.get_by_test_id("portal-list")).to_contain_text(code)
    shoot(page, "biz-03-portal")

    page.get_by_test_id("portal-list").get_by_role("link", name=code).click()
    form = page.get_by_test_id("answer-form")
    form.get_by_label("Đã giải quyết: hoàn tiền, bồi thường").check()
    form.locator("textarea[name=body]").fill(ANSWER)
    form.locator("input[name=amount_vnd]").fill("3.200.000")
    form.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả lời, chờ người tiêu dùng")
    expect(page.locator("ol.answers")).to_contain_text("3.200.000")
    shoot(page, "biz-04-business-answered")


def _consumer_accepts(base_url: str, page, code: str, shoot) -> None:
    page.goto(f"{base_url}/tra-cuu/")
    page.locator("#id_tracking_code").fill(code)
    page.locator("#id_contact").fill("0903456789")
    page.locator("main").get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_test_id("status")).to_have_text("Doanh nghiệp đã trả lời, chờ người tiêu dùng")
    expect(page.get_by_test_id("business-answer")).to_contain_text(ANSWER)
    shoot(page, "biz-05-consumer-sees-answer")
    accept = page.get_by_test_id("accept-answer")
    accept.locator("input[name=confirm]").check()
    accept.get_by_role("button", name="Đồng ý với câu trả lời").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã đóng")
    expect(page.get_by_test_id("timeline")).to_contain_text("Người tiêu dùng đồng ý với câu trả lời")
    shoot(page, "biz-06-consumer-accepted")


def _officer_mediates_and_prints(base_url: str, page, code: str, shoot) -> None:
    page.goto(f"{base_url}/can-bo/ho-so/{code}/")
    accept = page.locator("details[data-action=accept]")
    accept.locator("summary").click()
    accept.get_by_role("button", name="Thụ lý").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã thụ lý")

    # The session took place an hour ago (minutes are recorded after it), in Vietnam's time.
    when = dt.datetime.now(VN_TZ) - dt.timedelta(hours=1)
    schedule = page.locator("details[data-action=schedule]")
    schedule.locator("summary").click()
    schedule.locator("input[name=scheduled_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    schedule.locator("input[name=place]").fill("Phòng tiếp công dân, Sở Công Thương Vĩnh Long")
    schedule.locator("textarea[name=participants]").fill(
        "Trịnh Văn Đức — người tiêu dùng\n"
        "Trần Thị Mai — đại diện doanh nghiệp\n"
        "Nguyễn Thị Lan — hòa giải viên"
    )
    schedule.get_by_role("button", name="Lên lịch").click()
    panel = page.get_by_test_id("mediation-panel")
    expect(panel).to_contain_text("Phiên 1")

    record = panel.locator("details", has_text="Ghi biên bản và thỏa thuận")
    record.locator("summary").click()
    record.locator("textarea[name=minutes]").fill(
        "Người tiêu dùng trình bày máy giặt bị móp, rò nước.\n\nĐại diện cửa hàng thừa nhận lỗi vận chuyển."
    )
    record.locator("textarea[name=settlement_summary]").fill(SETTLEMENT)
    record.locator("select[name=p1_party]").select_option("business")
    record.locator("input[name=p1_description]").fill("Chuyển khoản hoàn trả cho người tiêu dùng")
    record.locator("input[name=p1_amount]").fill("2.000.000")
    record.locator("input[name=p1_due_on]").fill((dt.date.today() + dt.timedelta(days=10)).isoformat())
    record.get_by_role("button", name="Lưu biên bản").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã có kết quả")
    expect(page.get_by_test_id("mediation-panel")).to_contain_text("Chuyển khoản hoàn trả")
    shoot(page, "biz-07-officer-mediation")

    href = page.get_by_test_id("pdf-link").get_attribute("href")
    response = page.request.get(f"{base_url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (SCREENSHOTS / "biz-bien-ban.pdf").write_bytes(pdf)
    _check_pdf(pdf, code)


def _check_pdf(pdf: bytes, code: str) -> None:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    for expected in ("BIÊN BẢN HÒA GIẢI", code, "Trịnh Văn Đức", "2.000.000", "Điện máy Ánh Dương"):
        assert expected in text, expected
