"""The audit trail becomes a chain (`portfolio.audit_chain`): each event names the event of its centre
it followed and is sealed (an HMAC with PORTFOLIO_SIGNING_KEY, a key the database does not hold) over
its facts and that event's seal. An outside trial deleted events on SQLite and inserted forged ones on
both databases, and nothing noticed.

The events already written are sealed here, each centre's in the order written, so that from this
migration on a null seal means an event put in behind the portfolio's back. Sealing them is an
UPDATE, which the append-only triggers refuse (0004 on PostgreSQL, 0005 on SQLite): each is dropped
and made again around it, inside this migration's transaction.

`at` is now given by `audit.record` (the seal signs it before the row is saved) instead of being set
on saving: a change of Python default only, so the database is left alone. On SQLite, altering the
column would copy the table and drop its trigger, as a new column with a default would (hence the
two new columns are null, with none)."""

import datetime
import hashlib
import hmac
import json

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

PAGE = 2000

SQLITE_DROP = "DROP TRIGGER IF EXISTS portfolio_auditevent_no_update;"
SQLITE_CREATE = """CREATE TRIGGER portfolio_auditevent_no_update BEFORE UPDATE ON portfolio_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
POSTGRES_DROP = "DROP TRIGGER IF EXISTS portfolio_auditevent_append_only ON portfolio_auditevent;"
POSTGRES_CREATE = """CREATE TRIGGER portfolio_auditevent_append_only BEFORE UPDATE OR DELETE ON portfolio_auditevent
    FOR EACH ROW EXECUTE FUNCTION portfolio_auditevent_append_only();"""

FACTS = ["centre_id", "action", "actor_id", "actor_name", "candidate_id", "enrolment_id", "evidence_id",
         "summary", "before", "after", "at"]


def _seal(facts: dict, previous: int | None, previous_seal: str | None) -> str:
    # As portfolio.signing.audit_event_seal seals (canonical JSON, HMAC-SHA-256), written out here so
    # that this migration seals the same way whatever that module becomes.
    payload = {"audit_event": {
        "centre": facts["centre_id"], "action": facts["action"], "actor": facts["actor_id"],
        "actor_name": facts["actor_name"], "candidate": facts["candidate_id"], "enrolment": facts["enrolment_id"],
        "evidence": facts["evidence_id"], "summary": facts["summary"], "before": facts["before"],
        "after": facts["after"], "at": facts["at"].astimezone(datetime.UTC).isoformat(),
        "previous": previous, "previous_seal": previous_seal,
    }}
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def seal_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("portfolio", "AuditEvent")
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP)
    latest = {}  # each centre's last event sealed: the next one follows it
    after_id = 0
    while True:  # a page at a time, by id: bounded memory, and no read left open across the writes
        page = list(AuditEvent.objects.filter(pk__gt=after_id).order_by("pk").values("pk", *FACTS)[:PAGE])
        if not page:
            break
        sealed = []
        for facts in page:
            previous, previous_seal = latest.get(facts["centre_id"], (None, None))
            seal = _seal(facts, previous, previous_seal)
            sealed.append((seal, previous, facts["pk"]))
            latest[facts["centre_id"]] = (facts["pk"], seal)
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany("UPDATE portfolio_auditevent SET seal = %s, previous = %s WHERE id = %s", sealed)
        after_id = page[-1]["pk"]
    schema_editor.execute(POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE)


def sqlite_trigger_kept(apps, schema_editor):
    """Migrating back removes the two columns, which on SQLite copies the table and drops its
    trigger: made again, so the older schema still refuses an UPDATE."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_CREATE)


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0051_enrolment_sign_off_seal'),
    ]

    operations = [
        # First, so that migrating back runs it last, after the columns are gone.
        migrations.RunPython(migrations.RunPython.noop, sqlite_trigger_kept),
        migrations.AddField(
            model_name='auditevent',
            name='previous',
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seal',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='auditevent',
                name='at',
                field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
            ),
        ]),
        # Before the rows are written: PostgreSQL builds no index on a table with writes pending.
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['centre', 'id'], name='audit_centre_chain'),
        ),
        migrations.RunPython(seal_existing_events, migrations.RunPython.noop),
    ]
