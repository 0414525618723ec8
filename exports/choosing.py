"""Which of a centre's units a bulk export takes: chosen by what a centre asks for at claim time
(a qualification, a unit, an assessor, signed off since a day, signed off or not, a candidate's
name), counted in the database and shown a page at a time, so the page costs the same for a centre
of 1,000 candidates as of 10,000; the export itself takes every unit that matches, on the worker.
The assessors offered are the reports' (`assessments.assessors`): today's, then those who have left
but are still named on units here, marked "(deactivated)" or "(no longer an assessor)", since a
leaver's finished units are what a centre exports for the awarding body.

Only active units are offered. A withdrawn or transferred unit is closed before sign-off (a signed-off
unit is unlocked before it can be closed), so it is no claim: exported it could only be marked "not
signed off", as if the candidate were still working on it. The list and the confirmation say how
many of the units matching are left out for that (`matching_counts`, `matching_figures`); each
stays, as it stands, on its unit's page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from assessments import assessors
from assessments.models import SignOff
from portfolio import dates, name_order
from portfolio.deactivation_models import DeactivatedMembership
from portfolio.errors import PortfolioError
from portfolio.ids import Fingerprinted, fingerprint_counted, fingerprint_of_ids, ids_in
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Person, QualificationRegistration, Role
from standards.models import Qualification, Unit

SIGNED = "signed"
NOT_SIGNED = "not-signed"


@dataclass(frozen=True)
class UnitFilter:
    """What the administrator asked for; blank fields ask for nothing. `since_typed` is the date as
    typed, kept to show it again when it is not a date, or a date outside the span every filter
    keeps (`since_error` says which, beside the field)."""

    qualification: Qualification | None = None
    unit: Unit | None = None
    assessor: Person | None = None
    since: datetime.date | None = None
    since_typed: str = ""
    since_error: str = ""
    state: str = ""
    words: str = ""
    problems: tuple[str, ...] = ()  # a choice that names nothing the centre offers, in words
    # An assessor this centre deactivated, chosen though no unit here is theirs to export: named
    # again in the refused filter.
    deactivated_assessor: Person | None = None

    @property
    def since_problem(self) -> bool:
        return bool(self.since_error)

    @property
    def refused(self) -> bool:
        """The filter cannot be read: it lists nothing until chosen again, and says so."""
        return self.since_problem or bool(self.problems)

    @property
    def narrowed(self) -> bool:
        return any((self.qualification, self.unit, self.assessor, self.since_typed, self.state, self.words, self.problems))

    def describe(self) -> str:
        """In words, for the export's description: "HSC331, assessed by Bob Baker, signed off since 1 May 2026"."""
        parts = []
        if self.qualification:
            parts.append(f"{self.qualification.code} {self.qualification.title}")
        if self.unit:
            parts.append(self.unit.code)
        if self.assessor:
            parts.append(f"assessed by {assessors.name(self.assessor)}")
        if self.since:
            parts.append(f"signed off since {dates.day(self.since)}")
        elif self.state == SIGNED:
            parts.append("signed off")
        if self.state == NOT_SIGNED:  # with a day too, said: the two together match nothing
            parts.append("not signed off")
        if self.words:
            parts.append(f"matching “{self.words}”")
        return ", ".join(parts) or "every unit"


def _first(queryset: QuerySet, value: str | None) -> object | None:
    ids = ids_in([value]) if value else []
    return queryset.filter(pk=ids[0]).first() if ids else None


# What is said when a choice names nothing the centre offers: the same words whether it is another
# centre's, made up, or one that was there when the page was loaded (a person deactivated since),
# so a centre learns nothing of another's records.
NOT_OFFERED = "{label}: the {noun} chosen is not one of this centre’s {nouns}. Choose again."
# Except for someone this centre deactivated (a leaver still named on a unit here is offered, marked,
# so this is one with none): its own administrator knows them, and is told why.
DEACTIVATED = ("Assessor: {name} has been deactivated at this centre. No unit here has them as its assessor, "
               "so there is nothing of theirs to export. Choose another assessor, or any.")


def unit_filter(centre: Centre, asked: QueryDict) -> UnitFilter:
    """The filter the form sent (GET or POST), each choice only among the centre's own; a choice
    that is not among them is a problem (`problems`), never quietly read as "any"."""
    typed = asked.get("signed_off_since", "").strip()
    since, since_error = _since(typed)
    problems = []
    chosen: dict[str, object] = {}
    deactivated = None
    # Each list of what is offered is read only when a choice is to be found in it: the assessors'
    # reads their ids first, 3 ms of a page that chose no assessor.
    for name, label, noun, nouns, offered in (
        ("qualification", "Qualification", "qualification", "qualifications", qualifications_at),
        ("unit", "Unit", "unit", "units", units_at),
        ("assessor", "Assessor", "assessor", "assessors", assessors_at),
    ):
        value = asked.get(name, "").strip()
        chosen[name] = _first(offered(centre), value) if value else None
        if value and chosen[name] is None:
            if name == "assessor":
                deactivated = _deactivated_assessor(centre, value)
            known = deactivated if name == "assessor" else None
            problems.append(DEACTIVATED.format(name=known.get_full_name()) if known
                            else NOT_OFFERED.format(label=label, noun=noun, nouns=nouns))
    state = asked.get("state", "").strip()
    if state not in ("", SIGNED, NOT_SIGNED):
        problems.append("Sign-off: choose signed off, not signed off, or either. Choose again.")
        state = ""
    return UnitFilter(
        qualification=chosen["qualification"], unit=chosen["unit"], assessor=chosen["assessor"],  # type: ignore[arg-type]
        since=since, since_typed=typed, since_error=since_error, state=state, words=asked.get("q", "").strip()[:100],
        problems=tuple(problems),
        deactivated_assessor=deactivated,
    )


NOT_A_DATE = "Give the date as day, month and year."


def _since(typed: str) -> tuple[datetime.date | None, str]:
    """The day typed, or what is wrong with it: no date at all, or one outside the span every
    filter keeps (9999-12-31 is a slip of the year, not a day anything was signed off since)."""
    if not typed:
        return None, ""
    try:
        since = datetime.date.fromisoformat(typed)
    except ValueError:
        return None, NOT_A_DATE
    problem = dates.span_problem(since)
    return (None, problem) if problem else (since, "")


class UnitsChanged(PortfolioError):
    """The units matching are not those the page showed: nothing is exported. `count` is how many match
    now; `before`, how many the page said, when it said (as many, but not the same ones, is said so)."""

    def __init__(self, count: int, before: int | None = None) -> None:
        self.count = count
        now = f"{count} unit{'' if count == 1 else 's'} match{'es' if count == 1 else ''} now"
        if before == count:
            now += ", as many as before but not the same ones (one taken away and another added)"
        super().__init__(
            f"The units matching changed after the page was shown (a unit registered, signed off, withdrawn or moved since): "
            f"{now}. Nothing was exported. Check the number below and confirm again, or go back to the list."
        )


def units_confirmed(centre: Centre, asked: UnitFilter, shown: str, shown_count: int | None = None) -> list[Enrolment]:
    """Every unit matching the filter, provided they are the units the page offered as "All N
    matching" (`shown`: their fingerprint, `matching_figures`; `shown_count`: N), so that a unit
    registered or signed off while the administrator read the page is never exported without their
    seeing it."""
    units = list(units_matching(centre, asked))
    if fingerprint_of_ids(unit.pk for unit in units) != shown:
        raise UnitsChanged(len(units), before=shown_count)
    return units


def _deactivated_assessor(centre: Centre, value: str) -> Person | None:
    """The person chosen if this centre deactivated them while they were one of its assessors (and,
    not being offered, they are named on none of its units)."""
    ids = ids_in([value])
    deactivation = DeactivatedMembership.objects.filter(centre=centre, person_id__in=ids).select_related("person").first()
    return deactivation.person if deactivation and Role.ASSESSOR in deactivation.roles else None


def qualifications_at(centre: Centre) -> QuerySet[Qualification]:
    return Qualification.objects.filter(registrations__centre=centre).distinct().order_by("code")


def units_at(centre: Centre) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=Enrolment.objects.filter(centre=centre).values("unit")).order_by("code", "pk")


def assessors_at(centre: Centre) -> QuerySet[Person]:
    """Today's assessors here, then former ones still named on a unit here (`assessors.of_units`)."""
    return assessors.of_units(centre)


def assessor_choices(centre: Centre) -> list[tuple[int, str]]:
    """The Assessor filter's options, each id with its name as the reports show it, a leaver's marked."""
    return assessors.names(assessors_at(centre))


def units_matching(centre: Centre, chosen: UnitFilter) -> QuerySet[Enrolment]:
    """The centre's active units that match, by candidate's name (in the order of people,
    `name_order`, as the centre's portfolios list them) and unit code."""
    return (_asked(centre, chosen).filter(status=EnrolmentStatus.ACTIVE)
            .order_by(*name_order.by_name("candidate__"), "unit__code", "pk"))


def matching_counts(centre: Centre, chosen: UnitFilter) -> tuple[int, int]:
    """How many of the units matching are active (`units_matching`, the list and "All N matching"),
    and how many are withdrawn or transferred, not offered and said so. One pass over the centre's
    units, counted only: the fingerprint is taken when "All N matching" is confirmed."""
    groups = _asked(centre, chosen).order_by().values("status").annotate(units=Count("pk"))
    by_status = {group["status"]: group["units"] for group in groups}
    active = by_status.pop(EnrolmentStatus.ACTIVE, 0)
    return active, sum(by_status.values())


def query_of(chosen: UnitFilter) -> str:
    """The list's address for this filter ("?assessor=12&q=Morgan"), to go back to it."""
    fields = {
        "qualification": chosen.qualification.pk if chosen.qualification else "", "unit": chosen.unit.pk if chosen.unit else "",
        "assessor": chosen.assessor.pk if chosen.assessor else "", "state": chosen.state,
        "signed_off_since": chosen.since_typed, "q": chosen.words,
    }
    asked = {name: value for name, value in fields.items() if value}
    return f"?{urlencode(asked)}" if asked else ""


def matching_figures(centre: Centre, chosen: UnitFilter) -> Fingerprinted:
    """Of the units matching the filter, the active ones (`units_matching`): how many and their
    fingerprint, which "All N matching" carries (`units_confirmed`); and how many withdrawn or
    transferred units match, not offered, and said so. One pass over the centre's units."""
    return fingerprint_counted(_asked(centre, chosen), by="status", taken=[EnrolmentStatus.ACTIVE])


def _asked(centre: Centre, chosen: UnitFilter) -> QuerySet[Enrolment]:
    """The centre's units that match the filter, whatever their standing."""
    units = Enrolment.objects.filter(centre=centre)
    if chosen.qualification:
        units = units.filter(Exists(QualificationRegistration.objects.filter(
            centre=centre, candidate=OuterRef("candidate"), qualification=chosen.qualification, units=OuterRef("unit"),
        )))
    if chosen.unit:
        units = units.filter(unit=chosen.unit)
    if chosen.assessor:
        units = units.filter(assessor=chosen.assessor)
    signed = SignOff.objects.standing().filter(enrolment=OuterRef("pk"))
    if chosen.since:
        units = units.filter(Exists(signed.filter(assessor_signed_at__date__gte=chosen.since)))
    elif chosen.state == SIGNED:
        units = units.filter(Exists(signed))
    if chosen.state == NOT_SIGNED:
        units = units.exclude(Exists(signed))
    for word in chosen.words.split():
        units = units.filter(Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word))
    return units
