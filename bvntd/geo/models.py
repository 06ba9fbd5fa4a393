"""The administrative map: 34 provinces and their communes since 1/7/2025, no districts.

Codes are stable across changes of name or type (e.g. Đồng Nai became a centrally governed city on 30/4/2026
with the same code), so `Province` and `Commune` are identities keyed by code, holding the current attributes
for fast display, and `UnitVersion` keeps every effective-dated state of a unit for "as of" questions.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    COMMUNE = "commune", _("Xã/phường/đặc khu")


class EnglishNameMixin:
    """`label`: the full name in the language of the request (the map has English names)."""

    @property
    def label(self) -> str:
        if get_language() == "en" and self.full_name_en:
            return self.full_name_en
        return self.full_name


class Province(EnglishNameMixin, models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    full_name = models.CharField(max_length=150)
    full_name_en = models.CharField(max_length=150)
    code_name = models.SlugField(max_length=100, unique=True)
    unit_type = models.CharField(max_length=50)  # "Thành phố" / "Tỉnh"
    abbr = models.CharField(max_length=2, unique=True)  # tracking-code prefix, e.g. VL
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.full_name


class Commune(EnglishNameMixin, models.Model):
    code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    full_name = models.CharField(max_length=150)
    full_name_en = models.CharField(max_length=150)
    unit_type = models.CharField(max_length=50)  # "Phường" / "Xã" / "Đặc khu"
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["province_id", "name"]

    def __str__(self) -> str:
        return self.full_name


class UnitVersion(models.Model):
    """One effective-dated state of a province or commune: valid from `valid_from` until `valid_to`."""

    level = models.CharField(max_length=10, choices=UnitLevel.choices)
    code = models.CharField(max_length=5)
    province_code = models.CharField(max_length=2)
    name = models.CharField(max_length=100)
    full_name = models.CharField(max_length=150)
    unit_type = models.CharField(max_length=50)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="unit_version_unique_start"),
            # valid_to is exclusive: the day the next state begins.
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="unit_version_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["level", "code", "valid_from"], name="unit_version_lookup")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.valid_from}–{self.valid_to or '…'})"
