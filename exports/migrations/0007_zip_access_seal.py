"""Each bulk export and visit pack sealed as it stands (`signing.row_seal` over its centre, who asked
for it, its file and the file's SHA-256, and its units' enrolment ids as a set: `exports.zip_sealing`),
which is as the portfolio made it: nothing checked them before. Null with no default, as the other
seals (portfolio 0055 to 0058); `seal_broken_at` marks one found changed since. The signing is
written out here, as it stood."""

import hashlib
import hmac
import json
from collections import defaultdict

from django.conf import settings
from django.db import migrations, models

SEALED = ("centre_id", "requested_by_id", "file", "sha256")


def _seal(kind: str, row: dict, enrolments: list) -> str:
    columns = {column: "" if row[column] is None else row[column] for column in SEALED}  # a file not yet set: ""
    columns["enrolments"] = sorted(enrolments)
    payload = {"row": kind, "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_row(apps, schema_editor):
    using = schema_editor.connection.alias
    for name in ("BulkExport", "VisitPack"):
        model = apps.get_model("exports", name)
        source = f"{name.lower()}_id"
        enrolments = defaultdict(list)
        for row_id, enrolment_id in model.enrolments.through.objects.using(using).values_list(source, "enrolment_id"):
            enrolments[row_id].append(enrolment_id)
        kind = f"exports.{name.lower()}"
        rows = model.objects.using(using).values("id", *SEALED).order_by("id")
        batch = [model(pk=row["id"], access_seal=_seal(kind, row, enrolments[row["id"]])) for row in rows]
        model.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("exports", "0006_signed_centre_seals")]

    operations = [
        migrations.AddField(
            model_name="bulkexport", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="bulkexport", name="seal_broken_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="visitpack", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="visitpack", name="seal_broken_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(seal_every_row, migrations.RunPython.noop),
    ]
