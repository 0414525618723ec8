import django.db.models.deletion
from django.db import migrations, models


def older_waiting_questions_replaced(apps, schema_editor):
    """Several questions one centre asked a person, all still waiting (as an outside tester found
    them on the person's page): the newest is the one that waits, and each older one is recorded as
    replaced by it, as asking again replaces the waiting question from now on. A question whose name
    is the person's already asks nothing, and is left as it was."""
    NameSuggestion = apps.get_model("portfolio", "NameSuggestion")
    waiting = NameSuggestion.objects.filter(answered_at=None, replaced_by=None).select_related("person")
    newest = {}
    for suggestion in waiting.order_by("-made_at", "-pk"):
        person = suggestion.person
        if (suggestion.first_name, suggestion.last_name) == (person.first_name, person.last_name):
            continue
        kept = newest.setdefault((suggestion.person_id, suggestion.centre_id), suggestion)
        if kept is not suggestion:
            suggestion.replaced_by = kept
            suggestion.save(update_fields=["replaced_by"])


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0041_one_candidate_per_uln_at_a_centre'),
    ]

    operations = [
        migrations.AddField(
            model_name='namesuggestion',
            name='replaced_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="replaced", to='portfolio.namesuggestion'),
        ),
        migrations.RunPython(older_waiting_questions_replaced, migrations.RunPython.noop),
    ]
