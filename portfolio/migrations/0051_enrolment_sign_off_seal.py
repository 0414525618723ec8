from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0050_enrolment_centre_status_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='enrolment',
            name='sign_off_seal',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='enrolment',
            name='sign_off_seal_broken_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='enrolment',
            name='sign_offs_made',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
