"""Admin for the administrative map. The data come from `manage.py load_reference`, so it is read-mostly:
only a province's tracking-code abbreviation can be edited, and nothing can be added or deleted here."""

from django.contrib import admin

from .models import Commune, Province, UnitVersion


class ReadMostlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ReadMostlyAdmin):
    list_display = ["code", "full_name", "full_name_en", "unit_type", "abbr", "valid_from", "valid_to"]
    list_filter = ["unit_type"]
    search_fields = ["code", "name", "name_en", "full_name", "code_name", "abbr"]
    readonly_fields = [
        "code",
        "name",
        "name_en",
        "full_name",
        "full_name_en",
        "code_name",
        "unit_type",
        "valid_from",
        "valid_to",
    ]


@admin.register(Commune)
class CommuneAdmin(ReadMostlyAdmin):
    list_display = ["code", "full_name", "province", "unit_type", "valid_from", "valid_to"]
    list_filter = ["unit_type", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "name_en", "full_name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitVersion)
class UnitVersionAdmin(ReadMostlyAdmin):
    list_display = ["level", "code", "full_name", "province_code", "unit_type", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type", "valid_from", "valid_to"]
    search_fields = ["code", "name", "full_name", "province_code"]
    ordering = ["level", "code", "valid_from"]

    def has_change_permission(self, request, obj=None):
        return False
