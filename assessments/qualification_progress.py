"""How far a candidate is with a qualification: each of its units (the mandatory ones and the
optional ones chosen) with where it stands, the credits achieved of those needed, and what is still
needed, group by group (the rules are `standards.combination`'s).

A unit counts towards the qualification once it is complete: signed off, countersigned by the
candidate and, where the IQA sampled it, by the IQA (`unit_state.completed_at`): only then may the
centre claim it. Its units and its credits are "achieved" by that one rule; a unit signed off and
waiting for a signature is said to be waiting (`awaiting`), never counted as achieved. The candidate's
home, the qualification's page, the claims and the summary of achievement all read it from here."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from portfolio import dates
from portfolio.models import Enrolment, EnrolmentChange, EnrolmentStatus, QualificationRegistration
from standards.combination import Shortfalls, places_of, rule_words, shortfalls
from standards.models import QualificationGroup, QualificationUnit

from .models import QualityReview, SignOff
from .selectors import unit_states
from .unit_state import Badge


@dataclass(frozen=True)
class QualificationUnitRow:
    place: QualificationUnit
    enrolment: Enrolment | None
    badge: Badge | None
    sign_off: SignOff | None  # the standing sign-off
    iqa_countersigned_at: datetime.datetime | None  # of the standing sign-off

    @property
    def completed_at(self) -> datetime.datetime | None:
        return self.badge.completed_at if self.badge else None

    @property
    def awaiting(self) -> str:
        """Signed off but not yet achieved: whose signature it waits for ("candidate", "iqa"), or ""."""
        if self.sign_off is None or self.completed_at is not None:
            return ""
        return "candidate" if self.sign_off.candidate_signed_at is None else "iqa"


@dataclass(frozen=True)
class GroupProgress:
    group: QualificationGroup
    rule: str
    rows: list[QualificationUnitRow]
    still_needed: list[str]


@dataclass(frozen=True)
class QualificationProgress:
    registration: QualificationRegistration
    groups: list[GroupProgress]
    credits_achieved: int
    credits_needed: int
    units_signed_off: int
    units_total: int
    still_needed: list[str]  # beyond the groups': the qualification's credit total
    complete: bool

    @property
    def rows(self) -> list[QualificationUnitRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def everything_needed(self) -> list[str]:
        """What each group still needs, then the qualification: one list for a one-line summary."""
        return [need for group in self.groups for need in group.still_needed] + self.still_needed

    @property
    def units_achieved(self) -> int:
        """Complete, as the credits count them: signed off, countersigned and quality-assured where sampled."""
        return sum(1 for row in self.rows if row.completed_at)

    @property
    def awaiting_candidate(self) -> list[QualificationUnitRow]:
        """Signed off by the assessor, not yet countersigned by the candidate: not achieved until they are."""
        return [row for row in self.rows if row.awaiting == "candidate"]

    @property
    def awaiting_iqa(self) -> list[QualificationUnitRow]:
        return [row for row in self.rows if row.awaiting == "iqa"]

    @property
    def completed_at(self) -> datetime.datetime | None:
        dates = [row.completed_at for row in self.rows if row.completed_at]
        return max(dates) if self.complete and dates else None


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _closed_words(enrolments: Iterable[Enrolment]) -> dict[int, str]:
    """The withdrawn or transferred enrolments among these, by id: how and when, in words
    ("withdrawn on 4 December 2026"). One query, and none when every one is active."""
    closed = {e.pk: e for e in enrolments if e.status != EnrolmentStatus.ACTIVE}
    if not closed:
        return {}
    found: dict[int, str] = {}
    for change in EnrolmentChange.objects.filter(enrolment__in=list(closed), kind__in=["withdrawn", "transferred"]):
        enrolment = closed[change.enrolment_id]
        if enrolment.pk in found or change.to_status != enrolment.status:
            continue  # the latest closing is read first (`EnrolmentChange.Meta.ordering`)
        where = f" to {change.transferred_to}" if change.transferred_to else ""
        on = f" on {dates.day(change.effective_date)}" if change.effective_date else ""
        found[enrolment.pk] = f"{enrolment.get_status_display().lower()}{where}{on}"
    for enrolment in closed.values():
        found.setdefault(enrolment.pk, enrolment.get_status_display().lower())
    return found


def _unit_needed(code: str, closed: str) -> str:
    """A mandatory unit not complete: to be completed, or, withdrawn or transferred, said so (an
    outside trial: "HSC331 to be completed" of a unit withdrawn, which nobody can complete)."""
    if not closed:
        return f"{code} to be completed"
    return f"{code} was {closed}: the qualification cannot be completed unless the centre reinstates it"


def _group_needs(found: Shortfalls, group_id: int, closed: dict[int, str]) -> list[str]:
    for group in found.groups:
        if group.group.pk != group_id:
            continue
        needs = [_unit_needed(p.unit.code, closed.get(p.unit_id, "")) for p in group.missing_mandatory]
        optional = []
        if group.units_short:
            optional.append(f"{_plural(group.units_short, 'more unit')} from {group.group.name} to be completed")
        if group.credits_short:
            optional.append(f"{_plural(group.credits_short, 'more credit')} from {group.group.name}")
        if optional and not group.group.mandatory:
            # An optional unit chosen and closed is why the group falls short: named, as a mandatory
            # one is (an outside trial: "1 more unit ... to be completed" beside a unit "Transferred").
            gone = [f"{p.unit.code} was {closed[p.unit_id]}" for p in group.places if p.unit_id in closed]
            if gone:
                optional[0] += ": " + "; ".join(gone)
        return needs + optional
    return []


def qualification_progress(registration: QualificationRegistration) -> QualificationProgress:
    return progress_of([registration])[registration.pk]


def progress_of(registrations: Iterable[QualificationRegistration]) -> dict[int, QualificationProgress]:
    """Each registration's progress, by its id, in the same number of queries for one registration
    or fifty (a page of the centre's): each qualification's units are read once."""
    registrations = list(registrations)
    chosen: dict[int, set[int]] = {r.pk: set() for r in registrations}
    for registration_id, unit_id in QualificationRegistration.units.through.objects.filter(
        qualificationregistration__in=list(chosen)
    ).values_list("qualificationregistration_id", "unit_id"):
        chosen[registration_id].add(unit_id)
    places_by_qualification: dict[int, list] = {}
    # A registration is a centre's: only that centre's enrolments count towards it. A candidate
    # registered on the same units at another centre must neither show nor complete it here.
    enrolments = {
        (e.centre_id, e.candidate_id, e.unit_id): e
        for e in Enrolment.objects.filter(
            centre__in={r.centre_id for r in registrations},
            candidate__in=[r.candidate_id for r in registrations],
            unit__in={u for units in chosen.values() for u in units},
        ).select_related("assessor", "iqa", "unit")
    }
    states = unit_states(enrolments.values())
    signed = SignOff.objects.standing().without_record().filter(enrolment__in=list(enrolments.values()))
    standing = {s.enrolment_id: s for s in signed.select_related("assessor")}
    iqa_dates = dict(
        QualityReview.objects.filter(sign_off__in=list(standing.values()), outcome=QualityReview.Outcome.COUNTERSIGNED)
        .order_by("reviewed_at").values_list("sign_off_id", "reviewed_at")
    )
    closed = _closed_words(enrolments.values())
    found = {}
    for registration in registrations:
        if registration.qualification_id not in places_by_qualification:
            places_by_qualification[registration.qualification_id] = places_of(registration.qualification)
        places = [p for p in places_by_qualification[registration.qualification_id] if p.unit_id in chosen[registration.pk]]
        rows = []
        for place in places:
            enrolment = enrolments.get((registration.centre_id, registration.candidate_id, place.unit_id))
            sign_off = standing.get(enrolment.pk) if enrolment else None
            rows.append(QualificationUnitRow(
                place=place, enrolment=enrolment, badge=states.get(enrolment.pk) if enrolment else None,
                sign_off=sign_off, iqa_countersigned_at=iqa_dates.get(sign_off.pk) if sign_off else None,
            ))
        achieved = {row.place.unit_id for row in rows if row.completed_at}
        short = shortfalls(registration.qualification, places, achieved)
        groups: list[GroupProgress] = []
        mine = {r.place.unit_id: closed[r.enrolment.pk] for r in rows
                if r.enrolment and r.enrolment.pk in closed and r.place.unit_id not in achieved}
        for row in rows:
            if not groups or groups[-1].group.pk != row.place.group_id:
                group = row.place.group
                groups.append(GroupProgress(group, rule_words(group), [], _group_needs(short, group.pk, mine)))
            groups[-1].rows.append(row)
        found[registration.pk] = QualificationProgress(
            registration=registration, groups=groups, credits_achieved=short.credits,
            credits_needed=registration.qualification.credits,
            units_signed_off=sum(1 for row in rows if row.sign_off is not None), units_total=len(rows),
            still_needed=[f"{_plural(short.credits_short, 'more credit')} for the qualification"] if short.credits_short else [],
            complete=short.met and bool(rows),
        )
    return found
