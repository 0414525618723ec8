"""The plan of a centre: its size, the unsaved model instances of a batch of candidates, and the
state every part of the planning shares (the seed's random choices, the clock, the people)."""

# Made-up data from a seed, reproducible on purpose: nothing random here is a secret.
# ruff: noqa: S311

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import cast

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from assessments.models import Decision, JudgedEnrolment, Judgement, QualityReview
from portfolio.audit import AuditAction
from portfolio.models import (
    AuditEvent,
    Centre,
    Declaration,
    Enrolment,
    Evidence,
    EvidenceFile,
    Membership,
    Notification,
    Person,
)
from standards.models import SHIPPED_VERSION, Criterion, KnowledgeItem, ScopeItem, Unit

from .files import SampleFile, sample_files

UNIT_CODES = ("HSC331", "H3 25")
PASSWORD = "generated-centre-2026"  # noqa: S105 - printed for people trying a generated centre locally
EMAIL_DOMAIN = "generated.example"
CANDIDATES_PER_BATCH = 50


@dataclass(frozen=True)
class CentreSize:
    assessors: int = 4
    candidates: int = 40
    enrolments: int = 2  # per candidate; at most the number of units there are (two)
    evidence: int = 20  # per candidate
    files_per_evidence: int = 1
    iqas: int = 0  # 0: one for every five assessors, at least one
    administrators: int = 2
    signed_off_percent: int = 15
    # One more candidate with a fully evidenced, signed-off HSC331: 40 evidence items, 20 of them
    # camera-size photos. The benchmark renders its PDF.
    showcase: bool = False

    @property
    def iqa_count(self) -> int:
        return self.iqas or max(1, -(-self.assessors // 5))


@dataclass
class PlannedSignOff:
    enrolment: Enrolment
    signed_at: datetime.datetime
    countersigned_at: datetime.datetime | None
    review: str  # "", "sampled" or "countersigned"


@dataclass
class Batch:
    """Everything about some of the candidates, written together in one transaction."""

    evidence: list[Evidence] = field(default_factory=list)
    files: list[tuple[EvidenceFile, SampleFile]] = field(default_factory=list)
    criteria: list = field(default_factory=list)  # Evidence.criteria.through rows
    knowledge: list = field(default_factory=list)
    scope: list = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    judged_scope: list = field(default_factory=list)  # Judgement.scope_items.through rows
    judged_enrolments: list[JudgedEnrolment] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    cited: list = field(default_factory=list)  # Decision.evidence.through rows
    events: list[AuditEvent] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    sign_offs: list[PlannedSignOff] = field(default_factory=list)
    interim_reviews: list[QualityReview] = field(default_factory=list)


@dataclass
class UnitItems:
    unit: Unit
    criteria: list[Criterion]
    knowledge: list[KnowledgeItem]
    scope: list[ScopeItem]


@dataclass
class PlannedItem:
    """An evidence item while it is being planned."""

    evidence: Evidence
    units: list[str]
    criteria: list[Criterion]
    knowledge: list[KnowledgeItem]
    scope: list[ScopeItem]
    judged_at: datetime.datetime | None = None


class CentrePlan:
    """What planning the centre's people, evidence and decisions shares; the planners build on it."""

    def __init__(self, size: CentreSize, seed: int, *, code: str = "") -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        # Centres made in one database need keys and addresses of their own.
        self.keys = random.Random(f"storage keys {seed} {code}")
        self.email_domain = f"{code}.{EMAIL_DOMAIN}" if code else EMAIL_DOMAIN
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.units = {code: _unit_items(code) for code in UNIT_CODES}
        self.password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
        self.files = sample_files()
        self.centre = Centre(name=f"Northgate Care Academy (generated, seed {seed})", code=code or f"generated-{seed}")
        self.counts: Counter = Counter()
        self.people: dict[str, list[Person]] = {}
        self.memberships: list[Membership] = []
        self.enrolments: dict[int, list[Enrolment]] = {}  # by candidate index
        self.stages: dict[int, str] = {}  # id(enrolment) -> "signed off", "decisions", "early"
        self._photo: SampleFile | None = None
        self._emails: set[str] = set()

    # Times, events and notifications.

    def _at(self, day: datetime.date, hours: int = 0) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
        return min(moment + datetime.timedelta(hours=hours, minutes=self.rng.randrange(60)), self.now)

    def _later(self, moment: datetime.datetime, *, hours: int) -> datetime.datetime:
        return min(moment + datetime.timedelta(hours=hours), self.now)

    def _event(self, batch: Batch, action: AuditAction, actor: Person, evidence: Evidence | None, at: datetime.datetime,
               summary: str, *, enrolment: Enrolment | None = None) -> None:
        candidate = evidence.candidate if evidence is not None else cast(Enrolment, enrolment).candidate
        batch.events.append(AuditEvent(
            at=at, actor=actor, action=action.value, centre=self.centre, candidate=candidate, enrolment=enrolment,
            evidence=evidence, summary=summary[:300],
        ))

    def _notify(self, batch: Batch, recipient: Person, message: str, at: datetime.datetime) -> None:
        read = at + datetime.timedelta(hours=6) if self.now - at > datetime.timedelta(days=7) else None
        batch.notifications.append(Notification(recipient=recipient, message=message[:300], created_at=at, read_at=read))


def _unit_items(code: str) -> UnitItems:
    unit = Unit.objects.get_by_natural_key(code, SHIPPED_VERSION)
    return UnitItems(
        unit=unit,
        criteria=list(Criterion.objects.filter(unit=unit).order_by("position")),
        knowledge=list(KnowledgeItem.objects.filter(unit=unit).order_by("position")),
        scope=list(ScopeItem.objects.filter(category__unit=unit).order_by("category__position", "position")),
    )
