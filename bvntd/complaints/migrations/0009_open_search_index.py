"""The inbox's text search on PostgreSQL: a trigram index over the open cases' folded text, with the owning
agency (docs/performance.md). Partial, so it holds only the few percent of cases that are open: at ten
million complaints the search of a busy agency otherwise reads tens of thousands of rows from the table.
pg_trgm and btree_gin are trusted extensions (PostgreSQL 13+): the database owner may create them. SQLite
scans, which is fine at its scale."""

from django.db import migrations

from bvntd.complaints.states import OPEN

OPEN_LIST = ", ".join(f"'{status}'" for status in sorted(OPEN))
CREATE = (
    "CREATE INDEX IF NOT EXISTS complaint_open_search ON complaints_complaint "
    f"USING gin (owner_agency_id, search_text gin_trgm_ops) WHERE status IN ({OPEN_LIST})"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        schema_editor.execute(CREATE)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS complaint_open_search")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_scale_indexes")]

    operations = [migrations.RunPython(forward, reverse)]
