"""What needs doing at a centre, for its administrators' home: invitations not accepted (and the
registrations of candidates who accepted that wait for an assessor or IQA), units past
their target date and at risk (`caseload.Rag`), evidence waiting too long, claims ready and the EQA's
actions due. Counts only, read with a few queries a centre (the claims ready are
`claims.ready_to_claim`'s, the one rule of what may be claimed, which reads the centre's signed-off
units not yet claimed)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from portfolio.models import Centre, Enrolment, EnrolmentStatus, Invitation
from portfolio.services_prepared_held import held_at

from . import caseload
from .claims import ready_to_claim
from .eqa_models import EqaAction, EqaReview


@dataclass(frozen=True)
class CentreToDo:
    """What waits for a centre's administrators, each a count (the home links each to its page)."""

    invitations_pending: int
    invitations_expired: int
    overdue_units: int
    at_risk_units: int  # `caseload.Rag.AT_RISK`, as the progress report says it
    late_evidence: int  # waited more than LATE_WORKING_DAYS working days for its assessor
    claims_ready: int
    eqa_actions_due: int  # in reports sent, neither closed by the EQA nor answered since their word
    eqa_actions_past_due: int  # of those, past their due date
    # registrations kept when their candidate accepted, for want of an assessor or IQA (`services_prepared_held`)
    registrations_held: int = 0

    @property
    def invitations(self) -> int:
        return self.invitations_pending + self.invitations_expired


def _eqa_actions(centre: Centre, today: datetime.date) -> tuple[int, int]:
    """The actions of the EQA's reports sent to the centre that wait for the centre: not closed and
    not answered since the EQA's last word (`EqaAction.answered_since_review`, in SQL)."""
    answered = Q(answered_at__isnull=False) & (Q(reviewed_at__isnull=True) | Q(answered_at__gt=F("reviewed_at")))
    due = (
        EqaAction.objects.filter(report__centre=centre, report__submitted_at__isnull=False)
        .exclude(review=EqaReview.CLOSED).exclude(answered)
        .aggregate(due=Count("pk"), past=Count("pk", filter=Q(due_on__lt=today)))
    )
    return due["due"], due["past"]


def centre_to_do(centre: Centre) -> CentreToDo:
    now = timezone.now()
    today = timezone.localdate()
    invitations = Invitation.objects.filter(centre=centre, accepted_at__isnull=True, cancelled_at__isnull=True).aggregate(
        pending=Count("pk", filter=Q(expires_at__gt=now)), expired=Count("pk", filter=Q(expires_at__lte=now))
    )
    units = caseload.of_current_candidates(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE))
    due, past = _eqa_actions(centre, today)
    return CentreToDo(
        invitations_pending=invitations["pending"],
        invitations_expired=invitations["expired"],
        overdue_units=caseload.overdue(units, today).count(),
        at_risk_units=caseload.with_rag(units, today).filter(rag=caseload.Rag.AT_RISK).count(),
        late_evidence=caseload.late_evidence_count(units, today),
        claims_ready=len(ready_to_claim(centre)),
        eqa_actions_due=due,
        eqa_actions_past_due=past,
        registrations_held=held_at(centre.pk),
    )
