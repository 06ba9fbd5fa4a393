"""Read-only admin for cases and their history: every change goes through the services (ARCHITECTURE rule 2),
so the admin shows, filters and searches, and never edits a status or deletes an event."""

from django.contrib import admin

from bvntd.core.admin import ReadOnlyAdmin

from .models import Attachment, Complaint, ComplaintEvent, IdempotencyKey, Message


class EventInline(admin.TabularInline):
    model = ComplaintEvent
    fields = ("created_at", "kind", "from_status", "to_status", "from_agency", "to_agency", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "status", "owner_agency", "sector", "province", "due_at", "received_at")
    list_filter = ("status", "channel", "sector", "province")
    search_fields = ("tracking_code", "business_name")
    date_hierarchy = "received_at"
    list_select_related = ("owner_agency", "sector", "province")
    # Personal data stays encrypted and out of the admin: staff reveal it on the case page, with a purpose.
    exclude = ("consumer_name", "phone", "email", "address", "phone_index", "email_index", "search_text")
    inlines = [EventInline]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "complaint", "kind", "from_status", "to_status", "to_agency", "actor")
    list_filter = ("kind",)
    search_fields = ("complaint__tracking_code",)
    list_select_related = ("complaint", "to_agency", "actor")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "complaint", "kind", "author")
    list_filter = ("kind",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "complaint", "original_name", "content_type", "size")


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "key", "complaint")
