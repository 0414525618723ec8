# Each centre keeps its own record of a candidate's ULN and SCN (issue 16: centres are walled).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _centres_of(apps, person_id):
    """Every centre where the person is, or was until deactivated, a candidate, or has a unit."""
    Membership = apps.get_model("portfolio", "Membership")
    Deactivated = apps.get_model("portfolio", "DeactivatedMembership")
    Enrolment = apps.get_model("portfolio", "Enrolment")
    centres = set(Membership.objects.filter(person_id=person_id, role="candidate").values_list("centre_id", flat=True))
    centres |= {d.centre_id for d in Deactivated.objects.filter(person_id=person_id) if "candidate" in (d.roles or [])}
    centres |= set(Enrolment.objects.filter(candidate_id=person_id).values_list("centre_id", flat=True))
    return centres


def copy_to_each_centre(apps, schema_editor):
    """The ULN and SCN recorded on the person, copied to each centre they are a candidate at: every
    centre kept what it could read before, and from now on each keeps its own."""
    Person = apps.get_model("portfolio", "Person")
    Identifiers = apps.get_model("portfolio", "CandidateIdentifiers")
    rows = []
    for person in Person.objects.exclude(uln="", scn="").only("pk", "uln", "scn").iterator():
        rows += [Identifiers(candidate_id=person.pk, centre_id=c, uln=person.uln, scn=person.scn) for c in _centres_of(apps, person.pk)]
    Identifiers.objects.bulk_create(rows, batch_size=500)


def copy_back(apps, schema_editor):
    """Undone: one centre's identifiers back on the person (the lowest centre id's)."""
    Person = apps.get_model("portfolio", "Person")
    Identifiers = apps.get_model("portfolio", "CandidateIdentifiers")
    for row in Identifiers.objects.order_by("-centre_id"):
        Person.objects.filter(pk=row.candidate_id).update(uln=row.uln, scn=row.scn)


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0022_membership_changed_notifications'),
    ]

    operations = [
        migrations.CreateModel(
            name='CandidateIdentifiers',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uln', models.CharField(blank=True, max_length=10, verbose_name='Unique Learner Number (ULN)')),
                ('scn', models.CharField(blank=True, max_length=9, verbose_name='Scottish Candidate Number (SCN)')),
                ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='identifiers', to=settings.AUTH_USER_MODEL)),
                ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portfolio.centre')),
            ],
            options={
                'verbose_name_plural': 'candidate identifiers',
                'constraints': [models.UniqueConstraint(fields=('candidate', 'centre'), name='one_set_of_identifiers_per_centre')],
            },
        ),
            migrations.RunPython(copy_to_each_centre, copy_back),
        migrations.RemoveField(
            model_name='person',
            name='scn',
        ),
        migrations.RemoveField(
            model_name='person',
            name='uln',
        ),
    ]
