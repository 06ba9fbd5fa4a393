"""Forms of the business side: parse what people type; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bvntd.complaints.models import VulnerableGroup

from .mediation import PromiseInput
from .models import AnswerKind, Party

MAX_PROMISE_ROWS = 5


def _text(label, *, max_length, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VndField(forms.Field):
    """Money as people type it in Vietnam: "1.500.000", "1 500 000 đ"."""

    def __init__(self, *, max_length=30, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": max_length}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        digits = "".join(ch for ch in value.removesuffix("đ").removesuffix("VND") if ch not in " .,_")
        if not digits.isdigit():
            raise forms.ValidationError(_("Số tiền phải là số nguyên (đồng)."))
        return int(digits)


# --- business portal ----------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kết quả trả lời"), choices=AnswerKind.choices, widget=forms.RadioSelect)
    body = _text(_("Nội dung trả lời người tiêu dùng"), max_length=10_000, rows=6)
    amount_vnd = VndField(
        label=_("Số tiền hoàn trả, bồi thường (đồng)"),
        required=False,
        max_length=30,
        help_text=_("Bắt buộc khi chọn hoàn tiền, bồi thường."),
    )
    expected_on = forms.DateField(
        label=_("Ngày hẹn trả lời"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bắt buộc khi chọn đang giải quyết."),
    )


class HandOverForm(forms.Form):
    third_party = forms.CharField(label=_("Bên thứ ba (người bán, trung tâm bảo hành…)"), max_length=300)


class InvitationAcceptForm(forms.Form):
    # The service checks the name and both passwords, so every problem is reported at once.
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput, strip=False)


# --- staff: the case's business panel ------------------------------------------------------------------


class LinkBusinessForm(forms.Form):
    business = forms.IntegerField(widget=forms.HiddenInput)


class TakeOverForm(forms.Form):
    reason = _text(_("Lý do cơ quan giải quyết ngay"), max_length=2000, rows=2)


class ConfirmVulnerableForm(forms.Form):
    group = forms.ChoiceField(label=_("Nhóm (Điều 8 Luật BVQLNTD 2023)"), choices=VulnerableGroup.choices)


# --- staff: mediation ---------------------------------------------------------------------------------


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Thời gian"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Đường dẫn họp trực tuyến"), max_length=500, required=False)
    participants = _text(
        _("Thành phần tham dự"), max_length=3000, rows=4, help_text=_("Mỗi người một dòng: họ tên — vai trò.")
    )


class RecordForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    minutes = _text(_("Diễn biến phiên hòa giải"), max_length=20_000, rows=6)
    settlement_summary = _text(
        _("Thỏa thuận của các bên"),
        max_length=5000,
        rows=3,
        required=False,
        help_text=_("Để trống nếu các bên chưa đạt được thỏa thuận."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_PROMISE_ROWS + 1):
            self.fields[f"p{i}_party"] = forms.ChoiceField(
                label=_("Bên cam kết"), choices=[("", "—"), *Party.choices], required=False
            )
            self.fields[f"p{i}_description"] = forms.CharField(
                label=_("Nội dung cam kết"), max_length=500, required=False
            )
            self.fields[f"p{i}_amount"] = VndField(label=_("Số tiền (đồng)"), max_length=30, required=False)
            self.fields[f"p{i}_due_on"] = forms.DateField(
                label=_("Hạn thực hiện"),
                required=False,
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def promise_rows(self):
        return [
            [self[f"p{i}_{name}"] for name in ("party", "description", "amount", "due_on")]
            for i in range(1, MAX_PROMISE_ROWS + 1)
        ]

    def promises(self) -> list[PromiseInput]:
        rows = []
        for i in range(1, MAX_PROMISE_ROWS + 1):
            data = self.cleaned_data
            party, text = data.get(f"p{i}_party"), data.get(f"p{i}_description")
            amount, due = data.get(f"p{i}_amount"), data.get(f"p{i}_due_on")
            if not (party or text or amount or due):
                continue  # an empty row
            rows.append(
                PromiseInput(party=party or "", description=text or "", amount_vnd=amount, due_on=due)
            )
        return rows


class CancelSessionForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do hủy"), max_length=1000)


class PromiseMarkForm(forms.Form):
    promise = forms.IntegerField(widget=forms.HiddenInput)
    kept = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("1", _("Đã thực hiện")), ("0", _("Không thực hiện"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Căn cứ, ghi chú"), max_length=2000, required=False)


# --- staff: registry ----------------------------------------------------------------------------------


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Tên doanh nghiệp"), max_length=300)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)
    province = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    website = forms.URLField(label=_("Trang web"), max_length=300, required=False, assume_scheme="https")
    aliases = forms.CharField(
        label=_("Tên khác, tên viết tắt"),
        max_length=2000,
        required=False,
        help_text=_("Cách nhau bằng dấu ;"),
    )
    shops = forms.CharField(
        label=_("Gian hàng thương mại điện tử"),
        max_length=2000,
        required=False,
        help_text=_("Ví dụ: Shopee: dienmayabc; cách nhau bằng dấu ;"),
    )

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *[(p.code, p.full_name) for p in provinces]]

    def split(self, name: str) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get(name, "").split(";") if part.strip()]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Thư điện tử của người đại diện"))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên khóa (hệ thống sử dụng)"), max_length=100)


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label=_("Mã hồ sơ doanh nghiệp trùng (ID)"), min_value=1)
    confirm = forms.BooleanField(
        required=False,
        label=_("Tôi xác nhận gộp: mọi khiếu nại, tài khoản và khóa của hồ sơ trùng chuyển sang hồ sơ này."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách doanh nghiệp (.csv, .xlsx)"))


# --- the consumer -------------------------------------------------------------------------------------


class AcceptAnswerForm(forms.Form):
    confirm = forms.BooleanField(label=_("Tôi đồng ý với câu trả lời của doanh nghiệp; hồ sơ sẽ kết thúc."))


class DisputeAnswerForm(forms.Form):
    reason = _text(_("Lý do không đồng ý"), max_length=5000, rows=3)


class PromiseBrokenForm(forms.Form):
    promise = forms.IntegerField(widget=forms.HiddenInput)
    reason = _text(_("Cam kết nào chưa được thực hiện?"), max_length=2000, rows=2)
