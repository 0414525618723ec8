"""What an IQA may sample, and a suggested sample that covers every assessor, method and unit.

IQAs plan sampling across Candidates, Assessors, Methods, Elements and Locations (CAMERA). The
suggestion covers the three parts the records here can tell apart: every assessor whose decisions
the IQA quality-assures, every assessment method of the evidence those decisions rest on, and
every unit. What the IQA's current sample already covers counts as covered, so the suggestion
only fills the gaps and does not grow each time the page is opened.

Everything is read in a fixed number of queries, however many enrolments the IQA has.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from portfolio.models import AssessmentMethod, Enrolment, Evidence, EvidenceState, Person

from .models import Decision, QualityReview, SignOff

Feature = tuple[str, int | str]  # ("assessor", person id), ("method", "witness"), ("unit", unit id)

# The order a reason names what a pick covers, and the order of the coverage lists.
FEATURE_KINDS = ("assessor", "method", "unit")
_METHOD_ORDER = {value: position for position, value in enumerate(AssessmentMethod.values)}


def _lower_first(label: str) -> str:
    # "Recognition of prior learning (RPL)" keeps its capitals after the first letter.
    return label[:1].lower() + label[1:]


@dataclass
class SampleRow:
    """One enrolment the IQA quality-assures, as the sample page shows it."""

    enrolment: Enrolment
    iqa: Person
    sign_off: SignOff | None
    decision_count: int
    methods: list[str]
    reviews: list[QualityReview] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return QualityReview.Stage.FINAL if self.sign_off else QualityReview.Stage.INTERIM

    @property
    def stage_words(self) -> str:
        return "final review" if self.sign_off else "interim review"

    @property
    def iqa_is_assessor(self) -> bool:
        """An IQA never quality-assures their own assessment decisions."""
        return self.enrolment.assessor_id == self.iqa.pk

    @property
    def reviewable(self) -> bool:
        """Something an IQA can check: a signed-off unit, or decisions on the way."""
        return self.sign_off is not None or self.decision_count > 0

    @property
    def reviews_at_stage(self) -> list[QualityReview]:
        """Reviews of the unit as it stands now: of the standing sign-off once signed off, or of the
        decisions on the way before that. A review of a voided sign-off no longer counts."""
        if self.sign_off is not None:
            return [r for r in self.reviews if r.sign_off_id == self.sign_off.pk]
        return [r for r in self.reviews if r.stage == QualityReview.Stage.INTERIM]

    @property
    def open_review(self) -> QualityReview | None:
        """In the sample, the review not yet recorded."""
        return next((r for r in self.reviews if r.outcome == QualityReview.Outcome.SAMPLED), None)

    @property
    def in_sample(self) -> bool:
        return self.open_review is not None or bool(self.reviews_at_stage)

    @property
    def open_referral(self) -> QualityReview | None:
        return next(
            (r for r in self.reviews if r.outcome == QualityReview.Outcome.REFERRED and r.actions_done_at is None),
            None,
        )

    @property
    def state(self) -> tuple[str, str]:
        """(key, words) for where the unit has got to, as the IQA needs to know it."""
        if self.open_referral is not None:
            return "referred", "Referred to the assessor"
        if self.sign_off is not None:
            if any(r.outcome == QualityReview.Outcome.COUNTERSIGNED for r in self.reviews_at_stage):
                return "countersigned", "Countersigned by the IQA"
            if self.sign_off.candidate_signed_at is None:
                return "awaiting", "Signed off, awaiting the candidate’s countersignature"
            return "signed-off", "Signed off"
        return "in-progress", "In progress"

    @property
    def method_labels(self) -> list[str]:
        return [AssessmentMethod(m).label for m in self.methods]

    @property
    def features(self) -> set[Feature]:
        return {
            ("assessor", self.enrolment.assessor_id),
            ("unit", self.enrolment.unit_id),
            *(("method", m) for m in self.methods),
        }

    @property
    def preference(self) -> int:
        """Signed-off units first (a final review), then units with decisions (interim)."""
        return 2 if self.sign_off is not None else 1 if self.decision_count else 0


def _methods_by_enrolment(enrolments: list[Enrolment]) -> dict[int, set[str]]:
    """The methods of the evidence each enrolment's standing decisions cite, and of the candidate's
    accepted evidence mapped to the enrolment's unit: three queries."""
    methods: dict[int, set[str]] = defaultdict(set)
    cited = (
        Decision.evidence.through.objects.filter(
            decision__enrolment__in=[e.pk for e in enrolments], decision__withdrawn_at__isnull=True
        )
        .values_list("decision__enrolment_id", "evidence__method")
        .distinct()
    )
    for enrolment_id, method in cited:
        methods[enrolment_id].add(method)
    by_case = {(e.candidate_id, e.unit_id): e.pk for e in enrolments}
    candidates = sorted({e.candidate_id for e in enrolments})
    accepted = {"evidence__candidate__in": candidates, "evidence__state": EvidenceState.ACCEPTED}
    for through, unit_field in (
        (Evidence.criteria.through, "criterion__unit_id"),
        (Evidence.knowledge_items.through, "knowledgeitem__unit_id"),
    ):
        rows = (
            through.objects.filter(**accepted)
            .values_list("evidence__candidate_id", unit_field, "evidence__method")
            .distinct()
        )
        for candidate_id, unit_id, method in rows:
            if (candidate_id, unit_id) in by_case:
                methods[by_case[(candidate_id, unit_id)]].add(method)
    return methods


def sample_rows(iqa: Person) -> list[SampleRow]:
    """Every enrolment the IQA quality-assures, by assessor, then candidate, then unit."""
    enrolments = list(
        Enrolment.objects.filter(iqa=iqa)
        .select_related("candidate", "unit", "assessor")
        .annotate(
            decision_count=Count("decisions", filter=Q(decisions__withdrawn_at__isnull=True), distinct=True)
        )
        .prefetch_related(
            Prefetch(
                "sign_offs", queryset=SignOff.objects.filter(voided_at__isnull=True), to_attr="standing_sign_offs"
            ),
            Prefetch("quality_reviews", queryset=QualityReview.objects.order_by("sampled_at", "pk")),
        )
        .order_by(
            "assessor__last_name", "assessor__first_name", "assessor_id",
            "candidate__last_name", "candidate__first_name", "unit__code", "pk",
        )
    )
    methods = _methods_by_enrolment(enrolments) if enrolments else {}
    return [
        SampleRow(
            enrolment=e,
            iqa=iqa,
            sign_off=e.standing_sign_offs[0] if e.standing_sign_offs else None,
            decision_count=e.decision_count,
            methods=sorted(methods.get(e.pk, ()), key=_METHOD_ORDER.__getitem__),
            reviews=list(e.quality_reviews.all()),
        )
        for e in enrolments
    ]


def _describe(feature: Feature, rows: list[SampleRow]) -> str:
    kind, key = feature
    if kind == "method":
        return AssessmentMethod(key).label
    for row in rows:
        if kind == "assessor" and row.enrolment.assessor_id == key:
            return row.enrolment.assessor.get_full_name() or row.enrolment.assessor.email
        if kind == "unit" and row.enrolment.unit_id == key:
            return row.enrolment.unit.code
    return str(key)


def _feature_order(feature: Feature, rows: list[SampleRow]) -> tuple:
    """Assessors in the order the page lists them (by surname), methods in the order of the list
    of methods, units by code."""
    kind, key = feature
    if kind == "assessor":
        rank = next((n for n, row in enumerate(rows) if row.enrolment.assessor_id == key), len(rows))
    elif kind == "method":
        rank = _METHOD_ORDER.get(key, len(_METHOD_ORDER))
    else:
        rank = 0
    return (FEATURE_KINDS.index(kind), rank, _describe(feature, rows))


@dataclass
class Suggestion:
    """One enrolment the product suggests sampling, and why."""

    row: SampleRow
    covers: list[Feature]
    reason: str

    @property
    def enrolment(self) -> Enrolment:
        return self.row.enrolment


def _reason(covers: list[Feature], rows: list[SampleRow]) -> str:
    assessors = [_describe(f, rows) for f in covers if f[0] == "assessor"]
    methods = [_lower_first(_describe(f, rows)) for f in covers if f[0] == "method"]
    units = [_describe(f, rows) for f in covers if f[0] == "unit"]
    parts = []
    if assessors:
        parts.append("covers assessor " + ", ".join(assessors))
    if methods:
        parts.append(("method: " if len(methods) == 1 else "methods: ") + ", ".join(methods))
    if units:
        parts.append("unit " + ", ".join(units))
    reason = "; ".join(parts)
    return reason if reason.startswith("covers") else f"covers {reason}"


def _universe(rows: list[SampleRow]) -> set[Feature]:
    """Everything a sample should cover: what the reviewable enrolments hold."""
    return set().union(*(r.features for r in rows if r.reviewable and not r.iqa_is_assessor))


def _covered(rows: list[SampleRow]) -> set[Feature]:
    return set().union(*(r.features for r in rows if r.in_sample))


def suggest(iqa: Person, rows: list[SampleRow] | None = None) -> list[Suggestion]:
    """A greedy set cover: pick the enrolment that covers most of what the sample still misses,
    preferring a signed-off unit, then one with decisions, then the lowest id, until nothing is
    missing. Deterministic: the same records always give the same suggestion."""
    rows = sample_rows(iqa) if rows is None else rows
    choices = [r for r in rows if r.reviewable and not r.in_sample and not r.iqa_is_assessor]
    missing = _universe(rows) - _covered(rows)
    suggestions: list[Suggestion] = []
    while missing and choices:
        best = max(choices, key=lambda r: (len(r.features & missing), r.preference, -r.enrolment.pk))
        gained = best.features & missing
        if not gained:
            break
        covers = sorted(gained, key=lambda f: _feature_order(f, rows))
        suggestions.append(Suggestion(row=best, covers=covers, reason=_reason(covers, rows)))
        missing -= gained
        choices.remove(best)
    return suggestions


@dataclass
class CoverageItem:
    name: str
    covered: bool
    by_suggestion: bool


@dataclass
class Coverage:
    """For each part of CAMERA the page checks, what the current sample covers and misses."""

    assessors: list[CoverageItem]
    methods: list[CoverageItem]
    units: list[CoverageItem]

    @property
    def groups(self) -> list[tuple[str, list[CoverageItem]]]:
        return [("Assessors", self.assessors), ("Assessment methods", self.methods), ("Units", self.units)]

    @property
    def missing_count(self) -> int:
        return sum(not item.covered for _, items in self.groups for item in items)


def coverage(rows: list[SampleRow], suggestions: list[Suggestion]) -> Coverage:
    covered = _covered(rows)
    suggested = set().union(*(s.covers for s in suggestions)) if suggestions else set()
    ordered = sorted(_universe(rows) | covered, key=lambda f: _feature_order(f, rows))

    def items(kind: str) -> list[CoverageItem]:
        return [
            CoverageItem(name=_describe(f, rows), covered=f in covered, by_suggestion=f in suggested)
            for f in ordered
            if f[0] == kind
        ]

    return Coverage(assessors=items("assessor"), methods=items("method"), units=items("unit"))
