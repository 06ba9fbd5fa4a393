"""ComplaintEvent rows are the audit trail: the database refuses to change or delete them (ARCHITECTURE rule 3).

Both backends get a trigger, so the rule holds on the embedded SQLite as in production on PostgreSQL.
"""

from django.db import migrations

TABLE = "complaints_complaintevent"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION bvntd_refuse_event_change() RETURNS trigger AS $$
BEGIN
    -- Emptying the whole table is a deliberate act (a test database being reset), never a stray write:
    -- it must be announced on the connection first with SET bvntd.allow_truncate = 'on'.
    IF TG_OP = 'TRUNCATE' AND current_setting('bvntd.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'complaint events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complaint_event_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION bvntd_refuse_event_change();
CREATE TRIGGER complaint_event_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION bvntd_refuse_event_change();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS complaint_event_append_only ON {TABLE};
DROP TRIGGER IF EXISTS complaint_event_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS bvntd_refuse_event_change();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER complaint_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'complaint events are append-only (UPDATE refused)'); END;""",
    f"""CREATE TRIGGER complaint_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'complaint events are append-only (DELETE refused)'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS complaint_event_no_update;",
    "DROP TRIGGER IF EXISTS complaint_event_no_delete;",
]


def forward(apps, schema_editor):
    statements = [POSTGRES_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        # params=None: the SQL holds a literal "%", which must not be read as a placeholder.
        schema_editor.execute(statement, params=None)


def reverse(apps, schema_editor):
    statements = [POSTGRES_REVERSE] if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        # params=None: the SQL holds a literal "%", which must not be read as a placeholder.
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints")]
    operations = [migrations.RunPython(forward, reverse)]
