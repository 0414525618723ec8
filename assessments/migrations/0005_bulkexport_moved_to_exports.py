"""BulkExport now belongs to the exports app (exports/migrations/0001_initial.py takes it over with
its table); this only removes it from assessments' idea of the models."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_bulk_exports'),
        ('exports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='BulkExport')],
            database_operations=[],
        ),
    ]
