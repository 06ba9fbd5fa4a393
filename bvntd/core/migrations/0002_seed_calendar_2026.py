"""Seed the 2026 National Day swap: Mon 31/8/2026 off, worked back on Sat 22/8/2026.

`holidays` 0.109 already lists 31/8 as a day off, which is harmless; the rows make the swap visible and
editable in the admin and keep it if a later package drops it.
"""

import datetime

from django.db import migrations

SWAP_2026 = [
    (datetime.date(2026, 8, 22), "working_day", "Làm bù cho thứ Hai 31/8/2026 (lịch nghỉ Quốc khánh 2026)"),
    (
        datetime.date(2026, 8, 31),
        "day_off",
        "Nghỉ bù, hoán đổi với thứ Bảy 22/8/2026 (lịch nghỉ Quốc khánh 2026)",
    ),
]


def seed(apps, schema_editor):
    CalendarOverride = apps.get_model("core", "CalendarOverride")
    for day, kind, reason in SWAP_2026:
        # An administrator may have entered the day already: keep their row.
        CalendarOverride.objects.get_or_create(date=day, defaults={"kind": kind, "reason": reason})


def unseed(apps, schema_editor):
    CalendarOverride = apps.get_model("core", "CalendarOverride")
    for day, kind, _reason in SWAP_2026:
        CalendarOverride.objects.filter(date=day, kind=kind).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_calendar_override")]

    operations = [migrations.RunPython(seed, unseed)]
