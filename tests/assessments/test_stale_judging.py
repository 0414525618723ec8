"""A judge form left open while the evidence moved on (referred back in another tab, rewritten and
submitted again) is refused, records nothing, and shows the submission standing now."""

import pytest
from django.urls import reverse

from assessments.models import Decision, Judgement
from assessments.services import judging, judging_round
from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent, EvidenceState
from standards.models import Criterion
from tests.assessments.judging_people import fresh, last_week, shown, submitted


def referred_and_submitted_again(evidence, assessor, candidate, *, rewritten: bool):
    judging.evidence_refer_back(evidence=evidence, assessor=assessor, feedback="Say more about the visit.")
    if rewritten:
        services.evidence_update(
            evidence=evidence, editor=candidate, title="Supporting a family visit", method=AssessmentMethod.REFLECTIVE_ACCOUNT,
            activity_date=last_week(), account="A quite different account the assessor has not read.",
        )
    return services.evidence_submit(evidence=fresh(evidence), candidate=candidate, declared=True)


def accepting(evidence, seen: dict[str, str]) -> dict:
    a1 = Criterion.objects.get(reference="HSC331a.1").pk
    return {**dict.fromkeys(judging.VACS, "on"), "decision": "accept", "proves": [f"criterion-{a1}"], **seen}


def counts(evidence) -> tuple[int, int, int]:
    return Judgement.objects.filter(evidence=evidence).count(), Decision.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("rewritten", [True, False], ids=["rewritten", "submitted-again-unchanged"])
def test_accepting_through_a_form_of_an_earlier_submission_is_refused(client, alice, bob, hsc331, rewritten):
    evidence = submitted(alice, hsc331)
    client.force_login(bob)
    page = client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode()
    seen = shown(evidence)
    assert f'name="version" value="{seen["version"]}"' in page and f'name="submitted" value="{seen["submitted"]}"' in page
    referred_and_submitted_again(evidence, bob, alice, rewritten=rewritten)
    before = counts(evidence)

    response = client.post(reverse("assessments:judge", args=[evidence.pk]), accepting(evidence, seen))

    assert response.status_code == 400
    page = response.content.decode()
    version = 2 if rewritten else 1
    again = "" if rewritten else " again"
    assert (
        f"E1 changed while you had the page open: you were judging version 1, and Alice Adams submitted version "
        f"{version}{again} on"
    ) in page
    assert "Nothing was recorded; look at it again." in page
    assert counts(evidence) == before
    assert fresh(evidence).state == EvidenceState.SUBMITTED
    # The form now speaks of the submission the page shows, with the four confirmations to give again.
    now = shown(evidence)
    assert f'name="version" value="{now["version"]}"' in page and f'name="submitted" value="{now["submitted"]}"' in page
    assert 'name="valid" id="id_valid" checked' not in page
    if rewritten:
        assert "A quite different account the assessor has not read." in page

    response = client.post(reverse("assessments:judge", args=[evidence.pk]), accepting(evidence, now))

    assert response.status_code == 302
    assert fresh(evidence).state == EvidenceState.ACCEPTED
    assert Judgement.objects.filter(evidence=evidence).latest("judged_at").version == version


def test_referring_back_through_a_form_of_an_earlier_submission_is_refused(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    seen = shown(evidence)
    referred_and_submitted_again(evidence, bob, alice, rewritten=True)
    before = counts(evidence)
    client.force_login(bob)

    response = client.post(
        reverse("assessments:judge", args=[evidence.pk]), {"decision": "refer", "feedback": "Still more.", **seen}
    )

    assert response.status_code == 400
    assert "E1 changed while you had the page open" in response.content.decode()
    assert "Still more.</textarea>" in response.content.decode()
    assert counts(evidence) == before


def test_a_judge_form_without_its_version_records_nothing(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    before = counts(evidence)
    client.force_login(bob)

    response = client.post(reverse("assessments:judge", args=[evidence.pk]), accepting(evidence, {}))

    assert response.status_code == 400
    assert "This form does not say which version of the evidence it judges" in response.content.decode()
    assert counts(evidence) == before


def test_the_service_refuses_a_submission_other_than_the_one_seen(alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    seen = judging_round.Round.of(fresh(evidence))
    referred_and_submitted_again(evidence, bob, alice, rewritten=True)

    with pytest.raises(judging_round.StaleJudgement):
        judging.evidence_accept(
            evidence=evidence, assessor=bob, seen=seen, **dict.fromkeys(judging.VACS, True),
        )
    assert fresh(evidence).state == EvidenceState.SUBMITTED
