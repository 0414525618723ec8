from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0017_witness_centre_split'),
    ]

    operations = [
        migrations.AlterField(
            model_name='witness',
            name='centre',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portfolio.centre'),
        ),
        migrations.AlterModelOptions(
            name='witness',
            options={'ordering': ['candidate', 'centre', 'name']},
        ),
    ]
