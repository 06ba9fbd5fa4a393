"""Forms of the transfer protocol on the case page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bvntd.agencies.models import Agency
from bvntd.complaints.forms import Form, TrackingCodeField
from bvntd.complaints.models import Complaint

from .models import TransferReason


class ProposeTransferForm(Form):
    to_agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan có thẩm quyền"))
    reason_code = forms.ChoiceField(choices=TransferReason.choices, label=_("Lý do chuyển"))
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Ví dụ: Luật An toàn thực phẩm 2010; quy chế phối hợp của tỉnh."),
    )
    duplicate_of = TrackingCodeField(label=_("Mã hồ sơ bị trùng (nếu trùng)"))

    def __init__(self, *args, complaint: Complaint, suggested: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = (
            Agency.objects.filter(is_active=True)
            .exclude(pk=complaint.owner_agency_id)
            .order_by("province_id", "name")
        )
        if suggested is not None and not self.is_bound:
            self.initial["to_agency"] = suggested.pk


class ContestTransferForm(Form):
    reason = forms.CharField(
        label=_("Lý do không đồng ý nhận"), max_length=5000, widget=forms.Textarea({"rows": 3})
    )


class DecideTransferForm(Form):
    owner = forms.ModelChoiceField(
        Agency.objects.none(), label=_("Cơ quan xử lý hồ sơ"), widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Lý do quyết định"), max_length=5000, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.filter(
            pk__in=[transfer.from_agency_id, transfer.to_agency_id]
        )


class RequestTaskForm(Form):
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan phối hợp"))
    request = forms.CharField(
        label=_("Việc đề nghị phối hợp"), max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    working_days = forms.IntegerField(
        label=_("Thời hạn (ngày làm việc)"), min_value=1, max_value=30, initial=5
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.filter(is_active=True, province_id=complaint.owner_agency.province_id)
            .exclude(pk=complaint.owner_agency_id)
            .order_by("name")
        )


class AnswerTaskForm(Form):
    answer = forms.CharField(label=_("Trả lời"), max_length=5000, widget=forms.Textarea({"rows": 3}))
