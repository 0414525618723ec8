"""Evidence belongs to the centre it was added at: the one rule, stated here once.

A person may be a candidate at two centres (each centre invited them and they accepted both). Each
evidence item was added at one centre (`Evidence.centre`) and is that centre's record alone, and is
numbered in the candidate's run at that centre (E1, E2, ... at each; items numbered in one run
across centres before that keep their numbers, as signed records name them). An enrolment is a unit at one centre, so the
evidence that bears on it is its candidate's evidence AT ITS CENTRE: mapped to the same unit at
another centre, an item is not listed, counted, sampled, cited or told of here, to anyone (the
candidate included: each centre's figures are its own).

Every query that reaches evidence through a candidate (and the unit's items it is mapped to) asks
here: `evidence_of(enrolment)` and `of_enrolment` for one enrolment, `of_case` for a candidate at a
centre, `same_case` for a subquery tied to an outer row, and `CASE` for grouped figures, which are
keyed by (candidate, centre) and never by the candidate alone. SQL written by hand
(`assessments.sampling.methods`) matches both columns the same way.
"""

from django.db.models import OuterRef, Q, QuerySet

from .models import Enrolment, Evidence

# The two columns that say whose case evidence is on: group and key figures by both.
CASE = ("candidate_id", "centre_id")


def of_case(candidate_id: int, centre_id: int, path: str = "") -> Q:
    """Evidence (or rows `path` leads to it from, e.g. "evidence__") of this candidate at this centre."""
    return Q(**{f"{path}candidate_id": candidate_id, f"{path}centre_id": centre_id})


def of_enrolment(enrolment: Enrolment, path: str = "") -> Q:
    """The evidence that may bear on the enrolment: its candidate's, at its centre."""
    return of_case(enrolment.candidate_id, enrolment.centre_id, path)


def evidence_of(enrolment: Enrolment) -> QuerySet[Evidence]:
    """The candidate's evidence at the enrolment's centre (every state: narrow it by `shown_to`)."""
    return Evidence.objects.filter(of_enrolment(enrolment))


def same_case(path: str = "", outer: str = "") -> Q:
    """For a subquery: the evidence's candidate and centre are those of the outer row (`outer`
    leads from it to an enrolment or evidence row, e.g. "" or "enrolment__")."""
    return Q(**{f"{path}candidate": OuterRef(f"{outer}candidate"), f"{path}centre": OuterRef(f"{outer}centre")})


def case_fields(path: str = "") -> tuple[str, str]:
    """`CASE` from a row `path` leads to the evidence from ("evidence__" from a mapping row)."""
    return (f"{path}{CASE[0]}", f"{path}{CASE[1]}")
