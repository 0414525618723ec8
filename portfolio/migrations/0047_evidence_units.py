"""Which units each piece of evidence bears on (`portfolio/evidence_unit_models.py`), kept by
triggers on both databases and filled once from the evidence there is."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models



# The rows of one evidence item, written afresh: one for each unit it is mapped to. The same SQL on
# both databases, with the item's id in place of {item}.
REFRESH = """
DELETE FROM portfolio_evidenceunit WHERE evidence_id = {item};
INSERT INTO portfolio_evidenceunit (evidence_id, unit_id, candidate_id, centre_id, state, method, submitted_at)
SELECT e.id, u.unit_id, e.candidate_id, e.centre_id, e.state, e.method, e.submitted_at
FROM portfolio_evidence e, (
    SELECT c.unit_id AS unit_id FROM portfolio_evidence_criteria m
    JOIN standards_criterion c ON c.id = m.criterion_id WHERE m.evidence_id = {item}
    UNION
    SELECT k.unit_id FROM portfolio_evidence_knowledge_items m
    JOIN standards_knowledgeitem k ON k.id = m.knowledgeitem_id WHERE m.evidence_id = {item}
) u
WHERE e.id = {item};
"""

# What an item's rows copy from it: a change to any of them writes its rows again.
COPIED = ("state", "method", "submitted_at", "candidate_id", "centre_id")
MAPPINGS = ("portfolio_evidence_criteria", "portfolio_evidence_knowledge_items")

# Every row there is now, written once.
FILL = """
INSERT INTO portfolio_evidenceunit (evidence_id, unit_id, candidate_id, centre_id, state, method, submitted_at)
SELECT e.id, u.unit_id, e.candidate_id, e.centre_id, e.state, e.method, e.submitted_at
FROM portfolio_evidence e JOIN (
    SELECT m.evidence_id, c.unit_id FROM portfolio_evidence_criteria m
    JOIN standards_criterion c ON c.id = m.criterion_id
    UNION
    SELECT m.evidence_id, k.unit_id FROM portfolio_evidence_knowledge_items m
    JOIN standards_knowledgeitem k ON k.id = m.knowledgeitem_id
) u ON u.evidence_id = e.id;
"""

SQLITE_TRIGGERS = ("evidence_units_inserted", "evidence_units_changed", "evidence_units_deleted") + tuple(
    f"{table}_{what}" for table in MAPPINGS for what in ("mapped", "unmapped")
)


def _sqlite(execute):
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COPIED)
    execute(f"""CREATE TRIGGER evidence_units_inserted AFTER INSERT ON portfolio_evidence
        BEGIN {REFRESH.format(item="NEW.id")} END;""")
    execute(f"""CREATE TRIGGER evidence_units_changed AFTER UPDATE ON portfolio_evidence WHEN {changed}
        BEGIN {REFRESH.format(item="NEW.id")} END;""")
    execute("""CREATE TRIGGER evidence_units_deleted AFTER DELETE ON portfolio_evidence
        BEGIN DELETE FROM portfolio_evidenceunit WHERE evidence_id = OLD.id; END;""")
    for table in MAPPINGS:
        execute(f"""CREATE TRIGGER {table}_mapped AFTER INSERT ON {table}
            BEGIN {REFRESH.format(item="NEW.evidence_id")} END;""")
        execute(f"""CREATE TRIGGER {table}_unmapped AFTER DELETE ON {table}
            BEGIN {REFRESH.format(item="OLD.evidence_id")} END;""")


def _postgresql(execute):
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in COPIED)
    execute(f"""CREATE FUNCTION evidence_units_refresh(item bigint) RETURNS void LANGUAGE sql AS $$
        {REFRESH.format(item="item")} $$;""")
    execute("""CREATE FUNCTION evidence_units_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'portfolio_evidence' THEN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM portfolio_evidenceunit WHERE evidence_id = OLD.id;
                ELSE
                    PERFORM evidence_units_refresh(NEW.id);
                END IF;
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM evidence_units_refresh(OLD.evidence_id);
            ELSE
                PERFORM evidence_units_refresh(NEW.evidence_id);
            END IF;
            RETURN NULL;
        END $$;""")
    execute("""CREATE TRIGGER evidence_units_inserted AFTER INSERT OR DELETE ON portfolio_evidence
        FOR EACH ROW EXECUTE FUNCTION evidence_units_of_row();""")
    execute(f"""CREATE TRIGGER evidence_units_changed AFTER UPDATE ON portfolio_evidence
        FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION evidence_units_of_row();""")
    for table in MAPPINGS:
        execute(f"""CREATE TRIGGER {table}_mapped AFTER INSERT OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION evidence_units_of_row();""")


def forwards(apps, schema_editor):
    {"sqlite": _sqlite, "postgresql": _postgresql}[schema_editor.connection.vendor](schema_editor.execute)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION evidence_units_of_row() CASCADE;")
        schema_editor.execute("DROP FUNCTION evidence_units_refresh(bigint);")
        return
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0046_audit_event_by_centre'),
        ('standards', '0004_unit_values_behaviours_links_criterion_group'),
    ]

    operations = [
        migrations.CreateModel(
            name='EvidenceUnit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for assessment'), ('referred', 'Referred back'), ('accepted', 'Accepted')], max_length=20)),
                ('method', models.CharField(choices=[('observation', 'Direct observation'), ('witness', 'Witness testimony'), ('expert_witness', 'Expert witness testimony'), ('discussion', 'Professional discussion'), ('reflective_account', 'Reflective account'), ('product', 'Product (work product) evidence'), ('questioning', 'Questioning (oral or written)'), ('rpl', 'Recognition of prior learning (RPL)'), ('simulation', 'Simulation')], max_length=30)),
                ('submitted_at', models.DateTimeField(null=True)),
                ('candidate', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='evidence_units', to=settings.AUTH_USER_MODEL)),
                ('centre', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portfolio.centre')),
                ('evidence', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portfolio.evidence')),
                ('unit', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='standards.unit')),
            ],
            options={
                'indexes': [models.Index(fields=['candidate', 'centre', 'unit', 'state', 'method', 'evidence', 'submitted_at'], name='evidence_unit_by_enrolment')],
                'constraints': [models.UniqueConstraint(fields=('evidence', 'unit'), name='one_row_per_evidence_unit')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
