"""What an IQA may sample, and a suggested sample that covers every assessor, method and unit.

IQAs plan sampling across Candidates, Assessors, Methods, Elements and Locations (CAMERA). The
suggestion covers the three parts the records here can tell apart: every assessor whose decisions
the IQA quality-assures, every assessment method of the evidence those decisions rest on, and
every unit. What the IQA's current sample already covers counts as covered, so the suggestion
only fills the gaps and does not grow each time the page is opened.

The suggestion and the coverage are worked out from a register of compact values, one row of ids
and flags per enrolment (`register`), never from whole objects; the sample page then reads in full
only the units it shows: the current sample, the suggestion and one page of the list
(`sample_rows`). Everything is read in a fixed number of queries, however many enrolments the IQA
has.
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    ManyToManyField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from portfolio.models import AssessmentMethod, Enrolment, Evidence, EvidenceState, Person

from . import unit_state
from .models import Decision, QualityReview, SignOff, standing_sign_off
from .unit_state import UnitState

Feature = tuple[str, int | str]  # ("assessor", person id), ("method", "witness"), ("unit", unit id)

# The order a reason names what a pick covers, and the order of the coverage lists.
FEATURE_KINDS = ("assessor", "method", "unit")
METHOD_VALUES = tuple(AssessmentMethod.values)
_METHOD_ORDER = {value: position for position, value in enumerate(METHOD_VALUES)}
_METHOD_BITS = {value: 1 << position for position, value in enumerate(METHOD_VALUES)}

Outcome = QualityReview.Outcome
Stage = QualityReview.Stage

# The order the sample page lists an IQA's units in: by assessor, then candidate, then unit.
LIST_ORDER = (
    "assessor__last_name",
    "assessor__first_name",
    "assessor_id",
    "candidate__last_name",
    "candidate__first_name",
    "unit__code",
    "pk",
)


def _lower_first(label: str) -> str:
    # "Recognition of prior learning (RPL)" keeps its capitals after the first letter.
    return label[:1].lower() + label[1:]


def _name(first: str, last: str, email: str) -> str:
    """As Person.get_full_name() or the email address, without loading the person."""
    return f"{first} {last}".strip() or email


# The questions asked of each enrolment, as SQL: each an EXISTS on an indexed foreign key.


def _standing_sign_off() -> QuerySet:
    return SignOff.objects.standing().filter(enrolment=OuterRef("pk"))


def _reviews() -> QuerySet:
    return QualityReview.objects.filter(enrolment=OuterRef("pk"))


def _of_the_standing_sign_off(reviews: QuerySet) -> QuerySet:
    # isnull=True across the nullable foreign key would also match reviews tied to no sign-off.
    return reviews.filter(standing_sign_off("sign_off__"), sign_off__isnull=False)


def with_sample_flags(enrolments: QuerySet) -> QuerySet:
    """Annotates what the suggestion needs to know of each enrolment: `signed_off` (it has a
    standing sign-off), `has_decisions` (standing ones), `sampled_at` (when the review waiting in
    the sample was asked for, if one waits) and `in_sample` (a review waits, or the unit has been
    reviewed as it stands now: its standing sign-off once signed off, its decisions before that)."""
    reviews = _reviews()
    return enrolments.annotate(
        signed_off=Exists(_standing_sign_off()),
        has_decisions=Exists(Decision.objects.standing().filter(enrolment=OuterRef("pk"))),
        sampled_at=Subquery(
            reviews.filter(outcome=Outcome.SAMPLED).order_by("sampled_at", "pk").values("sampled_at")[:1]
        ),
    ).annotate(
        in_sample=Case(
            When(sampled_at__isnull=False, then=Value(True)),
            When(signed_off=True, then=Exists(_of_the_standing_sign_off(reviews))),
            default=Exists(reviews.filter(stage=Stage.INTERIM)),
        ),
    )


def _methods_sql(*, only_where_sampling_looks: bool = False) -> tuple[str, list]:
    """SQL for a bit mask (bit n: METHOD_VALUES[n]) of the methods of the evidence that bears on the
    enrolment, for a query of enrolments: the evidence its standing decisions cite, and the
    candidate's accepted evidence mapped to one of its unit's criteria or knowledge items.

    Correlated subqueries that read one enrolment's few rows through an index (its decisions; the
    candidate's evidence). The cited methods are the distinct bits of the evidence the decisions
    cite, added up. The mapped ones are asked differently of each database, each its fastest way:
    PostgreSQL adds up the bits of the candidate's mapped evidence in one subquery per enrolment;
    SQLite asks, for each method, whether the candidate has accepted evidence of it mapped to the
    unit (an index: candidate, method, state), which stops at the first item found. The unit is
    matched in the join, not in WHERE, which keeps PostgreSQL from planning a subquery as one hash
    of every candidate's evidence, built on every request.

    `only_where_sampling_looks`: 0 for an enrolment with no standing decision, no standing sign-off
    and no review, which the suggestion and the coverage never look at.

    Written as SQL rather than ORM subqueries, which Django took longer to build and compile on
    every request than the database took to answer. Only names from the models' own metadata go
    into the text; the values are parameters. "Standing" is written out here as the models' own
    rule says (`standing_decision`: not withdrawn; `standing_sign_off`: not voided)."""
    q = connection.ops.quote_name
    table = q(Enrolment._meta.db_table)
    bits = "CASE e.{} {} ELSE 0 END".format(
        q("method"), " ".join(f"WHEN %s THEN {bit}" for bit in _METHOD_BITS.values())
    )
    evidence = Evidence._meta
    cited = Decision.evidence.field
    masks = [
        f"(SELECT SUM(DISTINCT {bits}) FROM {q(Decision._meta.db_table)} d"  # noqa: S608
        f" INNER JOIN {q(cited.m2m_db_table())} c ON c.{q(cited.m2m_column_name())} = d.{q('id')}"
        f" INNER JOIN {q(evidence.db_table)} e ON e.{q('id')} = c.{q(cited.m2m_reverse_name())}"
        f" WHERE d.{q('enrolment_id')} = {table}.{q('id')} AND d.{q('withdrawn_at')} IS NULL)"
    ]
    params: list = [*_METHOD_BITS]
    accepted = EvidenceState.ACCEPTED.value

    def mapped(m2m: ManyToManyField, also: str = "") -> str:
        """The candidate's accepted evidence mapped to the unit through one of Evidence's m2m."""
        item = cast(type[Model], m2m.related_model)._meta  # a model class, never "self", on these fields
        return (
            f" FROM {q(evidence.db_table)} e"
            f" INNER JOIN {q(m2m.m2m_db_table())} m ON m.{q(m2m.m2m_column_name())} = e.{q('id')}"
            f" INNER JOIN {q(item.db_table)} i ON i.{q('id')} = m.{q(m2m.m2m_reverse_name())}"
            f" AND i.{q('unit_id')} = {table}.{q('unit_id')}"
            f" WHERE e.{q('candidate_id')} = {table}.{q('candidate_id')}{also} AND e.{q('state')} = %s"
        )

    both = (Evidence.criteria.field, Evidence.knowledge_items.field)
    if connection.vendor == "sqlite":
        of_the_method = f" AND e.{q('method')} = %s"
        for method, bit in _METHOD_BITS.items():
            either = " OR ".join(f"EXISTS (SELECT 1{mapped(m2m, of_the_method)})" for m2m in both)
            masks.append(f"(CASE WHEN {either} THEN {bit} ELSE 0 END)")
            params += [method, accepted] * 2
    else:
        for m2m in both:
            masks.append(f"(SELECT SUM(DISTINCT {bits}){mapped(m2m)})")
            params += [*_METHOD_BITS, accepted]
    mask = " | ".join(f"COALESCE({m}, 0)" for m in masks)
    if not only_where_sampling_looks:
        return mask, params
    looks = " OR ".join(
        f"EXISTS (SELECT 1 FROM {q(model._meta.db_table)} x WHERE x.{q('enrolment_id')} = {table}.{q('id')}{also})"  # noqa: S608
        for model, also in (
            (Decision, f" AND x.{q('withdrawn_at')} IS NULL"),
            (SignOff, f" AND x.{q('voided_at')} IS NULL"),
            (QualityReview, ""),
        )
    )
    return f"CASE WHEN {looks} THEN {mask} ELSE 0 END", params


def _methods_probe_sql(methods: list[str]) -> tuple[str, list]:
    """SQL for a bit mask of which of `methods` bear on the enrolment (as _methods_sql), asked as
    one EXISTS per method and kind of link, each an index lookup that stops at the first row found:
    the evidence (candidate, method, state) index for the mapped evidence, the enrolment's decisions
    for the cited. Cheap for a method the candidate has little or none of, which is what the
    suggestion asks about: the methods the current sample does not cover yet."""
    if not methods:
        return "0", []
    q = connection.ops.quote_name
    table = q(Enrolment._meta.db_table)
    evidence = Evidence._meta
    cited = Decision.evidence.field
    accepted = EvidenceState.ACCEPTED.value
    parts, params = [], []
    for method in methods:
        tests = [
            f"EXISTS (SELECT 1 FROM {q(Decision._meta.db_table)} d"  # noqa: S608
            f" INNER JOIN {q(cited.m2m_db_table())} c ON c.{q(cited.m2m_column_name())} = d.{q('id')}"
            f" INNER JOIN {q(evidence.db_table)} e ON e.{q('id')} = c.{q(cited.m2m_reverse_name())}"
            f" WHERE d.{q('enrolment_id')} = {table}.{q('id')} AND d.{q('withdrawn_at')} IS NULL"
            f" AND e.{q('method')} = %s)"
        ]
        params.append(method)
        for m2m in (Evidence.criteria.field, Evidence.knowledge_items.field):
            item = cast(type[Model], m2m.related_model)._meta  # a model class, never "self", on these fields
            tests.append(
                f"EXISTS (SELECT 1 FROM {q(evidence.db_table)} e"  # noqa: S608
                f" INNER JOIN {q(m2m.m2m_db_table())} m ON m.{q(m2m.m2m_column_name())} = e.{q('id')}"
                f" INNER JOIN {q(item.db_table)} i ON i.{q('id')} = m.{q(m2m.m2m_reverse_name())}"
                f" AND i.{q('unit_id')} = {table}.{q('unit_id')}"
                f" WHERE e.{q('candidate_id')} = {table}.{q('candidate_id')} AND e.{q('method')} = %s"
                f" AND e.{q('state')} = %s)"
            )
            params += [method, accepted]
        parts.append(f"(CASE WHEN {' OR '.join(tests)} THEN {_METHOD_BITS[method]} ELSE 0 END)")
    return " + ".join(parts), params


def with_methods(enrolments: QuerySet, *, only_where_sampling_looks: bool = False) -> QuerySet:
    """Annotates `methods`, the bit mask of _methods_sql. The enrolments' table must be the
    query's own (not joined under another alias)."""
    sql, params = _methods_sql(only_where_sampling_looks=only_where_sampling_looks)
    return enrolments.annotate(methods=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611


@functools.cache
def _methods_of(mask: int) -> tuple[str, ...]:
    """The methods of a bit mask, in the order of the list of methods."""
    return tuple(method for method, bit in _METHOD_BITS.items() if mask & bit)


def with_state(enrolments: QuerySet) -> QuerySet:
    """Annotates `state`, the UnitState of SampleRow.state worked out in SQL, so the list filters on it."""
    reviews = _reviews()
    return enrolments.annotate(
        state=unit_state.annotation(
            referred=Exists(reviews.filter(outcome=Outcome.REFERRED, actions_done_at__isnull=True)),
            signed_off=Exists(_standing_sign_off()),
            countersigned_by_iqa=Exists(_of_the_standing_sign_off(reviews).filter(outcome=Outcome.COUNTERSIGNED)),
            awaiting_candidate=Exists(_standing_sign_off().filter(candidate_signed_at__isnull=True)),
        )
    )


# The register: every enrolment the IQA quality-assures, as ids and flags.


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
    methods: tuple[str, ...] = ()
    features: frozenset[Feature] = frozenset()

    @property
    def waiting(self) -> bool:
        """In the sample, the review not yet recorded."""
        return self.sampled_at is not None

    @property
    def reviewable(self) -> bool:
        """Something an IQA can check: a signed-off unit, or decisions on the way."""
        return self.signed_off or self.has_decisions

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


def register(iqa: Person) -> Register:
    """Every enrolment the IQA quality-assures, as compact values, in three queries.

    The methods are what costs: the methods of every unit's evidence would mean reading every
    candidate's mapped evidence on each visit (tens of thousands of rows for an IQA of 500 units).
    The suggestion needs less: the methods the current sample covers (its few units, in full), and
    which other units hold a method it does not cover yet (an index lookup per unit and missing
    method, none when the sample covers every method). So a summary outside the sample holds only
    the missing methods it has; the suggestion and the coverage come out as with every method."""
    flagged = with_sample_flags(Enrolment.objects.filter(iqa=iqa))
    rows = list(
        flagged.order_by().values_list(
            "pk",
            "candidate_id",
            "assessor_id",
            "unit_id",
            "signed_off",
            "has_decisions",
            "sampled_at",
            "in_sample",
            "assessor__first_name",
            "assessor__last_name",
            "assessor__email",
            "unit__code",
        )
    )
    masks = dict(with_methods(flagged.filter(in_sample=True)).order_by().values_list("pk", "methods"))
    covered = set().union(*(_methods_of(mask or 0) for mask in masks.values()))
    missing = [m for m in METHOD_VALUES if m not in covered]
    sql, params = _methods_probe_sql(missing)
    probed = (
        flagged.filter(in_sample=False)
        .exclude(assessor=iqa)
        .filter(Q(signed_off=True) | Q(has_decisions=True))
        .annotate(methods=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611
        .filter(methods__gt=0)
    )
    masks.update(probed.order_by().values_list("pk", "methods"))
    assessors: dict[int, tuple] = {}
    units: dict[int, str] = {}
    summaries = []
    for row in rows:
        pk, candidate_id, assessor_id, unit_id, signed_off, has_decisions, sampled_at, in_sample = row[:8]
        first, last, email, code = row[8:12]
        methods = _methods_of(masks.get(pk) or 0)
        assessors.setdefault(assessor_id, (last, first, assessor_id, _name(first, last, email)))
        units.setdefault(unit_id, code)
        summaries.append(
            Summary(
                pk=pk,
                candidate_id=candidate_id,
                assessor_id=assessor_id,
                unit_id=unit_id,
                signed_off=bool(signed_off),
                has_decisions=bool(has_decisions),
                sampled_at=sampled_at,
                in_sample=bool(in_sample),
                iqa_is_assessor=assessor_id == iqa.pk,
                methods=methods,
                features=frozenset(
                    (("assessor", assessor_id), ("unit", unit_id), *(("method", m) for m in methods))
                ),
            )
        )
    return Register(
        summaries=summaries,
        assessors={key[2]: key[3] for key in sorted(assessors.values())},
        units=dict(sorted(units.items(), key=lambda item: item[1])),
    )


# The suggestion.


def _describe(feature: Feature, names: Register) -> str:
    kind, key = feature  # the kind says the key's type: a method's value, or an id
    if kind == "method":
        return AssessmentMethod(cast(str, key)).label
    if kind == "assessor":
        return names.assessors.get(cast(int, key), str(key))
    return names.units.get(cast(int, key), str(key))


def _feature_order(feature: Feature, names: Register) -> tuple:
    """Assessors in the order the page lists them (by surname), methods in the order of the list
    of methods, units by code."""
    kind, key = feature
    if kind == "assessor":
        rank = list(names.assessors).index(cast(int, key)) if key in names.assessors else len(names.assessors)
    elif kind == "method":
        rank = _METHOD_ORDER.get(cast(str, key), len(_METHOD_ORDER))
    else:
        rank = 0
    return (FEATURE_KINDS.index(kind), rank, _describe(feature, names))


@dataclass
class Suggestion:
    """One enrolment the product suggests sampling, and why. `enrolment` is read (with its
    candidate and unit) once the suggestion is made, for the page to name it."""

    row: Summary
    covers: list[Feature]
    reason: str
    enrolment: Enrolment | None = None

    @property
    def stage_words(self) -> str:
        return "final review" if self.row.signed_off else "interim review"


def _reason(covers: list[Feature], names: Register) -> str:
    assessors = [_describe(f, names) for f in covers if f[0] == "assessor"]
    methods = [_lower_first(_describe(f, names)) for f in covers if f[0] == "method"]
    units = [_describe(f, names) for f in covers if f[0] == "unit"]
    parts = []
    if assessors:
        parts.append("covers assessor " + ", ".join(assessors))
    if methods:
        parts.append(("method: " if len(methods) == 1 else "methods: ") + ", ".join(methods))
    if units:
        parts.append("unit " + ", ".join(units))
    reason = "; ".join(parts)
    return reason if reason.startswith("covers") else f"covers {reason}"


def _universe(summaries: list[Summary]) -> set[Feature]:
    """Everything a sample should cover: what the reviewable enrolments hold."""
    return set().union(*(s.features for s in summaries if s.reviewable and not s.iqa_is_assessor))


def _covered(summaries: list[Summary]) -> set[Feature]:
    return set().union(*(s.features for s in summaries if s.in_sample))


def suggest(iqa: Person, names: Register | None = None, *, read: bool = True) -> list[Suggestion]:
    """A greedy set cover: pick the enrolment that covers most of what the sample still misses,
    preferring a signed-off unit, then one with decisions, then the lowest id, until nothing is
    missing. Deterministic: the same records always give the same suggestion.

    Enrolments that hold the same features at the same preference are one choice (the lowest id),
    so the loop runs over a few dozen kinds of unit, however many units there are. Unless `read` is
    false, the picks are then read with their candidate and unit (one query)."""
    names = register(iqa) if names is None else names
    summaries = names.summaries
    missing = _universe(summaries) - _covered(summaries)
    kinds: dict[tuple, Summary] = {}
    for s in summaries:
        if s.reviewable and not s.in_sample and not s.iqa_is_assessor:
            key = (s.features, s.preference)
            if key not in kinds or s.pk < kinds[key].pk:
                kinds[key] = s
    choices = list(kinds.values())
    suggestions: list[Suggestion] = []
    while missing and choices:
        best = max(choices, key=lambda s: (len(s.features & missing), s.preference, -s.pk))
        gained = best.features & missing
        if not gained:
            break
        covers = sorted(gained, key=lambda f: _feature_order(f, names))
        suggestions.append(Suggestion(row=best, covers=covers, reason=_reason(covers, names)))
        missing -= gained
        choices.remove(best)
    if read and suggestions:
        read_enrolments = Enrolment.objects.select_related("candidate", "unit").in_bulk(
            [s.row.pk for s in suggestions]
        )
        for suggestion in suggestions:
            suggestion.enrolment = read_enrolments[suggestion.row.pk]
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


def coverage(names: Register, suggestions: list[Suggestion]) -> Coverage:
    covered = _covered(names.summaries)
    suggested = set().union(*(s.covers for s in suggestions)) if suggestions else set()
    ordered = sorted(_universe(names.summaries) | covered, key=lambda f: _feature_order(f, names))

    def items(kind: str) -> list[CoverageItem]:
        return [
            CoverageItem(name=_describe(f, names), covered=f in covered, by_suggestion=f in suggested)
            for f in ordered
            if f[0] == kind
        ]

    return Coverage(assessors=items("assessor"), methods=items("method"), units=items("unit"))


# The units the page shows in full.


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
        return Stage.FINAL if self.sign_off else Stage.INTERIM

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
        return [r for r in self.reviews if r.stage == Stage.INTERIM]

    @property
    def open_review(self) -> QualityReview | None:
        """In the sample, the review not yet recorded."""
        return next((r for r in self.reviews if r.outcome == Outcome.SAMPLED), None)

    @property
    def in_sample(self) -> bool:
        return self.open_review is not None or bool(self.reviews_at_stage)

    @property
    def open_referral(self) -> QualityReview | None:
        return next(
            (r for r in self.reviews if r.outcome == Outcome.REFERRED and r.actions_done_at is None),
            None,
        )

    @property
    def state(self) -> tuple[UnitState, str]:
        """(state, words) for where the unit has got to, as the IQA needs to know it. `with_state`
        works out the same state in SQL, by the same rules."""
        state = unit_state.decide(
            unit_state.Facts(
                referred=self.open_referral is not None,
                signed_off=self.sign_off is not None,
                countersigned_by_iqa=any(r.outcome == Outcome.COUNTERSIGNED for r in self.reviews_at_stage),
                awaiting_candidate=self.sign_off is not None and self.sign_off.candidate_signed_at is None,
            )
        )
        return state, state.label

    @property
    def method_labels(self) -> list[str]:
        return [AssessmentMethod(m).label for m in self.methods]


def sample_rows(iqa: Person, enrolments: QuerySet | None = None) -> list[SampleRow]:
    """The enrolments given (by default every one the IQA quality-assures), read in full, in the
    order of the queryset given (by default by assessor, then candidate, then unit): three queries."""
    if enrolments is None:
        enrolments = Enrolment.objects.filter(iqa=iqa).order_by(*LIST_ORDER)
    standing = SignOff.objects.standing().only(
        "pk", "enrolment_id", "candidate_signed_at", "assessor_signed_at"
    )
    decisions = (
        Decision.objects.standing().filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    read = list(
        with_methods(enrolments)
        .select_related("candidate", "unit", "assessor")
        .annotate(decision_count=Coalesce(Subquery(decisions), 0))
        .prefetch_related(
            Prefetch("sign_offs", queryset=standing, to_attr="standing_sign_offs"),
            Prefetch("quality_reviews", queryset=QualityReview.objects.order_by("sampled_at", "pk")),
        )
    )
    return [
        SampleRow(
            enrolment=e,
            iqa=iqa,
            sign_off=e.standing_sign_offs[0] if e.standing_sign_offs else None,
            decision_count=e.decision_count,
            methods=list(_methods_of(e.methods)),
            reviews=list(e.quality_reviews.all()),
        )
        for e in read
    ]
