"""Each external quality assurer's grant sealed as it stands (`signing.row_seal` over whose it is,
where, its dates, end and terms, and its units by code and version and qualifications by code:
`grant_sealing`), which is as the centre gave it: nothing checked them before. Null with no default,
as the other seals (0055 to 0057). The signing is written out here, as it stood."""

import datetime
import hashlib
import hmac
import json
from collections import defaultdict

from django.conf import settings
from django.db import migrations, models

SEALED = ("centre_id", "person_id", "start_date", "end_date", "ended_at", "terms_accepted_at")


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _seal(row: dict, units: list, qualifications: list) -> str:
    columns = {column: _plain(row[column]) for column in SEALED}
    columns |= {"units": sorted(units), "qualifications": sorted(qualifications)}
    payload = {"row": "portfolio.eqagrant", "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_grant(apps, schema_editor):
    EqaGrant = apps.get_model("portfolio", "EqaGrant")
    using = schema_editor.connection.alias
    units, qualifications = defaultdict(list), defaultdict(list)
    for grant_id, code, version in EqaGrant.units.through.objects.using(using).values_list(
        "eqagrant_id", "unit__code", "unit__version"
    ):
        units[grant_id].append([code, version])
    for grant_id, code in EqaGrant.qualifications.through.objects.using(using).values_list("eqagrant_id", "qualification__code"):
        qualifications[grant_id].append(code)
    rows = EqaGrant.objects.using(using).values("id", *SEALED).order_by("id")
    batch = [EqaGrant(pk=row["id"], access_seal=_seal(row, units[row["id"]], qualifications[row["id"]])) for row in rows]
    EqaGrant.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0057_person_access_seal")]

    operations = [
        migrations.AddField(
            model_name="eqagrant", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="eqagrant", name="seal_broken_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(seal_every_grant, migrations.RunPython.noop),
    ]
