from django.db import migrations, models


def invitations_withdrawn_before_this_was_recorded(apps, schema_editor):
    """Deactivations made before they recorded which invitations they withdrew: those to the
    person's address withdrawn at or after the deactivation and never accepted, as the person page
    worked it out until now (deactivating withdrew them in its own transaction, after making its
    record, and none could be sent to the address while deactivated). An EQA's is not the centre's."""
    DeactivatedMembership = apps.get_model("portfolio", "DeactivatedMembership")
    Invitation = apps.get_model("portfolio", "Invitation")
    for deactivation in DeactivatedMembership.objects.select_related("person"):
        withdrawn = Invitation.objects.filter(
            centre_id=deactivation.centre_id, email__iexact=deactivation.person.email,
            cancelled_at__gte=deactivation.deactivated_at, accepted_at__isnull=True,
        ).exclude(role="eqa")
        deactivation.invitations_withdrawn.set(withdrawn)


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0037_name_suggestion_answer'),
    ]

    operations = [
        migrations.AddField(
            model_name='deactivatedmembership',
            name='invitations_withdrawn',
            field=models.ManyToManyField(blank=True, related_name='+', to='portfolio.invitation'),
        ),
        migrations.RunPython(invitations_withdrawn_before_this_was_recorded, migrations.RunPython.noop),
    ]
