"""The people and records the judging, assessor-home and notification tests share.

Alice is the candidate, on HSC331 and H3 25; Bob is her assessor and Carol her IQA; Grace
administers their centre. Dave is another candidate there and Erin his assessor. Frank
administers another centre. Import the fixtures a test module needs by name.
"""

import datetime
import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portfolio import services
from portfolio.models import AssessmentMethod, Enrolment, Evidence, Person, Role
from standards.models import Criterion, KnowledgeItem
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files

PASSWORD = "correct horse battery"


@pytest.fixture
def standards(db):
    load_standards()


@pytest.fixture
def centre(standards):
    return CentreFactory(name="Riverside Training", code="riverside")


@pytest.fixture
def people(centre) -> dict[str, Person]:
    elsewhere = CentreFactory(name="Hillside College", code="hillside")
    found = {
        "alice": member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org"),
        "dave": member(centre, Role.CANDIDATE, first_name="Dave", last_name="Davies", email="dave@example.org"),
        "bob": member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org"),
        "erin": member(centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org"),
        "carol": member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org"),
        "grace": member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gray", email="grace@example.org"),
        "frank": member(
            elsewhere, Role.ADMINISTRATOR, first_name="Frank", last_name="Fisher", email="frank@example.org"
        ),
    }
    return found


@pytest.fixture
def alice(people):
    return people["alice"]


@pytest.fixture
def bob(people):
    return people["bob"]


@pytest.fixture
def carol(people):
    return people["carol"]


@pytest.fixture
def dave(people):
    return people["dave"]


@pytest.fixture
def erin(people):
    return people["erin"]


@pytest.fixture
def hsc331(people, centre) -> Enrolment:
    return enrol(people["alice"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)


@pytest.fixture
def h3_25(people, centre) -> Enrolment:
    return enrol(people["alice"], "H3 25", assessor=people["bob"], iqa=people["carol"], centre=centre)


@pytest.fixture
def daves_unit(people, centre) -> Enrolment:
    return enrol(people["dave"], "HSC331", assessor=people["erin"], iqa=people["carol"], centre=centre)


@functools.cache
def _pdf_bytes() -> bytes:
    return hostile_files.pdf_document()


def photo(name: str = "visit-photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, hostile_files.png_image(), content_type="image/png")


def pdf(name: str = "support-plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf_bytes(), content_type="application/pdf")


def last_week() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=7)


def draft(candidate: Person, enrolment: Enrolment, *, title: str = "Supporting a family visit",
          criteria=("HSC331a.1",), knowledge=(), uploads=()) -> Evidence:
    """The candidate's own draft, made and mapped through the services as the pages do."""
    evidence = services.evidence_create(
        candidate=candidate, centre=enrolment.centre, author=candidate, title=title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=last_week(), location="Day centre",
        account="I supported Person A to phone their sister and plan a visit.", uploads=list(uploads),
    )
    return services.evidence_map(
        evidence=evidence, editor=candidate,
        criteria=Criterion.objects.filter(reference__in=criteria),
        knowledge_items=KnowledgeItem.objects.filter(reference__in=knowledge),
        scope_items=[],
    )


def submitted(candidate: Person, enrolment: Enrolment, **fields) -> Evidence:
    evidence = draft(candidate, enrolment, **fields)
    return services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)


def fresh(evidence: Evidence) -> Evidence:
    return Evidence.objects.get(pk=evidence.pk)
