"""Each sign-off counts the fixity checks the portfolio recorded of it (`SignOff.checks_made`),
under what came after it (`record_seals.after_signature`), so that a check row deleted or copied in
is found (an outside trial deleted every check row, and the record read as merely "not verified
since sign-off"). Each sign-off is counted as it stands, and re-signed only if what came after it
still verifies as signed before: one already changed by hand stays changed."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _sign(payload: dict) -> str:
    # As portfolio.signing signs (canonical JSON, HMAC-SHA-256), written out here so that this
    # migration signs the same way whatever that module becomes.
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def _after(sign_off, reviews, checks=None) -> str:
    countersigned = sign_off.candidate_signed_at
    payload = {
        "sign_off": sign_off.signature,
        "candidate": ([countersigned.astimezone(datetime.UTC).isoformat(), sign_off.candidate_signature]
                      if countersigned else None),
        "reviews": reviews,
    }
    if checks is not None:
        payload["checks"] = checks
    return _sign(payload)


def count_checks(apps, schema_editor):
    SignOff = apps.get_model("assessments", "SignOff")
    QualityReview = apps.get_model("assessments", "QualityReview")
    FixityCheck = apps.get_model("assessments", "FixityCheck")
    for sign_off in SignOff.objects.iterator():
        reviews = sorted(
            [pk, signature] for pk, signature in
            QualityReview.objects.filter(sign_off=sign_off, reviewed_at__isnull=False).values_list("pk", "signature")
        )
        held = hmac.compare_digest(sign_off.after_signature or "", _after(sign_off, reviews))
        sign_off.checks_made = FixityCheck.objects.filter(sign_off=sign_off).count()
        if held:
            sign_off.after_signature = _after(sign_off, reviews, sign_off.checks_made)
        sign_off.save(update_fields=["checks_made", "after_signature"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0027_sealed_sign_offs'),
    ]

    operations = [
        migrations.AddField(
            model_name='signoff',
            name='checks_made',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_checks, migrations.RunPython.noop),
    ]
