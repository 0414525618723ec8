"""Each qualification registration sealed as it stands (`signing.row_seal` over its centre, candidate,
qualification by code and units by code and version: `qualification_models.REGISTRATION`), which is as
the portfolio made it: nothing checked them before. Null with no default, as the other seals. The
signing is written out here, as it stood."""

import hashlib
import hmac
import json
from collections import defaultdict

from django.conf import settings
from django.db import migrations, models


def _seal(row: dict, units: list) -> str:
    columns = {"centre_id": row["centre_id"], "candidate_id": row["candidate_id"],
               "qualification_code": row["qualification__code"], "units": sorted(units)}
    payload = {"row": "portfolio.qualificationregistration", "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_registration(apps, schema_editor):
    Registration = apps.get_model("portfolio", "QualificationRegistration")
    using = schema_editor.connection.alias
    units = defaultdict(list)
    for registration_id, code, version in Registration.units.through.objects.using(using).values_list(
        "qualificationregistration_id", "unit__code", "unit__version"
    ):
        units[registration_id].append([code, version])
    rows = Registration.objects.using(using).values("id", "centre_id", "candidate_id", "qualification__code")
    batch = [Registration(pk=row["id"], access_seal=_seal(row, units[row["id"]])) for row in rows.order_by("id")]
    Registration.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0060_person_sign_in_sealed")]

    operations = [
        migrations.AddField(
            model_name="qualificationregistration", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="qualificationregistration", name="seal_broken_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(seal_every_registration, migrations.RunPython.noop),
    ]
