"""The questions asked of each enrolment, as SQL, each an EXISTS on an indexed foreign key: what the
suggestion needs to know of it, and where the unit has got to (its state), so the list filters on it."""

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from .. import unit_state
from ..models import Decision, QualityReview, SignOff

Outcome = QualityReview.Outcome
Stage = QualityReview.Stage


def _standing_sign_off() -> QuerySet:
    return SignOff.objects.standing().filter(enrolment=OuterRef("pk"))


def _reviews() -> QuerySet:
    return QualityReview.objects.filter(enrolment=OuterRef("pk"))


def _of_the_standing_sign_off(reviews: QuerySet) -> QuerySet:
    """The reviews tied to the unit's standing sign-off (none when it has none: the comparison with
    no sign-off is never true). Asked as "tied to the sign-off the unit's own standing sign-off
    lookup finds", an index probe for each unit, not as a join of reviews and sign-offs: PostgreSQL
    answered that by hashing every review and standing sign-off of the installation on every
    request (up to 7 ms at 10,000 candidates, growing with them)."""
    # No order: a unit has one standing sign-off at most (`one_standing_sign_off`), and the model's
    # own order (by the unit's candidate's name) joined three tables into every probe.
    standing = SignOff.objects.standing().filter(enrolment=OuterRef(OuterRef("pk"))).order_by().values("pk")[:1]
    return reviews.filter(sign_off=Subquery(standing))


def unchanged_agreements() -> QuerySet:
    """Interim reviews that agreed with the decisions so far and still stand as the IQA's last word:
    no review recorded after them, no decision on the unit recorded or withdrawn since, and the unit
    not signed off since. A unit with one has nothing new to review: the IQA agreed with its
    decisions as they stand. The review page refuses to agree again (`services/iqa.py`), and the
    sample counts it as waiting for review only once something is new (`review_due`)."""
    agreed = OuterRef("reviewed_at")
    later = QualityReview.objects.filter(enrolment=OuterRef("enrolment"), reviewed_at__gt=agreed)
    changed = Decision.objects.filter(enrolment=OuterRef("enrolment")).filter(
        Q(decided_at__gt=agreed) | Q(withdrawn_at__gt=agreed)
    )
    signed = SignOff.objects.standing().filter(enrolment=OuterRef("enrolment"))
    return QualityReview.objects.filter(stage=Stage.INTERIM, outcome=Outcome.COUNTERSIGNED).filter(
        ~Exists(later), ~Exists(changed), ~Exists(signed)
    )


def agreed_unchanged(enrolment: str = "pk") -> Exists:
    """Whether the unit (`enrolment`: the path to its id from the row asked) has an unchanged
    agreement (`unchanged_agreements`): nothing new since the IQA agreed with its decisions."""
    return Exists(unchanged_agreements().filter(enrolment=OuterRef(enrolment)))


def review_due() -> Case:
    """Whether a review of the row's unit waits for the IQA with something to review: the unit is in
    their sample, and it is not a unit whose decisions they agreed with as they stand (agreed at an
    interim review, then added again: outside trial, it read "waiting for your review" with nothing
    the IQA could record). `with_sample_flags` says the same of its rows."""
    sampled = Exists(QualityReview.objects.filter(enrolment=OuterRef("pk"), outcome=Outcome.SAMPLED))
    return Case(
        When(~sampled, then=Value(False)),
        When(agreed_unchanged(), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


def with_sample_flags(enrolments: QuerySet) -> QuerySet:
    """Annotates what the suggestion needs to know of each enrolment: `signed_off` (it has a
    standing sign-off), `has_decisions` (standing ones), `sampled_at` (when the review waiting in
    the sample was asked for, if one waits) and `in_sample` (a review waits, or the unit has been
    reviewed as it stands now: its standing sign-off once signed off, its decisions before that) and
    `review_due` (a review waits with something to review: not a unit whose decisions the IQA
    agreed with as they stand, `unchanged_agreements`)."""
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
        review_due=Case(
            When(sampled_at__isnull=True, then=Value(False)),
            When(signed_off=True, then=Value(True)),
            When(agreed_unchanged(), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        ),
    )


def referral_waiting() -> Exists:
    """Whether an IQA's referral of the row's unit waits for its assessor's answer: the first rule of
    its state (`unit_state`), which decides it whatever else is true."""
    return Exists(_reviews().filter(outcome=Outcome.REFERRED, actions_done_at__isnull=True))


def _state() -> Case:
    reviews = _reviews()
    return unit_state.annotation(
        referred=referral_waiting(),
        signed_off=Exists(_standing_sign_off()),
        countersigned_by_iqa=Exists(_of_the_standing_sign_off(reviews).filter(outcome=Outcome.COUNTERSIGNED)),
        awaiting_candidate=Exists(_standing_sign_off().filter(candidate_signed_at__isnull=True)),
    )


def with_state(enrolments: QuerySet) -> QuerySet:
    """Annotates `state`, the UnitState of SampleRow.state worked out in SQL, so the list filters on it."""
    return enrolments.annotate(state=_state())


def with_state_counted(enrolments: QuerySet) -> QuerySet:
    """As `with_state`, as `state`, for counting units by state over a whole centre: a unit with
    neither a standing sign-off nor a referral waiting is in progress, whatever else is true of it
    (`unit_state`'s first two rules), and is found so by looking its id up in the ids of the few
    units signed off or referred (each set read once). Only those few then have their state worked
    out by `with_state`'s EXISTS, row by row: asked of every unit of a centre, they cost two index
    lookups a unit and more."""
    signed_or_referred = Q(pk__in=SignOff.objects.standing().values("enrolment_id")) | Q(
        pk__in=QualityReview.objects.filter(outcome=Outcome.REFERRED, actions_done_at__isnull=True).values(
            "enrolment_id"
        )
    )
    return enrolments.annotate(
        state=Case(
            When(~signed_or_referred, then=Value(unit_state.UnitState.IN_PROGRESS.value)),
            default=_state(),
            output_field=CharField(),
        )
    )
