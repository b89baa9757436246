# Trigram indexes for the admin's free-text search of the large registers.
#
# Django admin searches a field with `UPPER("col"::text) LIKE UPPER('%term%')`;
# a B-tree can not answer a LIKE with a leading wildcard, so every search read the
# whole table (two million participants: 1.6 s). A GIN index with pg_trgm's
# gin_trgm_ops on exactly that expression answers it from the index, and the
# planner combines the indexes of all the searched fields (BitmapOr). EXPLAIN
# ANALYZE before/after at national size in bench/README.md ("Admin search").
#
# PostgreSQL only, and no model state: on SQLite (development, tests) this
# migration does nothing, and `makemigrations --check` stays clean.

from django.db import migrations

# table -> the columns its admin searches with "contains".
SEARCHED_COLUMNS = {
    "programs_participant": ("full_name", "certificate_number"),
    "programs_trainingcourse": ("title", "craft", "venue"),
    "programs_establishment": (
        "name",
        "tax_code",
        "representative",
        "address",
        "sector",
    ),
    "programs_equipmentproject": ("title", "description"),
}


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may add it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(index_name(table, column))} "
                f"ON {quote(table)} USING gin ((UPPER({quote(column)}::text)) "
                "gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            name = schema_editor.quote_name(index_name(table, column))
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_course_report_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
