"""On PostgreSQL, the production database, the database itself refuses to change or delete an
audit event, whatever code asks it to. (Emptying the table with TRUNCATE, as a test run's flush
does, is still possible for the database owner.) SQLite, the single-laptop default, relies on the
model, whose save and delete refuse: a trigger there would also refuse the test suite's flush,
which deletes row by row."""

from django.db import migrations

POSTGRES = [
    """CREATE OR REPLACE FUNCTION portfolio_auditevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER portfolio_auditevent_append_only BEFORE UPDATE OR DELETE ON portfolio_auditevent
       FOR EACH ROW EXECUTE FUNCTION portfolio_auditevent_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS portfolio_auditevent_append_only ON portfolio_auditevent;",
    "DROP FUNCTION IF EXISTS portfolio_auditevent_append_only();",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0003_notification")]
    operations = [migrations.RunPython(forwards, backwards)]
