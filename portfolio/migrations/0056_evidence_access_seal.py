"""Each evidence item's candidate and centre, and each file's item, sealed as they stand
(`signing.row_seal`), which is as the portfolio saved them: nothing checked them before. The columns
are null with no default, so SQLite adds them without copying the tables (and dropping the triggers
of 0047). The signing is written out here, as it stood, so that the migration does not change with the code."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _seal(kind: str, row_id: int, columns: dict) -> str:
    payload = {"row": kind, "id": row_id, "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_row(apps, schema_editor):
    using = schema_editor.connection.alias
    for name, columns in (("Evidence", ("candidate_id", "centre_id", "number")), ("EvidenceFile", ("evidence_id",))):
        model = apps.get_model("portfolio", name)
        kind = f"portfolio.{name.lower()}"
        batch = []
        for row in model.objects.using(using).values("id", *columns).order_by("id").iterator(chunk_size=2000):
            batch.append(model(pk=row["id"], access_seal=_seal(kind, row["id"], {c: row[c] for c in columns})))
            if len(batch) == 2000:
                model.objects.using(using).bulk_update(batch, ["access_seal"])
                batch = []
        model.objects.using(using).bulk_update(batch, ["access_seal"])


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0055_membership_seal")]

    operations = [
        migrations.AddField(
            model_name="evidence", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="evidencefile", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(seal_every_row, migrations.RunPython.noop),
    ]
