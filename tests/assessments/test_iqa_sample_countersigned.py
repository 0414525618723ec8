"""A unit the IQA countersigned, as it stands now, needs no sampling until it changes (outside
trial: the sample page still offered it). The page shows "Countersigned" where the tick was, and
`sample_add` refuses one sent anyway (a tab left open), adding nothing; a new sign-off after a void
reopens it.

Alice is the candidate on HSC331 and H3 25; Bob assesses both and Carol is their IQA."""

import re

import pytest
from django.utils import timezone

from assessments import voids
from assessments.audit_actions import AssessmentAction
from assessments.models import QualityReview, SignOff
from assessments.services import iqa as iqa_services
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent
from tests.assessments.quality_records import (
    accepted_evidence,
    countersigned_by_the_iqa,
    decide,
    riverside_team,
    sign_off,
)
from tests.factories import enrol

pytestmark = pytest.mark.django_db

PAGE = "/assessments/quality/"


@pytest.fixture
def case(db):
    centre, alice, bob, carol = riverside_team()
    done = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    countersigned_by_the_iqa(done)
    other = enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    decide(other, accepted_evidence(other, title="Boundaries"), count=2)
    return type("Case", (), dict(alice=alice, bob=bob, carol=carol, done=done, other=other))


def _samplings() -> int:
    return AuditEvent.objects.filter(action=AssessmentAction.IQA_SAMPLED).count()


def test_a_countersigned_unit_is_refused_by_name_and_nothing_is_added(case):
    reviews, sampled = QualityReview.objects.count(), _samplings()
    with pytest.raises(PortfolioError) as refused:
        iqa_services.sample_add(iqa=case.carol, enrolments=[case.done, case.other])

    assert str(refused.value) == (
        "Alice Adams, HSC331 is already countersigned as it stands, so it needs no sampling until it changes "
        "(a new sign-off). Nothing was added to your sample. The other units you ticked are still ticked: "
        "add them again."
    )
    assert (QualityReview.objects.count(), _samplings()) == (reviews, sampled)
    assert not QualityReview.objects.filter(enrolment=case.other).exists()


def test_a_new_sign_off_after_a_void_reopens_it_for_sampling(case):
    SignOff.objects.filter(enrolment=case.done).update(
        voided_at=timezone.now(), voided_by=case.bob, void_reason="Unlocked to correct a decision"
    )
    for voided in SignOff.objects.filter(enrolment=case.done):  # signed, as an unlock signs its void
        SignOff.objects.filter(pk=voided.pk).update(void_signature=voids.void_signature(voided))
    signed_again = sign_off(case.done)

    [review] = iqa_services.sample_add(iqa=case.carol, enrolments=[case.done])
    assert (review.outcome, review.sign_off) == (QualityReview.Outcome.SAMPLED, signed_again)


def test_the_page_says_countersigned_where_the_tick_was(client, case):
    client.force_login(case.carol)
    page = client.get(PAGE).content.decode()

    assert f'name="enrolments" value="{case.done.pk}"' not in page
    [row] = [row for row in page.split("<tr") if f'href="/assessments/units/{case.done.pk}/"' in row]
    assert " ".join(row.split("</td>")[0].split()).endswith('<span class="small">Countersigned</span>')
    assert f'name="enrolments" value="{case.other.pk}"' in page  # still offered: nothing countersigned yet


def test_a_stale_tab_posting_it_is_told_why_and_keeps_its_other_ticks(client, case):
    client.force_login(case.carol)
    response = client.post(PAGE, {"enrolments": [case.done.pk, case.other.pk]})

    page = " ".join(response.content.decode().split())
    assert response.status_code == 400
    assert "Alice Adams, HSC331 is already countersigned as it stands" in page.replace("&#x27;", "'")
    assert re.search(rf'name="enrolments" value="{case.other.pk}" id="sample-{case.other.pk}"[^>]* checked>', page)
    assert f'name="enrolments" value="{case.done.pk}"' not in page
    assert not QualityReview.objects.filter(enrolment=case.other).exists()
