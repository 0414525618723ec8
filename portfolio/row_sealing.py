"""Rows whose columns decide who may read them, sealed as the portfolio saves them: a membership (who
holds which role at which centre: `membership_seals`), an evidence item (its candidate and centre:
whose case it is on) and an evidence file (its item, and the stored file it serves: an outside trial
pointed a file of one's own at another's stored file, and a centre's export, and downloaded them);
an invitation (who it makes what, where, and its link: `pending_seals`), a unit prepared for an
invited candidate, the roles kept for someone deactivated, and a witness's testimony link (whose
portfolio it writes into: `assessments.testimony_seals`). Sealed when made; a
save re-seals only a row that held, so a product save never makes a hand edit good. Checked where a
person is let in to one (`row_seals`: the evidence page, a file's download) and by the fixity check.

The seal is null, with no default, so that SQLite adds the column without copying the table (which
would drop the triggers that keep each item's units: portfolio 0047); memberships' likewise."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.crypto import constant_time_compare

from .signing import row_seal, utc_iso


def plain(value: Any) -> Any:
    """A column's value as the seal reads it, the same from a model or from `values()`: a stored
    file by its name, a moment in UTC, a day as ISO text."""
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, datetime.datetime):
        return utc_iso(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def seal_of(kind: str, row_id: int, columns: Iterable[str], row: Mapping[str, Any]) -> str:
    return row_seal(kind, row_id, {column: plain(row[column]) for column in columns})


def row_holds(kind: str, row_id: int, columns: Iterable[str], row: Mapping[str, Any]) -> bool:
    seal = row["access_seal"]
    return bool(seal) and constant_time_compare(seal, seal_of(kind, row_id, columns, row))


def _columns_of(row: models.Model, columns: Iterable[str]) -> dict[str, Any]:
    return {column: getattr(row, column) for column in columns}


class SealedColumns(models.Model):
    """A model whose `SEALED` columns are sealed on saving (`access_seal`)."""

    access_seal = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - see above
    SEALED: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        kind, columns = self._meta.label_lower, self.SEALED
        if self._state.adding:
            super().save(*args, **kwargs)
            self.access_seal = seal_of(kind, self.pk, columns, _columns_of(self, columns))
            type(self)._default_manager.filter(pk=self.pk).update(access_seal=self.access_seal)
            return
        update_fields = kwargs.get("update_fields")
        names = {name for column in columns for name in (column, column.removesuffix("_id"))}
        if update_fields is None or names & set(update_fields):
            stored = type(self)._default_manager.filter(pk=self.pk).values(*columns, "access_seal").first()
            if stored is not None:
                held = row_holds(kind, self.pk, columns, stored)
                self.access_seal = seal_of(kind, self.pk, columns, _columns_of(self, columns)) if held else stored["access_seal"]
                if update_fields is not None:
                    kwargs["update_fields"] = [*update_fields, "access_seal"]
        super().save(*args, **kwargs)


def sealed_in_bulk(rows: Sequence[SealedColumns], using: str = "default") -> None:
    """Rows written past `save` (a generated centre's `bulk_create`, an older backup restored) sealed
    as `save` seals one, in one write per thousand."""
    if not rows:
        return
    model = type(rows[0])
    for row in rows:
        row.access_seal = seal_of(model._meta.label_lower, row.pk, model.SEALED, _columns_of(row, model.SEALED))
    model._default_manager.using(using).bulk_update(list(rows), ["access_seal"], batch_size=1000)
