"""Judging and the units it bears on: a judgement and a withdrawal or transfer of one of those units
committed at the same moment come one after the other (an outside trial: judging locked only the
evidence's row, so a judgement could land just after its unit was withdrawn). Judging reads the
units (`units_concerned`) before its checks and locks them (`lock_units`) after, in id order and
before the evidence's row, as every decision takes them; the withdrawal and the transfer lock the
same rows (`portfolio.services_enrolments`) and then ask for the last decision on the unit."""

from django.db.models import Q

from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, EnrolmentStatus, Evidence


def units_concerned(evidence: Evidence) -> list[int]:
    """The candidate's active units at the evidence's centre that it is mapped to (by a criterion, a
    knowledge item or a scope item), by id: those a judgement of it bears on, read before locking."""
    mapped = (
        Q(unit_id__in=evidence.criteria.values("unit_id"))
        | Q(unit_id__in=evidence.knowledge_items.values("unit_id"))
        | Q(unit_id__in=evidence.scope_items.values("category__unit_id"))
    )
    return list(
        Enrolment.objects.filter(
            mapped,
            candidate_id=evidence.candidate_id,
            centre_id=evidence.centre_id,
            status=EnrolmentStatus.ACTIVE,
        ).values_list("pk", flat=True)
    )


def lock_units(evidence: Evidence, unit_ids: list[int]) -> None:
    """Locks the units the judgement bears on, in id order (as every decision takes them, before the
    evidence), and refuses if one was withdrawn or transferred since it was read: a judgement and a
    withdrawal committed at the same moment are then one after the other, never a judgement landing
    just after its unit closed (an outside trial). A withdrawal locks the same row
    (`portfolio.services_enrolments`), then finds the judgement when it asks for the last decision."""
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=unit_ids)
        .select_related("unit", "candidate")
    )
    closed = [e for e in locked.order_by("pk") if e.status != EnrolmentStatus.ACTIVE]
    if closed:
        said = " and ".join(f"{e.unit.code} was {e.get_status_display().lower()}" for e in closed)
        raise PortfolioError(
            f"{closed[0].candidate}’s {said} just now, while you were judging {evidence.reference}: nothing was "
            f"saved. Look at {evidence.reference} again."
        )
