"""Named people, one per role, for tests and the demo: the same logins everywhere.

Vĩnh Long (86) is the home province; Hà Nội (01) is "another province".
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from bvntd.agencies.models import Agency, Membership, Role

DEMO_PASSWORD = "bvntd-demo-2026"  # noqa: S105 - demo and test data only; printed by scripts/serve
HOME_PROVINCE = "86"
OTHER_PROVINCE = "01"


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    agency_code: str
    role: str
    description: str


PERSONAS = (
    Persona(
        "canbo.sct", "Nguyễn Thị Lan", f"{HOME_PROVINCE}-sct", Role.OFFICER, "Cán bộ Sở Công Thương Vĩnh Long"
    ),
    Persona("canbo2.sct", "Trần Văn Bình", f"{HOME_PROVINCE}-sct", Role.OFFICER, "Cán bộ thứ hai, cùng Sở"),
    Persona(
        "lanhdao.sct", "Lê Minh Châu", f"{HOME_PROVINCE}-sct", Role.HEAD, "Lãnh đạo Sở Công Thương Vĩnh Long"
    ),
    Persona(
        "dieuphoi.vl",
        "Phạm Quốc Dũng",
        f"{HOME_PROVINCE}-sct-cp",
        Role.COORDINATOR,
        "Điều phối tỉnh Vĩnh Long",
    ),
    Persona("canbo.syt", "Võ Thị Hoa", f"{HOME_PROVINCE}-health", Role.OFFICER, "Cán bộ Sở Y tế Vĩnh Long"),
    Persona(
        "canbo.hanoi", "Đỗ Văn Hùng", f"{OTHER_PROVINCE}-sct", Role.OFFICER, "Cán bộ Sở Công Thương Hà Nội"
    ),
    Persona("quocgia", "Hoàng Thu Trang", "national", Role.NATIONAL, "Cục Cạnh tranh và Bảo vệ NTD"),
    Persona("tongdai", "Bùi Thanh Tâm", "national", Role.HOTLINE, "Tổng đài viên 1800.6838"),
    Persona("kiemtoan", "Ngô Gia Khánh", "national", Role.AUDITOR, "Kiểm toán, chỉ đọc"),
)


@transaction.atomic
def create_personas(*, password: str | None = DEMO_PASSWORD) -> dict:
    """Create (or find) each persona's user and membership. Idempotent."""
    users = {}
    user_model = get_user_model()
    for persona in PERSONAS:
        # Vietnamese names read family name first: keep the whole name in one field so that
        # get_full_name() does not reorder it into "Lan Nguyễn Thị".
        user, created = user_model.objects.get_or_create(
            username=persona.username, defaults={"first_name": persona.full_name}
        )
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        agency = Agency.objects.get(code=persona.agency_code)
        Membership.objects.update_or_create(user=user, defaults={"agency": agency, "role": persona.role})
        users[persona.username] = user
    return users
