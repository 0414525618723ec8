"""A qualification registration found not as the portfolio made it: put in, or its candidate, centre,
qualification or units changed, in the database (an outside trial put one in by SQL, and an external
quality assurer granted that qualification read the candidate's units).

A registration opens a candidate's units to an EQA granted its qualification (`access._in_eqa_scope`),
in SQL, which cannot verify an HMAC: so one found wrong is marked (`seal_broken_at`) and opens nothing
to an EQA until put back, when the next check opens it again. Checked for an EQA's request (the
registrations their grants would open), and for every registration by `manage.py check_fixity` and a
restore; the centre's administrators are told."""

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from . import audit
from .eqa_grants_open import eqa_grants_open_to
from .models import Person, QualificationRegistration, Role
from .notifications import NotificationKind, notify
from .qualification_models import REGISTRATION


def of_eqa(person: Person) -> QuerySet[QualificationRegistration]:
    """The registrations the person's open grants would open (by their qualifications)."""
    granted = eqa_grants_open_to(person).filter(centre=OuterRef("centre"), qualifications=OuterRef("qualification"))
    return QualificationRegistration.objects.filter(Exists(granted))


def vouched_rows(registrations: QuerySet[QualificationRegistration]) -> list[int]:
    """Every registration checked (two queries, an HMAC each): those not as made marked and told, those
    marked that hold again opened again. The ids of those not as made."""
    rows = list(registrations.values("pk", *REGISTRATION.columns, "access_seal", "seal_broken_at"))
    scopes = REGISTRATION.scopes_of(QualificationRegistration, [row["pk"] for row in rows])
    broken = []
    for row in rows:
        held = REGISTRATION.row_holds(row["pk"], row, scopes[row["pk"]])
        if not held:
            broken.append(row["pk"])
            if row["seal_broken_at"] is None:
                _marked(row["pk"], opened=False)
        elif row["seal_broken_at"] is not None:
            _marked(row["pk"], opened=True)
    return broken


def check_every_registration() -> list[str]:
    broken = vouched_rows(QualificationRegistration.objects.order_by("pk"))
    return [said(r) for r in QualificationRegistration.objects.filter(pk__in=broken).select_related("candidate", "centre", "qualification")]


def said(registration: QualificationRegistration) -> str:
    return (f"The registration of {registration.candidate} on {registration.qualification.code} at {registration.centre.name} "
            "was put in or changed in the database, not by the portfolio: it opens nothing to an external quality assurer "
            "until it is put back.")


def _marked(registration_id: int, *, opened: bool) -> None:
    updated = QualificationRegistration.objects.filter(pk=registration_id, seal_broken_at__isnull=not opened)
    if not updated.update(seal_broken_at=None if opened else timezone.now()):
        return
    registration = QualificationRegistration.objects.select_related("candidate", "centre", "qualification").get(pk=registration_id)
    words = (f"The registration of {registration.candidate} on {registration.qualification.code} is as the portfolio made "
             "it again." if opened else said(registration))
    audit.record(audit.PortfolioAction.PENDING_ROW_CHANGED, actor=None, centre=registration.centre, summary=words[:300],
                 after={"row": "portfolio.qualificationregistration", "id": registration_id, "said": words})
    administrators = Person.objects.filter(memberships__centre=registration.centre_id, memberships__role=Role.ADMINISTRATOR)
    notify(list(administrators.distinct()), words, subject="A registration changed outside the portfolio",
           centre=registration.centre_id, kind=NotificationKind.INTEGRITY_FAILURE,
           link=reverse("ops:audit_trail", args=[registration.centre_id]))
