from django.db import migrations, models


def answers_of_suggestions_answered_before(apps, schema_editor):
    """Suggestions answered before the answer was recorded: read from the person's name today (the
    suggested name if they saved it; any other, declined). Hours old at most when this was written,
    so a name changed again since is unlikely; every answer from now on is recorded as it is given."""
    NameSuggestion = apps.get_model("portfolio", "NameSuggestion")
    for suggestion in NameSuggestion.objects.filter(answered_at__isnull=False, answer="").select_related("person"):
        person = suggestion.person
        same = (person.first_name, person.last_name) == (suggestion.first_name, suggestion.last_name)
        suggestion.answer = "accepted" if same else "declined"
        suggestion.save(update_fields=["answer"])


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0036_membership_centre_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='namesuggestion',
            name='answer',
            field=models.CharField(blank=True, choices=[('accepted', 'accepted'), ('declined', 'declined')], max_length=10),
        ),
        migrations.RunPython(answers_of_suggestions_answered_before, migrations.RunPython.noop),
    ]
