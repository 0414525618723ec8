"""SQLite too refuses to change an audit event in the database itself. Deleting stays possible
there at the SQL level (the model and its querysets refuse it), because the test suite empties
tables row by row between tests; PostgreSQL refuses both (0004)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        """CREATE TRIGGER portfolio_auditevent_no_update BEFORE UPDATE ON portfolio_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS portfolio_auditevent_no_update;")


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0004_audit_events_are_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
