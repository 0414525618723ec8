"""The register: every enrolment the IQA quality-assures, as ids and flags (one `Summary` each),
never whole objects, read in three queries however many enrolments there are. The suggestion and the
coverage are worked out from it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from portfolio.held_roles import as_iqa
from portfolio.models import Enrolment, EnrolmentStatus, Person

from ..counted import left_out_of_figures
from ..models import QualityReview
from .flags import with_sample_flags
from .methods import METHOD_VALUES, methods_of, methods_probe_sql, with_methods

Feature = tuple[str, int | str]  # ("assessor", person id), ("method", "witness"), ("unit", unit id)

Stage = QualityReview.Stage

# What the register reads of each enrolment, in the order _summary unpacks it.
_COLUMNS = (
    "pk",
    "candidate_id",
    "assessor_id",
    "unit_id",
    "signed_off",
    "has_decisions",
    "sampled_at",
    "in_sample",
    "review_due",
    "assessor__first_name",
    "assessor__last_name",
    "assessor__email",
    "unit__code",
)


def _name(first: str, last: str, email: str) -> str:
    """As Person.get_full_name() or the email address, without loading the person."""
    return f"{first} {last}".strip() or email


@dataclass(frozen=True, slots=True)
class Summary:
    """One enrolment, as compact values: enough to suggest a sample and say what it covers."""

    pk: int
    candidate_id: int
    assessor_id: int
    unit_id: int
    signed_off: bool
    has_decisions: bool
    sampled_at: datetime | None
    in_sample: bool
    iqa_is_assessor: bool
    review_due: bool = False  # in the sample with something to review (`flags.with_sample_flags`)
    left_out: bool = False  # a deactivated candidate's unit not signed off (`counted.left_out_of_figures`)
    methods: tuple[str, ...] = ()
    features: frozenset[Feature] = frozenset()

    @property
    def waiting(self) -> bool:
        """In the sample, the review not yet recorded, with something to review: not a unit whose
        decisions the IQA agreed with at an interim review, unchanged since (`nothing_new`)."""
        return self.review_due

    @property
    def nothing_new(self) -> bool:
        """In the sample, but agreed with at an interim review and unchanged since: it waits for a
        decision to be recorded or withdrawn, or a sign-off, not for the IQA."""
        return self.sampled_at is not None and not self.review_due

    @property
    def reviewable(self) -> bool:
        """Something an IQA can check: a signed-off unit, or decisions on the way."""
        return self.signed_off or self.has_decisions

    @property
    def counted(self) -> bool:
        """In the sample's figures, as in the centre's sampling report: not the IQA's own assessing,
        nor a unit the reports leave out (a deactivated candidate's, not signed off: no one works on
        it, so it is neither a gap nor suggested; a signed-off one counts, its sampling with it)."""
        return not self.iqa_is_assessor and not self.left_out

    @property
    def stage(self) -> str:
        return Stage.FINAL if self.signed_off else Stage.INTERIM

    @property
    def preference(self) -> int:
        """Signed-off units first (a final review), then units with decisions (interim)."""
        return 2 if self.signed_off else 1 if self.has_decisions else 0


@dataclass
class Register:
    """Every enrolment an IQA quality-assures, with the names the page needs of their assessors
    (in the order the page lists them: by surname) and the codes of their units (by code).

    The methods of a summary are worked out only where the suggestion or the coverage looks at
    them: for an enrolment with a standing decision, a standing sign-off or a review."""

    summaries: list[Summary]
    assessors: dict[int, str]
    units: dict[int, str]

    def __len__(self) -> int:
        return len(self.summaries)

    def __bool__(self) -> bool:
        return bool(self.summaries)

    @property
    def counted(self) -> list[Summary]:
        return [s for s in self.summaries if s.counted]

    @property
    def left_out(self) -> int:
        """The units the figures leave out (of deactivated candidates, not signed off), as the
        sampling report counts them for this IQA: not those they also assess."""
        return sum(s.left_out and not s.iqa_is_assessor for s in self.summaries)


def register(iqa: Person) -> Register:
    """Every enrolment the IQA quality-assures, as compact values, in four queries."""
    # Withdrawn and transferred units are kept as they stand, not sampled.
    theirs = Enrolment.objects.filter(as_iqa(iqa), status=EnrolmentStatus.ACTIVE)
    flagged = with_sample_flags(theirs)
    rows = list(flagged.order_by().values_list(*_COLUMNS))
    left_out = set(left_out_of_figures(theirs).values_list("pk", flat=True))
    masks = _method_masks(flagged, iqa)
    assessors: dict[int, tuple] = {}
    units: dict[int, str] = {}
    summaries = []
    for row in rows:
        summaries.append(_summary(row, masks, iqa, left_out))
        first, last, email, code = row[9:13]
        assessors.setdefault(row[2], (last, first, row[2], _name(first, last, email)))
        units.setdefault(row[3], code)
    return Register(
        summaries=summaries,
        assessors={key[2]: key[3] for key in sorted(assessors.values())},
        units=dict(sorted(units.items(), key=lambda item: item[1])),
    )


def _method_masks(flagged: QuerySet, iqa: Person) -> dict[int, int]:
    """The methods' bit masks, by enrolment, of the units the suggestion and the coverage look at.

    The methods are what costs: the methods of every unit's evidence would mean reading every
    candidate's mapped evidence on each visit (tens of thousands of rows for an IQA of 500 units).
    The suggestion needs less: the methods the current sample covers (its few units, in full), and
    which other units hold a method it does not cover yet (an index lookup per unit and missing
    method, none when the sample covers every method). So a summary outside the sample holds only
    the missing methods it has; the suggestion and the coverage come out as with every method."""
    masks = dict(with_methods(flagged.filter(in_sample=True)).order_by().values_list("pk", "methods"))
    covered = set().union(*(methods_of(mask or 0) for mask in masks.values()))
    missing = [m for m in METHOD_VALUES if m not in covered]
    sql, params = methods_probe_sql(missing)
    probed = (
        flagged.filter(in_sample=False)
        .exclude(assessor=iqa)
        .filter(Q(signed_off=True) | Q(has_decisions=True))
        .annotate(methods=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611
        .filter(methods__gt=0)
    )
    masks.update(probed.order_by().values_list("pk", "methods"))
    return masks


def _summary(row: tuple, masks: dict[int, int], iqa: Person, left_out: set[int]) -> Summary:
    pk, candidate_id, assessor_id, unit_id, signed_off, has_decisions, sampled_at, in_sample = row[:8]
    review_due = row[8]
    methods = methods_of(masks.get(pk) or 0)
    return Summary(
        pk=pk,
        candidate_id=candidate_id,
        assessor_id=assessor_id,
        unit_id=unit_id,
        signed_off=bool(signed_off),
        has_decisions=bool(has_decisions),
        sampled_at=sampled_at,
        in_sample=bool(in_sample),
        review_due=bool(review_due),
        iqa_is_assessor=assessor_id == iqa.pk,
        left_out=pk in left_out,
        methods=methods,
        features=frozenset((("assessor", assessor_id), ("unit", unit_id), *(("method", m) for m in methods))),
    )
