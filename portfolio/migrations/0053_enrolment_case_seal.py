"""Each enrolment's case sealed (`signing.case_seal`): the people on every enrolment there is, as
they stand, which is as the portfolio put them (nothing checked them before). The signing is
written out here, as it stood, so that the migration does not change with the code."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _case_seal(row: dict) -> str:
    payload = {
        "enrolment": row["id"], "centre": row["centre_id"], "candidate": row["candidate_id"],
        "unit": [row["unit__code"], row["unit__version"]], "assessor": row["assessor_id"], "iqa": row["iqa_id"],
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_case(apps, schema_editor):
    Enrolment = apps.get_model("portfolio", "Enrolment")
    using = schema_editor.connection.alias
    rows = Enrolment.objects.using(using).values(
        "id", "centre_id", "candidate_id", "unit__code", "unit__version", "assessor_id", "iqa_id"
    ).order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=2000):
        batch.append(Enrolment(pk=row["id"], case_seal=_case_seal(row)))
        if len(batch) == 2000:
            Enrolment.objects.using(using).bulk_update(batch, ["case_seal"])
            batch = []
    Enrolment.objects.using(using).bulk_update(batch, ["case_seal"])


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0052_audit_events_chained")]

    operations = [
        migrations.AddField(
            model_name="enrolment", name="case_seal",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="enrolment", name="case_seal_broken_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(seal_every_case, migrations.RunPython.noop),
    ]
