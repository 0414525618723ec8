"""Each person's seal covers how they sign in (their address and password's hash) as well as their
installation-wide rights (0057): an outside trial replaced an assessor's password hash, or his address
before a password reset, and signed in as him. Each seal that holds over the rights is made again
over both; one that does not (rights changed by hand since 0057) is left as it is, so that the
migration makes no hand edit good. The signing is written out here, as it stood."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

RIGHTS = ("is_superuser", "is_staff")
SEALED = ("is_superuser", "is_staff", "email", "password")


def _seal(row: dict, columns: tuple) -> str:
    payload = {"row": "portfolio.person", "id": row["id"], "columns": {column: row[column] for column in columns}}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.PORTFOLIO_SIGNING_KEY.encode(), canonical, hashlib.sha256).hexdigest()


def seal_every_sign_in(apps, schema_editor):
    Person = apps.get_model("portfolio", "Person")
    using = schema_editor.connection.alias
    rows = Person.objects.using(using).values("id", *SEALED, "access_seal").order_by("id")
    batch = [
        Person(pk=row["id"], access_seal=_seal(row, SEALED)) for row in rows.iterator(chunk_size=2000)
        if row["access_seal"] and hmac.compare_digest(row["access_seal"], _seal(row, RIGHTS))
    ]
    Person.objects.using(using).bulk_update(batch, ["access_seal"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0059_pending_rows_sealed")]

    operations = [migrations.RunPython(seal_every_sign_in, migrations.RunPython.noop)]
