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

from django.db.models import Count, Q, QuerySet

from .enrolment_models import EnrolmentStatus
from .held_roles import candidate_here
from .models import Centre, Enrolment


def active(path: str = "") -> Q:
    """Active enrolments (of rows `path` leads to an enrolment from)."""
    return Q(**{f"{path}status": EnrolmentStatus.ACTIVE}) & Q(candidate_here(path))


def of_deactivated_candidates(path: str = "") -> Q:
    """Enrolments neither withdrawn nor transferred whose candidate is deactivated at the centre."""
    return Q(**{f"{path}status": EnrolmentStatus.ACTIVE}) & ~Q(candidate_here(path))


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


def _figures_counted() -> dict[str, Count]:
    """Each enrolment is asked whether its candidate is still here once (the open ones only): the
    other two figures are differences."""
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
        "active": Count("pk", filter=active()),
    }


def _figures(total: int, open_: int, active_: int) -> EnrolmentsCounted:
    return EnrolmentsCounted(active=active_, of_deactivated=open_ - active_, closed=total - open_)


def counted(enrolments: QuerySet[Enrolment]) -> EnrolmentsCounted:
    """These enrolments counted: one query."""
    found = enrolments.order_by().aggregate(**_figures_counted())
    return _figures(found["total"], found["open"], found["active"])


def counted_by(enrolments: QuerySet[Enrolment], field: str, among: Iterable[int]) -> dict[int, EnrolmentsCounted]:
    """These enrolments counted by `field` ("centre", "candidate"), for the ids `among` (each of
    them given figures, none found being nothing counted): one query."""
    ids = list(among)
    grouped = (
        enrolments.filter(**{f"{field}__in": ids}).order_by().values_list(field).annotate(**_figures_counted())
        .values_list(field, "total", "open", "active")
    )
    found = {key: _figures(total, open_, active_) for key, total, open_, active_ in grouped}
    return {key: found.get(key, EnrolmentsCounted()) for key in ids}


def of_centres(centres: Iterable[Centre]) -> list[Centre]:
    """The centres, each with `enrolments_counted` (an `EnrolmentsCounted`), for the administrator's
    home and the site administrator's centres: one query."""
    found = list(centres)
    figures = counted_by(Enrolment.objects.all(), "centre", [centre.pk for centre in found])
    for centre in found:
        centre.enrolments_counted = figures[centre.pk]  # type: ignore[attr-defined]  # for the template
    return found
