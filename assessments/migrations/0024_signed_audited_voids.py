"""From here a sign-off stands unless a signed void says otherwise (`models.standing_sign_off`): a
void written in the database by hand leaves the unit signed off, with the void shown as a change to
its record. Voids made by unlocks before voids were signed (assessments 0009) carry no signature;
each whose unlock is in the audit trail (the same enrolment, by the same person, naming the same
moment) is signed here, as the unlock service signs, so it stays an unlock. An unsigned void with no
unlock behind it is left as it is: it was never an unlock."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

UNIT_UNLOCKED = "assessments.unit.unlocked"


def _sign(payload: dict) -> str:
    # As assessments.integrity signs (canonical JSON, HMAC-SHA-256), written out here so that this
    # migration signs the same way whatever that module becomes.
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def sign_audited_voids(apps, schema_editor):
    SignOff = apps.get_model("assessments", "SignOff")
    AuditEvent = apps.get_model("portfolio", "AuditEvent")
    for sign_off in SignOff.objects.filter(voided_at__isnull=False, void_signature="").iterator():
        voided_at = sign_off.voided_at.astimezone(datetime.UTC).isoformat()
        audited = AuditEvent.objects.filter(
            action=UNIT_UNLOCKED, enrolment_id=sign_off.enrolment_id, actor_id=sign_off.voided_by_id,
            after__voided_at=voided_at,
        ).exists()
        if audited:
            sign_off.void_signature = _sign({
                "sign_off": sign_off.pk, "voided_at": voided_at,
                "voided_by": sign_off.voided_by_id, "reason": sign_off.void_reason,
            })
            sign_off.save(update_fields=["void_signature"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0023_signed_quality_reviews"),
        ("portfolio", "0050_enrolment_centre_status_id"),
    ]

    operations = [
        migrations.RunPython(sign_audited_voids, migrations.RunPython.noop),
    ]
