"""What the browser tests share: Debian's Chromium, the viewports, screenshots and the checks on every page.

The fixtures (`live_app`, `chromium`, `screenshots`) are in the root conftest.py, so one app and one browser
serve every browser test of the run.
"""

import json
import os
import struct
import urllib.request
import zlib
from pathlib import Path

import pytest

from bvntd.core.personas import DEMO_PASSWORD
from bvntd.core.testing.live_app import REPO_ROOT

CHROMIUM = Path(os.environ.get("BVNTD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO_ROOT / "test-results" / "browser"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
        "(or point BVNTD_CHROMIUM at a Chromium binary); BVNTD_SKIP_BROWSER=1 skips the browser tests."
    )
    if os.environ.get("BVNTD_SKIP_BROWSER") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def watch(page, who: str, problems: list[str]) -> None:
    """Collect what a person would not see but should not happen: script errors, failed requests."""

    def on_console(message) -> None:
        # A failed load shows up here too; on_response judges those.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{who} console: {message.text}")

    def on_response(response) -> None:
        if response.status < 400 or response.status == 422:  # 422: a form sent back with its errors
            return
        if response.url.endswith("/favicon.ico"):  # the site has no icon yet
            return
        problems.append(f"{who} got {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{who} page error: {error}"))
    page.on("response", on_response)


def log_in(base_url: str, page, username: str, *, lands_on: str = "/can-bo/ho-so/") -> None:
    from playwright.sync_api import expect

    page.context.clear_cookies()  # a fresh session for each person
    page.goto(f"{base_url}/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{base_url}{lands_on}")


def post_json(url: str, body: dict) -> dict:
    """File through the public API, as a partner system would."""
    request = urllib.request.Request(  # noqa: S310 - our own local server
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own local server
        return json.loads(response.read())


def png_bytes(width: int = 24, height: int = 16) -> bytes:
    """A small but real PNG (a red-to-blue gradient), built by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes((255 - x * 10, 40, x * 10)) for x in range(width)) for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
