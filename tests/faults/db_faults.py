"""Real database faults for tests: a trigger that makes the database refuse an
INSERT, as a full disk, a lost connection or a constraint in another system
would. Nothing in the code under test is replaced."""

from contextlib import contextmanager

from django.db import connection

FAULT_MESSAGE = "su co gia lap (fault injected by the test)"


@contextmanager
def insert_fails(table: str, *, when: str = "TRUE"):
    """Every INSERT into `table` for which the SQL condition `when` (over NEW) is
    true fails, until the block ends."""
    name = f"kc_fault_{table}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION '{FAULT_MESSAGE}'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION {name}()"
            )
        else:
            condition = "1" if when == "TRUE" else when
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON {table} WHEN {condition} "
                f"BEGIN SELECT RAISE(ABORT, '{FAULT_MESSAGE}'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {name}"
                + (f" ON {table}" if connection.vendor == "postgresql" else "")
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
