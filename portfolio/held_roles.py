"""A person acts on a centre's enrolments and evidence only while they hold the role there.

An enrolment names its candidate, assessor and IQA; those names stay when a person's membership of
the centre is deactivated (`services_people.membership_deactivate`) or a role is taken from them,
because the record must keep who did what. What lets them in is the membership: every query that
finds a person's enrolments or evidence by their part on it asks these, so a deactivated person
reaches nothing of the centre, from any page, while everyone else still reads their name.
"""

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from .errors import PortfolioError
from .models import Membership, Person, Role

if TYPE_CHECKING:
    from .models import Enrolment, Evidence


def holds(person: Person, role: str, centre: str = "centre") -> Q:
    """The person holds `role` at the centre the row names (`centre`: the path to it)."""
    return Q(Exists(Membership.objects.filter(person=person, role=role, centre=OuterRef(centre))))


def _as(field: str, role: str, person: Person, path: str) -> Q:
    return Q(**{f"{path}{field}": person}) & holds(person, role, f"{path}centre")


def case_held(path: str = "") -> Q:
    """Enrolment rows (or rows `path` leads to one from) whose case is not known to have been changed
    outside the portfolio (`case_seals`): only these let a person in by their part on them."""
    return Q(**{f"{path}case_seal_broken_at__isnull": True})


def as_candidate(person: Person, path: str = "") -> Q:
    """Enrolment or evidence rows (or rows `path` leads to one from) that are the person's own as a
    candidate at a centre where they are one."""
    return _as("candidate", Role.CANDIDATE, person, path)


def as_assessor(person: Person, path: str = "") -> Q:
    """Enrolment rows the person assesses at a centre where they are an assessor."""
    return _as("assessor", Role.ASSESSOR, person, path) & case_held(path)


def as_iqa(person: Person, path: str = "") -> Q:
    """Enrolment rows the person quality-assures at a centre where they are an IQA."""
    return _as("iqa", Role.IQA, person, path) & case_held(path)


def candidate_here(path: str = "") -> Exists:
    """The row's candidate is still a candidate at the row's centre: an enrolment's or evidence's
    (or a row `path` leads to one from). A deactivated candidate works on nothing, so what is theirs
    is in no caseload, queue or count of work to do; it is counted apart and kept."""
    return Exists(
        Membership.objects.filter(
            person=OuterRef(f"{path}candidate"),
            centre=OuterRef(f"{path}centre"),
            role=Role.CANDIDATE,
        )
    )


def deactivated_refusal(row: "Enrolment | Evidence") -> str:
    """Why nobody judges, decides or signs anything on the row (an enrolment or evidence item) while
    its candidate is deactivated at its centre, or "": their work is in no queue, caseload or count
    of work to do (`candidate_here`), so it waits, untouched, until the centre reactivates them."""
    if type(row)._default_manager.filter(pk=row.pk).filter(candidate_here()).exists():
        return ""
    return (
        f"{row.candidate} is deactivated at {row.centre}: their evidence waits until the centre reactivates "
        "them, and nothing is judged, decided or signed off on it meanwhile."
    )


def require_candidate_here(row: "Enrolment | Evidence") -> None:
    refused = deactivated_refusal(row)
    if refused:
        raise PortfolioError(f"{refused} Nothing was changed.")


def _iqa_may_still(enrolment: "Enrolment") -> str:
    """What the IQA's review of the unit does now, in the product's words: a signed-off unit is
    countersigned; at an interim review (decisions on the way) the IQA agrees with the decisions so far."""
    from .locks import locked_since  # the sign-off is assessments', asked through portfolio.locks

    if enrolment.pk in locked_since([enrolment.pk]):
        return "countersign the signed-off unit"
    return "agree with the decisions so far"


def deactivated_for_iqa(enrolment: "Enrolment") -> str:
    """What a deactivated candidate means for the unit's IQA, said once on its pages, or ""."""
    if not deactivated_refusal(enrolment):
        return ""
    return (
        f"{enrolment.candidate} is deactivated at {enrolment.centre}: nothing on this unit is judged, decided or "
        f"signed off until the centre reactivates them. You can still review it and {_iqa_may_still(enrolment)}, "
        "but not refer it back to the assessor, who can act on nothing of theirs meanwhile."
    )


def require_may_refer_back(enrolment: "Enrolment") -> None:
    """An IQA's referral back asks the assessor to act: refused while the candidate is deactivated."""
    if deactivated_refusal(enrolment):
        raise PortfolioError(
            f"{enrolment.candidate} is deactivated at {enrolment.centre}, so their assessor can act on nothing of "
            "theirs: the unit is not referred back until the centre reactivates them. Nothing was recorded; you can "
            f"{_iqa_may_still(enrolment)} instead."
        )
