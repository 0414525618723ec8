"""The rows the portfolio acts on later sealed as they stand (`signing.row_seal`, `row_sealing`), which is
as the portfolio made them: an invitation (who it makes what, where, its link), a unit or qualification
prepared for an invited candidate (who it puts on the case), the roles kept for someone deactivated;
and each evidence file sealed again with the stored file it serves as well as its item. Null with no
default, as the other seals (0055 to 0058). The signing is written out here, as it stood."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

SEALED = {
    "invitation": ("centre_id", "email", "role", "token_digest", "uln", "expires_at", "cancelled_at", "accepted_at"),
    "preparedenrolment": ("invitation_id", "unit_id", "assessor_id", "iqa_id"),
    "preparedregistration": ("invitation_id", "qualification_id", "assessor_id", "iqa_id"),
    "deactivatedmembership": ("person_id", "centre_id", "roles", "may_import_units"),
    "evidencefile": ("evidence_id", "file"),
}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _seal(model: str, row: dict) -> str:
    columns = {column: _plain(row[column]) for column in SEALED[model]}
    payload = {"row": f"portfolio.{model}", "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_row(apps, schema_editor):
    using = schema_editor.connection.alias
    for model, columns in SEALED.items():
        Model = apps.get_model("portfolio", model)
        rows = Model.objects.using(using).values("id", *columns).order_by("id")
        batch = [Model(pk=row["id"], access_seal=_seal(model, row)) for row in rows.iterator(chunk_size=2000)]
        Model.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=1000)


def _seal_field():
    return models.CharField(blank=True, editable=False, max_length=64, null=True)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0058_eqa_grant_access_seal")]

    operations = [
        migrations.AddField(model_name="deactivatedmembership", name="access_seal", field=_seal_field()),
        migrations.AddField(model_name="invitation", name="access_seal", field=_seal_field()),
        migrations.AddField(model_name="preparedenrolment", name="access_seal", field=_seal_field()),
        migrations.AddField(model_name="preparedregistration", name="access_seal", field=_seal_field()),
        migrations.RunPython(seal_every_row, migrations.RunPython.noop),
    ]
