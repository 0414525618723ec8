"""The units the sample page shows in full: the current sample, the suggestion and one page of the list."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from portfolio import dates
from portfolio.held_roles import as_iqa
from portfolio.models import AssessmentMethod, Enrolment, EnrolmentStatus, Person

from .. import unit_state
from ..fixity import found_changed_since_sign_off
from ..models import Decision, QualityReview, SignOff
from ..sign_off_seals import sign_offs_changed
from ..unit_state import UnitState
from .methods import methods_of, with_methods

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


@dataclass
class SampleRow:
    """One enrolment the IQA quality-assures, as the sample page shows it."""

    enrolment: Enrolment
    iqa: Person
    sign_off: SignOff | None
    decision_count: int
    methods: list[str]
    reviews: list[QualityReview] = field(default_factory=list)
    # Where the unit stands in the words of the centre and unit pages (`selectors.unit_states`), set
    # where those say more than the IQA's state: "In progress, paused" of a deactivated candidate's.
    standing: str = ""
    # Decisions recorded and withdrawn since the IQA last agreed with the decisions so far at an
    # interim review (`sample_rows` counts them in SQL; 0 when the IQA never did).
    decided_since: int = 0
    withdrawn_since: int = 0
    sign_offs_changed: bool = False  # a sign-off of the unit is not in the database as made (`sign_off_seals`)

    @property
    def changed(self) -> bool:
        """The signed record has changed since sign-off, as far as is known without reading a file
        (`fixity.found_changed_since_sign_off`), or a sign-off of it was deleted: the list marks it,
        as the unit page does."""
        return self.sign_offs_changed or bool(self.sign_off and getattr(self.sign_off, "changed", False))

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
    def last_agreement(self) -> QualityReview | None:
        """The interim review that agreed with the decisions so far, when it is the IQA's last word
        on the unit (no review recorded after it)."""
        recorded = [r for r in self.reviews if r.reviewed_at is not None]
        last = max(recorded, key=lambda r: (r.reviewed_at, r.pk), default=None)
        return last if last is not None and last.agreed_so_far else None

    @property
    def nothing_new(self) -> bool:
        """The IQA agreed with the decisions so far and nothing has changed since: no decision
        recorded or withdrawn, no sign-off. Nothing to review (`flags.unchanged_agreements`, the
        same rule in SQL), so it is not waiting for the IQA even when it is in their sample."""
        return (
            self.last_agreement is not None
            and self.sign_off is None
            and not self.decided_since
            and not self.withdrawn_since
        )

    @property
    def since_agreement(self) -> str:
        """What is new since the IQA's last agreement at an interim review, in words: "2 decisions
        recorded and 1 withdrawn since", "signed off since, on 5 December 2026", "nothing new since"."""
        agreement = self.last_agreement
        if agreement is None:
            return ""
        new = []
        if self.decided_since:
            new.append(f"{self.decided_since} decision{'s' if self.decided_since != 1 else ''} recorded")
        if self.withdrawn_since:
            noun = "" if self.decided_since else f" decision{'s' if self.withdrawn_since != 1 else ''}"
            new.append(f"{self.withdrawn_since}{noun} withdrawn")
        words = f"{' and '.join(new)} since" if new else ""
        agreed_at = agreement.reviewed_at  # recorded: `last_agreement` is of the reviews recorded
        if self.sign_off is not None and agreed_at is not None and self.sign_off.assessor_signed_at > agreed_at:
            signed = f"signed off since, on {dates.day(self.sign_off.assessor_signed_at)}"
            words = f"{words}; {signed}" if words else signed
        return words or "nothing new since"

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
        return state, self.standing or state.label

    @property
    def may_add(self) -> bool:
        """Whether the list offers a tick to add it to the sample: not the IQA's own assessing, not in
        the sample already, not countersigned as it stands (`sample_add` refuses that). The page
        says which instead, and offers no Add button where no row on it has a tick."""
        return not self.iqa_is_assessor and self.open_review is None and self.state[0] != UnitState.COUNTERSIGNED

    @property
    def method_labels(self) -> list[str]:
        return [AssessmentMethod(m).label for m in self.methods]


def _counted(since: Q) -> Coalesce:
    """How many of the row's unit's decisions match `since`, as a subquery."""
    matching = (
        Decision.objects.filter(since, enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(matching), 0)


def sample_rows(iqa: Person, enrolments: QuerySet | None = None) -> list[SampleRow]:
    """The enrolments given (by default every one the IQA quality-assures), read in full, in the
    order of the queryset given (by default by assessor, then candidate, then unit): three queries."""
    # What is new since the IQA last agreed with the decisions so far: counted here, not per row.
    if enrolments is None:
        enrolments = Enrolment.objects.filter(as_iqa(iqa), status=EnrolmentStatus.ACTIVE).order_by(*LIST_ORDER)
    standing = SignOff.objects.standing().only(
        "pk", "enrolment_id", "candidate_signed_at", "assessor_signed_at", "voided_at"
    ).annotate(changed=ExpressionWrapper(found_changed_since_sign_off(), output_field=BooleanField()))
    agreed = (
        QualityReview.objects.filter(
            enrolment=OuterRef(OuterRef("pk")), stage=Stage.INTERIM, outcome=Outcome.COUNTERSIGNED
        )
        .order_by("-reviewed_at", "-pk")
        .values("reviewed_at")[:1]
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
        .annotate(
            decision_count=Coalesce(Subquery(decisions), 0),
            decided_since=_counted(Q(decided_at__gt=Subquery(agreed))),
            withdrawn_since=_counted(Q(withdrawn_at__gt=Subquery(agreed))),
            sign_offs_changed=ExpressionWrapper(sign_offs_changed(), output_field=BooleanField()),
        )
        .prefetch_related(
            Prefetch("sign_offs", queryset=standing, to_attr="standing_sign_offs"),
            # Into a list (`to_attr`): prefetched into the related manager instead, Django builds a
            # queryset for every row to hold them (0.3 ms a row, a quarter of the IQA's sample page).
            Prefetch("quality_reviews", queryset=QualityReview.objects.order_by("sampled_at", "pk"), to_attr="reviews_in_order"),
        )
    )
    return [
        SampleRow(
            enrolment=e,
            iqa=iqa,
            sign_off=e.standing_sign_offs[0] if e.standing_sign_offs else None,
            decision_count=e.decision_count,
            methods=list(methods_of(e.methods)),
            reviews=e.reviews_in_order,
            decided_since=e.decided_since,
            withdrawn_since=e.withdrawn_since,
            sign_offs_changed=e.sign_offs_changed,
        )
        for e in read
    ]
