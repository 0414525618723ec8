"""Evidence made the way the judging, assessor-home and notification tests need it.

The people those tests stand on are the shared cast (tests/conftest.py, tests/cast.py).
"""

import datetime
import functools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.services.judging_round import Round
from portfolio import services
from portfolio.models import AssessmentMethod, Enrolment, Evidence, Person
from standards.models import Criterion, KnowledgeItem
from tests.portfolio import hostile_files


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


def shown(evidence: Evidence) -> dict[str, str]:
    """The judge form's hidden fields for the submission standing now, as the page renders them:
    what a test posting the form by hand sends with it."""
    evidence.refresh_from_db()
    seen = Round.of(evidence)
    return {"version": str(seen.version), "submitted": seen.submitted}
