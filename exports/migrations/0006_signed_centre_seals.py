"""Each centre seal is signed with the PORTFOLIO_SEAL_KEY setting (`seal_keys.seal_signature`), so a
seal row written into the database by hand is never one of the centre's roots (an outside trial made
a PDF of its own check as valid that way). Seals already made are signed as they stand."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def sign_existing_seals(apps, schema_editor):
    CentreSeal = apps.get_model("exports", "CentreSeal")
    for seal in CentreSeal.objects.all().iterator():
        # As seal_keys.seal_signature signs, written out so this migration signs the same way for good.
        payload = "\n".join([
            "centre seal", str(seal.centre_id), seal.subject, seal.certificate_pem, seal.root_pem,
            seal.valid_until.astimezone(datetime.UTC).isoformat(),
        ])
        seal.signature = hmac.new(settings.PORTFOLIO_SEAL_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()
        seal.save(update_fields=["signature"])


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0005_visit_pack'),
    ]

    operations = [
        migrations.AddField(
            model_name='centreseal',
            name='signature',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.RunPython(sign_existing_seals, migrations.RunPython.noop),
    ]
