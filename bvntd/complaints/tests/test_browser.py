"""The main journey in a real browser: a consumer files a complaint from a phone, an officer works it on a
desktop, they exchange information, the officer records a result and the consumer rates it.

Runs headless Chromium (Debian's `chromium` package) through Playwright against the real app started by
`bvntd.core.testing.live_app` (gunicorn, DEBUG off, a fresh database). Screenshots of every step go to
test-results/browser/. Set BVNTD_SKIP_BROWSER=1 to skip when no Chromium is installed.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from bvntd.core.personas import DEMO_PASSWORD
from bvntd.core.testing.browser import DESKTOP, PHONE, SCREENSHOTS, TIMEOUT_MS, png_bytes
from bvntd.core.testing.browser import log_in as _log_in
from bvntd.core.testing.browser import watch as _watch

pytestmark = pytest.mark.browser

DESCRIPTION = (
    "Tôi mua điện thoại Galaxy A55 ngày hôm đó, về nhà thì màn hình bị sọc xanh. "
    "Cửa hàng hẹn đổi máy nhưng sau hai tuần vẫn không đổi, cũng không trả lời tin nhắn."
)
INFO_REQUEST = "Vui lòng gửi ảnh hóa đơn mua hàng và phiếu bảo hành."
CONSUMER_REPLY = "Tôi đã gửi kèm ảnh hóa đơn số 0012345; phiếu bảo hành bị cửa hàng giữ lại."
RESOLUTION = (
    "Cửa hàng đã đồng ý đổi máy mới cùng loại trong ngày 05/12; người tiêu dùng nhận máy tại cửa hàng."
)


def test_consumer_files_officer_resolves_consumer_rates(live_app, chromium, screenshots):
    expect.set_options(timeout=TIMEOUT_MS)
    consumer_context = chromium.new_context(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    officer_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    consumer = consumer_context.new_page()
    officer = officer_context.new_page()
    problems: list[str] = []
    for who, page in (("consumer", consumer), ("officer", officer)):
        page.set_default_timeout(TIMEOUT_MS)
        _watch(page, who, problems)
    try:
        code = _consumer_files(live_app.url, consumer, screenshots)
        _consumer_looks_up(live_app.url, consumer, code, screenshots)
        _officer_accepts_and_asks(live_app.url, officer, code, screenshots)
        _consumer_replies(consumer, screenshots)
        _officer_resolves(officer, screenshots)
        _consumer_rates(consumer, screenshots)
        officer.reload()
        expect(officer.locator("dl.facts")).to_contain_text("5/5")
        assert not problems, "\n".join(problems)
    except BaseException:
        for name, page in (("consumer", consumer), ("officer", officer)):
            if not page.is_closed() and page.url != "about:blank":
                page.screenshot(path=SCREENSHOTS / f"failure-{name}.png", full_page=True)
        print("Browser problems:", *problems, sep="\n  ")
        print(f"gunicorn log ({live_app.log_path}):\n{live_app.log()}")
        raise
    finally:
        consumer_context.close()
        officer_context.close()


def _consumer_files(base_url: str, page, shoot) -> str:
    page.goto(f"{base_url}/khieu-nai/moi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi khiếu nại")
    # The stylesheet and htmx are served (DEBUG is off, so this is WhiteNoise reading STATIC_ROOT).
    for asset in ("bvntd/app.css", "bvntd/htmx.min.js"):
        response = page.request.get(f"{base_url}/static/{asset}")
        assert response.ok, (
            f"/static/{asset} answered {response.status}: collectstatic did not collect it "
            "(bvntd/static/ is not an app's static/ folder: it needs STATICFILES_DIRS)"
        )

    purchased = (dt.date.today() - dt.timedelta(days=20)).strftime("%d/%m/%Y")
    page.locator("#id_consumer_name").fill("Nguyễn Thị Thu Hà")
    page.locator("#id_phone").fill("0912 345")  # too short: refused
    page.locator("#id_province_code").select_option("86")
    # htmx replaces the commune options with those of Vĩnh Long.
    communes = page.locator("#id_commune_code option")
    expect(communes.nth(1)).to_be_attached()
    expect(page.locator("#id_commune_code")).to_contain_text("Phường Phú Khương")
    page.locator("#id_commune_code").select_option(label="Phường Phú Khương")
    page.locator("#id_business_name").fill("Cửa hàng Điện thoại Minh Phát")
    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("#id_amount_vnd").fill("1.500.000")
    page.locator("#id_purchased_on").fill(purchased)
    page.locator("#id_desired_outcome").fill("Đổi máy mới hoặc hoàn lại tiền.")
    page.get_by_role("radio", name="Đã yêu cầu").check()
    attach = {"name": "hoa-don.png", "mimeType": "image/png", "buffer": png_bytes()}
    page.locator("#id_attachments").set_input_files(attach)
    shoot(page, "01-consumer-form-filled")
    submit = page.locator("main").get_by_role("button", name="Gửi khiếu nại")
    submit.click()

    # Sent back: the summary names both problems, and what was typed is still there.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Số điện thoại không hợp lệ.")
    expect(summary).to_contain_text("Cần có sự đồng ý xử lý dữ liệu cá nhân")
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_consumer_name")).to_have_value("Nguyễn Thị Thu Hà")
    expect(page.locator("#id_phone")).to_have_value("0912 345")
    expect(page.locator("#id_province_code")).to_have_value("86")
    expect(page.locator("#id_commune_code option:checked")).to_have_text("Phường Phú Khương")
    expect(page.locator("#id_business_name")).to_have_value("Cửa hàng Điện thoại Minh Phát")
    expect(page.locator("#id_description")).to_have_value(DESCRIPTION)
    expect(page.locator("#id_amount_vnd")).to_have_value("1.500.000")
    expect(page.locator("#id_purchased_on")).to_have_value(purchased)
    expect(page.get_by_role("radio", name="Đã yêu cầu")).to_be_checked()
    expect(page.locator("#id_consent")).not_to_be_checked()
    shoot(page, "02-consumer-form-errors")

    page.locator("#id_phone").fill("0912 345 678")
    page.locator("#id_consent").check()
    # A browser never keeps a chosen file across a page load: the photo has to be chosen again.
    expect(page.locator("#id_attachments")).to_have_value("")
    page.locator("#id_attachments").set_input_files(attach)
    submit.click()

    tracking = page.get_by_test_id("tracking-code")
    expect(tracking).to_have_text(re.compile(r"^[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    code = tracking.inner_text().strip()
    shoot(page, "03-consumer-filed")
    return code


def _consumer_looks_up(base_url: str, page, code: str, shoot) -> None:
    page.goto(f"{base_url}/tra-cuu/")
    page.locator("#id_tracking_code").fill(code.lower())  # as typed on a phone keyboard
    page.locator("#id_contact").fill("0912 345 678")
    page.locator("main").get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_url(f"{base_url}/tra-cuu/{code}/")
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_test_id("timeline")).to_contain_text("Tiếp nhận hồ sơ")
    shoot(page, "04-consumer-tracking-received")


def _officer_accepts_and_asks(base_url: str, page, code: str, shoot) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.locator("#id_username").fill("canbo.sct")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{base_url}/can-bo/ho-so/")
    expect(page.locator("table.inbox")).to_contain_text(code)

    # Typed without diacritics, as most people search; the description says "điện thoại".
    page.locator("input[name=q]").fill("dien thoai")
    page.locator("form.filters").get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"[?&]q=dien\+thoai"))
    case_link = page.locator("table.inbox").get_by_role("link", name=code)
    expect(case_link).to_be_visible()
    shoot(page, "05-officer-inbox-search")
    case_link.click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    expect(page.locator(".description")).to_contain_text("màn hình bị sọc xanh")
    expect(page.get_by_role("link", name="hoa-don.png")).to_be_visible()

    accept = page.locator("details[data-action=accept]")
    accept.locator("summary").click()
    accept.locator("select[name=sector]").select_option(label="Hàng hóa và dịch vụ chung")
    accept.get_by_role("button", name="Thụ lý").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã thụ lý")

    ask = page.locator("details[data-action=request_info]")
    ask.locator("summary").click()
    ask.locator("textarea[name=message]").fill(INFO_REQUEST)
    ask.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ người tiêu dùng bổ sung")
    shoot(page, "06-officer-awaiting-info")


def _consumer_replies(page, shoot) -> None:
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("Chờ người tiêu dùng bổ sung")
    expect(page.locator("ul.conversation")).to_contain_text(INFO_REQUEST)
    reply = page.locator("form[action$='/reply/']")
    reply.locator("textarea[name=body]").fill(CONSUMER_REPLY)
    reply.locator("input[type=file]").set_input_files(
        {"name": "hoa-don-2.png", "mimeType": "image/png", "buffer": png_bytes(12, 12)}
    )
    reply.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    expect(page.locator("ul.conversation")).to_contain_text(CONSUMER_REPLY)
    shoot(page, "07-consumer-replied")


def _officer_resolves(page, shoot) -> None:
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    expect(page.locator("ul.conversation")).to_contain_text(CONSUMER_REPLY)
    resolve = page.locator("details[data-action=resolve]")
    resolve.locator("summary").click()
    resolve.locator("select[name=outcome]").select_option("repaired")
    resolve.locator("textarea[name=summary]").fill(RESOLUTION)
    resolve.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã có kết quả")

    events = page.get_by_test_id("timeline").locator("> li")
    kinds = [
        cls.removeprefix("event-") for cls in events.evaluate_all("items => items.map(li => li.className)")
    ]
    expected = ["created", "accepted", "info_requested", "info_provided", "resolved"]
    assert [kind for kind in kinds if kind in expected] == expected, kinds
    shoot(page, "08-officer-resolved")


def _consumer_rates(page, shoot) -> None:
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("Đã có kết quả")
    expect(page.locator("main")).to_contain_text(RESOLUTION)
    rate = page.locator("form[action$='/rate/']")
    rate.get_by_label("5 – Rất hài lòng").check()
    rate.locator("textarea[name=comment]").fill("Cán bộ xử lý nhanh, cảm ơn.")
    shoot(page, "09-consumer-result")
    rate.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận. Cảm ơn bạn.")
    expect(page.locator("form[action$='/rate/']")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("Người tiêu dùng đánh giá kết quả")
    shoot(page, "10-consumer-rated")


def test_a_contested_transfer_is_decided_by_the_coordinator(live_app, chromium, screenshots):
    """Sở Công Thương proposes a food complaint to the Sở Y tế, which contests; the coordinator decides."""
    import json
    import urllib.request

    expect.set_options(timeout=TIMEOUT_MS)
    body = {
        "consumer_name": "Lâm Thị Thu",
        "phone": "0907 111 222",
        "province_code": "86",
        "business_name": "Cửa hàng thực phẩm chức năng An Khang",
        "description": "Tôi mua viên uống giảm cân quảng cáo là thảo dược, uống xong bị nổi mẩn, chóng mặt.",
        "consent": True,
    }
    request = urllib.request.Request(  # noqa: S310 - our own local server
        f"{live_app.url}/api/v1/complaints",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own local server
        code = json.loads(response.read())["tracking_code"]
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    _watch(page, "staff", problems)
    case_url = f"{live_app.url}/can-bo/ho-so/{code}/"
    try:
        _log_in(live_app.url, page, "canbo.sct")
        page.goto(case_url)
        propose = page.locator("details[data-transfer-step=propose]")
        propose.locator("summary").click()
        propose.locator("select[name=to_agency]").select_option(label="Sở Y tế tỉnh Vĩnh Long")
        propose.locator("select[name=reason_code]").select_option("outside_sector")
        propose.locator("textarea[name=legal_basis]").fill(
            "Luật An toàn thực phẩm 2010: thực phẩm chức năng."
        )
        propose.get_by_role("button", name="Gửi đề nghị chuyển").click()
        expect(page.get_by_test_id("transfer-panel")).to_contain_text("vẫn giữ hồ sơ")
        expect(page.get_by_test_id("owner")).to_have_text("Sở Công Thương tỉnh Vĩnh Long")
        screenshots(page, "11-sct-proposes-transfer")

        _log_in(live_app.url, page, "canbo.syt")
        page.goto(case_url)
        contest = page.locator("details[data-transfer-step=contest]")
        contest.locator("summary").click()
        contest.locator("textarea[name=reason]").fill("Sản phẩm chưa được công bố là thực phẩm chức năng.")
        contest.get_by_role("button", name="Không đồng ý").click()
        expect(page.get_by_test_id("transfer-panel")).to_contain_text("quyết định")
        screenshots(page, "12-health-contests")

        _log_in(live_app.url, page, "dieuphoi.vl")
        page.goto(f"{live_app.url}/can-bo/dieu-phoi/")
        expect(page.get_by_test_id("arbitrations")).to_contain_text(code)
        screenshots(page, "13-coordinator-board")
        page.get_by_test_id("arbitrations").get_by_role("link", name=code).click()
        decide = page.locator("details[data-transfer-step=decide]")
        decide.get_by_label("Sở Y tế tỉnh Vĩnh Long").check()
        decide.locator("textarea[name=reason]").fill(
            "Sản phẩm quảng cáo công dụng chữa bệnh: Sở Y tế chủ trì."
        )
        decide.get_by_role("button", name="Ra quyết định").click()
        expect(page.get_by_test_id("owner")).to_have_text("Sở Y tế tỉnh Vĩnh Long")
        timeline = page.get_by_test_id("timeline")
        for step in ("Đề nghị chuyển cơ quan", "Cơ quan nhận không đồng ý", "Quyết định điều phối"):
            expect(timeline).to_contain_text(step)
        screenshots(page, "14-coordinator-decided")
        assert not problems, "\n".join(problems)
    except BaseException:
        if not page.is_closed() and page.url != "about:blank":
            page.screenshot(path=SCREENSHOTS / "failure-transfer.png", full_page=True)
        print("Browser problems:", *problems, sep="\n  ")
        print(f"gunicorn log ({live_app.log_path}):\n{live_app.log()}")
        raise
    finally:
        context.close()
