"""A unit countersigned by an IQA as it stands now (the state "IQA countersigned": its standing
sign-off countersigned, no referral waiting) needs no sampling until it changes: a new sign-off after
a void reopens it. The sample page offers no tick for it ("Countersigned"), and `sample_add` refuses
one sent anyway (a page left open while it was countersigned), adding nothing."""

from collections.abc import Sequence

from portfolio.errors import PortfolioError
from portfolio.models import Enrolment

from ..sampling import with_state
from ..unit_state import UnitState


def refuse_countersigned(enrolments: Sequence[Enrolment]) -> None:
    """Refuses, naming them, any of these units countersigned as they stand now."""
    countersigned = set(
        with_state(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]))
        .filter(state=UnitState.COUNTERSIGNED)
        .values_list("pk", flat=True)
    )
    if not countersigned:
        return
    named = [
        f"{e.candidate.get_full_name() or e.candidate.email}, {e.unit.code}" for e in enrolments if e.pk in countersigned
    ]
    one = len(named) == 1
    others = " The other units you ticked are still ticked: add them again." if len(enrolments) > len(named) else ""
    raise PortfolioError(
        f"{' and '.join(named)} {'is' if one else 'are'} already countersigned as {'it stands' if one else 'they stand'}, "
        f"so {'it needs' if one else 'they need'} no sampling until {'it changes' if one else 'they change'} "
        f"(a new sign-off). Nothing was added to your sample.{others}"
    )
