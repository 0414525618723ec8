"""A bulk export's or visit pack's row sealed as the portfolio saves it: its centre, who asked for
it, the stored file it serves and that file's SHA-256 (once the builder sets them), and the units it
was asked for, as a set. Those decide what its download serves and to whom (an outside trial pointed
an export's `file` at another centre's ZIP in SQL, and widened a pack's units between the request and
the build, and the requester downloaded what was not theirs). `zip_seals` checks it where the file
is built, shown and served.

Sealed when the row is made and again when its units are set (`m2m_changed`) and when the builder
stores its file (`zip_builds.spool_and_store`, through `sealed_with`): each re-seals only a row that
held before, so a product write never makes a hand edit good. Units are sealed by enrolment id, which
a restore keeps."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

from portfolio.signing import row_seal

if TYPE_CHECKING:
    from .models import BackgroundZip, BulkExport, VisitPack

SEALED = ("centre_id", "requested_by_id", "file", "sha256")
_FIELDS = {name for column in SEALED for name in (column, column.removesuffix("_id"))}


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    return "" if value is None else value


def seal_of(kind: str, row_id: int, row: Mapping[str, Any], enrolments: Iterable[int]) -> str:
    """The seal over a row's `SEALED` columns (`row`, as `values()` or the instance reads them) and
    its units' enrolment ids."""
    columns = {column: _plain(row[column]) for column in SEALED}
    return row_seal(kind, row_id, {**columns, "enrolments": sorted(enrolments)})


def row_holds(kind: str, row_id: int, row: Mapping[str, Any], enrolments: Iterable[int]) -> bool:
    seal = row["access_seal"]
    return bool(seal) and constant_time_compare(seal, seal_of(kind, row_id, row, enrolments))


def enrolments_of(model: type["BackgroundZip"], ids: Iterable[int], using: str | None = "default") -> dict[int, list[int]]:
    """The enrolment ids of each row's units (one query, whatever the number of rows)."""
    through = cast("type[BulkExport] | type[VisitPack]", model).enrolments.through
    found: dict[int, list[int]] = defaultdict(list)
    ids = list(ids)
    if not ids:
        return found
    source = f"{model._meta.model_name}_id"
    for row_id, enrolment_id in through.objects.using(using or "default").filter(**{f"{source}__in": ids}).values_list(
        source, "enrolment_id"
    ):
        found[row_id].append(enrolment_id)
    return found


def _kind(row: "BackgroundZip") -> str:
    return row._meta.label_lower


def _stored(row: "BackgroundZip") -> dict[str, Any] | None:
    return type(row)._default_manager.using(row._state.db).filter(pk=row.pk).values(*SEALED, "access_seal").first()


def _columns_of(row: "BackgroundZip") -> dict[str, Any]:
    return {column: getattr(row, column) for column in SEALED}


def held(row: "BackgroundZip") -> bool:
    """Does the row as stored (not as in memory) hold?"""
    stored = _stored(row)
    enrolments = enrolments_of(type(row), [row.pk], row._state.db)[row.pk]
    return stored is not None and row_holds(_kind(row), row.pk, stored, enrolments)


def sealed_with(row: "BackgroundZip", **changes: Any) -> str | None:
    """The seal a product write of `changes` to the row stores: over the row with them, if the row as
    stored holds; else the seal it has (which then still does not hold)."""
    stored = _stored(row)
    if stored is None:
        return None
    enrolments = enrolments_of(type(row), [row.pk], row._state.db)[row.pk]
    if not row_holds(_kind(row), row.pk, stored, enrolments):
        return stored["access_seal"]
    return seal_of(_kind(row), row.pk, {**stored, **changes}, enrolments)


def sealed_on_save(row: "BackgroundZip", adding: bool, update_fields: Iterable[str] | None) -> list[str] | None:
    """Sets the seal a save writes (a new row's after it has its id: `seal_new`), and returns the
    fields an update saves. A save that changes nothing sealed reads nothing."""
    if adding:
        return None if update_fields is None else list(update_fields)
    if update_fields is not None:
        update_fields = list(update_fields)
        if not _FIELDS & set(update_fields):
            return update_fields
    changes = {column: _plain(value) for column, value in _columns_of(row).items()}
    seal = sealed_with(row, **changes)
    if seal is None:  # not stored (deleted meanwhile): nothing to seal
        return update_fields
    row.access_seal = seal
    return None if update_fields is None else [*update_fields, "access_seal"]


def seal_new(row: "BackgroundZip") -> None:
    """A row just made, sealed with its units so far (none, until they are set)."""
    enrolments = enrolments_of(type(row), [row.pk], row._state.db)[row.pk]
    row.access_seal = seal_of(_kind(row), row.pk, _columns_of(row), enrolments)
    type(row)._default_manager.using(row._state.db).filter(pk=row.pk).update(access_seal=row.access_seal)


def sealed_in_bulk(rows: Iterable["BackgroundZip"], using: str = "default") -> None:
    """Rows written past `save` (an older backup restored) sealed as they stand."""
    rows = list(rows)
    if not rows:
        return
    model = type(rows[0])
    enrolments = enrolments_of(model, [row.pk for row in rows], using)
    for row in rows:
        row.access_seal = seal_of(_kind(row), row.pk, _columns_of(row), enrolments[row.pk])
    model._default_manager.using(using).bulk_update(rows, ["access_seal"], batch_size=1000)


def _units_changing(sender: Any, instance: Any, action: str, reverse: bool, using: str, **kwargs: Any) -> None:
    """The units of an export or pack set through the portfolio: re-sealed if it held before the
    change, as a save is."""
    from .models import BackgroundZip

    if reverse or not isinstance(instance, BackgroundZip):
        return
    if action.startswith("pre_"):
        instance._held_before_units_change = held(instance)  # type: ignore[attr-defined]  # for the post_ signal
    elif action.startswith("post_") and getattr(instance, "_held_before_units_change", False):
        seal_new(instance)


def connect() -> None:
    from .models import BulkExport, VisitPack

    for model in (BulkExport, VisitPack):
        through = model.enrolments.through
        receiver(m2m_changed, sender=through, dispatch_uid=f"zip_sealing.{through.__name__}")(_units_changing)
