"""What came after each sign-off (the candidate's countersignature, the IQA's reviews of it) is
signed on the sign-off (`record_seals.after_signature`), so that one deleted or cleared in the
database is found (an outside trial: deleting the IQA's countersignature, or clearing the
candidate's, changed every page and PDF with nothing said). Sign-offs already made are signed as
they stand now: from this migration on, a change to what came after them is found."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _sign(payload: dict) -> str:
    # As assessments.signing signs (canonical JSON, HMAC-SHA-256), written out here so that this
    # migration signs the same way whatever that module becomes.
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def sign_what_came_after(apps, schema_editor):
    SignOff = apps.get_model("assessments", "SignOff")
    QualityReview = apps.get_model("assessments", "QualityReview")
    for sign_off in SignOff.objects.iterator():
        reviews = sorted(
            [pk, signature] for pk, signature in
            QualityReview.objects.filter(sign_off=sign_off, reviewed_at__isnull=False).values_list("pk", "signature")
        )
        countersigned = sign_off.candidate_signed_at
        sign_off.after_signature = _sign({
            "sign_off": sign_off.signature,
            "candidate": ([countersigned.astimezone(datetime.UTC).isoformat(), sign_off.candidate_signature]
                          if countersigned else None),
            "reviews": reviews,
        })
        sign_off.save(update_fields=["after_signature"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0024_signed_audited_voids"),
    ]

    operations = [
        migrations.AddField(
            model_name="signoff",
            name="after_signature",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(sign_what_came_after, migrations.RunPython.noop),
    ]
