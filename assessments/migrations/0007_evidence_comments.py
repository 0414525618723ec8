"""The conversation about each evidence item. The database itself refuses to change a comment once
sent, as it does an audit event (portfolio 0004 and 0005): PostgreSQL, the production database,
refuses an UPDATE or DELETE (TRUNCATE, as a test run's flush does, is still possible for the owner);
SQLite refuses an UPDATE, and leaves DELETE to the model because the test suite empties tables row
by row."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES = [
    """CREATE OR REPLACE FUNCTION assessments_evidencecomment_unchangeable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'comments cannot be changed or deleted once sent'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER assessments_evidencecomment_unchangeable BEFORE UPDATE OR DELETE ON assessments_evidencecomment
       FOR EACH ROW EXECUTE FUNCTION assessments_evidencecomment_unchangeable();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS assessments_evidencecomment_unchangeable ON assessments_evidencecomment;",
    "DROP FUNCTION IF EXISTS assessments_evidencecomment_unchangeable();",
]


SQLITE = [
    """CREATE TRIGGER assessments_evidencecomment_no_update BEFORE UPDATE ON assessments_evidencecomment
       BEGIN SELECT RAISE(ABORT, 'comments cannot be changed or deleted once sent'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS assessments_evidencecomment_no_update;"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0006_scope_record"),
        ('portfolio', '0007_evidence_candidate_method'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvidenceComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=4000)),
                ('sent_at', models.DateTimeField()),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evidence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='portfolio.evidence')),
            ],
            options={
                'ordering': ['evidence', 'sent_at', 'id'],
                'indexes': [models.Index(fields=['evidence', 'sent_at'], name='comment_evidence_sent')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
