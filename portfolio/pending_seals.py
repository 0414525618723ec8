"""Rows the portfolio acts on later, found not as it made them: an invitation (the link's digest needs
no key, so an outside trial put one in by SQL and became a centre's administrator; another changed a
waiting invitation's role), a unit or qualification prepared for an invited candidate (who it will
put on the case), and the roles kept for someone deactivated (changed in SQL, a reactivated assessor
came back an administrator). Each is sealed as made (`row_sealing`) and checked where the portfolio
acts on it: a link opened, an invitation accepted, a reactivation. One that does not hold is not acted
on (a link reads as unknown, a prepared unit is not opened); kept roles changed are put back where the
seal says which they were, or the reactivation refused. The centre's administrators are told once,
and the finding kept on its audit trail. `manage.py check_fixity` and a restore check every row."""

from itertools import combinations
from typing import Any

from django.urls import reverse

from . import audit
from .deactivation_models import DeactivatedMembership
from .invitation_models import Invitation, PreparedEnrolment, PreparedRegistration
from .models import AuditEvent, Centre, Person, Role
from .notifications import NotificationKind, notify
from .row_sealing import SealedColumns, row_holds, seal_of

PENDING = (Invitation, PreparedEnrolment, PreparedRegistration, DeactivatedMembership)


def holds(row: SealedColumns) -> bool:
    values = {column: getattr(row, column) for column in row.SEALED} | {"access_seal": row.access_seal}
    return row_holds(row._meta.label_lower, row.pk, row.SEALED, values)


def vouched(row: SealedColumns) -> bool:
    """True when the row is as the portfolio made it; otherwise its centre is told (once) and False."""
    if holds(row):
        return True
    tell(row)
    return False


def said(row: SealedColumns) -> str:
    """The finding, in words, naming nobody the row now names but the invited address."""
    if isinstance(row, Invitation):
        return (f"An invitation of {row.email} to {row.centre.name} was put in or changed in the database, not by the "
                "portfolio: its link opens nothing.")
    if isinstance(row, DeactivatedMembership):
        return (f"The roles kept for {row.person} at {row.centre.name}, to give back when they are reactivated, were "
                "changed in the database, not by the portfolio.")
    assert isinstance(row, PreparedEnrolment | PreparedRegistration)
    return (f"A registration prepared for {row.invitation.email} at {row.invitation.centre.name} (who is to assess "
            "or quality-assure it) was put in or changed in the database, not by the portfolio: it will not be opened.")


def _centre_of(row: SealedColumns) -> Centre:
    if isinstance(row, PreparedEnrolment | PreparedRegistration):
        return row.invitation.centre
    assert isinstance(row, Invitation | DeactivatedMembership)
    return row.centre


def tell(row: SealedColumns) -> bool:
    """Records the finding on the centre's audit trail and tells its administrators, once a row."""
    kind, centre = row._meta.label_lower, _centre_of(row)
    if AuditEvent.objects.filter(action=audit.PortfolioAction.PENDING_ROW_CHANGED, centre=centre,
                                       after__row=kind, after__id=row.pk).exists():
        return False
    words = said(row)
    audit.record(audit.PortfolioAction.PENDING_ROW_CHANGED, actor=None, centre=centre, summary=words[:300],
                 after={"row": kind, "id": row.pk, "said": words})
    administrators = Person.objects.filter(memberships__centre=centre, memberships__role=Role.ADMINISTRATOR).distinct()
    notify(list(administrators), f"{words} Find out with whoever runs the installation who changed it.",
           subject=f"Changed outside the portfolio at {centre.name}", centre=centre.pk,
           kind=NotificationKind.INTEGRITY_FAILURE, link=reverse("ops:audit_trail", args=[centre.pk]))
    return True


def roles_put_back(record: DeactivatedMembership) -> bool:
    """Kept roles changed by hand put back where the seal says which they were (trying every set of
    roles: a few hundred HMACs), told; False if no set explains the seal."""
    if holds(record):
        return True
    tell(record)
    kind, row = record._meta.label_lower, {c: getattr(record, c) for c in record.SEALED}
    for roles in (sorted(chosen) for n in range(1, len(Role.values) + 1) for chosen in combinations(Role.values, n)):
        for may_import in (False, True):
            tried: dict[str, Any] = row | {"roles": roles, "may_import_units": may_import}
            if record.access_seal and seal_of(kind, record.pk, record.SEALED, tried) == record.access_seal:
                DeactivatedMembership.objects.filter(pk=record.pk).update(roles=roles, may_import_units=may_import)
                record.roles, record.may_import_units = roles, may_import
                return True
    return False


def check_every_row() -> list[str]:
    """Every pending row checked (one query a kind, an HMAC a row); the findings in words."""
    found = []
    for model in PENDING:
        for row in model.objects.all().iterator(chunk_size=2000):
            if holds(row):
                continue
            if isinstance(row, DeactivatedMembership) and roles_put_back(row):
                found.append(f"{said(row)} Put back as they were: {', '.join(row.roles)}.")
            else:
                tell(row)
                found.append(said(row))
    return found
