"""Validation of a new complaint, shared by the public form, the hotline form and the API.

`parse_intake` takes the raw fields (JSON values from the API, strings from an HTML form) and returns a clean
`IntakeData` or raises `FieldErrors` naming every bad field at once, so nothing is half-written.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from bvntd.core.errors import FieldError, FieldErrors
from bvntd.core.text import clean_line, clean_text
from bvntd.geo.queries import map_on

from .models import VulnerableGroup

MAX_AMOUNT_VND = 10**13
TEXT_LIMITS = {
    "consumer_name": 200,
    "address": 500,
    "business_name": 300,
    "business_address": 500,
    "desired_outcome": 2000,
}
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 20_000
TEXT_FIELDS = (
    "consumer_name",
    "phone",
    "email",
    "address",
    "province_code",
    "commune_code",
    "business_name",
    "business_tax_code",
    "business_address",
    "business_province_code",
    "description",
    "desired_outcome",
)


@dataclass(frozen=True)
class IntakeData:
    consumer_name: str
    phone: str  # E.164, or ""
    email: str  # lower-cased, or ""
    address: str
    province_code: str
    commune_code: str
    business_name: str
    business_tax_code: str  # 10 or 13 digits, or ""
    business_address: str
    business_province_code: str
    description: str
    amount_vnd: int | None
    purchased_on: dt.date | None
    desired_outcome: str
    contacted_business: bool | None
    publish_consent: bool = False
    vulnerable_group: str = ""  # a VulnerableGroup value, or ""


class _Collector:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))


def parse_intake(raw: Mapping[str, Any], *, today: dt.date, from_form: bool = False) -> IntakeData:
    """Validate a complaint. `from_form` accepts the looser shapes an HTML form sends (all strings,
    dd/mm/yyyy dates, "1.500.000" amounts); the API is strict about JSON types."""
    errors = _Collector()
    text = {name: _text(raw.get(name), name, errors) for name in TEXT_FIELDS}

    consumer_name = clean_line(text["consumer_name"])
    if not consumer_name:
        errors.add("consumer_name", _("Vui lòng nhập họ và tên."))
    for name, limit in TEXT_LIMITS.items():
        if len(clean_text(text[name])) > limit:
            errors.add(name, _("Tối đa %(limit)s ký tự.") % {"limit": limit})

    phone = _phone(clean_line(text["phone"]), errors)
    email = _email(clean_line(text["email"]), errors)
    if not text["phone"].strip() and not text["email"].strip() and "phone" not in _fields(errors):
        errors.add("phone", _("Vui lòng nhập số điện thoại hoặc thư điện tử (ít nhất một)."))

    province_code = clean_line(text["province_code"])
    commune_code = clean_line(text["commune_code"])
    _place(province_code, commune_code, today, errors)

    business_name = clean_line(text["business_name"])
    if not business_name:
        errors.add("business_name", _("Vui lòng nhập tên doanh nghiệp hoặc người bán."))
    tax_code = _tax_code(clean_line(text["business_tax_code"]), errors)
    business_province_code = clean_line(text["business_province_code"])
    if business_province_code and business_province_code not in map_on(today).provinces:
        errors.add(
            "business_province_code", _("Mã tỉnh/thành phố không có trên bản đồ hành chính hiện hành.")
        )

    description = clean_text(text["description"])
    if len(description) < DESCRIPTION_MIN:
        errors.add("description", _("Vui lòng mô tả sự việc (ít nhất %(n)s ký tự).") % {"n": DESCRIPTION_MIN})
    elif len(description) > DESCRIPTION_MAX:
        errors.add("description", _("Tối đa %(limit)s ký tự.") % {"limit": DESCRIPTION_MAX})

    amount = _amount(raw.get("amount_vnd"), errors, from_form=from_form)
    purchased_on = _date(raw.get("purchased_on"), "purchased_on", today, errors, from_form=from_form)
    contacted = _bool(raw.get("contacted_business"), "contacted_business", errors, from_form=from_form)
    publish = _bool(raw.get("publish_consent"), "publish_consent", errors, from_form=from_form)
    vulnerable_group = clean_line(_text(raw.get("vulnerable_group"), "vulnerable_group", errors))
    if vulnerable_group and vulnerable_group not in VulnerableGroup.values:
        errors.add("vulnerable_group", _("Nhóm người tiêu dùng dễ bị tổn thương không hợp lệ."))
    consent = _bool(raw.get("consent"), "consent", errors, from_form=from_form)
    if consent is not True and "consent" not in _fields(errors):
        errors.add("consent", _("Cần có sự đồng ý xử lý dữ liệu cá nhân để tiếp nhận khiếu nại."))

    if errors.errors:
        raise FieldErrors(errors.errors)
    return IntakeData(
        consumer_name=consumer_name,
        phone=phone,
        email=email,
        address=clean_text(text["address"]),
        province_code=province_code,
        commune_code=commune_code,
        business_name=business_name,
        business_tax_code=tax_code,
        business_address=clean_text(text["business_address"]),
        business_province_code=business_province_code,
        description=description,
        amount_vnd=amount,
        purchased_on=purchased_on,
        desired_outcome=clean_text(text["desired_outcome"]),
        contacted_business=contacted,
        publish_consent=publish is True,
        vulnerable_group=vulnerable_group,
    )


def _fields(errors: _Collector) -> set[str | None]:
    return {e.field for e in errors.errors}


def _text(value: Any, field: str, errors: _Collector) -> str:
    # A number where text is expected is an error: a phone or tax code sent as a number has lost its
    # leading zero, and guessing it back would be wrong.
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(field, _("Phải là chuỗi ký tự (đặt trong dấu ngoặc kép)."))
        return ""
    return value


def normalise_phone(value: str) -> str | None:
    """E.164 form of a Vietnamese or foreign phone number, or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    return value.strip().lower()


def _phone(value: str, errors: _Collector) -> str:
    if not value:
        return ""
    normalised = normalise_phone(value)
    if normalised is None:
        errors.add("phone", _("Số điện thoại không hợp lệ."))
        return ""
    return normalised


def _email(value: str, errors: _Collector) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.add("email", _("Địa chỉ thư điện tử không hợp lệ."))
        return ""
    return normalise_email(value)


def _place(province_code: str, commune_code: str, today: dt.date, errors: _Collector) -> None:
    if not province_code:
        errors.add("province_code", _("Vui lòng chọn tỉnh/thành phố."))
        return
    places = map_on(today)
    if province_code not in places.provinces:
        errors.add("province_code", _("Mã tỉnh/thành phố không có trên bản đồ hành chính hiện hành."))
        return
    if commune_code and (commune_code, province_code) not in places.communes:
        errors.add("commune_code", _("Xã/phường không thuộc tỉnh/thành phố đã chọn."))


def _tax_code(value: str, errors: _Collector) -> str:
    if not value:
        return ""
    try:
        return mst.validate(value)
    except StdnumError:
        errors.add("business_tax_code", _("Mã số thuế không hợp lệ (10 chữ số, hoặc 13 với mã chi nhánh)."))
        return ""


_AMOUNT_SEPARATORS = re.compile(r"[\s.,_]")


def _amount(value: Any, errors: _Collector, *, from_form: bool) -> int | None:
    if value is None or value == "":
        return None
    if from_form and isinstance(value, str):
        digits = _AMOUNT_SEPARATORS.sub("", value.strip().removesuffix("đ").removesuffix("VND"))
        if not digits.isdigit():
            errors.add("amount_vnd", _("Số tiền phải là số nguyên (đồng)."))
            return None
        value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add("amount_vnd", _("Số tiền phải là số nguyên (đồng)."))
        return None
    if not 0 <= value <= MAX_AMOUNT_VND:
        errors.add("amount_vnd", _("Số tiền phải từ 0 đến 10.000 tỷ đồng."))
        return None
    return value


def _date(value: Any, field: str, today: dt.date, errors: _Collector, *, from_form: bool) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.add(field, _("Ngày phải là chuỗi dạng YYYY-MM-DD."))
        return None
    parsed = _parse_date(value.strip(), from_form=from_form)
    if parsed is None:
        hint = "dd/mm/yyyy" if from_form else "YYYY-MM-DD"
        errors.add(field, _("Ngày không hợp lệ (định dạng %(hint)s).") % {"hint": hint})
        return None
    if parsed > today:
        errors.add(field, _("Ngày không được ở tương lai."))
        return None
    return parsed


def _parse_date(value: str, *, from_form: bool) -> dt.date | None:
    formats = ["%Y-%m-%d", "%d/%m/%Y"] if from_form else ["%Y-%m-%d"]
    for fmt in formats:
        try:
            parsed = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if fmt == "%Y-%m-%d" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            continue
        return parsed
    return None


def _bool(value: Any, field: str, errors: _Collector, *, from_form: bool) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if from_form and isinstance(value, str):
        if value.lower() in {"on", "true", "yes", "1", "co"}:
            return True
        if value.lower() in {"false", "no", "0", "khong"}:
            return False
    errors.add(field, _("Phải là true hoặc false."))
    return None
