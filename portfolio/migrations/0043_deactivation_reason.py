from django.db import migrations, models


class Migration(migrations.Migration):
    """Why a person was deactivated, asked from now on. A deactivation made before has none: its row
    gets an empty reason, and the person's page says "no reason recorded"."""

    dependencies = [
        ('portfolio', '0042_name_suggestion_replaced_by'),
    ]

    operations = [
        migrations.AddField(
            model_name='deactivatedmembership',
            name='reason',
            field=models.TextField(blank=True, default=''),
        ),
    ]
