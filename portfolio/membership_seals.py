"""A membership (a person's role at a centre) found not as the portfolio gave it: a row put in, or a
role changed, in the database (an outside trial made a candidate a centre administrator in SQL, and
they read every portfolio of the centre). Every query of who holds a role reads this table in SQL,
which cannot verify an HMAC, so a row found wrong is put right at once, before the request goes on:
its role put back where the seal says which it was, else the row taken out. What it held is kept on
the centre's audit trail, and the centre's administrators are told (never the person it names: they
may be who made it). Checked for the person on every request (`case_middleware`), and for everyone by
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
    person, centre = Person.objects.get(pk=row["person_id"]), Centre.objects.get(pk=row["centre_id"])
    given = next((role for role in Role.values if role != row["role"] and row["access_seal"]
                  and seal_of(KIND, row["pk"], Membership.SEALED, {**row, "role": role}) == row["access_seal"]), None)
    held = Role(row["role"]).label.lower() if row["role"] in Role.values else row["role"]
    if given is not None and not Membership.objects.filter(person=person, centre=centre, role=given).exists():
        Membership.objects.filter(pk=row["pk"]).update(role=given)
        words = (f"{person}’s role at {centre.name} was changed in the database from {Role(given).label.lower()} to "
                 f"{held}: it is {Role(given).label.lower()} again.")
    else:
        Membership.objects.filter(pk=row["pk"]).delete()
        words = f"{person} was made {held} at {centre.name} in the database, not by the portfolio: that role is taken away."
    audit.record(
        audit.PortfolioAction.MEMBERSHIP_PUT_RIGHT, actor=None, centre=centre, summary=words[:300],
        before={"membership": row["pk"], "person": person.pk, "role": row["role"]}, after={"role": given, "said": words},
    )
    administrators = Person.objects.filter(memberships__centre=centre, memberships__role=Role.ADMINISTRATOR).exclude(pk=person.pk)
    notify(
        list(administrators.distinct()), f"{words} Find out with whoever runs the installation who changed it.",
        subject=f"A role at {centre.name} was changed outside the portfolio", centre=centre.pk,
        kind=NotificationKind.INTEGRITY_FAILURE, link=reverse("ops:audit_trail", args=[centre.pk]),
    )
    return words
