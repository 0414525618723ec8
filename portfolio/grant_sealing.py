"""An external quality assurer's grant sealed as the portfolio saves it: whose it is, at which centre,
its dates, whether it was ended and its terms accepted, and what it covers (its units and
qualifications, as a set). Those decide which of a centre's records the grant opens, so the seal is
what says the centre, not a hand in the database, gave them (an outside trial put a grant in by SQL
and read a centre's portfolios). `grant_seals` checks it where the grant would let someone in.

Units are sealed by code and version and qualifications by code, which a restore keeps (it loads the
standards by their references, which may take other ids). A save, or a change of what the grant
covers, re-seals only a grant that held before: a product save never makes a hand edit good."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

from .row_sealing import plain
from .signing import row_seal

if TYPE_CHECKING:
    from .eqa_models import EqaGrant

KIND = "portfolio.eqagrant"
SEALED = ("centre_id", "person_id", "start_date", "end_date", "ended_at", "terms_accepted_at")
_FIELDS = {name for column in SEALED for name in (column, column.removesuffix("_id"))}

# What a grant covers, as `scopes_of` reads it: (the units, each [code, version]; the qualifications' codes).
Scope = tuple[list[list[str]], list[str]]


def seal_of(grant_id: int, row: Mapping[str, Any], scope: Scope) -> str:
    """The seal over a grant's `SEALED` columns (`row`, as `values()` reads them) and its scope."""
    columns = {column: plain(row[column]) for column in SEALED}
    units, qualifications = scope
    return row_seal(KIND, grant_id, {**columns, "units": sorted(units), "qualifications": sorted(qualifications)})


def row_holds(grant_id: int, row: Mapping[str, Any], scope: Scope) -> bool:
    seal = row["access_seal"]
    return bool(seal) and constant_time_compare(seal, seal_of(grant_id, row, scope))


def scopes_of(grant_ids: Iterable[int], using: str | None = "default") -> dict[int, Scope]:
    """What each grant covers (two queries, whatever the number of grants)."""
    from .eqa_models import EqaGrant

    ids, using = list(grant_ids), using or "default"
    scopes: dict[int, Scope] = defaultdict(lambda: ([], []))
    if not ids:
        return scopes
    units = EqaGrant.units.through.objects.using(using).filter(eqagrant_id__in=ids)
    for grant_id, code, version in units.values_list("eqagrant_id", "unit__code", "unit__version"):
        scopes[grant_id][0].append([code, version])
    qualifications = EqaGrant.qualifications.through.objects.using(using).filter(eqagrant_id__in=ids)
    for grant_id, code in qualifications.values_list("eqagrant_id", "qualification__code"):
        scopes[grant_id][1].append(code)
    return scopes


def _stored(grant: "EqaGrant") -> dict[str, Any] | None:
    return type(grant)._default_manager.using(grant._state.db).filter(pk=grant.pk).values(*SEALED, "access_seal").first()


def _columns_of(grant: "EqaGrant") -> dict[str, Any]:
    return {column: getattr(grant, column) for column in SEALED}


def held(grant: "EqaGrant") -> bool:
    """Does the grant as stored (not as in memory) hold?"""
    stored = _stored(grant)
    return stored is not None and row_holds(grant.pk, stored, scopes_of([grant.pk], grant._state.db)[grant.pk])


def sealed_on_save(grant: "EqaGrant", adding: bool, update_fields: Iterable[str] | None) -> list[str] | None:
    """Sets the seal a save writes (a new grant's after it has its id: `seal_new`), and returns the
    fields an update saves. A save that changes nothing sealed reads nothing."""
    if adding:
        return None if update_fields is None else list(update_fields)
    if update_fields is not None:
        update_fields = list(update_fields)
        if not _FIELDS & set(update_fields):
            return update_fields
    stored = _stored(grant)
    if stored is None:
        return update_fields
    scope = scopes_of([grant.pk], grant._state.db)[grant.pk]
    grant.access_seal = seal_of(grant.pk, _columns_of(grant), scope) if row_holds(grant.pk, stored, scope) else stored["access_seal"]
    return None if update_fields is None else [*update_fields, "access_seal"]


def seal_new(grant: "EqaGrant") -> None:
    """A grant just made, sealed with what it covers so far (nothing, until its units are set)."""
    scope = scopes_of([grant.pk], grant._state.db)[grant.pk]
    grant.access_seal = seal_of(grant.pk, _columns_of(grant), scope)
    type(grant)._default_manager.using(grant._state.db).filter(pk=grant.pk).update(access_seal=grant.access_seal)


def sealed_in_bulk(grants: Iterable["EqaGrant"], using: str = "default") -> None:
    """Grants written past `save` (an older backup restored) sealed as they stand."""
    from .eqa_models import EqaGrant

    grants = list(grants)
    scopes = scopes_of([grant.pk for grant in grants], using)
    for grant in grants:
        grant.access_seal = seal_of(grant.pk, _columns_of(grant), scopes[grant.pk])
    EqaGrant.objects.using(using).bulk_update(grants, ["access_seal"], batch_size=1000)


def _scope_changing(sender: Any, instance: Any, action: str, reverse: bool, using: str, **kwargs: Any) -> None:
    """What a grant covers changed through the portfolio (`units.set`, `qualifications.add`): re-sealed
    if it held before the change, as a save is."""
    from .eqa_models import EqaGrant

    if reverse or not isinstance(instance, EqaGrant):
        return
    if action.startswith("pre_"):
        instance._held_before_scope_change = held(instance)  # type: ignore[attr-defined]  # for the post_ signal
    elif action.startswith("post_") and getattr(instance, "_held_before_scope_change", False):
        seal_new(instance)


def connect() -> None:
    from .eqa_models import EqaGrant

    for through in (EqaGrant.units.through, EqaGrant.qualifications.through):
        receiver(m2m_changed, sender=through, dispatch_uid=f"grant_sealing.{through.__name__}")(_scope_changing)
