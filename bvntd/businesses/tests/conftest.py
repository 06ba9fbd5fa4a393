"""The business side's people: two registered businesses, each with one representative who accepted an
agency's invitation; and a complaint factory for complaints about them."""

import datetime as dt

import pytest
from django.utils import timezone

# Valid tax codes (check digit per stdnum.vn.mst).
TAX_A = "0100109106"
TAX_B = "0101243150"


def _business_with_member(personas, *, name, tax_code, username, now):
    from bvntd.businesses import portal, registry

    business = registry.business_create(
        actor=personas["canbo.sct"], now=now, name=name, tax_code=tax_code, province_id="86"
    )
    _invitation, token = portal.invitation_create(
        business=business, email=f"{username}@example.vn", actor=personas["canbo.sct"], now=now
    )
    user = portal.invitation_accept(
        token=token,
        now=now,
        full_name=f"Đại diện {name}",
        password="Mat-khau-dai-2026!",
        password_again="Mat-khau-dai-2026!",
    )
    return business, user


@pytest.fixture
def shop_a(personas, now):
    """Công ty TNHH Điện máy Ánh Dương, with its representative."""
    return _business_with_member(
        personas, name="Công ty TNHH Điện máy Ánh Dương", tax_code=TAX_A, username="dn.anhduong", now=now
    )


@pytest.fixture
def shop_b(personas, now):
    """CTCP Thời trang Bình Minh, with its representative."""
    return _business_with_member(
        personas, name="CTCP Thời trang Bình Minh", tax_code=TAX_B, username="dn.binhminh", now=now
    )


@pytest.fixture
def file_about(db, now):
    """File a complaint about a registered business, by default not yet asked by the consumer (so it goes
    to the business first)."""
    from bvntd.complaints.intake import parse_intake
    from bvntd.complaints.models import Channel
    from bvntd.complaints.services import complaint_submit
    from conftest import valid_intake

    def make(business=None, at=None, files=(), **overrides):
        at = at or now
        overrides.setdefault("contacted_business", False)
        overrides.setdefault("purchased_on", (timezone.localdate(at) - dt.timedelta(days=20)).isoformat())
        if business is not None:
            overrides.setdefault("business_tax_code", business.tax_code)
            overrides.setdefault("business_name", business.name)
        data = parse_intake(valid_intake(**overrides), today=timezone.localdate(at))
        complaint, _created = complaint_submit(data=data, channel=Channel.WEB, now=at, files=files)
        return complaint

    return make
