"""Each membership (a person's role at a centre) sealed as it stands (`signing.row_seal`), which is as
the portfolio gave it: nothing checked memberships before. Null with no default, as the evidence's
seals (0056). The signing is written out here, as it stood, so that the migration does not change
with the code."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _seal(row: dict) -> str:
    columns = {
        "person_id": row["person_id"], "centre_id": row["centre_id"], "role": row["role"],
        "may_import_units": row["may_import_units"],
    }
    payload = {"row": "portfolio.membership", "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_membership(apps, schema_editor):
    Membership = apps.get_model("portfolio", "Membership")
    using = schema_editor.connection.alias
    rows = Membership.objects.using(using).values("id", "person_id", "centre_id", "role", "may_import_units").order_by("id")
    batch = [Membership(pk=row["id"], access_seal=_seal(row)) for row in rows]
    Membership.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0054_audit_event_seal_index")]

    operations = [
        migrations.AddField(
            model_name="membership", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(seal_every_membership, migrations.RunPython.noop),
    ]
