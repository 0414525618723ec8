"""A signed-off unit is locked for the candidate too: no evidence is mapped to it or taken off it,
and evidence mapped only to locked units is not submitted, until the unit is unlocked.

Alice is on HSC331 and H3 25; Bob, her assessor, has signed HSC331 off."""

import datetime

import pytest
from django.utils import timezone

from assessments.services.signoff import unit_sign_off, unit_unlock
from portfolio import dates, services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, AuditEvent, Declaration, Evidence, EvidenceState, Notification
from standards.models import Criterion, KnowledgeItem
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case)])
    return case


def draft(case, *references: str) -> Evidence:
    evidence = services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="A later visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate() - datetime.timedelta(days=1),
        account="I helped Person B join a lunch club.",
    )
    if references:
        map_to(evidence, *references)
    return evidence


def map_to(evidence: Evidence, *references: str) -> Evidence:
    return services.evidence_map(
        evidence=evidence, editor=evidence.candidate,
        criteria=Criterion.objects.filter(reference__in=references),
        knowledge_items=KnowledgeItem.objects.filter(reference__in=references), scope_items=[],
    )


def sign(case):
    return unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def signed_on(sign_off) -> str:
    return dates.day(sign_off.assessor_signed_at)


def mapped(evidence: Evidence) -> list[str]:
    return sorted([*evidence.criteria.values_list("reference", flat=True),
                   *evidence.knowledge_items.values_list("reference", flat=True)])


def test_it_refuses_to_map_new_evidence_to_a_signed_off_unit_and_changes_nothing(case):
    evidence = draft(case)
    signed = sign(case)
    events = AuditEvent.objects.count()

    with pytest.raises(PortfolioError) as refused:
        map_to(evidence, "HSC331a.1", "H3 25.1")

    assert str(refused.value) == (
        f"HSC331 was signed off on {signed_on(signed)} and is locked, so {evidence.reference} cannot be mapped to it "
        "or taken off it. Nothing was changed. Ask your assessor to unlock the unit if this evidence belongs to it."
    )
    assert mapped(evidence) == [] and AuditEvent.objects.count() == events


def test_evidence_already_mapped_to_the_locked_unit_keeps_it_and_may_be_mapped_to_open_units(case):
    evidence = draft(case, "HSC331a.1")
    sign(case)

    map_to(evidence, "HSC331a.1", "H3 25.1")
    assert mapped(evidence) == ["H3 25.1", "HSC331a.1"]

    with pytest.raises(PortfolioError, match="is locked, so E2 cannot be mapped to it or taken off it"):
        map_to(evidence, "H3 25.1")
    assert mapped(evidence) == ["H3 25.1", "HSC331a.1"]


def test_it_refuses_to_submit_evidence_mapped_only_to_signed_off_units_and_changes_nothing(case):
    evidence = draft(case, "HSC331a.1")
    signed = sign(case)
    told = Notification.objects.filter(recipient=case.bob).count()

    with pytest.raises(PortfolioError) as refused:
        services.evidence_submit(evidence=evidence, candidate=case.alice, declared=True)

    assert str(refused.value) == (
        f"{evidence.reference} is mapped only to signed-off units (HSC331 was signed off on {signed_on(signed)}), "
        "which are locked, so it was not submitted. Map it to a unit still open, or ask your assessor to unlock "
        "the unit."
    )
    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.DRAFT and evidence.submitted_at is None
    assert not Declaration.objects.filter(evidence=evidence).exists()
    assert Notification.objects.filter(recipient=case.bob).count() == told


def test_evidence_mapped_to_an_open_unit_too_is_submitted(case):
    evidence = draft(case, "HSC331a.1", "H3 25.1")
    sign(case)

    services.evidence_submit(evidence=evidence, candidate=case.alice, declared=True)

    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.SUBMITTED


def test_the_unit_takes_mappings_and_submissions_again_once_unlocked(case):
    evidence = draft(case)
    sign(case)
    unit_unlock(enrolment=case.hsc331, person=case.bob, reason="One more observation is needed.")

    map_to(evidence, "HSC331a.1")
    services.evidence_submit(evidence=evidence, candidate=case.alice, declared=True)

    evidence.refresh_from_db()
    assert mapped(evidence) == ["HSC331a.1"] and evidence.state == EvidenceState.SUBMITTED


def test_the_mapping_page_shows_the_locked_unit_which_cannot_be_ticked(client, case):
    evidence = draft(case, "HSC331a.1")
    signed = sign(case)
    client.force_login(case.alice)
    url = f"/portfolio/evidence/{evidence.pk}/map/"

    page = client.get(url).content.decode()

    assert f"Locked: signed off on {signed_on(signed)}." in page
    locked_box = Criterion.objects.get(reference="HSC331a.1").pk
    open_box = Criterion.objects.get(reference="H3 25.1").pk
    assert f'value="{locked_box}" id="map-criteria-{locked_box}" checked disabled' in page
    assert f'value="{open_box}" id="map-criteria-{open_box}">' in page

    assert f'<input type="hidden" name="criteria" value="{locked_box}">' in page
    # What the browser sends: the open unit's new tick, and the locked unit's kept tick from the
    # hidden copy (its box is disabled, so not sent itself).
    response = client.post(url, {"criteria": [open_box, locked_box]})
    assert response.status_code == 302
    assert mapped(evidence) == ["H3 25.1", "HSC331a.1"]
