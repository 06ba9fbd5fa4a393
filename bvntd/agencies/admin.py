from django.contrib import admin

from .models import Agency, ApiToken, Membership, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "default_lead_kind", "position"]
    list_editable = ["default_lead_kind", "position"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "email", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["province", "parent"]
    filter_horizontal = ["sectors"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role", "agency__kind"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__email", "agency__name", "agency__code"]
    autocomplete_fields = ["user", "agency"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by the API token service, which shows the secret once. The admin can only see the
    hash and revoke a token."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "token_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
