"""The generator: plans the centre a batch of candidates at a time and writes each batch in one
transaction, with the files through the storage API."""

import datetime
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import DateTimeField

from assessments import met_counts
from assessments.models import Decision, Judgement, QualityReview
from portfolio.case_sealing import case_seal_of
from portfolio.models import (
    Centre,
    Enrolment,
    Evidence,
    EvidenceFile,
    Membership,
    Notification,
    Person,
    Role,
)
from portfolio.row_sealing import sealed_in_bulk
from portfolio.signing import sign_off_seal
from standards.models import SHIPPED_VERSION, Unit

from . import chained_events, fast_insert
from .decisions import DecisionPlanner
from .evidence import EvidencePlanner
from .people import PeoplePlanner
from .plan import CANDIDATES_PER_BATCH, PASSWORD, UNIT_CODES, Batch


class CentreGenerator(PeoplePlanner, EvidencePlanner, DecisionPlanner):
    """Plans the centre from the seed; `write` puts it in the database and storage."""

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

    def write(self, log: Callable[[str], object] = lambda message: None) -> Counter:
        started = time.monotonic()
        with _explicit_timestamps(), transaction.atomic():
            self.centre.save()
            people = [p for role in self.people.values() for p in role]
            Person.objects.bulk_create(people)
            sealed_in_bulk(people)  # as `Person.save` seals one
            Membership.objects.bulk_create(self.memberships)
            sealed_in_bulk(self.memberships)  # as `Membership.save` seals one
            enrolments = [e for by_candidate in self.enrolments.values() for e in by_candidate]
            Enrolment.objects.bulk_create(enrolments)
            for enrolment in enrolments:  # its case sealed, with no sign-off yet, as `Enrolment.save` seals one
                enrolment.case_seal = case_seal_of(enrolment)
                enrolment.sign_off_seal = sign_off_seal(enrolment.pk, [])
            Enrolment.objects.bulk_update(enrolments, ["case_seal", "sign_off_seal"], batch_size=1000)
        self.counts.update(people=len(people), memberships=len(self.memberships), enrolments=len(enrolments))
        log(f"  people and enrolments: {time.monotonic() - started:.1f} s")
        done = 0
        for batch in self.plan_batches():
            self._write_batch(batch)
            done = min(done + CANDIDATES_PER_BATCH, len(self.people[Role.CANDIDATE]))
            log(f"  candidates {done}/{len(self.people[Role.CANDIDATE])}: {time.monotonic() - started:.1f} s")
        # Its decisions were written in bulk, past the services that keep the counts: counted once here.
        met_counts.recount(self.centre)
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
                # Assigning the saved item again sets evidence_id and keeps the item cached: setting
                # evidence_id alone drops the cache, and the storage name would read it back, a query
                # per file.
                evidence_file.evidence = evidence_file.evidence
                evidence_file.file.save(evidence_file.storage_key, ContentFile(sample.content), save=False)
            EvidenceFile.objects.bulk_create([f for f, _ in batch.files])
            sealed_in_bulk(batch.evidence)  # as `save` seals each (`portfolio.row_sealing`)
            sealed_in_bulk([f for f, _ in batch.files])
            # Rows whose ids nothing reads back go in without Django's per-value preparation
            # (fast_insert); those others point at are written with bulk_create, which sets their ids.
            for rows in (batch.criteria, batch.knowledge, batch.scope, batch.declarations):
                fast_insert.insert(rows)
            Judgement.objects.bulk_create(batch.judgements)
            fast_insert.insert(batch.judged_scope)
            fast_insert.insert(batch.judged_enrolments)
            Decision.objects.bulk_create(batch.decisions)
            fast_insert.insert(batch.cited)
            QualityReview.objects.bulk_create(batch.interim_reviews)
            sign_offs, reviews = self._sign_offs(batch)
            chained_events.chain(batch.events, self.centre)
            fast_insert.insert(batch.events)
            fast_insert.insert(batch.notifications)
        self.counts.update(
            evidence=len(batch.evidence), files=len(batch.files),
            mappings=len(batch.criteria) + len(batch.knowledge) + len(batch.scope),
            declarations=len(batch.declarations), judgements=len(batch.judgements), decisions=len(batch.decisions),
            scope_recorded=len(batch.judged_scope),
            sign_offs=len(sign_offs), quality_reviews=len(reviews) + len(batch.interim_reviews),
            audit_events=len(batch.events), notifications=len(batch.notifications),
        )

    def sign_in_list(self) -> dict:
        """Who to sign in as, by role: for the load test and for people trying the centre."""
        return {
            "password": PASSWORD,
            "centre": self.centre.pk,
            **{str(role): [p.email for p in people] for role, people in self.people.items()},
        }


_TIMESTAMPED = [
    (Evidence, "created_at"), (Evidence, "updated_at"), (EvidenceFile, "uploaded_at"),
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
    if Unit.objects.filter(code__in=UNIT_CODES, version=SHIPPED_VERSION).count() == len(UNIT_CODES):
        return False
    call_command("loaddata", "standards", verbosity=0)
    return True
