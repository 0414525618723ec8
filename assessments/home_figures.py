"""What each person's home page shows at a glance, beyond what portfolio reads for it
(`portfolio.views.home`): the candidate's progress per unit and element with the next thing to do
on each unit; the IQA's units waiting for review and what their sample covers (the assessor's and
the IQA's caseloads are `home_caseload` and `home_iqa_caseload`); the administrator's units by where they
stand. Each is read in a fixed number of queries, however many units there are."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone

from portfolio.case_evidence import case_fields
from portfolio.held_roles import as_iqa, candidate_here
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Evidence, Person
from portfolio.progress import counts_as_evidence, drafts_by_case
from portfolio.selectors import deactivated_on
from standards.models import Element

from . import counted as counted_rule
from . import sampling
from .models import Decision, QualityReview
from .progress import Tally, met_counts
from .unit_state import UnitState

REVIEWS_SHOWN = 5  # units waiting for the IQA's review listed on their home


# The candidate's unit cards. --------------------------------------------------------------------


@dataclass(frozen=True)
class CardStep:
    """The next thing on one unit card: words, and a link when there is something to press."""

    says: str
    label: str = ""
    url: str = ""


def _elements_of(rows: list[Enrolment]) -> dict[int, list[Element]]:
    elements: dict[int, list[Element]] = defaultdict(list)
    for element in Element.objects.filter(unit_id__in={row.unit_id for row in rows} or {0}).annotate(
        total=Count("criteria")
    ).order_by("unit_id", "position"):
        elements[element.unit_id].append(element)
    return elements


def _evidenced_by_element(rows: list[Enrolment]) -> dict[tuple[int, int, int], int]:
    """How many criteria of each element have evidence (`counts_as_evidence`: not a draft), by
    (candidate, centre, element): each
    centre's evidence counts on its own enrolments only. Read through the candidates' own mapping
    rows, as `portfolio.progress.with_progress` does and for its reason."""
    candidates = {row.candidate_id for row in rows} or {0}
    counted = (
        Evidence.criteria.through.objects.filter(evidence__candidate_id__in=candidates)
        .filter(counts_as_evidence("evidence__"))
        .order_by()
        .values_list(*case_fields("evidence__"), "criterion__element_id")
        .annotate(n=Count("criterion", distinct=True))
    )
    return {(candidate, centre, element): n for candidate, centre, element, n in counted if element is not None}


def _criteria_met(rows: list[Enrolment]) -> dict[tuple[int, int | None], int]:
    """Standing decisions on criteria, by (enrolment, element; None for criteria with no element)."""
    counted = (
        Decision.objects.standing()
        .filter(enrolment__in=[row.pk for row in rows], criterion__isnull=False)
        .order_by()
        .values_list("enrolment_id", "criterion__element_id")
        .annotate(n=Count("pk"))
    )
    return {(enrolment, element): n for enrolment, element, n in counted}


def with_unit_cards(rows: list[Enrolment]) -> None:
    """Each row (read by `portfolio.progress.with_progress`) gains `tallies` (the criteria and
    the knowledge, each a Tally) and `element_tallies` ((element, Tally) in the standard's order),
    `met`, the items met, and `drafts`, the drafts mapped to it waiting to be submitted: five
    queries, however many units."""
    elements = _elements_of(rows)
    evidenced = _evidenced_by_element(rows)
    drafts = drafts_by_case(rows)
    criteria_met = _criteria_met(rows)
    met = met_counts(Enrolment.objects.filter(pk__in=[row.pk for row in rows]))
    for row in rows:
        of_criteria = sum(n for (enrolment, _), n in criteria_met.items() if enrolment == row.pk)
        row.met = met.get(row.pk, 0)  # type: ignore[attr-defined]  # for the template
        row.drafts = drafts.get((row.candidate_id, row.centre_id, row.unit_id), 0)  # type: ignore[attr-defined]
        row.tallies = [  # type: ignore[attr-defined]
            ("Performance criteria", Tally(row.criteria_total, row.criteria_evidenced, of_criteria)),  # type: ignore[attr-defined]
            ("Knowledge items", Tally(row.knowledge_total, row.knowledge_evidenced, row.met - of_criteria)),  # type: ignore[attr-defined]
        ]
        row.element_tallies = [  # type: ignore[attr-defined]
            (e, Tally(e.total, evidenced.get((row.candidate_id, row.centre_id, e.pk), 0), criteria_met.get((row.pk, e.pk), 0)))  # type: ignore[attr-defined]
            for e in elements.get(row.unit_id, [])
        ]


def _drafts(n: int) -> str:
    return "draft" if n == 1 else f"{n} drafts"


def card_step(row: Enrolment, *, signed_off: bool, to_countersign: bool) -> CardStep:
    """What the candidate does next on this unit, from the figures `with_unit_cards` gave it."""
    criteria, knowledge = (tally for _, tally in row.tallies)  # type: ignore[attr-defined]
    if row.status != EnrolmentStatus.ACTIVE:
        return CardStep(f"{row.get_status_display()}: kept as it stands, with nothing more to do on it here.")
    if to_countersign:
        return CardStep("Signed off by your assessor.", "Countersign", reverse("assessments:countersign", args=[row.pk]))
    if signed_off:
        return CardStep("Signed off.")
    missing = (criteria.total - criteria.with_evidence) + (knowledge.total - knowledge.with_evidence)
    drafts = row.drafts  # type: ignore[attr-defined]
    if missing:
        items = f"{missing} item{'s' if missing != 1 else ''}"
        add = reverse("portfolio:evidence_create") + f"?unit={row.pk}"
        if drafts:
            says = f"{items} with no submitted evidence yet: submit your {_drafts(drafts)} when ready."
            return CardStep(says, "Add evidence", add)
        return CardStep(f"{items} with no evidence yet.", "Add evidence", add)
    if drafts:
        return CardStep(f"Everything has evidence: your assessor is judging it. Submit your {_drafts(drafts)} too.")
    if criteria.met + knowledge.met < criteria.total + knowledge.total:
        return CardStep("Everything has evidence: your assessor is judging it.")
    return CardStep("Everything is met: your assessor can sign the unit off.")


# The IQA's figures. -----------------------------------------------------------------------------


@dataclass
class CoverageFigure:
    name: str  # "Assessors"
    covered: int
    total: int
    note: str = ""  # why the total holds more than there is to sample, if it does

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0


@dataclass
class IqaFigures:
    waiting: list[QualityReview]  # the reviews waiting in the sample, the longest first (the first few)
    waiting_count: int
    not_sampled: int  # signed off, neither in the sample nor reviewed as they stand
    coverage: list[CoverageFigure] = field(default_factory=list)
    missing: int = 0  # the gaps: assessors, methods and unit standards with decisions no review covers
    left_out: int = 0  # units of deactivated candidates, not signed off: in no figure, as in the reports


def _coverage_figures(names: sampling.Register, coverage: sampling.Coverage) -> list[CoverageFigure]:
    """What the sample covers, each figure named for what it counts: the candidates' units (the
    enrolments, as the sampling report's "units"), their assessors (those listed on the home), the
    unit standards they are on (HSC331, H3 25) and the methods of their evidence. Of the units the
    figures count (`Summary.counted`, the sampling report's rule); "in your sample" is the sample
    page's: waiting for review, or reviewed as the unit stands now."""
    counted = names.counted
    in_sample = [s for s in counted if s.in_sample]
    to_sample = {s.assessor_id for s in counted if s.reviewable}
    idle = len({s.assessor_id for s in counted} - to_sample)
    methods = coverage.methods
    return [
        CoverageFigure("Candidates’ units", len(in_sample), len(counted)),
        CoverageFigure(
            "Assessors", len({s.assessor_id for s in in_sample}), len({s.assessor_id for s in counted}),
            f"{idle} with no decision to sample yet" if idle else "",
        ),
        CoverageFigure("Unit standards", len({s.unit_id for s in in_sample}), len({s.unit_id for s in counted})),
        CoverageFigure("Assessment methods", sum(item.covered for item in methods), len(methods)),
    ]


def iqa_figures(person: Person) -> IqaFigures:
    """From the sample page's register (four queries) and one more for the reviews listed."""
    names = sampling.register(person)
    mine = [s for s in names.summaries if not s.iqa_is_assessor]
    coverage = sampling.coverage(names, [])
    waiting = (
        QualityReview.objects.filter(as_iqa(person, "enrolment__"), iqa=person, outcome=QualityReview.Outcome.SAMPLED)
        .exclude(enrolment__assessor=person)
        # Not a unit whose decisions the IQA agreed with as they stand: nothing new to review.
        .filter(~sampling.agreed_unchanged("enrolment"))
        .select_related("enrolment__candidate", "enrolment__unit", "enrolment__assessor")
        .annotate(
            candidate_deactivated=deactivated_on("candidate", "enrolment__"),
            assessor_deactivated=deactivated_on("assessor", "enrolment__"),
        )
        .order_by("sampled_at", "pk")
    )
    return IqaFigures(
        waiting=list(waiting[:REVIEWS_SHOWN]),
        waiting_count=sum(s.waiting for s in mine),
        not_sampled=sum(s.signed_off and not s.in_sample for s in names.counted),
        coverage=_coverage_figures(names, coverage),
        missing=coverage.missing_count,
        left_out=names.left_out,
    )


# The centre administrator's figures. -----------------------------------------------------------


@dataclass
class CentreFigures:
    """A centre's units neither withdrawn nor transferred, by the reports' rule (`counted`): those
    `in_figures` by state (a deactivated candidate's signed-off units among them), and apart those
    `left_out_of_figures` (a deactivated candidate's units not signed off). The card lists each
    state, those left out and the centre's withdrawn or transferred units, one line each, so that
    they add up to its enrolments (an outside trial: "1 signed off and countersigned, 1 of them by
    the IQA too" beside "Active enrolment 1", withdrawn units nowhere)."""

    in_progress: int = 0  # of candidates still here (a deactivated candidate works on nothing)
    overdue: int = 0  # of those in progress, target date passed (the overdue report's rule)
    left_out: int = 0  # of deactivated candidates, not signed off: counted apart, as the reports do
    overdue_left_out: int = 0  # of those, target date passed
    awaiting_candidate: int = 0  # signed off, waiting for the candidate's countersignature
    referred: int = 0  # referred back to the assessor by the IQA
    signed_off: int = 0  # signed off and countersigned by the candidate
    iqa_countersigned: int = 0  # of those, countersigned by the IQA too
    of_deactivated_counted: int = 0  # of the counted ones, of deactivated candidates (signed off)

    @property
    def not_iqa_countersigned(self) -> int:
        """Signed off and countersigned by the candidate, not (or not yet) by the IQA."""
        return self.signed_off - self.iqa_countersigned

    @property
    def counted(self) -> int:
        """The units in the figures: every state below adds up to it."""
        return self.in_progress + self.awaiting_candidate + self.referred + self.signed_off


def centre_figures(centres: list[Centre]) -> dict[int, CentreFigures]:
    """Each centre's units by where they stand, in one query: the units of each state, and of
    those in progress the ones past their target date; a deactivated candidate's units not signed
    off apart (`counted.left_out_of_figures`, as the reports, "What needs doing" and the caseloads
    count them), their signed-off units counted (`counted.in_figures`). A summary of every unit of
    the centre, so the state of each is worked out once (grouped by it, not asked again for each
    figure) and cheaply (`sampling.with_state_counted`: only units signed off or referred are looked into)."""
    today = timezone.localdate()
    counted = (
        sampling.with_state_counted(
            Enrolment.objects.filter(centre__in=[c.pk for c in centres], status=EnrolmentStatus.ACTIVE)
        )
        .annotate(
            late=ExpressionWrapper(Q(target_date__lt=today), output_field=BooleanField()),
            out=ExpressionWrapper(counted_rule.left_out(), output_field=BooleanField()),
            here=ExpressionWrapper(candidate_here(), output_field=BooleanField()),
        )
        .order_by()
        .values_list("centre_id", "state", "late", "out", "here")
        .annotate(n=Count("pk"))
    )
    found = {centre.pk: CentreFigures() for centre in centres}
    for centre_id, state, late, out, here, n in counted:
        figures = found[centre_id]
        if out:
            figures.left_out += n
            figures.overdue_left_out += n if late else 0
            continue
        figures.of_deactivated_counted += 0 if here else n
        if state == UnitState.IN_PROGRESS:
            figures.in_progress += n
            figures.overdue += n if late else 0
        elif state == UnitState.AWAITING:
            figures.awaiting_candidate += n
        elif state == UnitState.REFERRED:
            figures.referred += n
        else:  # signed off and countersigned by the candidate, and perhaps by the IQA too
            figures.signed_off += n
            figures.iqa_countersigned += n if state == UnitState.COUNTERSIGNED else 0
    return found
