"""A membership (a person's role at a centre) found not as the portfolio gave it: a row put in, or a
role changed, in the database (an outside trial made a candidate a centre administrator in SQL, and
they read every portfolio of the centre). Every query of who holds a role reads this table in SQL,
which cannot verify an HMAC, so a row found wrong is put right at once, before the request goes on:
its role put back where the seal says which it was, else the row taken out. What it held is kept on
the centre's audit trail, and the centre's administrators are told (never the person it names: they
may be who made it). Checked for the person on every request (`sealed_access`), and for everyone by
`manage.py check_fixity` and a restore."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from . import audit
from .models import Centre, Membership, Person, Role
from .notifications import NotificationKind, notify
from .row_sealing import row_holds, seal_of

KIND = Membership._meta.label_lower


def settle(memberships: QuerySet[Membership]) -> list[str]:
    """Every row of `memberships` checked (one query, an HMAC each); those not as the portfolio gave
    them put right. What was done, in words (nothing, when every row holds)."""
    rows = memberships.values("pk", *Membership.SEALED, "access_seal")
    return [put_right(row) for row in rows if not row_holds(KIND, row["pk"], Membership.SEALED, row)]


def put_right(row: dict[str, Any]) -> str:
    """Puts the row back as its seal says it was (one column changed), or takes it out; the words."""
    person, centre = Person.objects.get(pk=row["person_id"]), Centre.objects.get(pk=row["centre_id"])
    sealed = _as_sealed(row)
    if sealed is not None:  # put back, unless another row already holds what it was (the unique constraint)
        back = {key: row[key] for key in ("person_id", "centre_id", "role")} | dict([sealed])
        back.pop("may_import_units", None)
        if Membership.objects.filter(**back).exclude(pk=row["pk"]).exists():
            sealed = None
    if sealed is not None:
        column, value = sealed
        Membership.objects.filter(pk=row["pk"]).update(**{column: value})
        words = _put_back_words(row, person, centre, column, value)
        centre = Centre.objects.get(pk=value) if column == "centre_id" else centre
    else:
        Membership.objects.filter(pk=row["pk"]).delete()
        words = (f"{person} was made {_role(row['role'])} at {centre.name} in the database, not by the portfolio: that "
                 "role is taken away." if not row["access_seal"] else
                 f"A role at {centre.name} naming {person} as {_role(row['role'])} is not as the portfolio gave it, and "
                 f"what it was cannot be told: it is taken away. If {person} held another role here, give it again "
                 "on their page.")
    audit.record(
        audit.PortfolioAction.MEMBERSHIP_PUT_RIGHT, actor=None, centre=centre, summary=words[:300],
        before={"membership": row["pk"], "person": person.pk, "role": row["role"]},
        after={"column": sealed[0] if sealed else None, "said": words},
    )
    administrators = Person.objects.filter(memberships__centre=centre, memberships__role=Role.ADMINISTRATOR)
    notify(
        list(administrators.exclude(pk=person.pk).distinct()), f"{words} Find out with whoever runs the installation who changed it.",
        subject=f"A role at {centre.name} was changed outside the portfolio", centre=centre.pk,
        kind=NotificationKind.INTEGRITY_FAILURE, link=reverse("ops:audit_trail", args=[centre.pk]),
    )
    return words


def _as_sealed(row: dict[str, Any]) -> tuple[str, Any] | None:
    """The one column whose sealed value differs from the row's, and that value, found by trying
    everything it could have held (an HMAC each: the installation's people, at most a second or so
    even at a very large one, and only for a row found wrong). None if no single column explains it."""
    if not row["access_seal"]:
        return None
    tries: list[tuple[str, Any]] = [("role", role) for role in Role.values]
    tries += [("may_import_units", not row["may_import_units"])]
    tries += [("centre_id", pk) for pk in Centre.objects.values_list("pk", flat=True)]
    tries += [("person_id", pk) for pk in Person.objects.values_list("pk", flat=True).iterator(chunk_size=5000)]
    for column, value in tries:
        if value != row[column] and seal_of(KIND, row["pk"], Membership.SEALED, {**row, column: value}) == row["access_seal"]:
            return column, value
    return None


def _role(role: str) -> str:
    return Role(role).label.lower() if role in Role.values else role


def _put_back_words(row: dict[str, Any], person: Person, centre: Centre, column: str, value: Any) -> str:
    role = _role(row["role"])
    if column == "role":
        return (f"{person}’s role at {centre.name} was changed in the database from {_role(value)} to {role}: it is "
                f"{_role(value)} again.")
    if column == "person_id":
        owner = Person.objects.get(pk=value)
        return f"{owner}’s role as {role} at {centre.name} was moved in the database to {person}: it is {owner}’s again."
    if column == "centre_id":
        home = Centre.objects.get(pk=value)
        return f"{person}’s role as {role} at {home.name} was moved in the database to {centre.name}: it is back at {home.name}."
    done = "given" if row["may_import_units"] else "taken away"
    return f"{person}’s right to import units into the catalogue was {done} in the database, not by the portfolio: put back."
