"""Precomputed counts for statistics: one row per month received, province and sector.

Kept current by the complaint services in the same transaction as the change they count (rollup.py), so a
report over 10 million complaints reads a few thousand rows. `manage.py rebuild_stats` recomputes the table
from the complaints; the tests check that the two always agree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyCount(models.Model):
    # The month the complaints were received (first day, Vietnam time): a cohort.
    month = models.DateField(_("Tháng tiếp nhận"))
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    # The sector code, "" while a case has none yet (not a foreign key: the rollup key must not be NULL).
    sector_code = models.CharField(max_length=20, blank=True)
    received = models.PositiveIntegerField(default=0)
    open_cases = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "province", "sector_code"], name="monthly_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.province_id} {self.sector_code or '-'}"
