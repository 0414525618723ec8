"""What the export tests stand on: a unit ready to sign off, its photo's thumbnail made as the
worker makes it once the upload commits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from assessments.models import Decision, Judgement
from portfolio import services
from portfolio.models import AssessmentMethod, EvidenceState, Role
from standards.models import Criterion, KnowledgeItem
from tests.factories import CentreFactory, enrol, load_standards, member


def _photo(name="photo.jpg", size=(2400, 1800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#7a9cc6").save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def unit(db, django_capture_on_commit_callbacks):
    """Alice's H3 25, every criterion and knowledge item met on two accepted evidence items; the
    photo's thumbnail made by the worker once the upload committed, as it would be."""
    load_standards()
    centre = CentreFactory(name="Harbour Housing Academy")
    alice = member(centre, Role.CANDIDATE, email="alice@example.org", first_name="Alice", last_name="Morgan")
    bob = member(centre, Role.ASSESSOR, email="bob@example.org", first_name="Bob", last_name="Hughes")
    carol = member(centre, Role.IQA, email="carol@example.org", first_name="Carol", last_name="Singh")
    enrolment = enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    criteria = list(Criterion.objects.filter(unit=enrolment.unit))
    knowledge = list(KnowledgeItem.objects.filter(unit=enrolment.unit))
    evidence = []
    for title, account, uploads in (
        ("Agreeing contact with a tenant", "I agreed visits <b>weekly</b> & by phone.", [_photo()]),
        ("Complaint handled calmly", 'A tenant was angry. <img src="file:///etc/passwd">', []),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            item = services.evidence_create(
                candidate=alice, centre=centre, author=alice, title=title,
                method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=enrolment.start_date,
                account=account, uploads=uploads,
            )
        services.evidence_map(evidence=item, editor=alice, criteria=criteria, knowledge_items=knowledge, scope_items=[])
        services.evidence_submit(evidence=item, candidate=alice, declared=True)
        item.state = EvidenceState.ACCEPTED
        item.save()
        Judgement.objects.create(
            evidence=item, version=1, outcome="accepted", valid=True, authentic=True, current=True,
            sufficient=True, assessor=bob, judged_at=timezone.now(),
        )
        evidence.append(item)
    now = timezone.now()
    for item in criteria + knowledge:
        decision = Decision.objects.create(
            enrolment=enrolment, decided_by=bob, decided_at=now,
            **({"criterion": item} if isinstance(item, Criterion) else {"knowledge_item": item}),
        )
        decision.evidence.set(evidence)
    return {"enrolment": enrolment, "evidence": evidence, "criteria": criteria, "knowledge": knowledge, "bob": bob}
