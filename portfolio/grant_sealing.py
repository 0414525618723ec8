"""An external quality assurer's grant sealed as the portfolio saves it: whose it is, at which centre,
its dates, whether it was ended and its terms accepted, and what it covers (its units and
qualifications, as sets: `set_sealing`). Those decide which of a centre's records the grant opens, so
the seal is what says the centre, not a hand in the database, gave them (an outside trial put a grant
in by SQL and read a centre's portfolios). `grant_seals` checks it where the grant would let someone in.

A save, or a change of what the grant covers, re-seals only a grant that held before: a product save
never makes a hand edit good."""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .set_sealing import Scope, SetSealing

if TYPE_CHECKING:
    from .eqa_models import EqaGrant

SEALED = ("centre_id", "person_id", "start_date", "end_date", "ended_at", "terms_accepted_at")
GRANT = SetSealing(
    kind="portfolio.eqagrant", columns=SEALED,
    sets=(("units", ("code", "version")), ("qualifications", ("code",))),
)


def seal_of(grant_id: int, row: Mapping[str, Any], scope: Scope) -> str:
    return GRANT.seal_of(grant_id, row, scope)


def row_holds(grant_id: int, row: Mapping[str, Any], scope: Scope) -> bool:
    return GRANT.row_holds(grant_id, row, scope)


def scopes_of(grant_ids: Iterable[int], using: str | None = "default") -> dict[int, Scope]:
    from .eqa_models import EqaGrant

    return GRANT.scopes_of(EqaGrant, grant_ids, using)


def sealed_on_save(grant: "EqaGrant", adding: bool, update_fields: Iterable[str] | None) -> list[str] | None:
    return GRANT.sealed_on_save(grant, adding, update_fields)


def seal_new(grant: "EqaGrant") -> None:
    GRANT.seal_new(grant)


def sealed_in_bulk(grants: Iterable["EqaGrant"], using: str = "default") -> None:
    GRANT.sealed_in_bulk(grants, using)


def connect() -> None:
    from .eqa_models import EqaGrant

    GRANT.connect(EqaGrant)
