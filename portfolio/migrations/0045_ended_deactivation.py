"""A deactivation that a reactivation ends is kept (`EndedDeactivation`), for the person's page.

Those ended before were deleted, their facts left only in the audit trail: each reactivation's event
is paired with the deactivation event before it for the same person at the same centre, which says
who deactivated them, when and (since migration 0043) why; the reactivation's event repeats the
date and the reason as they stood when it ended them. A reactivation with no such deactivation
event (none is written without one), or of someone no longer on record, is left out rather than guessed."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DEACTIVATED = "portfolio.person.deactivated"
REACTIVATED = "portfolio.person.reactivated"


def _when(text, otherwise):
    try:
        return datetime.datetime.fromisoformat(text) if text else otherwise
    except (TypeError, ValueError):
        return otherwise


def read_back(apps, schema_editor):
    events = apps.get_model("portfolio", "AuditEvent").objects.filter(action__in=[DEACTIVATED, REACTIVATED])
    ended = apps.get_model("portfolio", "EndedDeactivation")
    last_deactivation = {}  # (centre, person) -> the deactivation event not yet ended
    rows = []
    for event in events.order_by("at", "id").iterator(chunk_size=500):
        after, before = event.after or {}, event.before or {}
        key = (event.centre_id, after.get("person"))
        if event.action == DEACTIVATED:
            last_deactivation[key] = event
            continue
        deactivation = last_deactivation.pop(key, None)
        if deactivation is None or deactivation.actor_id is None or event.actor_id is None or key[1] is None:
            continue
        reason = before["reason"] if "reason" in before else (deactivation.after or {}).get("reason", "")
        rows.append(ended(
            person_id=key[1], centre_id=event.centre_id, roles=after.get("roles") or [],
            deactivated_by_id=deactivation.actor_id,
            deactivated_at=_when(before.get("deactivated_at"), deactivation.at), reason=reason or "",
            reactivated_by_id=event.actor_id, reactivated_at=event.at,
        ))
    # An id in an event's facts is not a foreign key: only people still on record are kept.
    people = set(apps.get_model("portfolio", "Person").objects.filter(
        pk__in={row.person_id for row in rows}).values_list("pk", flat=True))
    ended.objects.bulk_create([row for row in rows if row.person_id in people], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0044_person_by_folded_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='EndedDeactivation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('roles', models.JSONField(help_text='The roles the person held at the centre, given back.')),
                ('deactivated_at', models.DateTimeField()),
                ('reason', models.TextField(blank=True, default='')),
                ('reactivated_at', models.DateTimeField()),
                ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ended_deactivations', to='portfolio.centre')),
                ('deactivated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ended_deactivations', to=settings.AUTH_USER_MODEL)),
                ('reactivated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-reactivated_at', '-pk'],
                'indexes': [models.Index(fields=['person', 'centre', '-reactivated_at'], name='ended_deactivation_person')],
            },
        ),
        migrations.RunPython(read_back, migrations.RunPython.noop, elidable=False),
    ]
