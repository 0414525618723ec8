"""Each enrolment's record of the sign-offs the portfolio made of its unit, sealed on the enrolment
(`portfolio.signing.sign_off_seal`), so that a sign-off deleted in the database with its checks and
reviews is found (an outside trial: the unit then read as never signed off, on every page). The
enrolments already made are sealed with the sign-offs they have now. And a fixity check says when it
found a void no unlock made (`FixityCheck.void_not_believed`), which SQL reads."""

import hashlib
import hmac
import json
from collections import defaultdict

from django.conf import settings
from django.db import migrations, models


def _sign(payload: dict) -> str:
    # As portfolio.signing signs (canonical JSON, HMAC-SHA-256), written out here so that this
    # migration signs the same way whatever that module becomes.
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def seal_sign_offs(apps, schema_editor):
    Enrolment = apps.get_model("portfolio", "Enrolment")
    SignOff = apps.get_model("assessments", "SignOff")
    made = defaultdict(list)
    for enrolment_id, pk, signature in SignOff.objects.order_by("enrolment_id", "pk").values_list(
        "enrolment_id", "pk", "signature"
    ):
        made[enrolment_id].append([pk, signature])
    batch = []
    for enrolment in Enrolment.objects.only("pk").iterator():
        sign_offs = made.get(enrolment.pk, [])
        enrolment.sign_offs_made = len(sign_offs)
        enrolment.sign_off_seal = _sign({"enrolment": enrolment.pk, "sign_offs": sign_offs})
        batch.append(enrolment)
        if len(batch) == 1000:
            Enrolment.objects.bulk_update(batch, ["sign_offs_made", "sign_off_seal"])
            batch = []
    Enrolment.objects.bulk_update(batch, ["sign_offs_made", "sign_off_seal"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0026_fixity_check_at_a_page'),
        ('portfolio', '0051_enrolment_sign_off_seal'),
    ]

    operations = [
        migrations.AddField(
            model_name='fixitycheck',
            name='void_not_believed',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(seal_sign_offs, migrations.RunPython.noop),
    ]
