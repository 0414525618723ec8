"""The centre's audit trail page (ops/audit_trail) reads the centre's events newest first and counts
them by action: two indexes led by the centre. Plain CREATE INDEX on SQLite and PostgreSQL; the
table is not copied, so its append-only triggers (0005) stay."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0045_ended_deactivation'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['centre', '-at', '-id'], name='audit_centre_at'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['centre', 'action', 'at'], name='audit_centre_action_at'),
        ),
    ]
