from django.db import migrations, models


class Migration(migrations.Migration):
    """Why a person was reactivated, asked from now on. A reactivation made before has none: its
    ended deactivation gets an empty reason, and the person's page says "no reason recorded"."""

    dependencies = [
        ("portfolio", "0047_evidence_units"),
    ]

    operations = [
        migrations.AddField(
            model_name="endeddeactivation",
            name="reactivation_reason",
            field=models.TextField(blank=True, default=""),
        ),
    ]
