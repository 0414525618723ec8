"""The assessor's caseload at a glance, for their home page: each unit and each candidate by where it
stands for the assessor, what is overdue, and the evidence waiting with its longest wait.

The rules, each stated here once (the IQA's home, `home_iqa_caseload`, uses the same):
- Overdue: a unit is overdue when its target date has passed (is before today, the local date) and it
  has no standing sign-off. Nothing else: no "at risk" guess from progress.
- Near its target date: not signed off, and its target date is today or within `NEAR_TARGET`.
- Where a unit stands for its assessor (`Standing`), the first that holds: referred back by the IQA
  and not yet answered (waiting for you); signed off (a standing sign-off); every criterion and
  knowledge item met (ready to sign off); evidence waiting for judgement (waiting for you); else the
  candidate is working on it.
- Evidence waiting on a unit: the candidate's submitted evidence at the unit's centre mapped to one
  of its criteria or knowledge items (as the queue narrowed to a unit finds it). Its wait is counted
  in working days by `caseload.working_days_waited` and said by `caseload.wait_words`, as the
  reports count and say it.

Everything is read in a fixed number of queries, however many units and candidates there are."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, TextChoices
from django.urls import reverse
from django.utils import timezone

from portfolio.case_evidence import case_fields
from portfolio.held_roles import as_assessor, candidate_here
from portfolio.models import Enrolment, EnrolmentStatus, Evidence, EvidenceState, Person
from standards.models import Criterion, KnowledgeItem

from . import sign_off_seals
from .caseload import oldest_wait_words
from .counted import of_current_candidates
from .models import SignOff
from .progress import met_counts
from .sampling.flags import referral_waiting

NEAR_TARGET = datetime.timedelta(days=28)
_FAR = datetime.date.max


def is_overdue(target_date: datetime.date, *, signed_off: bool, today: datetime.date) -> bool:
    """The rule: past its target date and not signed off."""
    return not signed_off and target_date < today


# Waiting evidence. --------------------------------------------------------------------------------

# (candidate, centre, unit) of an enrolment: the evidence waiting on it is the candidate's, at the
# centre, mapped to the unit.
UnitKey = tuple[int, int, int]


@dataclass
class UnitWaiting:
    """Evidence waiting on one unit: the ids (an item mapped to two units waits on each, and counts
    once for its candidate) and when the longest waiting was submitted."""

    ids: set[int] = field(default_factory=set)
    oldest: datetime.datetime | None = None

    def add(self, evidence_id: int, submitted_at: datetime.datetime | None) -> None:
        self.ids.add(evidence_id)
        if submitted_at is not None and (self.oldest is None or submitted_at < self.oldest):
            self.oldest = submitted_at

    def merge(self, other: "UnitWaiting") -> None:
        self.ids |= other.ids
        if other.oldest is not None and (self.oldest is None or other.oldest < self.oldest):
            self.oldest = other.oldest


def waiting_by_unit(candidates: Iterable[int] | object) -> dict[UnitKey, UnitWaiting]:
    """The submitted evidence of these candidates (ids, or a query of ids) by the units it is mapped
    to, in two queries (one per kind of item)."""
    found: dict[UnitKey, UnitWaiting] = {}
    for through, unit in (
        (Evidence.criteria.through, "criterion__unit_id"),
        (Evidence.knowledge_items.through, "knowledgeitem__unit_id"),
    ):
        rows = (
            through.objects.filter(evidence__candidate_id__in=candidates, evidence__state=EvidenceState.SUBMITTED)
            .values_list("evidence_id", *case_fields("evidence__"), unit, "evidence__submitted_at")
            .distinct()
        )
        for evidence_id, candidate_id, centre_id, unit_id, submitted_at in rows:
            found.setdefault((candidate_id, centre_id, unit_id), UnitWaiting()).add(evidence_id, submitted_at)
    return found


def items_by_unit(unit_ids: set[int]) -> dict[int, int]:
    """How many criteria and knowledge items each unit has, in two queries."""
    found: dict[int, int] = {}
    for model in (Criterion, KnowledgeItem):
        counted = model.objects.filter(unit_id__in=unit_ids or {0}).order_by().values("unit_id").annotate(n=Count("pk"))
        for row in counted.values_list("unit_id", "n"):
            found[row[0]] = found.get(row[0], 0) + row[1]
    return found


# Bars. -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarPart:
    label: str
    count: int
    css: str  # its fill: a class of static/css/portfolio.css


@dataclass
class Bar:
    """A stacked bar drawn on the server (templates/assessments/caseload_bar.html): its parts, left to
    right, of `total`, and the words that say the same for those who do not see it."""

    parts: list[BarPart]
    total: int
    words: str

    @property
    def drawn(self) -> list[tuple[BarPart, str, str]]:
        """(part, x, width) in per cent of the bar, as SVG attributes."""
        drawn, x = [], 0.0
        for part in self.parts:
            width = 100 * part.count / self.total if self.total else 0.0
            if width:
                drawn.append((part, f"{x:.2f}", f"{width:.2f}"))
            x += width
        return drawn


# The assessor. ---------------------------------------------------------------------------------


class Standing(TextChoices):
    """Where a unit stands for its assessor, in the order the caseload bar draws them."""

    WAITING = "waiting", "Waiting for you"
    READY = "ready", "Ready to sign off"
    WORKING = "working", "Candidate working"
    SIGNED_OFF = "signed-off", "Signed off"


# A candidate's line counts their units in each standing: "1 unit waiting for you · 2 units in progress".
STANDING_PHRASE = {
    Standing.WAITING: "waiting for you", Standing.READY: "ready to sign off",
    Standing.WORKING: "in progress", Standing.SIGNED_OFF: "signed off",
}

STANDING_CSS = {
    Standing.WAITING: "fill-waiting", Standing.READY: "fill-ready",
    Standing.WORKING: "fill-working", Standing.SIGNED_OFF: "fill-signed",
}


@dataclass
class UnitLine:
    enrolment: Enrolment
    items: int
    met: int
    waiting: UnitWaiting
    standing: Standing
    referred: bool  # referred back by the IQA, not yet answered
    overdue: bool
    near_target: bool
    changed: bool = False  # its record known changed since sign-off (`fixity.found_changed_since_sign_off`), or a sign-off of it deleted (`sign_off_seals`)


def _standing(*, referred: bool, signed_off: bool, items: int, met: int, waiting: UnitWaiting) -> Standing:
    if referred:  # the first rule of `unit_state`: a referral waiting decides the unit's state
        return Standing.WAITING
    if signed_off:
        return Standing.SIGNED_OFF
    if items and met >= items:
        return Standing.READY
    return Standing.WAITING if waiting.ids else Standing.WORKING


@dataclass(frozen=True)
class Action:
    """The one thing to press on a candidate's line: `label`, with `hidden` words for screen readers."""

    label: str
    url: str
    hidden: str = ""


@dataclass
class CandidateLine:
    candidate: Person
    units: list[UnitLine]

    @property
    def changed(self) -> list[Enrolment]:
        """Their signed-off units whose record is known changed since sign-off: marked, with a link."""
        return [line.enrolment for line in self.units if line.changed]

    @property
    def met(self) -> int:
        return sum(line.met for line in self.units)

    @property
    def items(self) -> int:
        return sum(line.items for line in self.units)

    @property
    def waiting(self) -> int:
        return len(set().union(*(line.waiting.ids for line in self.units)))

    @property
    def oldest(self) -> datetime.datetime | None:
        return min((line.waiting.oldest for line in self.units if line.waiting.oldest), default=None)

    @property
    def oldest_words(self) -> str:
        return oldest_wait_words(self.oldest, timezone.localdate())

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.units)

    @property
    def next_target(self) -> datetime.date | None:
        """The nearest target date of a unit not signed off."""
        return min((ln.enrolment.target_date for ln in self.units if ln.standing != Standing.SIGNED_OFF), default=None)

    def count(self, standing: Standing) -> int:
        return sum(line.standing == standing for line in self.units)

    @property
    def standings(self) -> list[str]:
        return [
            f"{n} unit{'' if n == 1 else 's'} {STANDING_PHRASE[standing]}"
            for standing in Standing if (n := self.count(standing))
        ]

    @property
    def needs_you(self) -> bool:
        return bool(self.count(Standing.WAITING) or self.count(Standing.READY))

    @property
    def bar(self) -> Bar:
        label = f"{self.met} of {self.items} items met"
        return Bar([BarPart("Met", self.met, "fill-signed")], self.items, f"{self.candidate}: {label}")

    @property
    def action(self) -> Action:
        """The first that holds: a unit to sign off, an IQA's referral to answer, evidence to judge,
        an overdue unit to look at; else the candidate's units."""
        for_whom = f" for {self.candidate}"
        by_target = sorted(self.units, key=lambda line: (line.enrolment.target_date, line.enrolment.pk))
        ready = [line for line in by_target if line.standing == Standing.READY and not line.changed]
        if ready:
            code = ready[0].enrolment.unit.code
            return Action(f"Sign off {code}", reverse("assessments:sign_off", args=[ready[0].enrolment.pk]), for_whom)
        referred = [line for line in by_target if line.referred]
        if referred:
            return Action("Answer your IQA", reverse("assessments:enrolment_detail", args=[referred[0].enrolment.pk]),
                          f" on {referred[0].enrolment.unit.code}{for_whom}")
        if self.waiting:
            return Action(f"Judge {self.waiting}", reverse("assessments:queue") + f"?candidate={self.candidate.pk}",
                          f" waiting{for_whom}")
        overdue = [line for line in by_target if line.overdue]
        if overdue:
            code = overdue[0].enrolment.unit.code
            return Action(f"Open {code}", reverse("assessments:enrolment_detail", args=[overdue[0].enrolment.pk]),
                          for_whom)
        return Action("Units", reverse("assessments:candidate_units") + f"?candidate={self.candidate.pk}", for_whom)

    def order(self) -> tuple:
        """Something for the assessor to do first, the overdue among them first, then the longest
        waiting; then the rest by their nearest target date."""
        oldest = self.oldest or datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return (not self.needs_you, not self.overdue, oldest, self.next_target or _FAR,
                self.candidate.last_name, self.candidate.first_name, self.candidate.pk)


@dataclass
class AssessorCaseload:
    units: list[UnitLine]
    candidates: list[CandidateLine]  # what needs the assessor first
    left_out: int = 0  # units of candidates deactivated at the unit's centre: in no figure or line
    # Of those, the signed off: no work of the assessor's, but the centre's reports count them as
    # signed off (`counted.in_figures`), so the home says so rather than seem to disagree.
    left_out_signed_off: int = 0

    def count(self, standing: Standing) -> int:
        return sum(line.standing == standing for line in self.units)

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.units)

    @property
    def near_target(self) -> int:
        return sum(line.near_target for line in self.units)

    @property
    def ready(self) -> list[UnitLine]:
        """The units ready to sign off, the nearest their target date first."""
        # Not one whose sign-off was deleted by hand (`sign_off_seals`): it cannot be signed off again.
        found = [line for line in self.units if line.standing == Standing.READY and not line.changed]
        return sorted(found, key=lambda line: (line.enrolment.target_date, line.enrolment.pk))

    @property
    def open_nearest_target(self) -> list[int]:
        """The ids of the units not signed off, the nearest their target date (the most overdue) first."""
        found = [line.enrolment for line in self.units if line.standing != Standing.SIGNED_OFF]
        return [e.pk for e in sorted(found, key=lambda e: (e.target_date, e.candidate.last_name, e.unit.code, e.pk))]

    @property
    def bar(self) -> Bar:
        parts = [BarPart(standing.label, self.count(standing), STANDING_CSS[standing]) for standing in Standing]
        words = "; ".join(f"{part.label}: {part.count}" for part in parts)
        return Bar(parts, len(self.units), f"Your {len(self.units)} units: {words}")


def assessor_caseload(person: Person) -> AssessorCaseload:
    """Every unit the person assesses, and every candidate, as the module's docstring says: six queries."""
    today = timezone.localdate()
    # Withdrawn and transferred units are no work of theirs; nor any unit at a centre where they
    # no longer hold the role (portfolio.held_roles). A deactivated candidate works on nothing: their
    # units are left out and only counted, as the reports count them (counted.of_current_candidates).
    assessed = Enrolment.objects.filter(as_assessor(person), status=EnrolmentStatus.ACTIVE)
    mine = of_current_candidates(assessed)
    # Of a unit's state only its first rule matters here (a referral waiting decides it): asked on
    # its own, as one EXISTS. The whole state (`sampling.with_state`) made PostgreSQL hash every
    # sign-off and review at the centre for the assessor's hundred units, so it grew with the centre.
    read = list(
        assessed.annotate(
            referred=referral_waiting(),
            signed_off=Exists(SignOff.objects.standing().filter(enrolment=OuterRef("pk"))),
            changed=ExpressionWrapper(sign_off_seals.record_changed(), output_field=BooleanField()),
            candidate_here=candidate_here(),
        )
        .select_related("candidate", "unit")
    )
    enrolments = [enrolment for enrolment in read if enrolment.candidate_here]
    items = items_by_unit({e.unit_id for e in enrolments})
    met = met_counts(mine)
    waiting = waiting_by_unit(mine.values("candidate_id"))
    lines = []
    for enrolment in enrolments:
        signed_off = enrolment.signed_off
        unit_waiting = waiting.get((enrolment.candidate_id, enrolment.centre_id, enrolment.unit_id), UnitWaiting())
        lines.append(UnitLine(
            enrolment=enrolment, items=items.get(enrolment.unit_id, 0), met=met.get(enrolment.pk, 0),
            waiting=unit_waiting,
            # One whose sign-off was deleted by hand counts as signed off, marked changed: not "ready".
            standing=_standing(referred=enrolment.referred, signed_off=signed_off or enrolment.changed,
                               items=items.get(enrolment.unit_id, 0), met=met.get(enrolment.pk, 0),
                               waiting=unit_waiting),
            referred=enrolment.referred,
            overdue=is_overdue(enrolment.target_date, signed_off=signed_off, today=today),
            near_target=not signed_off and today <= enrolment.target_date <= today + NEAR_TARGET,
            changed=enrolment.changed,
        ))
    by_candidate: dict[int, CandidateLine] = {}
    for line in lines:
        candidate = line.enrolment.candidate
        by_candidate.setdefault(candidate.pk, CandidateLine(candidate, [])).units.append(line)
    apart = [enrolment for enrolment in read if not enrolment.candidate_here]
    return AssessorCaseload(units=lines, candidates=sorted(by_candidate.values(), key=CandidateLine.order),
                            left_out=len(apart), left_out_signed_off=sum(e.signed_off for e in apart))


def closed_count(person: Person) -> int:
    """How many units the person assesses are withdrawn or transferred: no work of theirs, and in no
    figure, so an empty list says so rather than blame deactivated candidates (an outside trial)."""
    return Enrolment.objects.filter(as_assessor(person)).exclude(status=EnrolmentStatus.ACTIVE).count()


def overdue_filter(today: datetime.date) -> Q:
    """The overdue rule in SQL, for an enrolment query annotated with `signed_off`."""
    return Q(signed_off=False, target_date__lt=today)
