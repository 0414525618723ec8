"""Each person's installation-wide rights (superuser, staff) sealed as they stand (`signing.row_seal`),
which is as the portfolio gave them (`createsuperuser`): nothing checked them before. Null with no
default, as the other seals (0055, 0056). The signing is written out here, as it stood."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def _seal(row: dict) -> str:
    columns = {"is_superuser": row["is_superuser"], "is_staff": row["is_staff"]}
    payload = {"row": "portfolio.person", "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_person(apps, schema_editor):
    Person = apps.get_model("portfolio", "Person")
    using = schema_editor.connection.alias
    rows = Person.objects.using(using).values("id", "is_superuser", "is_staff").order_by("id")
    batch = [Person(pk=row["id"], access_seal=_seal(row)) for row in rows]
    Person.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0056_evidence_access_seal")]

    operations = [
        migrations.AddField(
            model_name="person", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(seal_every_person, migrations.RunPython.noop),
    ]
