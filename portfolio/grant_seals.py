"""An external quality assurer's grant found not as the centre gave it: put in, or its person, centre,
dates, end, terms or scope changed, in the database (an outside trial put a grant in by SQL and read
a centre's portfolios under it).

Every query of what an EQA may read follows the grant's columns in SQL, which cannot verify an HMAC,
so a grant found wrong is marked (`EqaGrant.seal_broken_at`) and opens nothing (`access.eqa_grants_current`)
until it is put back as the portfolio sealed it, when the next check opens it again. Nothing is
deleted: the centre's list of EQA access shows it as changed, and its administrators are told (never
the person it names: they may be who made it). Checked for the person on every request
(`sealed_access`), and for every grant by `manage.py check_fixity` and a restore."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from . import audit
from .eqa_models import EqaGrant
from .grant_sealing import SEALED, row_holds, scopes_of
from .models import Centre, Person, Role
from .notifications import NotificationKind, notify


def vouched_rows(grants: QuerySet[EqaGrant]) -> bool | None:
    """True when every grant holds (one query, and two more only when there is a grant): each that
    does not is marked and its centre told; each marked that holds again is opened again. None when
    there is no grant."""
    rows = list(grants.values("pk", *SEALED, "access_seal", "seal_broken_at"))
    if not rows:
        return None
    scopes = scopes_of(row["pk"] for row in rows)
    found = [(row["pk"], row_holds(row["pk"], row, scopes[row["pk"]]), row["seal_broken_at"] is not None) for row in rows]
    for grant_id, held, marked in found:
        if not held and not marked:
            mark(grant_id)
        elif held and marked:
            reopen(grant_id)
    return all(held for _, held, _ in found)


def check_every_grant() -> list[EqaGrant]:
    """Every grant verified, as `vouched_rows` does; returns those not as the centre gave them."""
    vouched_rows(EqaGrant.objects.order_by("pk"))
    return list(EqaGrant.objects.filter(seal_broken_at__isnull=False).select_related("centre", "person").order_by("pk"))


def said(grant: EqaGrant) -> str:
    """The grant's finding, in words, for the centre's list and the fixity check."""
    who = f"{grant.person} ({grant.person.email})" if grant.person is not None else "nobody yet"
    if not grant.access_seal:
        return (f"External quality assurance access for {who} at {grant.centre.name} was put in the database, not given "
                "by the centre: it opens nothing.")
    return (f"The external quality assurance access of {who} at {grant.centre.name} was changed in the database (whose "
            "it is, its dates, its end, its terms or what it covers): it opens nothing until it is put back as the "
            "centre gave it, or the centre ends it and invites again.")


def mark(grant_id: int) -> bool:
    """Marks the grant changed, so that it opens nothing, and tells its centre's administrators once.
    True if this marked it."""
    if not EqaGrant.objects.filter(pk=grant_id, seal_broken_at__isnull=True).update(seal_broken_at=timezone.now()):
        return False
    grant = EqaGrant.objects.select_related("centre", "person").get(pk=grant_id)
    words = said(grant)
    audit.record(
        audit.PortfolioAction.EQA_ACCESS_CHANGED, actor=None, centre=grant.centre, summary=words[:300],
        after={"grant": grant.pk, "person": grant.person_id, "said": words},
    )
    _tell(grant.centre, f"{words} Find out with whoever runs the installation who changed it.",
          subject=f"External quality assurance access at {grant.centre.name} changed outside the portfolio",
          but_not=grant.person_id)
    return True


def reopen(grant_id: int) -> bool:
    """A grant marked changed found as the centre gave it again: it opens what it covers again,
    recorded and told. True if this opened it."""
    if not EqaGrant.objects.filter(pk=grant_id, seal_broken_at__isnull=False).update(seal_broken_at=None):
        return False
    grant = EqaGrant.objects.select_related("centre", "person").get(pk=grant_id)
    who = f"{grant.person}" if grant.person is not None else "an invited external quality assurer"
    words = f"The external quality assurance access of {who} is as the centre gave it again: it opens what it covers again."
    audit.record(
        audit.PortfolioAction.EQA_ACCESS_CHANGED, actor=None, centre=grant.centre, summary=words[:300],
        after={"grant": grant.pk, "person": grant.person_id, "said": words},
    )
    _tell(grant.centre, words, subject=f"External quality assurance access at {grant.centre.name}: put back", but_not=None)
    return True


def _tell(centre: Centre, message: str, *, subject: str, but_not: int | None) -> None:
    administrators = Person.objects.filter(memberships__centre=centre, memberships__role=Role.ADMINISTRATOR)
    if but_not is not None:
        administrators = administrators.exclude(pk=but_not)
    notify(
        list(administrators.distinct()), message, subject=subject, centre=centre.pk,
        kind=NotificationKind.INTEGRITY_FAILURE, link=reverse("portfolio:eqa_access_list", args=[centre.pk]),
    )
