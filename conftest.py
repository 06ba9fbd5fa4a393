"""Fixtures shared by the whole suite: the reference data (loaded once), the personas, a complaint factory."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from bvntd.core.personas import HOME_PROVINCE, create_personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The map and the agencies are reference data every test reads; load them once into the test database.
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def allow_resetting_events(request):
    """A transactional test ends with Django flushing the database (TRUNCATE on PostgreSQL), which the
    append-only trigger refuses unless the connection says it means it (migration 0002)."""
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET bvntd.allow_truncate = 'on'")


@pytest.fixture
def personas(db):
    return create_personas(password=None)


@pytest.fixture
def now():
    # Mon 2 Nov 2026, 09:00 in Vietnam: a plain working week.
    return dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC) - dt.timedelta(hours=7)


def valid_intake(**overrides) -> dict:
    data = {
        "consumer_name": "Nguyễn Văn An",
        "phone": "0912345678",
        "email": "an.nguyen@example.com",
        "province_code": HOME_PROVINCE,
        "commune_code": "",
        "business_name": "Cửa hàng Điện thoại Minh Phát",
        "business_tax_code": "0100109106",
        "description": "Tôi mua điện thoại ngày 10/10, máy bị lỗi màn hình, cửa hàng không đổi.",
        "amount_vnd": 5_500_000,
        "purchased_on": "2026-10-10",
        "desired_outcome": "Đổi máy mới",
        "contacted_business": True,
        "consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def intake():
    return valid_intake


@pytest.fixture
def make_complaint(db, now):
    from bvntd.complaints.intake import parse_intake
    from bvntd.complaints.models import Channel
    from bvntd.complaints.services import complaint_submit

    def make(at=None, channel=Channel.WEB, **overrides):
        at = at or now
        overrides.setdefault("purchased_on", (timezone.localdate(at) - dt.timedelta(days=20)).isoformat())
        data = parse_intake(valid_intake(**overrides), today=timezone.localdate(at))
        complaint, _created = complaint_submit(data=data, channel=channel, now=at)
        return complaint

    return make


# --- browser tests (bvntd/core/testing/browser.py): one app and one Chromium for the whole run ----------


@pytest.fixture(scope="session")
def live_app():
    """The real app in gunicorn with its own database; see bvntd/core/testing/live_app.py."""
    from bvntd.core.testing.browser import require_chromium
    from bvntd.core.testing.live_app import live_app as start_live_app

    require_chromium()
    with start_live_app() as app:
        yield app


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from bvntd.core.testing.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots():
    from bvntd.core.testing.browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()

    def shoot(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return shoot
