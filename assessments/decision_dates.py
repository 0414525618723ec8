"""When the last decision on a unit was recorded, whoever recorded it: the assessor's decisions on
its criteria and knowledge items (recorded, withdrawn, a citation added), their judgements of
evidence bearing on it, its sign-offs (signed, countersigned by the candidate, voided by an unlock)
and the IQA's reviews of it (recorded, the actions answered). Handed to portfolio
(`portfolio/last_decision.py`) by `AssessmentsConfig.ready`, so a withdrawal or a transfer of the
unit is not dated before it."""

import datetime

from django.db.models import Max

from portfolio.models import Enrolment

from .models import CitationAddition, Decision, JudgedEnrolment, QualityReview, SignOff


def last_decision_at(enrolment: Enrolment) -> datetime.datetime | None:
    """The latest moment anything was decided, signed or reviewed on the unit; None if nothing was."""
    latest = [
        Decision.objects.filter(enrolment=enrolment).aggregate(Max("decided_at"), Max("withdrawn_at")),
        CitationAddition.objects.filter(decision__enrolment=enrolment).aggregate(Max("added_at")),
        JudgedEnrolment.objects.filter(enrolment=enrolment).aggregate(Max("judged_at")),
        SignOff.objects.filter(enrolment=enrolment).aggregate(
            Max("assessor_signed_at"), Max("candidate_signed_at"), Max("voided_at")
        ),
        QualityReview.objects.filter(enrolment=enrolment).aggregate(
            Max("reviewed_at"), Max("actions_done_at")
        ),
    ]
    return max((moment for row in latest for moment in row.values() if moment is not None), default=None)
