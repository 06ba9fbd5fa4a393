"""Read-only views for administrators: every change to the business side goes through its services (the
registry's audit trail, the case's events), so the admin only looks."""

from django.contrib import admin

from bvntd.core.admin import ReadOnlyAdmin

from .models import (
    Business,
    BusinessAnswer,
    BusinessEvent,
    BusinessImport,
    MassAlert,
    MediationSession,
    Promise,
    Referral,
)


@admin.register(Business)
class BusinessAdmin(ReadOnlyAdmin):
    list_display = ["name", "tax_code", "province", "merged_into"]
    search_fields = ["name", "name_key", "tax_code"]


@admin.register(BusinessEvent)
class BusinessEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "business", "kind", "actor"]
    list_filter = ["kind"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = [
        "complaint",
        "business",
        "status",
        "priority",
        "sent_at",
        "answer_due_at",
        "first_answer_at",
    ]
    list_filter = ["status", "priority"]


@admin.register(BusinessAnswer)
class BusinessAnswerAdmin(ReadOnlyAdmin):
    list_display = ["referral", "kind", "amount_vnd", "via", "created_at"]
    list_filter = ["kind", "via"]


@admin.register(MediationSession)
class MediationSessionAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "number", "status", "scheduled_at", "agency"]
    list_filter = ["status"]


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "party", "due_on", "status", "amount_vnd"]
    list_filter = ["status", "party"]


@admin.register(MassAlert)
class MassAlertAdmin(ReadOnlyAdmin):
    list_display = ["business_name", "province", "status", "created_at", "updated_at"]
    list_filter = ["status"]


@admin.register(BusinessImport)
class BusinessImportAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "uploaded_by",
        "status",
        "processed_rows",
        "created_count",
        "error_count",
    ]
    list_filter = ["status"]
