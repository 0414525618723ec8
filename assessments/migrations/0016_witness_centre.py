"""Each witness is on a candidate's list at one centre (issue 16: centres are walled): the column,
filled by 0017 and made required by 0018. Three migrations, not one: on PostgreSQL the index of a
new foreign key is made when its migration's schema changes end, and it cannot be made on a table
whose rows were changed in the same transaction ("pending trigger events")."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0015_fixity_visit_pack'),
        ('portfolio', '0028_notification_kinds_merged'),
    ]

    operations = [
        migrations.AddField(
            model_name='witness',
            name='centre',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portfolio.centre'),
        ),
    ]
