"""Admin for routing: the competence matrix, the sector models and their suggestions.

A competence rule is never edited in place, because its history answers "who was competent on that day".
The admin shows rules read-only; "add" is how an administrator changes the matrix: the form names a sector
and a place, and saving it calls `competence_change` (which closes the rule in force and opens the new one)
or, for a commune without its own rule, `competence_delegate_commune`.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bvntd.core.admin import ReadOnlyAdmin
from bvntd.core.errors import DomainError

from .competence import (
    check_change,
    check_delegation,
    competence_change,
    competence_delegate_commune,
    open_rule,
)
from .models import CompetenceRule, RouterModel, SectorSuggestion


class InForceFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("Đang áp dụng")), ("no", _("Đã thay thế"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class CompetenceChangeForm(forms.ModelForm):
    """A new version of the rule for a sector and a place, from `valid_from`."""

    class Meta:
        model = CompetenceRule
        fields = [
            "sector",
            "province",
            "commune",
            "lead_agency",
            "supporting_agencies",
            "legal_basis",
            "valid_from",
            "note",
        ]
        help_texts = {
            "commune": _(
                "Để trống: quy định chung của tỉnh. Chọn xã/phường: quy định riêng khi tỉnh phân cấp."
            ),
            "valid_from": _("Quy định đang áp dụng kết thúc vào ngày này; quy định mới áp dụng từ ngày này."),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.current = open_rule(
            sector_code=data["sector"].pk,
            province_code=data["province"].pk,
            commune_code=data["commune"].pk if data.get("commune") else "",
        )
        common = {
            "lead_agency": data["lead_agency"],
            "supporting": data.get("supporting_agencies") or [],
            "legal_basis": data.get("legal_basis", ""),
            "valid_from": data["valid_from"],
        }
        try:
            if self.current is not None:
                check_change(rule=self.current, **common)
            elif data.get("commune"):
                check_delegation(
                    sector=data["sector"], province=data["province"], commune=data["commune"], **common
                )
            else:
                raise ValidationError(
                    _("Tỉnh/thành phố chưa có quy định cho lĩnh vực này; hãy chạy manage.py load_reference.")
                )
        except DomainError as error:
            raise ValidationError(error.message, code=error.code) from error
        return data

    def validate_constraints(self):
        """The form names a new version, which the service opens after closing the rule in force; checked
        against the table as it stands, "one open rule per place" would always refuse it."""


@admin.register(CompetenceRule)
class CompetenceRuleAdmin(admin.ModelAdmin):
    list_display = ["sector", "province", "commune", "lead_agency", "valid_from", "valid_to"]
    list_filter = [InForceFilter, "sector", "province"]
    list_select_related = ["sector", "province", "commune", "lead_agency"]
    search_fields = [
        "province__name",
        "province__code",
        "commune__name",
        "commune__code",
        "lead_agency__name",
        "lead_agency__code",
        "legal_basis",
    ]
    ordering = ["province_id", "sector__position", "commune_id", "-valid_from"]
    date_hierarchy = "valid_from"
    form = CompetenceChangeForm
    autocomplete_fields = ["sector", "province", "commune", "lead_agency", "supporting_agencies"]
    readonly_fields = ["valid_to", "created_by", "created_at"]

    # Never edit or delete a rule: "add" opens a new version through the service (see the module docstring).
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        fields = list(CompetenceChangeForm.Meta.fields)
        return fields if obj is None else [*fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        common = {
            "lead_agency": data["lead_agency"],
            "supporting": data.get("supporting_agencies") or [],
            "legal_basis": data["legal_basis"],
            "valid_from": data["valid_from"],
            "actor": request.user,
            "now": timezone.now(),
            "note": data.get("note", ""),
        }
        if form.current is not None:
            rule = competence_change(rule=form.current, **common)
        else:
            rule = competence_delegate_commune(
                sector=data["sector"], province=data["province"], commune=data["commune"], **common
            )
        # The admin's message and redirect then name the rule the service made.
        obj.pk, obj.created_by, obj.created_at = rule.pk, rule.created_by, rule.created_at

    def save_related(self, request, form, formsets, change):
        """The service has set the supporting agencies already."""


@admin.register(RouterModel)
class RouterModelAdmin(ReadOnlyAdmin):
    """Models are trained and activated by `manage.py train_router`; the pickled pipeline is not shown."""

    list_display = ["version", "created_at", "is_active", "training_rows", "metrics"]
    list_filter = ["is_active"]
    search_fields = ["version"]
    exclude = ["blob"]


@admin.register(SectorSuggestion)
class SectorSuggestionAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "sector", "confidence", "routed", "model_version", "created_at"]
    list_filter = ["routed", "sector", "model_version"]
    list_select_related = ["complaint", "sector"]
    search_fields = ["complaint__tracking_code", "model_version"]
