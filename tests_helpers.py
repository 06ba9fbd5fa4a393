"""Small builders shared by tests (kept outside conftest so tests can import them by name)."""


def hotline_form(**overrides) -> dict:
    data = {
        "consumer_name": "Lý Văn Tám",
        "phone": "0909123456",
        "province_code": "86",
        "business_name": "Nhà xe Phương Nam",
        "description": "Nhà xe thu thêm 200k phí hành lý không báo trước.",
        "consent": "true",
    }
    data.update(overrides)
    return data
