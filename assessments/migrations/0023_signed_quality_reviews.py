"""The IQA's reviews are signed (an HMAC with PORTFOLIO_SIGNING_KEY, as sign-offs are), so a
countersignature rewritten in the database does not verify (an outside trial rewrote one's words and
date, and every page still said intact). Reviews already made are signed as they stand now: from this
migration on, a change to one is found."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _sign(payload: dict) -> str:
    # As assessments.integrity signs (canonical JSON, HMAC-SHA-256), written out here so that this
    # migration signs the same way whatever that module becomes.
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def sign_existing_reviews(apps, schema_editor):
    QualityReview = apps.get_model("assessments", "QualityReview")
    for review in QualityReview.objects.filter(reviewed_at__isnull=False).iterator():
        review.signature = _sign({
            "review": review.pk, "enrolment": review.enrolment_id, "sign_off": review.sign_off_id,
            "iqa": review.iqa_id, "stage": review.stage, "outcome": review.outcome,
            "comments": review.comments, "actions": review.actions,
            "reviewed_at": review.reviewed_at.astimezone(datetime.UTC).isoformat(),
        })
        review.save(update_fields=["signature"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0022_unit_scope_records'),
    ]

    operations = [
        migrations.AddField(
            model_name='qualityreview',
            name='signature',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.RunPython(sign_existing_reviews, migrations.RunPython.noop),
    ]
