"""What needs doing at a centre, for its administrators' home: invitations not accepted (and the
registrations of candidates who accepted that wait for an assessor or IQA), units past
their target date and at risk (`caseload.Rag`), evidence waiting too long, claims ready and the EQA's
actions due. Counts only, read with a few queries a centre (the claims ready are counted by
`claims.ready_count`, the same rule as the claims page's, in the database).

The counts that grow with the centre (units overdue and at risk, evidence waiting too long, claims) are
counted no further than SHOWN_UP_TO + 1 and said as "more than 99": the home says what needs doing
and links to the report that lists it all, so it costs the same at 10,000 candidates as at 100."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Centre, Enrolment, EnrolmentStatus, EqaGrant, Invitation
from portfolio.services_prepared_held import held_at

from . import caseload
from .claims import ready_count
from .counted import of_current_candidates
from .eqa_models import EqaAction, EqaReview
from .sign_off_seals import record_changed

SHOWN_UP_TO = 99  # a bounded count above this is said as "more than 99" (`up_to` in the template)


def _up_to(queryset: QuerySet) -> int:
    """How many rows, counting no further than SHOWN_UP_TO + 1 (the database stops there)."""
    return queryset.order_by()[: SHOWN_UP_TO + 1].count()


@dataclass(frozen=True)
class CentreToDo:
    """What waits for a centre's administrators, each a count (the home links each to its page)."""

    invitations_pending: int
    invitations_expired: int
    overdue_units: int  # bounded: at most SHOWN_UP_TO + 1
    at_risk_units: int  # `caseload.Rag.AT_RISK`, as the progress report says it; bounded
    late_evidence: int  # waited more than LATE_WORKING_DAYS working days for its assessor; bounded
    claims_ready: int  # bounded, as `claims.ready_to_claim` would list them
    eqa_actions_due: int  # in reports sent, neither closed by the EQA nor answered since their word
    eqa_actions_past_due: int  # of those, past their due date
    # registrations kept when their candidate accepted, for want of an assessor or IQA (`services_prepared_held`)
    registrations_held: int = 0
    # signed-off units whose record is known changed since sign-off (`sign_off_seals.record_changed`); bounded
    changed_units: int = 0
    # units whose people were changed outside the portfolio (`portfolio.case_seals`); bounded
    cases_changed: int = 0
    # EQA access changed outside the portfolio, not yet ended by the centre (`portfolio.grant_seals`)
    grants_changed: int = 0
    # the audit trail found changed, and the centre has not recorded what it did about it (`ops.audit_trail`)
    trail_changed: bool = False

    @property
    def shown_up_to(self) -> int:
        """Above this a bounded count is said as "more than" it (the template's `up_to`)."""
        return SHOWN_UP_TO

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
    units = of_current_candidates(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE))
    due, past = _eqa_actions(centre, today)
    return CentreToDo(
        invitations_pending=invitations["pending"],
        invitations_expired=invitations["expired"],
        overdue_units=_up_to(caseload.overdue(units, today)),
        at_risk_units=_up_to(caseload.with_rag(units, today).filter(rag=caseload.Rag.AT_RISK)),
        late_evidence=caseload.late_evidence_count(centre.pk, units, today, up_to=SHOWN_UP_TO + 1),
        claims_ready=ready_count(centre, up_to=SHOWN_UP_TO + 1),
        eqa_actions_due=due,
        eqa_actions_past_due=past,
        registrations_held=held_at(centre.pk),
        changed_units=_up_to(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE).filter(record_changed())),
        cases_changed=_up_to(Enrolment.objects.filter(centre=centre, case_seal_broken_at__isnull=False)),
        grants_changed=EqaGrant.objects.filter(centre=centre, seal_broken_at__isnull=False, ended_at__isnull=True).count(),
        trail_changed=_trail_changed(centre),
    )


def _trail_changed(centre: Centre) -> bool:
    """The last whole-trail check found the centre's audit trail changed, and the centre has not
    recorded what it did about those problems (one query)."""
    dealt_with = AuditEvent.objects.filter(
        centre=centre, action=PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED, after__digest=OuterRef("after__digest")
    )
    last = (AuditEvent.objects.filter(centre=centre, action=PortfolioAction.AUDIT_TRAIL_CHANGED)
            .annotate(dealt_with=Exists(dealt_with)).order_by("-pk").values_list("dealt_with", flat=True).first())
    return last is False
