"""Each witness's testimony link sealed as it stands (`signing.row_seal` over its enrolment, the
witness's address, the link's digest, who asked and its expiry: `TestimonyRequest.SEALED`), which
is as the portfolio made it: nothing checked them before. Null with no default, as the other seals
(portfolio 0055 to 0058); `seal_broken_at` marks one found changed since. The signing is written out
here, as it stood."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

SEALED = ("enrolment_id", "witness_email", "token_digest", "requested_by_id", "expires_at")


def _plain(value):
    return value.astimezone(datetime.UTC).isoformat() if isinstance(value, datetime.datetime) else value


def _seal(row: dict) -> str:
    columns = {column: _plain(row[column]) for column in SEALED}
    payload = {"row": "assessments.testimonyrequest", "id": row["id"], "columns": columns}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_request(apps, schema_editor):
    TestimonyRequest = apps.get_model("assessments", "TestimonyRequest")
    using = schema_editor.connection.alias
    rows = TestimonyRequest.objects.using(using).values("id", *SEALED).order_by("id")
    batch = [TestimonyRequest(pk=row["id"], access_seal=_seal(row)) for row in rows]
    TestimonyRequest.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0029_unlocks_signed_after")]

    operations = [
        migrations.AddField(
            model_name="testimonyrequest", name="access_seal",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="testimonyrequest", name="seal_broken_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(seal_every_request, migrations.RunPython.noop),
    ]
