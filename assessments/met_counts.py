"""The standing decisions counted as they are made: on each enrolment (`EnrolmentMet`, the `met` of
its RAG status) and on each criterion at each centre (`CriterionMet`, progress by element). Every
service that makes a decision stand or stop standing, or moves it to another criterion, calls
`decision_counted` or `decision_moved` in its transaction (inside `counting` when it makes several);
`recount` counts a centre afresh (the
generator, which writes decisions in bulk). `live_counts` and `kept_counts` say the same thing, the
one counted from the decisions and the other as kept: the tests hold them equal."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Count, F, Model

from portfolio.models import Centre, Enrolment

from .models import CriterionMet, Decision, EnrolmentMet


def _add(model: type[Model], key: dict[str, int], change: int) -> None:
    if change > 0:
        # A row for each, made once; two services making the first at once both leave one row.
        model._default_manager.bulk_create([model(**key)], ignore_conflicts=True)
    model._default_manager.filter(**key).update(met=F("met") + change)


# The changes to the centre's criterion counts that a service making several decisions has yet to
# write (`counting`), by (centre id, criterion id).
_pending: ContextVar[Counter[tuple[int, int]] | None] = ContextVar("pending_criterion_counts", default=None)


def _criterion_counted(centre_id: int, criterion_id: int, change: int) -> None:
    pending = _pending.get()
    if pending is None:
        _add(CriterionMet, {"centre_id": centre_id, "criterion_id": criterion_id}, change)
    else:
        pending[centre_id, criterion_id] += change


@contextmanager
def counting() -> Iterator[None]:
    """Around a service's decisions on several criteria, inside its transaction: their criterion
    counts are written at the end, in one order. Every assessor at the centre writes the same rows,
    so two services writing them in the orders their items came in could each wait on the other."""
    pending: Counter[tuple[int, int]] = Counter()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for (centre_id, criterion_id), change in sorted(pending.items()):
        if change:
            _add(CriterionMet, {"centre_id": centre_id, "criterion_id": criterion_id}, change)


def decision_counted(*, enrolment: Enrolment, criterion_id: int | None, change: int) -> None:
    """A decision on the enrolment made standing (`change` 1) or withdrawn (-1); `criterion_id` is
    its criterion (None for a knowledge item, which no element counts)."""
    _add(EnrolmentMet, {"enrolment_id": enrolment.pk}, change)
    if criterion_id is not None:
        _criterion_counted(enrolment.centre_id, criterion_id, change)


def decision_moved(*, enrolment: Enrolment, from_criterion_id: int, to_criterion_id: int) -> None:
    """A standing decision carried to the same criterion of another version of the unit."""
    _criterion_counted(enrolment.centre_id, from_criterion_id, -1)
    _criterion_counted(enrolment.centre_id, to_criterion_id, 1)


@dataclass(frozen=True)
class MetCounts:
    """Standing decisions at a centre by enrolment id and by criterion id (no entry: none)."""

    by_enrolment: dict[int, int]
    by_criterion: dict[int, int]


def live_counts(centre: Centre) -> MetCounts:
    """Counted from the decisions themselves."""
    standing = Decision.objects.standing().filter(enrolment__centre=centre).order_by()
    return MetCounts(
        dict(standing.values("enrolment").annotate(n=Count("*")).values_list("enrolment", "n")),
        dict(standing.filter(criterion__isnull=False).values("criterion").annotate(n=Count("*"))
             .values_list("criterion", "n")),
    )


def kept_counts(centre: Centre) -> MetCounts:
    """As kept by the services (counts of none left out, as `live_counts` has no entry for them)."""
    return MetCounts(
        dict(EnrolmentMet.objects.filter(enrolment__centre=centre, met__gt=0).values_list("enrolment", "met")),
        dict(CriterionMet.objects.filter(centre=centre, met__gt=0).values_list("criterion", "met")),
    )


def recount(centre: Centre) -> None:
    """Counts the centre's standing decisions afresh, replacing what was kept."""
    counted = live_counts(centre)
    EnrolmentMet.objects.filter(enrolment__centre=centre).delete()
    CriterionMet.objects.filter(centre=centre).delete()
    EnrolmentMet.objects.bulk_create(
        [EnrolmentMet(enrolment_id=e, met=n) for e, n in counted.by_enrolment.items()], batch_size=2000
    )
    CriterionMet.objects.bulk_create(
        [CriterionMet(centre=centre, criterion_id=c, met=n) for c, n in counted.by_criterion.items()], batch_size=2000
    )
