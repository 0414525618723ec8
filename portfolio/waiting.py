"""The evidence waiting for an assessor's judgement, decided once: the assessor's queue
(`assessments.selectors.evidence_queue`) lists it and their home counts it, so the card that says
"3 pieces of evidence waiting" links to a queue of those three."""

from django.db.models import QuerySet

from .access import assessing
from .held_roles import as_assessor
from .judged_by import judged_by
from .models import Enrolment, EnrolmentStatus, Evidence, EvidenceState, Person


def waiting_for(assessor: Person) -> QuerySet[Evidence]:
    """Submitted evidence of the candidates the person assesses on an active unit (holding the role
    at its centre, `access.assessing`) that is theirs to judge (`judged_by`: it bears on a unit they
    assess, not only on another assessor's). That leaves out what bears only on withdrawn or
    transferred units (`locks.bears_only_on_closed_units`): `judged_by` asks for an active unit, and
    its other two cases (mapped to a unit the candidate is not on, or to nothing) are never
    closed-only, so that rule is not asked again here. A deactivated candidate's is still here: ask
    `held_roles.candidate_here` to leave it out, or to count it apart."""
    return Evidence.objects.filter(
        # Redundant with `assessing`, which also matches the centre, but it lets the database start
        # from the assessor's candidates' evidence (an index) instead of reading every submitted
        # item of every candidate and asking of each whether it is theirs.
        candidate__in=Enrolment.objects.filter(as_assessor(assessor), status=EnrolmentStatus.ACTIVE).values("candidate"),
        state=EvidenceState.SUBMITTED,
    ).filter(assessing(assessor), judged_by(assessor))
