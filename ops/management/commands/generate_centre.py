"""Builds one realistic training centre at a chosen size, for trying the product at scale and for the
benchmark: administrators, assessors, IQAs and candidates; enrolments on HSC331 and H3 25; evidence
with small real files, mapped to the standard, in every state, with its declarations and judgements;
decisions citing accepted evidence; units signed off with a real signed manifest, some countersigned
and sampled by the IQA; the audit trail and notifications of all of it.

    manage.py generate_centre --assessors 20 --candidates 1000 --enrolments 2 --evidence 60 --seed 42

Everything is chosen by one `random.Random(seed)`, so the same seed and sizes give the same centre.
Rows are written with `bulk_create`, a batch of candidates at a time, and every evidence file through
the storage API, each under its own key with the SHA-256 of its bytes. The centre's story runs up to
the moment the command starts, so dates are relative to today.

It runs on an empty database only (superusers and the standards may be there): it never mixes made-up
people into a real centre.
"""

# Made-up data from a seed, reproducible on purpose: nothing random here is a secret.
# ruff: noqa: S311

import datetime
import hashlib
import io
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone

from assessments import integrity
from assessments.audit_actions import AssessmentAction
from assessments.models import Decision, Judgement, QualityReview, SignOff
from portfolio.audit import AuditAction, PortfolioAction
from portfolio.models import (
    AssessmentMethod,
    AuditEvent,
    Centre,
    Declaration,
    Enrolment,
    Evidence,
    EvidenceFile,
    EvidenceState,
    Membership,
    Notification,
    Person,
    Role,
)
from standards.models import Criterion, KnowledgeItem, ScopeItem, Unit

UNIT_CODES = ("HSC331", "H3 25")
PASSWORD = "generated-centre-2026"  # noqa: S105 - printed for people trying a generated centre locally
EMAIL_DOMAIN = "generated.example"
CANDIDATES_PER_BATCH = 50

FIRST_NAMES = (
    "Aisha", "Alfie", "Amelia", "Amir", "Ava", "Ben", "Bethan", "Callum", "Chloe", "Connor", "Daisy",
    "Daniel", "Eilidh", "Ella", "Emeka", "Erin", "Ewan", "Fatima", "Finley", "Freya", "George", "Grace",
    "Hannah", "Harry", "Imran", "Isla", "Jack", "Jasmine", "Joshua", "Kasia", "Keira", "Liam", "Lily",
    "Lucy", "Mason", "Megan", "Mia", "Mohammed", "Niamh", "Noah", "Olivia", "Oscar", "Priya", "Rhys",
    "Rosie", "Ruby", "Ryan", "Samira", "Sophie", "Thomas", "Tomasz", "Zara",
)
LAST_NAMES = (
    "Ahmed", "Allen", "Bailey", "Baker", "Begum", "Brown", "Campbell", "Clarke", "Davies", "Edwards",
    "Evans", "Fraser", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones",
    "Kaur", "Khan", "Kowalski", "Lewis", "MacDonald", "Martin", "Morgan", "Murphy", "Murray", "Nowak",
    "O'Brien", "Okafor", "Owen", "Patel", "Price", "Roberts", "Robertson", "Robinson", "Scott", "Shah",
    "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Walker", "Watson", "White", "Williams",
    "Wilson", "Wood", "Wright", "Young",
)

# Evidence from care settings never identifies the people cared for: "Person A", "a tenant".
PEOPLE_SUPPORTED = ("Person A", "Person B", "Person C", "Person D", "Person E", "Person F")
RELATIONS = ("their sister", "their son", "their daughter", "an old friend", "their grandchildren", "a neighbour")
GROUPS = ("lunch club", "gardening group", "community choir", "coffee morning", "faith group", "walking group")
TITLES = {
    "HSC331": (
        "Supporting {person} to visit {relation}",
        "Helping {person} join a {group}",
        "Social network map with {person}",
        "Care plan review: relationships that matter to {person}",
        "Supporting {person} to keep in touch with {relation} by video call",
        "Planning a birthday gathering with {person}",
        "Supporting {person} when a friendship ended",
        "Explaining {person}'s rights to choose who visits",
        "Recording {person}'s wishes about family contact",
        "Introducing {person} to the {group}",
        "Raising a concern about a visitor to {person}",
        "Supporting {person} to send cards to {relation}",
    ),
    "H3 25": (
        "Agreeing contact arrangements with a tenant",
        "Handling a complaint about a repair delay",
        "Explaining my role at a sign-up visit",
        "Referring a tenant to debt advice",
        "Declining a gift from a tenant",
        "Keeping professional boundaries on a home visit",
        "Setting boundaries with an angry caller",
        "Recording a conversation on the housing system",
        "Passing on a safeguarding concern to my manager",
        "Explaining what I can and cannot help with",
        "Ending a visit when a tenant asked for personal help",
        "Agreeing a plan with a tenant and their support worker",
    ),
}
TITLE_PREFIX = {
    AssessmentMethod.DIRECT_OBSERVATION: "Observation: ",
    AssessmentMethod.WITNESS_TESTIMONY: "Witness testimony: ",
    AssessmentMethod.EXPERT_WITNESS: "Expert witness testimony: ",
    AssessmentMethod.PROFESSIONAL_DISCUSSION: "Professional discussion: ",
    AssessmentMethod.QUESTIONING: "Questions and answers: ",
    AssessmentMethod.PRIOR_LEARNING: "Prior learning: ",
}
LOCATIONS = (
    "Day centre lounge", "Residential home", "Supported living flat", "Community centre", "Housing office",
    "Tenant's home", "Phone call from the office", "Person's own home", "Sheltered housing scheme",
)
ACCOUNT_SENTENCES = (
    "I asked {person} what they wanted from the day and wrote down what they said.",
    "We talked about the people who matter to them and how often they would like to see them.",
    "I checked the care plan first so that I knew what had been agreed before.",
    "I made sure we could talk in private and that {person} could stop at any time.",
    "Afterwards I recorded what happened and what we agreed, and told my manager.",
    "I explained what I could help with and what I would need to pass on to someone else.",
    "I kept to the arrangements we had agreed and explained why when I was asked to do more.",
    "{person} was anxious at first, so I went at their pace and offered to come back another day.",
    "I followed the organisation's policy on confidentiality and did not share personal details.",
    "My manager watched part of the conversation and gave me feedback afterwards.",
    "I reflected on what went well and what I would do differently next time.",
)
FEEDBACK = (
    "Please say more about how you checked what the person wanted before you acted.",
    "The account does not show how you kept to the agreed boundaries: add what you said and did.",
    "Remove the surname on page 2: evidence must not identify the people you support.",
    "Add the date and who witnessed this, then submit it again.",
    "This shows the activity but not your own part in it: write it in the first person.",
)
# Roughly how often each method is used in a portfolio, as (method, weight).
METHOD_WEIGHTS = (
    (AssessmentMethod.REFLECTIVE_ACCOUNT, 34), (AssessmentMethod.DIRECT_OBSERVATION, 18),
    (AssessmentMethod.PRODUCT, 15), (AssessmentMethod.WITNESS_TESTIMONY, 10),
    (AssessmentMethod.PROFESSIONAL_DISCUSSION, 9), (AssessmentMethod.QUESTIONING, 8),
    (AssessmentMethod.EXPERT_WITNESS, 4), (AssessmentMethod.PRIOR_LEARNING, 2),
)
ASSESSORS_OWN = (AssessmentMethod.DIRECT_OBSERVATION, AssessmentMethod.QUESTIONING)


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


# Small real files, made once and stored once per evidence file, each under its own key.


@dataclass(frozen=True)
class SampleFile:
    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _png(size: tuple[int, int], seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "#f4efe6")
    draw = ImageDraw.Draw(image)
    shapes = random.Random(seed)
    width, height = size
    for _ in range(6):
        x, y = shapes.randrange(width), shapes.randrange(height)
        draw.rectangle((x, y, x + width // 6, y + height // 6), outline="#1d4f6e", width=max(1, width // 100))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _camera_photo() -> bytes:
    """A JPEG the size a phone takes (12 megapixels), with enough detail to weigh what one does."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.effect_noise((4000, 3000), 48).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    draw = ImageDraw.Draw(image)
    for n in range(12):
        draw.ellipse((300 * n, 200 + 150 * n, 300 * n + 700, 900 + 150 * n), outline="#b35c1e", width=12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, written by hand: correct offsets, no drawing library."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def sample_files() -> dict[str, SampleFile]:
    return {
        "photo": SampleFile("photo.png", "image/png", _png((160, 120), 1)),
        "notes": SampleFile("notes.txt", "text/plain", (
            b"Notes written for a generated centre. No real person is described.\n"
            b"Person A chose to phone their sister on Sunday afternoons.\n"
        )),
        "record": SampleFile("record.pdf", "application/pdf", _pdf("Record written for a generated centre.")),
    }


# The plan: unsaved model instances, made in a fixed order from the seed.


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
class _Item:
    """An evidence item while it is being planned."""

    evidence: Evidence
    units: list[str]
    criteria: list[Criterion]
    knowledge: list[KnowledgeItem]
    scope: list[ScopeItem]
    judged_at: datetime.datetime | None = None


class CentreGenerator:
    """Plans the centre from the seed; `write` puts it in the database and storage."""

    def __init__(self, size: CentreSize, seed: int, *, code: str = ""):
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

    # People and enrolments.

    def plan_people(self) -> None:
        size = self.size
        plan: tuple[tuple[str, int], ...] = (
            (Role.ADMINISTRATOR, size.administrators),
            (Role.ASSESSOR, size.assessors),
            (Role.IQA, size.iqa_count),
            (Role.CANDIDATE, size.candidates),
        )
        for role, count in plan:
            self.people[role] = [self._person() for _ in range(count)]
        if size.showcase:
            self.people[Role.CANDIDATE].append(self._person(email=f"showcase.candidate@{self.email_domain}"))
        for role, people in self.people.items():
            self.memberships += [
                Membership(person=p, centre=self.centre, role=role, created_at=self.now - datetime.timedelta(days=500))
                for p in people
            ]
        assessors, iqas = self.people[Role.ASSESSOR], self.people[Role.IQA]
        units = [self.units[code].unit for code in UNIT_CODES]
        per_candidate = min(size.enrolments, len(units))
        for index, candidate in enumerate(self.people[Role.CANDIDATE]):
            showcase = size.showcase and index == len(self.people[Role.CANDIDATE]) - 1
            chosen = [self.units["HSC331"].unit] if showcase else self._units_for(units, per_candidate)
            start = self.today - datetime.timedelta(days=self.rng.randint(60, 420))
            enrolments = []
            for number, unit in enumerate(chosen):
                # Most candidates have one assessor for all their units; some have a second.
                assessor = assessors[(index + (number if self.rng.random() < 0.2 else 0)) % len(assessors)]
                iqa = iqas[assessors.index(assessor) % len(iqas)]
                enrolment = Enrolment(
                    centre=self.centre, candidate=candidate, unit=unit, assessor=assessor, iqa=iqa,
                    registration_number=f"{unit.slug.upper()}-{self.seed}-{index + 1:05d}",
                    start_date=start, target_date=start + datetime.timedelta(days=365),
                    registered_by=self.people[Role.ADMINISTRATOR][0] if size.administrators else assessor,
                    registered_at=self._at(start),
                )
                roll = self.rng.random() * 100
                if showcase or roll < size.signed_off_percent:
                    self.stages[id(enrolment)] = "signed off"
                elif roll < size.signed_off_percent + 50:
                    self.stages[id(enrolment)] = "decisions"
                else:
                    self.stages[id(enrolment)] = "early"
                enrolments.append(enrolment)
            self.enrolments[index] = enrolments

    def _units_for(self, units: list[Unit], count: int) -> list[Unit]:
        if count >= len(units):
            return list(units)
        return sorted(self.rng.sample(units, count), key=lambda unit: unit.code)

    def _person(self, email: str = "") -> Person:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        if not email:
            stem = f"{first}.{last}".lower().replace("'", "")
            email, n = f"{stem}@{self.email_domain}", 1
            while email in self._emails:
                n += 1
                email = f"{stem}{n}@{self.email_domain}"
        self._emails.add(email)
        return Person(
            email=email, first_name=first, last_name=last, password=self.password,
            date_joined=self.now - datetime.timedelta(days=500),
        )

    # Evidence, decisions and sign-offs, a batch of candidates at a time.

    def plan_batches(self) -> Iterator[Batch]:
        candidates = self.people[Role.CANDIDATE]
        for first in range(0, len(candidates), CANDIDATES_PER_BATCH):
            batch = Batch()
            for index in range(first, min(first + CANDIDATES_PER_BATCH, len(candidates))):
                showcase = self.size.showcase and index == len(candidates) - 1
                self._plan_candidate(batch, candidates[index], self.enrolments[index], showcase)
            yield batch

    def _plan_candidate(self, batch: Batch, candidate: Person, enrolments: list[Enrolment], showcase: bool) -> None:
        start = min(e.start_date for e in enrolments)
        span = max(1, (self.today - start).days)
        count = 40 if showcase else self.size.evidence
        dates = sorted(start + datetime.timedelta(days=self.rng.randrange(span)) for _ in range(count))
        items = [self._plan_item(batch, candidate, enrolments, number, day, showcase)
                 for number, day in enumerate(dates, start=1)]
        for enrolment in enrolments:
            if self.stages[id(enrolment)] == "signed off" and not self._cover(enrolment, items):
                self.stages[id(enrolment)] = "decisions"
        for item in items:
            self._plan_assessment(batch, candidate, enrolments, item)
        for enrolment in enrolments:
            self._plan_decisions(batch, enrolment, items)

    def _plan_item(self, batch: Batch, candidate: Person, enrolments: list[Enrolment], number: int,
                   day: datetime.date, showcase: bool) -> _Item:
        rng = self.rng
        enrolment = rng.choice(enrolments)
        unit_code = enrolment.unit.code
        method = rng.choices([m for m, _ in METHOD_WEIGHTS], [w for _, w in METHOD_WEIGHTS])[0]
        if showcase and number <= 20:
            method = AssessmentMethod.PRODUCT  # photos of work products
        assessors_own = method in ASSESSORS_OWN
        words = {"person": rng.choice(PEOPLE_SUPPORTED), "relation": rng.choice(RELATIONS), "group": rng.choice(GROUPS)}
        title = TITLE_PREFIX.get(method, "") + rng.choice(TITLES[unit_code]).format(**words)
        account = " ".join(s.format(**words) for s in rng.sample(ACCOUNT_SENTENCES, rng.randint(2, 4)))
        age = (self.today - day).days
        if showcase or assessors_own:
            state = EvidenceState.ACCEPTED
        else:
            roll = rng.random()
            if age < 10:
                state = EvidenceState.DRAFT if roll < 0.4 else EvidenceState.SUBMITTED if roll < 0.9 else EvidenceState.REFERRED
            else:
                state = (EvidenceState.ACCEPTED if roll < 0.68 else EvidenceState.SUBMITTED if roll < 0.8
                         else EvidenceState.REFERRED if roll < 0.9 else EvidenceState.DRAFT)
        created_at = self._at(day, hours=rng.randint(0, 48))
        evidence = Evidence(
            centre=self.centre, candidate=candidate, number=number, title=title[:200], method=method,
            activity_date=day, location=rng.choice(LOCATIONS), account=account, state=state, version=1,
            created_by=enrolment.assessor if assessors_own else candidate,
            created_at=created_at, updated_at=created_at,
        )
        units = [unit_code]
        if len(enrolments) > 1 and not assessors_own and rng.random() < 0.15:
            units += [e.unit.code for e in enrolments if e.unit.code != unit_code][:1]  # holistic
        primary = self.units[unit_code]
        criteria = rng.sample(primary.criteria, rng.randint(1, 4))
        knowledge = rng.sample(primary.knowledge, rng.randint(0, 2))
        scope = rng.sample(primary.scope, min(len(primary.scope), rng.randint(0, 2)))
        for other in units[1:]:
            criteria += rng.sample(self.units[other].criteria, rng.randint(1, 2))
        for n in range(self.size.files_per_evidence):
            if showcase and number <= 20 and n == 0:
                sample = self._camera_photo_file()
            else:
                # The showcase has exactly its twenty photos; everyone else a mix.
                sample = self.files[rng.choice(("notes", "record") if showcase else ("photo", "notes", "record"))]
            evidence_file = EvidenceFile(
                evidence=evidence, storage_key=uuid.UUID(int=self.keys.getrandbits(128), version=4).hex,
                original_name=sample.name, content_type=sample.content_type, size=len(sample.content),
                sha256=sample.sha256, added_in_version=1, uploaded_by=evidence.created_by, uploaded_at=created_at,
            )
            batch.files.append((evidence_file, sample))
        batch.evidence.append(evidence)
        return _Item(evidence=evidence, units=units, criteria=criteria, knowledge=knowledge, scope=scope)

    def _camera_photo_file(self) -> SampleFile:
        if self._photo is None:
            self._photo = SampleFile("work-product-photo.jpg", "image/jpeg", _camera_photo())
        return self._photo

    def _cover(self, enrolment: Enrolment, items: list[_Item]) -> bool:
        """Makes sure accepted evidence is mapped to every item of a unit to be signed off: a
        candidate finishing a unit has covered it all. False when they have no evidence on it."""
        code = enrolment.unit.code
        on_unit = [i for i in items if code in i.units]
        if not on_unit:
            return False
        accepted = [i for i in on_unit if i.evidence.state == EvidenceState.ACCEPTED]
        if not accepted:
            on_unit[0].evidence.state = EvidenceState.ACCEPTED
            accepted = [on_unit[0]]
        unit = self.units[code]
        mapped_criteria = {c.pk for i in accepted for c in i.criteria}
        mapped_knowledge = {k.pk for i in accepted for k in i.knowledge}
        for criterion in unit.criteria:
            if criterion.pk not in mapped_criteria:
                self.rng.choice(accepted).criteria.append(criterion)
        for item in unit.knowledge:
            if item.pk not in mapped_knowledge:
                self.rng.choice(accepted).knowledge.append(item)
        return True

    def _plan_assessment(self, batch: Batch, candidate: Person, enrolments: list[Enrolment], item: _Item) -> None:
        """The item's mapping, declarations, judgements, audit events and notifications."""
        rng, evidence = self.rng, item.evidence
        through = Evidence.criteria.through, Evidence.knowledge_items.through, Evidence.scope_items.through
        batch.criteria += [through[0](evidence=evidence, criterion=c) for c in item.criteria]
        batch.knowledge += [through[1](evidence=evidence, knowledgeitem=k) for k in item.knowledge]
        batch.scope += [through[2](evidence=evidence, scopeitem=s) for s in item.scope]
        assessor = next(e.assessor for e in enrolments if e.unit.code == item.units[0])
        author = evidence.created_by
        created = evidence.created_at
        self._event(batch, PortfolioAction.EVIDENCE_CREATED, author, evidence, created,
                    f"{evidence.reference} “{evidence.title}” added with {self.size.files_per_evidence} file(s)")
        mapped = len(item.criteria) + len(item.knowledge) + len(item.scope)
        self._event(batch, PortfolioAction.EVIDENCE_MAPPED, author, evidence, created + datetime.timedelta(minutes=5),
                    f"{evidence.reference} mapped to {mapped} item(s)")
        if evidence.state == EvidenceState.DRAFT:
            return
        if author is not candidate:  # the assessor's own record, accepted as it is written
            item.judged_at = min(created + datetime.timedelta(minutes=10), self.now)
            self._judgement(batch, evidence, assessor, Judgement.Outcome.ACCEPTED, "Recorded by the assessor",
                            item.judged_at)
            evidence.updated_at = item.judged_at
            return
        submitted = self._later(created, hours=rng.randint(1, 72))
        if evidence.state == EvidenceState.ACCEPTED and rng.random() < 0.15:
            # Referred back once, then sent again unchanged with a new declaration.
            referred = self._later(submitted, hours=rng.randint(2, 96))
            self._submission(batch, candidate, assessor, evidence, submitted)
            self._judgement(batch, evidence, assessor, Judgement.Outcome.REFERRED, rng.choice(FEEDBACK), referred)
            submitted = self._later(referred, hours=rng.randint(2, 96))
        self._submission(batch, candidate, assessor, evidence, submitted)
        evidence.submitted_at = evidence.updated_at = submitted
        if evidence.state in (EvidenceState.ACCEPTED, EvidenceState.REFERRED):
            item.judged_at = self._later(submitted, hours=rng.randint(2, 120))
            outcome = Judgement.Outcome(evidence.state)
            feedback = rng.choice(FEEDBACK) if outcome == Judgement.Outcome.REFERRED else ""
            self._judgement(batch, evidence, assessor, outcome, feedback, item.judged_at)
            evidence.updated_at = item.judged_at

    def _submission(self, batch: Batch, candidate: Person, assessor: Person, evidence: Evidence,
                    at: datetime.datetime) -> None:
        batch.declarations.append(Declaration(evidence=evidence, version=1, text=Declaration.TEXT,
                                              declared_by=candidate, declared_at=at))
        self._event(batch, PortfolioAction.EVIDENCE_SUBMITTED, candidate, evidence, at,
                    f"{evidence.reference} submitted for assessment with the declaration of authenticity")
        self._notify(batch, assessor, f"{candidate.get_full_name()} submitted {evidence.reference} "
                                      f"“{evidence.title}” for assessment.", at)

    def _judgement(self, batch: Batch, evidence: Evidence, assessor: Person, outcome: str, feedback: str,
                   at: datetime.datetime) -> None:
        accepted = outcome == Judgement.Outcome.ACCEPTED
        batch.judgements.append(Judgement(
            evidence=evidence, version=1, outcome=outcome, feedback=feedback, valid=accepted, authentic=accepted,
            current=accepted, sufficient=accepted, assessor=assessor, judged_at=at,
        ))
        words = "accepted" if accepted else "referred back"
        self._event(batch, AssessmentAction.EVIDENCE_ACCEPTED if accepted else AssessmentAction.EVIDENCE_REFERRED, assessor, evidence, at,
                    f"{evidence.reference} version 1 {words}" + (f": {feedback}" if feedback else ""))
        self._notify(batch, evidence.candidate, f"{assessor.get_full_name()} {words} {evidence.reference} "
                                                f"“{evidence.title}”.", at)

    def _plan_decisions(self, batch: Batch, enrolment: Enrolment, items: list[_Item]) -> None:
        stage = self.stages[id(enrolment)]
        if stage == "early":
            return
        code, rng = enrolment.unit.code, self.rng
        accepted = [i for i in items if code in i.units and i.evidence.state == EvidenceState.ACCEPTED]
        unit = self.units[code]
        latest = None
        for kind, unit_items in (("criterion", unit.criteria), ("knowledge_item", unit.knowledge)):
            for unit_item in unit_items:
                proving = [i for i in accepted if unit_item in (i.criteria if kind == "criterion" else i.knowledge)]
                if not proving or (stage == "decisions" and rng.random() < 0.4):
                    continue
                cited = rng.sample(proving, min(len(proving), rng.randint(1, 2)))
                judged = max(cast(datetime.datetime, i.judged_at) for i in cited)  # accepted: judged
                decided_at = self._later(judged, hours=rng.randint(1, 240))
                decision = Decision(
                    enrolment=enrolment, decided_by=enrolment.assessor, decided_on=timezone.localdate(decided_at),
                    decided_at=decided_at, **{kind: unit_item},
                )
                batch.decisions.append(decision)
                batch.cited += [Decision.evidence.through(decision=decision, evidence=i.evidence) for i in cited]
                refs = ", ".join(i.evidence.reference for i in sorted(cited, key=lambda i: i.evidence.number))
                self._event(batch, AssessmentAction.DECISION_RECORDED, enrolment.assessor, None, decided_at,
                            f"{unit_item.reference} recorded as met, citing {refs}", enrolment=enrolment)
                latest = max(latest or decided_at, decided_at)
        if stage == "signed off" and latest is not None:
            signed_at = self._later(latest, hours=rng.randint(1, 48))
            countersigned = self._later(signed_at, hours=rng.randint(1, 72)) if rng.random() < 0.75 else None
            roll = rng.random()
            review = "countersigned" if roll < 0.35 else "sampled" if roll < 0.45 else ""
            batch.sign_offs.append(PlannedSignOff(enrolment, signed_at, countersigned, review))
        elif stage == "decisions" and latest is not None and rng.random() < 0.08:
            sampled = self._later(latest, hours=rng.randint(1, 100))
            batch.interim_reviews.append(QualityReview(
                enrolment=enrolment, iqa=enrolment.iqa, stage=QualityReview.Stage.INTERIM,
                outcome=QualityReview.Outcome.SAMPLED, sampled_at=sampled,
            ))
            self._event(batch, AssessmentAction.IQA_SAMPLED, enrolment.iqa, None, sampled,
                        f"{code} added to the IQA sample (interim)", enrolment=enrolment)

    # Small helpers for times, events and notifications.

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

    # Writing.

    def write(self, log: Callable[[str], object] = lambda message: None) -> Counter:
        started = time.monotonic()
        with _explicit_timestamps(), transaction.atomic():
            self.centre.save()
            people = [p for role in self.people.values() for p in role]
            Person.objects.bulk_create(people)
            Membership.objects.bulk_create(self.memberships)
            enrolments = [e for by_candidate in self.enrolments.values() for e in by_candidate]
            Enrolment.objects.bulk_create(enrolments)
        self.counts.update(people=len(people), memberships=len(self.memberships), enrolments=len(enrolments))
        log(f"  people and enrolments: {time.monotonic() - started:.1f} s")
        done = 0
        for batch in self.plan_batches():
            self._write_batch(batch)
            done = min(done + CANDIDATES_PER_BATCH, len(self.people[Role.CANDIDATE]))
            log(f"  candidates {done}/{len(self.people[Role.CANDIDATE])}: {time.monotonic() - started:.1f} s")
        if connection.vendor == "postgresql":
            # What autovacuum would do on its own a minute after a load this size: the planner's
            # statistics, so the benchmark measures the centre as it runs, not the minute after a
            # bulk load. SQLite keeps no statistics unless asked, so there the pages are measured
            # with the product's own indexes only.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self.counts

    def _write_batch(self, batch: Batch) -> None:
        with _explicit_timestamps(), transaction.atomic():
            Evidence.objects.bulk_create(batch.evidence)
            for evidence_file, sample in batch.files:
                evidence_file.evidence_id = evidence_file.evidence.pk
                evidence_file.file.save(evidence_file.storage_key, ContentFile(sample.content), save=False)
            EvidenceFile.objects.bulk_create([f for f, _ in batch.files])
            for rows in (batch.criteria, batch.knowledge, batch.scope):
                if rows:
                    type(rows[0]).objects.bulk_create(rows)
            Declaration.objects.bulk_create(batch.declarations)
            Judgement.objects.bulk_create(batch.judgements)
            Decision.objects.bulk_create(batch.decisions)
            Decision.evidence.through.objects.bulk_create(batch.cited)
            QualityReview.objects.bulk_create(batch.interim_reviews)
            sign_offs, reviews = self._sign_offs(batch)
            AuditEvent.objects.bulk_create(batch.events)
            Notification.objects.bulk_create(batch.notifications)
        self.counts.update(
            evidence=len(batch.evidence), files=len(batch.files),
            mappings=len(batch.criteria) + len(batch.knowledge) + len(batch.scope),
            declarations=len(batch.declarations), judgements=len(batch.judgements), decisions=len(batch.decisions),
            sign_offs=len(sign_offs), quality_reviews=len(reviews) + len(batch.interim_reviews),
            audit_events=len(batch.events), notifications=len(batch.notifications),
        )

    def _sign_offs(self, batch: Batch) -> tuple[list[SignOff], list[QualityReview]]:
        """Sign-offs with the manifest and signatures the sign-off service makes, built by the same
        `integrity.signed_sign_off` from the decisions as written."""
        sign_offs, reviews = [], []
        for planned in batch.sign_offs:
            enrolment = planned.enrolment
            decisions = integrity.standing_decisions(enrolment)
            evidence_items = integrity.cited_evidence(decisions)
            sign_off = integrity.signed_sign_off(
                enrolment=enrolment, assessor=enrolment.assessor, signed_at=planned.signed_at,
                decisions=decisions, evidence_items=evidence_items,
            )
            manifest = sign_off.manifest
            code = enrolment.unit.code
            self._event(batch, AssessmentAction.UNIT_SIGNED_OFF, enrolment.assessor, None, planned.signed_at,
                        f"{code} signed off: {len(manifest['decisions'])} decisions and "
                        f"{len(manifest['files'])} evidence files", enrolment=enrolment)
            self._notify(batch, enrolment.candidate, f"{enrolment.assessor.get_full_name()} signed off {code}. "
                                                     "Please read it through and countersign it.", planned.signed_at)
            if planned.countersigned_at is not None:
                integrity.countersign(sign_off, signed_at=planned.countersigned_at)
                self._event(batch, AssessmentAction.UNIT_COUNTERSIGNED, enrolment.candidate, None,
                            planned.countersigned_at, f"{code} countersigned by the candidate", enrolment=enrolment)
            sign_offs.append(sign_off)
            if planned.review:
                sampled = self._later(planned.countersigned_at or planned.signed_at, hours=24)
                review = QualityReview(
                    enrolment=enrolment, sign_off=sign_off, iqa=enrolment.iqa, stage=QualityReview.Stage.FINAL,
                    outcome=QualityReview.Outcome.SAMPLED, sampled_at=sampled,
                )
                if planned.review == "countersigned":
                    review.outcome = QualityReview.Outcome.COUNTERSIGNED
                    review.reviewed_at = self._later(sampled, hours=48)
                    review.comments = "Decisions are sound and the evidence cited is sufficient."
                reviews.append(review)
                self._event(batch, AssessmentAction.IQA_SAMPLED, enrolment.iqa, None, sampled,
                            f"{code} added to the IQA sample (final)", enrolment=enrolment)
        SignOff.objects.bulk_create(sign_offs)
        QualityReview.objects.bulk_create(reviews)
        return sign_offs, reviews

    def sign_in_list(self) -> dict:
        """Who to sign in as, by role: for the load test and for people trying the centre."""
        return {
            "password": PASSWORD,
            "centre": self.centre.pk,
            **{str(role): [p.email for p in people] for role, people in self.people.items()},
        }


def _unit_items(code: str) -> UnitItems:
    unit = Unit.objects.get(code=code)
    return UnitItems(
        unit=unit,
        criteria=list(Criterion.objects.filter(unit=unit).order_by("position")),
        knowledge=list(KnowledgeItem.objects.filter(unit=unit).order_by("position")),
        scope=list(ScopeItem.objects.filter(category__unit=unit).order_by("category__position", "position")),
    )


_TIMESTAMPED = [
    (Evidence, "created_at"), (Evidence, "updated_at"), (EvidenceFile, "uploaded_at"), (AuditEvent, "at"),
    (Notification, "created_at"), (Membership, "created_at"), (Enrolment, "registered_at"),
]


@contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Lets the generator write the centre's past: `auto_now` fields keep the times it gives them."""
    fields = [cast(DateTimeField, model._meta.get_field(name)) for model, name in _TIMESTAMPED]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def refuse_unless_empty() -> None:
    centres = Centre.objects.count()
    people = Person.objects.filter(is_superuser=False).count()
    if centres or people:
        raise CommandError(
            f"generate_centre only builds a centre in an empty database, and this one already has {centres} "
            f"centre(s) and {people} person(s) besides superusers. Point DATABASE_URL at a new database "
            "(for example DATABASE_URL=sqlite:////tmp/centre.sqlite3), run migrate, and try again."
        )


def ensure_standards() -> bool:
    """Loads the two units if they are missing; True if it had to."""
    if Unit.objects.filter(code__in=UNIT_CODES).count() == len(UNIT_CODES):
        return False
    call_command("loaddata", "standards", verbosity=0)
    return True


class Command(BaseCommand):
    help = "Builds a realistic centre of generated people and evidence in an empty database, from a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assessors", type=int, default=4)
        parser.add_argument("--iqas", type=int, default=0, help="Default: one per five assessors.")
        parser.add_argument("--candidates", type=int, default=40)
        parser.add_argument("--enrolments", type=int, default=2,
                            help=f"Units per candidate, at most {len(UNIT_CODES)} (the units there are).")
        parser.add_argument("--evidence", type=int, default=20, help="Evidence items per candidate.")
        parser.add_argument("--files-per-evidence", type=int, default=1)
        parser.add_argument("--signed-off-percent", type=int, default=15)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--showcase", action="store_true",
                            help="Add a candidate with a signed-off HSC331 of 40 evidence items, 20 of them photos.")
        parser.add_argument("--people-json", help="Write the sign-in emails by role to this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("assessors", "candidates", "enrolments"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be 1 or more.")
        for name in ("evidence", "files_per_evidence", "iqas"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        refuse_unless_empty()
        if ensure_standards():
            self.stdout.write("Loaded the standards (HSC331 and H3 25).")
        if options["enrolments"] > len(UNIT_CODES):
            self.stdout.write(f"Only {len(UNIT_CODES)} units exist, so each candidate is enrolled on {len(UNIT_CODES)}.")
        size = CentreSize(
            assessors=options["assessors"], iqas=options["iqas"], candidates=options["candidates"],
            enrolments=options["enrolments"], evidence=options["evidence"],
            files_per_evidence=options["files_per_evidence"], signed_off_percent=options["signed_off_percent"],
            showcase=options["showcase"],
        )
        started = time.monotonic()
        generator = CentreGenerator(size, options["seed"])
        generator.plan_people()
        counts = generator.write(log=self.stdout.write)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Made {generator.centre} (id {generator.centre.pk}) in {seconds:.1f} s:"))
        for name, number in counts.items():
            self.stdout.write(f"  {name.replace('_', ' '):<16} {number:>9,}")
        self.stdout.write(f"Every generated person signs in with the password {PASSWORD}.")
        if options["people_json"]:
            with open(options["people_json"], "w", encoding="utf-8") as out:
                json.dump({**generator.sign_in_list(), "seconds": round(seconds, 1), "counts": dict(counts)}, out,
                          indent=2)
            self.stdout.write(f"Sign-in emails by role written to {options['people_json']}.")
