"""Recompute the statistics rollup from the complaints: after a bulk load, or to repair it."""

import time

from django.core.management.base import BaseCommand

from bvntd.stats import rollup


class Command(BaseCommand):
    help = "Tính lại bảng thống kê theo tháng từ các hồ sơ (sau khi nạp dữ liệu hàng loạt)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rollup.rebuild()
        self.stdout.write(f"{rows} dòng thống kê, {time.perf_counter() - started:.1f} s")
