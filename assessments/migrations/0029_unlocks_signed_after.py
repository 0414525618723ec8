"""A sign-off's unlock is part of what came after it (`record_seals.after_signature` signs
"unlocked" once the unlock service has voided it), so that clearing a real unlock's void in the
database is found (an outside trial reversed an IQA's unlock, and the unit read as signed off and
intact). Sign-offs already unlocked are re-signed so, if what came after them still verifies as
signed before: one already changed by hand stays changed."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations


def _sign(payload: dict) -> str:
    # As portfolio.signing signs (canonical JSON, HMAC-SHA-256), written out here so that this
    # migration signs the same way whatever that module becomes.
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def _after(sign_off, reviews, *, unlocked: bool) -> str:
    countersigned = sign_off.candidate_signed_at
    payload = {
        "sign_off": sign_off.signature,
        "candidate": ([countersigned.astimezone(datetime.UTC).isoformat(), sign_off.candidate_signature]
                      if countersigned else None),
        "reviews": reviews,
        "checks": sign_off.checks_made or 0,
    }
    if unlocked:
        payload["unlocked"] = True
    return _sign(payload)


def sign_unlocks_after(apps, schema_editor):
    SignOff = apps.get_model("assessments", "SignOff")
    QualityReview = apps.get_model("assessments", "QualityReview")
    for sign_off in SignOff.objects.exclude(void_signature="").iterator():
        reviews = sorted(
            [pk, signature] for pk, signature in
            QualityReview.objects.filter(sign_off=sign_off, reviewed_at__isnull=False).values_list("pk", "signature")
        )
        if hmac.compare_digest(sign_off.after_signature or "", _after(sign_off, reviews, unlocked=False)):
            sign_off.after_signature = _after(sign_off, reviews, unlocked=True)
            sign_off.save(update_fields=["after_signature"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0028_counted_checks"),
    ]

    operations = [
        migrations.RunPython(sign_unlocks_after, migrations.RunPython.noop),
    ]
