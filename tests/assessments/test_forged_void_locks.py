"""A sign-off voided in the database by hand is not an unlock: the unit stays locked to the assessor
and the candidate alike (an outside trial: one UPDATE of `voided_at` let the assessor withdraw a
signed decision through the product). A real unlock still unlocks.

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA (tests/assessments/unit_case.py)."""

import pytest
from django.utils import timezone

from assessments.models import Decision, SignOff
from assessments.services import decisions
from assessments.services import signoff as services
from portfolio import services as portfolio_services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db

TAMPERED = "that sign-off was voided outside the product, not by an unlock: the unit stays locked"


@pytest.fixture
def case():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    case.sign_off = services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    return case


def _void_by_hand(case) -> None:
    SignOff.objects.filter(pk=case.sign_off.pk).update(voided_at=timezone.now(), voided_by=case.bob, void_reason="x")


def _a_decision(case) -> Decision:
    return Decision.objects.filter(enrolment=case.hsc331, withdrawn_at=None).order_by("pk")[0]


def test_the_assessor_can_neither_withdraw_a_decision_nor_sign_off_again(case):
    _void_by_hand(case)

    with pytest.raises(PortfolioError, match=TAMPERED):
        decisions.decision_withdraw(decision=_a_decision(case), assessor=case.bob, reason="Changed my mind.")
    with pytest.raises(PortfolioError, match=TAMPERED):
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    assert Decision.objects.filter(enrolment=case.hsc331, withdrawn_at__isnull=False).count() == 0
    assert SignOff.objects.filter(enrolment=case.hsc331).count() == 1


def test_the_withdrawal_page_refuses_with_the_reason(client, case):
    _void_by_hand(case)
    decision = _a_decision(case)
    client.force_login(case.bob)

    response = client.post(f"/assessments/decisions/{decision.pk}/withdraw/", {"reason": "Changed my mind."}, follow=True)

    assert "voided outside the product" in response.content.decode()
    assert Decision.objects.get(pk=decision.pk).withdrawn_at is None


def test_the_candidate_cannot_map_new_evidence_to_it(case):
    _void_by_hand(case)
    late = portfolio_services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Late evidence",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate(), account="Late.", uploads=[],
    )

    with pytest.raises(PortfolioError):
        portfolio_services.evidence_map(
            evidence=late, editor=case.alice, criteria=Criterion.objects.filter(unit=case.hsc331.unit)[:1],
            knowledge_items=[], scope_items=[],
        )
    assert not late.criteria.exists()


def test_a_real_unlock_unlocks(case):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness statement was withdrawn.")

    withdrawn = decisions.decision_withdraw(decision=_a_decision(case), assessor=case.bob, reason="Witness withdrawn.")

    assert withdrawn.withdrawn_at is not None
