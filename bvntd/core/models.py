"""Project-wide models: the administrators' corrections to the working-day calendar."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ bổ sung")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarOverride(models.Model):
    """A day the government announced differently from the `holidays` package.

    "day_off": a bridge day or an extra holiday. "working_day": a make-up Saturday, or a holiday the package
    lists ahead of the law (24/11 Vietnam Culture Day from 2026). See `bvntd.core.workdays`.
    """

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=OverrideKind.choices)
    reason = models.CharField("lý do", max_length=200)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày điều chỉnh lịch làm việc"
        verbose_name_plural = "ngày điều chỉnh lịch làm việc"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OverrideKind.values), name="core_calendaroverride_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"
