"""Which of the centre's units are counted, decided once: the work to do (`of_current_candidates`:
queues, waiting evidence, "what needs doing") and the reports' figures (`in_figures`: a finished
unit counts whoever has been deactivated since). The reports, the homes and `caseload` read them."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from portfolio import enrolment_counts
from portfolio.held_roles import candidate_here
from portfolio.models import Enrolment

from .models import SignOff


def of_current_candidates(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """The units of candidates still candidates at the unit's centre: the work to do. A deactivated
    candidate works on nothing, so their units are in no queue, "what needs doing" or waiting figure;
    the records themselves are kept. The reports' figures count more: `in_figures`."""
    return enrolments.filter(candidate_here())


def _signed_off() -> Exists:
    return Exists(SignOff.objects.standing().filter(enrolment=OuterRef("pk")))


def counted_signed_off() -> Q:
    """The unit has a standing sign-off: what the reports count as signed off, whoever has been
    deactivated since (`in_figures`)."""
    return Q(_signed_off())


def _finished_or_current() -> Q:
    return Q(candidate_here()) | Q(_signed_off())


def in_figures(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """The units the reports count: those of current candidates, and the finished (signed-off) units
    of candidates deactivated since. Learners are deactivated when they finish, and what was signed
    off and quality-assured stays the centre's record: in the caseloads' "signed off", the progress
    report's and the IQAs' sampling coverage (which the EQA reads). Only a deactivated candidate's
    work in progress is no one's work, so left out of every figure and counted apart
    (`left_out_of_figures`), as `portfolio.enrolment_counts` and the administrator's home count it."""
    return enrolments.filter(_finished_or_current())


def left_out_of_figures(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """A deactivated candidate's units neither withdrawn, transferred nor signed off: what `in_figures`
    leaves out of the active units. Asked as the centre's counts ask it (`portfolio.enrolment_counts`,
    the centre's few deactivations first), so the reports and the counts agree by one rule."""
    return enrolments.filter(left_out())


def left_out() -> Q:
    """`left_out_of_figures` as a condition, for counting by it in a query that counts more (the
    administrator's home counts its units by state and by this at once, so its figures add up)."""
    return enrolment_counts.of_deactivated_candidates() & ~Q(_signed_off())
