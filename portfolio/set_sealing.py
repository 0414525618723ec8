"""A row sealed with the sets it holds (its many-to-many rows) as the portfolio saves them: an EQA's
grant with its units and qualifications (`grant_sealing`), a candidate's qualification registration
with its units (`registration_seals`). Sets are sealed by what a restore keeps (a unit's code and
version, a qualification's code), not by ids, which a restore may change.

A save, or a change of a set through the portfolio (`units.set`, `.add`: an m2m_changed signal),
re-seals only a row that held before: a product save never makes a hand edit good."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.db import models
from django.db.models.signals import m2m_changed
from django.utils.crypto import constant_time_compare

from .row_sealing import plain
from .signing import row_seal

# What a row holds in its sets, as `scopes_of` reads it: each set's name, and its members (a member a
# list of values, or one value where the set reads one: a qualification's code).
Scope = dict[str, list[Any]]


@dataclass(frozen=True)
class SetSealing:
    kind: str
    columns: tuple[str, ...]  # as `values()` names them: "centre_id", or "qualification__code" across a key
    sets: tuple[tuple[str, tuple[str, ...]], ...]  # each many-to-many field, and what of its members is sealed

    def _fields(self) -> set[str]:
        return {name for column in self.columns for name in (column.split("__")[0], column.split("__")[0].removesuffix("_id"))}

    def seal_of(self, row_id: int, row: Mapping[str, Any], scope: Scope) -> str:
        columns = {column.replace("__", "_"): plain(row[column]) for column in self.columns}
        return row_seal(self.kind, row_id, columns | {name: sorted(scope.get(name, [])) for name, _ in self.sets})

    def row_holds(self, row_id: int, row: Mapping[str, Any], scope: Scope) -> bool:
        seal = row["access_seal"]
        return bool(seal) and constant_time_compare(seal, self.seal_of(row_id, row, scope))

    def scopes_of(self, model: type[models.Model], ids: Iterable[int], using: str | None = "default") -> dict[int, Scope]:
        """What each row holds in its sets (a query a set, whatever the number of rows)."""
        ids, using = list(ids), using or "default"
        scopes: dict[int, Scope] = defaultdict(dict)
        for name, paths in self.sets:
            field = model._meta.get_field(name)
            through = field.remote_field.through  # type: ignore[union-attr]
            owner = field.m2m_field_name()  # type: ignore[union-attr]
            members = field.m2m_reverse_field_name()  # type: ignore[union-attr]
            rows = through.objects.using(using).filter(**{f"{owner}__in": ids})
            for owner_id, *values in rows.values_list(f"{owner}_id", *(f"{members}__{p}" for p in paths)):
                scopes[owner_id].setdefault(name, []).append(values if len(values) > 1 else values[0])
        return scopes

    def _stored(self, row: models.Model) -> dict[str, Any] | None:
        return type(row)._default_manager.using(row._state.db).filter(pk=row.pk).values(*self.columns, "access_seal").first()

    def _columns_of(self, row: models.Model) -> dict[str, Any]:
        found = {}
        for column in self.columns:
            value: Any = row
            for part in column.split("__"):
                value = getattr(value, part)
            found[column] = value
        return found

    def held(self, row: models.Model) -> bool:
        stored = self._stored(row)
        return stored is not None and self.row_holds(row.pk, stored, self.scopes_of(type(row), [row.pk], row._state.db)[row.pk])

    def sealed_on_save(self, row: models.Model, adding: bool, update_fields: Iterable[str] | None) -> list[str] | None:
        """Sets the seal a save writes (a new row's after it has its id: `seal_new`), and returns the
        fields an update saves. A save that changes nothing sealed reads nothing."""
        if adding:
            return None if update_fields is None else list(update_fields)
        if update_fields is not None:
            update_fields = list(update_fields)
            if not self._fields() & set(update_fields):
                return update_fields
        stored = self._stored(row)
        if stored is None:
            return update_fields
        scope = self.scopes_of(type(row), [row.pk], row._state.db)[row.pk]
        held = self.row_holds(row.pk, stored, scope)
        row.access_seal = self.seal_of(row.pk, self._columns_of(row), scope) if held else stored["access_seal"]  # type: ignore[attr-defined]
        return None if update_fields is None else [*update_fields, "access_seal"]

    def seal_new(self, row: models.Model) -> None:
        """A row just made, or whose sets the portfolio changed, sealed as it stands."""
        scope = self.scopes_of(type(row), [row.pk], row._state.db)[row.pk]
        row.access_seal = self.seal_of(row.pk, self._columns_of(row), scope)  # type: ignore[attr-defined]
        type(row)._default_manager.using(row._state.db).filter(pk=row.pk).update(access_seal=row.access_seal)  # type: ignore[attr-defined]

    def sealed_in_bulk(self, rows: Iterable[models.Model], using: str = "default") -> None:
        """Rows written past `save` (an older backup restored) sealed as they stand."""
        rows = list(rows)
        if not rows:
            return
        model = type(rows[0])
        scopes = self.scopes_of(model, [row.pk for row in rows], using)
        for row in rows:
            row.access_seal = self.seal_of(row.pk, self._columns_of(row), scopes[row.pk])  # type: ignore[attr-defined]
        model._default_manager.using(using).bulk_update(rows, ["access_seal"], batch_size=1000)

    def connect(self, model: type[models.Model]) -> None:
        """Re-seals a row whose sets the portfolio changes, if it held before the change."""

        def changing(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
            if reverse or not isinstance(instance, model):
                return
            if action.startswith("pre_"):
                instance._held_before_set_change = self.held(instance)  # type: ignore[attr-defined]  # for the post_ signal
            elif action.startswith("post_") and getattr(instance, "_held_before_set_change", False):
                self.seal_new(instance)

        for name, _ in self.sets:
            through = model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
            m2m_changed.connect(changing, sender=through, weak=False, dispatch_uid=f"set_sealing.{through.__name__}")


class Sealing(Protocol):
    """What seals a row on saving: a `SetSealing`, or a module with these two (`exports.zip_sealing`)."""

    def sealed_on_save(self, row: Any, adding: bool, update_fields: Iterable[str] | None) -> list[str] | None: ...

    def seal_new(self, row: Any) -> None: ...


class SealedOnSave(models.Model):
    """A model whose `SEALING` seals it on every save: a new row once it has its id, an update only if
    the row held before (the grant, the registration, a bulk export or visit pack)."""

    SEALING: ClassVar[Sealing]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        kwargs["update_fields"] = self.SEALING.sealed_on_save(self, adding, kwargs.get("update_fields"))
        if kwargs["update_fields"] is None:
            del kwargs["update_fields"]
        super().save(*args, **kwargs)
        if adding:
            self.SEALING.seal_new(self)
