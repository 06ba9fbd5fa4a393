"""Forms for the staff actions on a case. Each form knows the service it calls; views stay thin."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bvntd.agencies.models import Agency, Sector
from bvntd.core.text import clean_text

from . import services
from .models import Complaint
from .states import Outcome, RejectReason, Status


class Form(forms.Form):
    """Labels without Django's trailing colon, like the intake form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class TrackingCodeField(forms.CharField):
    """An optional tracking code of another case; cleans to that Complaint (or None when left empty)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value).strip().upper()
        if not code:
            return None
        original = Complaint.objects.filter(tracking_code=code).first()
        if original is None:
            raise forms.ValidationError(_("Không có hồ sơ mang mã này."))
        return original


class ActionForm(Form):
    """Carries the case version the person saw: a stale form loses to the edit that came first."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    # The state the action leads to, for the transition table; None when the status stays.
    target: str | None = None

    def __init__(self, *args, complaint: Complaint, **kwargs):
        self.complaint = complaint
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = complaint.version

    def perform(self, *, actor, now):
        raise NotImplementedError


def _text_field(label, *, max_length=5000, required=True):
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=forms.Textarea({"rows": 3})
    )


class AcceptForm(ActionForm):
    target = Status.ACCEPTED
    sector = forms.ModelChoiceField(Sector.objects.all(), label=_("Lĩnh vực"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].initial = self.complaint.sector_id

    def perform(self, *, actor, now):
        return services.complaint_accept(
            complaint=self.complaint, actor=actor, now=now, sector=self.cleaned_data["sector"]
        )


class StartForm(ActionForm):
    target = Status.IN_PROGRESS

    def perform(self, *, actor, now):
        return services.complaint_start(complaint=self.complaint, actor=actor, now=now)


class RequestInfoForm(ActionForm):
    target = Status.AWAITING_INFO
    message = _text_field(_("Thông tin cần người tiêu dùng bổ sung"))

    def perform(self, *, actor, now):
        return services.complaint_request_info(
            complaint=self.complaint, actor=actor, now=now, message=clean_text(self.cleaned_data["message"])
        )


class ReassignForm(ActionForm):
    to_agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Chuyển đến cơ quan"))
    reason = _text_field(_("Lý do chuyển"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.complaint.province_id
        self.fields["to_agency"].queryset = (
            Agency.objects.filter(is_active=True, province_id__in=[province, None])
            .exclude(pk=self.complaint.owner_agency_id)
            .order_by("province_id", "name")
        )

    def perform(self, *, actor, now):
        return services.complaint_reassign(
            complaint=self.complaint,
            actor=actor,
            now=now,
            to_agency=self.cleaned_data["to_agency"],
            reason=clean_text(self.cleaned_data["reason"]),
        )


class ExtendForm(ActionForm):
    reason = _text_field(_("Lý do gia hạn"))

    def perform(self, *, actor, now):
        return services.complaint_extend(
            complaint=self.complaint, actor=actor, now=now, reason=clean_text(self.cleaned_data["reason"])
        )


class ResolveForm(ActionForm):
    target = Status.RESOLVED
    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("Kết quả"))
    summary = _text_field(_("Tóm tắt kết quả gửi người tiêu dùng"))
    open_tasks_reason = _text_field(
        _("Lý do giải quyết khi còn việc phối hợp chưa trả lời (nếu có)"), max_length=2000, required=False
    )

    def perform(self, *, actor, now):
        return services.complaint_resolve(
            open_tasks_reason=clean_text(self.cleaned_data["open_tasks_reason"]),
            complaint=self.complaint,
            actor=actor,
            now=now,
            outcome=self.cleaned_data["outcome"],
            summary=clean_text(self.cleaned_data["summary"]),
        )


class RejectForm(ActionForm):
    target = Status.REJECTED
    reason_code = forms.ChoiceField(choices=RejectReason.choices, label=_("Lý do"))
    duplicate_of = TrackingCodeField(label=_("Mã hồ sơ bị trùng"))
    explanation = _text_field(_("Giải thích gửi người tiêu dùng"))
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận từ chối; hồ sơ sẽ kết thúc và người tiêu dùng được thông báo.")
    )

    def perform(self, *, actor, now):
        return services.complaint_reject(
            complaint=self.complaint,
            actor=actor,
            now=now,
            reason_code=self.cleaned_data["reason_code"],
            explanation=clean_text(self.cleaned_data["explanation"]),
            duplicate_of=self.cleaned_data["duplicate_of"],
        )


class CloseForm(ActionForm):
    target = Status.CLOSED

    def perform(self, *, actor, now):
        return services.complaint_close(complaint=self.complaint, actor=actor, now=now)


class NoteForm(ActionForm):
    body = _text_field(_("Ghi chú nội bộ (người tiêu dùng không thấy)"))

    def perform(self, *, actor, now):
        return services.complaint_add_note(
            complaint=self.complaint, actor=actor, now=now, body=clean_text(self.cleaned_data["body"])
        )


class MessageForm(ActionForm):
    body = _text_field(_("Tin nhắn gửi người tiêu dùng"))

    def perform(self, *, actor, now):
        return services.complaint_message_consumer(
            complaint=self.complaint, actor=actor, now=now, body=clean_text(self.cleaned_data["body"])
        )


class RevealForm(ActionForm):
    purpose = forms.CharField(label=_("Mục đích xem thông tin cá nhân"), max_length=300)

    def perform(self, *, actor, now):
        return services.complaint_reveal_contact(
            complaint=self.complaint, actor=actor, now=now, purpose=clean_text(self.cleaned_data["purpose"])
        )


class AssignForm(ActionForm):
    officer = forms.ModelChoiceField(get_user_model().objects.none(), label=_("Giao cho cán bộ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, membership__agency_id=self.complaint.owner_agency_id)
            .order_by("first_name", "username")
        )
        self.fields["officer"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def perform(self, *, actor, now):
        return services.complaint_assign_officer(
            complaint=self.complaint, actor=actor, now=now, officer=self.cleaned_data["officer"]
        )


# Action name -> (form, button label). The order is the order on the case page.
ACTION_FORMS: dict[str, tuple[type[ActionForm], str]] = {
    "accept": (AcceptForm, _("Thụ lý")),
    "start": (StartForm, _("Bắt đầu xử lý")),
    "request_info": (RequestInfoForm, _("Yêu cầu bổ sung")),
    "resolve": (ResolveForm, _("Ghi kết quả")),
    "extend": (ExtendForm, _("Gia hạn")),
    "reassign": (ReassignForm, _("Giao lại cho cơ quan khác (điều phối)")),
    "assign": (AssignForm, pgettext_lazy("action", "Phân công cán bộ")),
    "reject": (RejectForm, _("Từ chối")),
    "close": (CloseForm, _("Đóng hồ sơ")),
    "message": (MessageForm, _("Gửi tin nhắn")),
    "note": (NoteForm, _("Thêm ghi chú")),
    "reveal": (RevealForm, _("Xem thông tin liên hệ")),
}


class ConsumerReplyForm(Form):
    body = _text_field(_("Nội dung bổ sung"), max_length=20000)


RATINGS = [
    (5, _("5 – Rất hài lòng")),
    (4, _("4 – Hài lòng")),
    (3, _("3 – Bình thường")),
    (2, _("2 – Không hài lòng")),
    (1, _("1 – Rất không hài lòng")),
]


class RateForm(Form):
    rating = forms.TypedChoiceField(
        choices=RATINGS, coerce=int, widget=forms.RadioSelect, label=_("Bạn hài lòng với kết quả ở mức nào?")
    )
    comment = _text_field(_("Nhận xét"), max_length=2000, required=False)


class DisputeForm(Form):
    reason = _text_field(_("Lý do không đồng ý"), max_length=5000)


class WithdrawForm(Form):
    reason = _text_field(_("Lý do rút yêu cầu"), max_length=2000, required=False)
    confirm = forms.BooleanField(label=_("Tôi xác nhận rút yêu cầu; hồ sơ sẽ kết thúc."))


class LookupForm(Form):
    tracking_code = forms.CharField(label=_("Mã hồ sơ"), max_length=20)
    contact = forms.CharField(label=_("Số điện thoại hoặc thư điện tử đã khai"), max_length=254)
