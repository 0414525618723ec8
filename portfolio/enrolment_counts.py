"""How the centre's figures count its enrolments, decided once: the administrator's home, the site
administrator's centres, the centre page (its enrolments and its people's units) and the assessors'
caseloads all count by these.

Each enrolment counts as exactly one of:

- **active**: neither withdrawn nor transferred, and its candidate is a candidate at the centre now;
- **of a deactivated candidate**: neither withdrawn nor transferred, but its candidate's membership
  of the centre is deactivated (or the candidate role taken away). They work on nothing there
  (`held_roles.candidate_here`), so the unit is no one's work in progress; yet it is still open, and
  the centre has to decide on it (withdraw it, transfer it, or reactivate the candidate). So it is
  never counted as active nor silently dropped: counted apart, and said in words;
- **withdrawn or transferred**: kept as a record, counted apart and said.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .enrolment_models import EnrolmentStatus
from .held_roles import candidate_here
from .models import Centre, DeactivatedMembership, Enrolment


def of_deactivated_candidates(path: str = "") -> Q:
    """Enrolments (or rows `path` leads to one from) neither withdrawn nor transferred whose
    candidate is not a candidate at the centre now: deactivated there (taking the role away from a
    candidate registered on any unit is refused, `services_people._refuse_removing`).

    Asked first of the centre's deactivations, which are few, so the database starts from them and
    reads only their enrolments: asked of every enrolment, "is the candidate still here" was an
    anti-join of the whole centre's candidates, 1.9 ms at 1,000 candidates and 6.5 at 10,000 on the
    centre page. The second question keeps the rule exact (a deactivation naming other roles only)."""
    deactivated = DeactivatedMembership.objects.filter(person=OuterRef(f"{path}candidate"), centre=OuterRef(f"{path}centre"))
    return Q(**{f"{path}status": EnrolmentStatus.ACTIVE}) & Q(Exists(deactivated)) & ~Q(candidate_here(path))


@dataclass(frozen=True)
class EnrolmentsCounted:
    active: int = 0
    of_deactivated: int = 0  # of deactivated candidates, neither withdrawn nor transferred
    closed: int = 0  # withdrawn or transferred

    @property
    def total(self) -> int:
        return self.active + self.of_deactivated + self.closed

    @property
    def not_active(self) -> int:
        """Those said apart from the active ones."""
        return self.of_deactivated + self.closed


# Counted in two queries: every enrolment, and those neither withdrawn nor transferred (an index
# only: no row is read twice); then those of deactivated candidates, a WHERE that PostgreSQL answers
# by one anti-join of the centre's candidates. Asked of each row in a FILTER, "is the candidate
# still here" was a subquery per enrolment: 17 ms against 4 + 5 at 20,000 units.
def _every() -> dict[str, Count]:
    return {"total": Count("pk"), "open": Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE))}


def counted(enrolments: QuerySet[Enrolment]) -> EnrolmentsCounted:
    """These enrolments counted: two queries."""
    every = enrolments.order_by().aggregate(**_every())
    apart = enrolments.filter(of_deactivated_candidates()).order_by().count()
    return EnrolmentsCounted(active=every["open"] - apart, of_deactivated=apart, closed=every["total"] - every["open"])


def counted_by(enrolments: QuerySet[Enrolment], field: str, among: Iterable[int]) -> dict[int, EnrolmentsCounted]:
    """These enrolments counted by `field` ("centre", "candidate"), for the ids `among` (each of
    them given figures, none found being nothing counted): two queries."""
    ids = list(among)
    theirs = enrolments.filter(**{f"{field}__in": ids}).order_by()
    every = {key: (total, open_) for key, total, open_ in theirs.values_list(field).annotate(**_every()).values_list(field, "total", "open")}
    apart = dict(theirs.filter(of_deactivated_candidates()).values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    found = {}
    for key in ids:
        total, open_ = every.get(key, (0, 0))
        found[key] = EnrolmentsCounted(active=open_ - apart.get(key, 0), of_deactivated=apart.get(key, 0), closed=total - open_)
    return found


def of_centres(centres: Iterable[Centre]) -> list[Centre]:
    """The centres, each with `enrolments_counted` (an `EnrolmentsCounted`), for the administrator's
    home and the site administrator's centres: two queries."""
    found = list(centres)
    figures = counted_by(Enrolment.objects.all(), "centre", [centre.pk for centre in found])
    for centre in found:
        centre.enrolments_counted = figures[centre.pk]  # type: ignore[attr-defined]  # for the template
    return found
