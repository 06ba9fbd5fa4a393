"""Room for the transfer events' longer names.

On SQLite, widening the column rebuilds the table, and the rebuild drops its triggers: the append-only
triggers of 0002 are created again right after (PostgreSQL alters the column in place and keeps them).
"""

from importlib import import_module

from django.db import migrations, models

append_only = import_module("bvntd.complaints.migrations.0002_events_append_only")


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in append_only.SQLITE_REVERSE + append_only.SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0002_events_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='complaintevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Tiếp nhận hồ sơ'), ('accepted', 'Thụ lý'), ('started', 'Bắt đầu xử lý'), ('info_requested', 'Yêu cầu bổ sung thông tin'), ('info_provided', 'Người tiêu dùng bổ sung thông tin'), ('reassigned', 'Chuyển cơ quan xử lý'), ('officer_assigned', 'Phân công cán bộ'), ('extended', 'Gia hạn giải quyết'), ('resolved', 'Có kết quả giải quyết'), ('rejected', 'Từ chối thụ lý'), ('withdrawn', 'Người tiêu dùng rút yêu cầu'), ('disputed', 'Người tiêu dùng không đồng ý kết quả'), ('rated', 'Người tiêu dùng đánh giá kết quả'), ('closed', 'Đóng hồ sơ'), ('note', 'Ghi chú nội bộ'), ('message', 'Tin nhắn gửi người tiêu dùng'), ('due_soon', 'Sắp đến hạn'), ('overdue', 'Quá hạn'), ('pii_revealed', 'Xem thông tin cá nhân'), ('transfer_proposed', 'Đề nghị chuyển cơ quan'), ('transfer_accepted', 'Cơ quan nhận đồng ý tiếp nhận'), ('transfer_auto_accepted', 'Coi như đồng ý tiếp nhận (không trả lời đúng hạn)'), ('transfer_contested', 'Cơ quan nhận không đồng ý; chuyển điều phối'), ('transfer_to_arbiter', 'Chuyển lần thứ hai; chuyển điều phối'), ('transfer_decided', 'Quyết định điều phối'), ('transfer_withdrawn', 'Rút đề nghị chuyển')], max_length=30),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
