"""Internal quality assurance: sampling, countersigning or referring back, and the assessor's answer.

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA; Grace administers their
centre and Heidi is its external quality assurer. Dave is another candidate at the centre and Erin
his assessor; Ivan is another IQA there, and Frank administers another centre. Pat is both an
assessor and an IQA: the centre gave him a unit to quality-assure that he also assesses.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone

from assessments import voids
from assessments.models import Decision, QualityReview, SignOff
from assessments.services import iqa as iqa_services
from assessments.services import signoff
from portfolio.errors import PortfolioError
from portfolio.models import (
    AuditEvent,
    Notification,
    Role,
)
from tests.assessments.quality_records import (
    accepted_evidence,
    decide,
    sign_off,
    signed_off_through_the_services,
)
from tests.assessments.unit_case import signed_as_the_service_signs
from tests.factories import CentreFactory, enrol, load_standards, member

pytestmark = pytest.mark.django_db

Outcome = QualityReview.Outcome
Stage = QualityReview.Stage


def void(sign_off_row: SignOff, by) -> None:
    """Voided as an unlock voids it, signed (a void written by hand unlocks nothing)."""
    SignOff.objects.filter(pk=sign_off_row.pk).update(voided_at=timezone.now(), voided_by=by, void_reason="Unlocked")
    voided = SignOff.objects.get(pk=sign_off_row.pk)
    SignOff.objects.filter(pk=voided.pk).update(void_signature=voids.void_signature(voided))


@pytest.fixture
def case(db):
    load_standards()
    centre, elsewhere = CentreFactory(name="Riverside Training"), CentreFactory()
    people = {
        "alice": member(centre, Role.CANDIDATE, email="alice@example.org", first_name="Alice", last_name="Adams"),
        "bob": member(centre, Role.ASSESSOR, email="bob@example.org", first_name="Bob", last_name="Baker"),
        "carol": member(centre, Role.IQA, email="carol@example.org", first_name="Carol", last_name="Clark"),
        "grace": member(centre, Role.ADMINISTRATOR, email="grace@example.org"),
        "heidi": member(centre, Role.EQA, email="heidi@example.org"),
        "dave": member(centre, Role.CANDIDATE, email="dave@example.org", first_name="Dave", last_name="Dean"),
        "erin": member(centre, Role.ASSESSOR, email="erin@example.org", first_name="Erin", last_name="Price"),
        "ivan": member(centre, Role.IQA, email="ivan@example.org", first_name="Ivan", last_name="Ives"),
        "pat": member(centre, Role.IQA, email="pat@example.org", first_name="Pat", last_name="Shaw"),
        "frank": member(elsewhere, Role.ADMINISTRATOR, email="frank@example.org"),
    }
    enrolment = enrol(people["alice"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)
    daves = enrol(people["dave"], "HSC331", assessor=people["erin"], iqa=people["ivan"], centre=centre)
    pats_own = enrol(people["dave"], "H3 25", assessor=people["pat"], iqa=people["pat"], centre=centre)
    evidence = accepted_evidence(enrolment, title="Family visit")
    decide(enrolment, evidence, count=3)
    return {
        "people": people, "centre": centre, "enrolment": enrolment, "daves": daves,
        "pats_own": pats_own, "evidence": evidence,
    }


def p(case, name):
    return case["people"][name]


def actions_of(enrolment) -> list[str]:
    return list(AuditEvent.objects.filter(enrolment=enrolment).order_by("id").values_list("action", flat=True))


# The sign-off rows of `quality_records.sign_off` have no real manifest, so the fixity check an IQA's
# review of a signed-off unit makes finds them altered and tells the people on the case
# (tests/assessments/test_fixity.py); these tests are about what the review itself tells them.
ALARM = "The signed-off record of "
ALARM_SUBJECT = "Evidence portfolio: Signed record of "


def inbox(person) -> list[str]:
    return [
        message for message in Notification.objects.filter(recipient=person).values_list("message", flat=True)
        if not message.startswith(ALARM)
    ]


# Sampling.


def test_it_adds_an_in_progress_unit_to_the_sample_as_an_interim_review(case):
    [review] = iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[case["enrolment"]])
    assert (review.outcome, review.stage, review.sign_off, review.iqa) == (
        Outcome.SAMPLED, Stage.INTERIM, None, p(case, "carol")
    )
    assert actions_of(case["enrolment"]) == ["assessments.iqa.sampled"]


def test_it_adds_a_signed_off_unit_as_a_final_review_linked_to_its_sign_off(case):
    signed = sign_off(case["enrolment"])
    [review] = iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[case["enrolment"]])
    assert (review.stage, review.sign_off) == (Stage.FINAL, signed)


def test_it_adds_a_unit_waiting_in_the_sample_only_once(case):
    iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[case["enrolment"]])
    assert iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[case["enrolment"]]) == []
    assert QualityReview.objects.filter(enrolment=case["enrolment"]).count() == 1


def test_it_refuses_to_sample_another_iqas_unit(case):
    with pytest.raises(PortfolioError, match="Only the unit’s internal quality assurer, Ivan Ives"):
        iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[case["enrolment"], case["daves"]])
    assert not QualityReview.objects.exists()


def test_it_refuses_to_let_an_iqa_sample_a_unit_they_assess(case):
    with pytest.raises(PortfolioError, match="cannot quality-assure their own decisions"):
        iqa_services.sample_add(iqa=p(case, "pat"), enrolments=[case["pats_own"]])
    assert not QualityReview.objects.exists()


def test_it_refuses_an_empty_sample(case):
    with pytest.raises(PortfolioError, match="Tick at least one unit"):
        iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[])


# Countersigning and referring back.


def test_it_countersigns_the_decisions_so_far_as_an_interim_review(case, django_capture_on_commit_callbacks):
    enrolment = case["enrolment"]
    [sampled] = iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[enrolment])
    with django_capture_on_commit_callbacks(execute=True):
        review = iqa_services.review_record(
            review_or_enrolment=enrolment, iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED,
            comments="Decisions well evidenced so far.",
        )
    assert review.pk == sampled.pk, "the review waiting in the sample is the one recorded"
    review.refresh_from_db()
    assert (review.outcome, review.stage, review.comments) == (
        Outcome.COUNTERSIGNED, Stage.INTERIM, "Decisions well evidenced so far."
    )
    assert review.reviewed_at is not None
    assert actions_of(enrolment) == ["assessments.iqa.sampled", "assessments.iqa.countersigned"]
    event = AuditEvent.objects.get(action="assessments.iqa.countersigned")
    assert (event.actor, event.before["outcome"], event.after["outcome"]) == (p(case, "carol"), "sampled", "countersigned")
    # Nothing is signed off to countersign: the assessor hears the IQA agreed with the decisions so far.
    assert inbox(p(case, "bob")) == ["IQA Carol Clark reviewed HSC331 of Alice Adams and agreed with the decisions so far."]
    assert inbox(p(case, "alice")) == [], "the candidate hears of the final countersignature only"
    # A countersignature asks nothing of the assessor: by default it waits for their daily digest.
    assert mail.outbox == []


def test_it_countersigns_a_signed_off_unit_the_candidate_has_countersigned(case, django_capture_on_commit_callbacks):
    enrolment = case["enrolment"]
    signed = sign_off(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        review = iqa_services.review_record(
            review_or_enrolment=enrolment, iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED, stage=Stage.FINAL
        )
    assert (review.outcome, review.stage, review.sign_off) == (Outcome.COUNTERSIGNED, Stage.FINAL, signed)
    assert inbox(p(case, "alice")) == [
        "Your unit HSC331 has been countersigned by the internal quality assurer, Carol Clark."
    ]
    assert inbox(p(case, "bob")) == ["IQA Carol Clark countersigned HSC331 of Alice Adams (signed-off unit)."]
    # Good news that asks nothing waits for the daily digest, by default; only the check's alarm goes now.
    assert [m for m in mail.outbox if not m.subject.startswith(ALARM_SUBJECT)] == []


def test_it_countersigns_a_unit_signed_off_through_the_services_and_shows_it_intact(client, case):
    enrolment = enrol(p(case, "alice"), "H3 25", assessor=p(case, "bob"), iqa=p(case, "carol"), centre=case["centre"])
    signed = signed_off_through_the_services(enrolment)
    [sampled] = iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[enrolment])
    assert (sampled.stage, sampled.sign_off) == (Stage.FINAL, signed)
    client.force_login(p(case, "carol"))
    page = client.get(f"/assessments/units/{enrolment.pk}/review/").content.decode()
    assert "<strong>Intact:</strong>" in page and "match what was signed." in page
    review = iqa_services.review_record(review_or_enrolment=sampled, iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED)
    assert (review.pk, review.outcome, review.stage) == (sampled.pk, Outcome.COUNTERSIGNED, Stage.FINAL)


def test_it_refuses_a_final_countersignature_before_the_candidate_countersigns(case):
    sign_off(case["enrolment"], countersigned=False)
    with pytest.raises(PortfolioError, match="The candidate has not countersigned"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
        )
    assert not QualityReview.objects.exists()
    assert inbox(p(case, "bob")) == []


def test_it_refuses_a_final_countersignature_without_a_sign_off(case):
    with pytest.raises(PortfolioError, match="no standing sign-off"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"),
            outcome=Outcome.COUNTERSIGNED, stage=Stage.FINAL,
        )
    assert not QualityReview.objects.exists()


def test_it_refuses_a_final_countersignature_once_the_sign_off_was_voided(case):
    signed = sign_off(case["enrolment"])
    iqa_services.sample_add(iqa=p(case, "carol"), enrolments=[case["enrolment"]])
    void(signed, p(case, "bob"))
    with pytest.raises(PortfolioError, match="no standing sign-off"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"),
            outcome=Outcome.COUNTERSIGNED, stage=Stage.FINAL,
        )
    # Reviewed as it now stands, it is an interim review of the decisions, tied to no sign-off.
    review = iqa_services.review_record(
        review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
    )
    assert (review.stage, review.sign_off) == (Stage.INTERIM, None)


def test_it_refuses_an_interim_review_of_a_signed_off_unit(case):
    sign_off(case["enrolment"])
    with pytest.raises(PortfolioError, match="review it as a whole"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"),
            outcome=Outcome.COUNTERSIGNED, stage=Stage.INTERIM,
        )


def test_it_refuses_to_countersign_a_unit_with_no_decisions(case):
    Decision.objects.filter(enrolment=case["enrolment"]).update(
        withdrawn_at=timezone.now(), withdrawn_by=p(case, "bob"), withdrawal_reason="Wrong item"
    )
    with pytest.raises(PortfolioError, match="no decisions on this unit yet, so there is nothing to review"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
        )


def test_it_refuses_to_countersign_a_sign_off_twice(case):
    sign_off(case["enrolment"])
    iqa_services.review_record(review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED)
    with pytest.raises(PortfolioError, match="already been countersigned"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
        )
    assert QualityReview.objects.count() == 1


def test_it_countersigns_the_decisions_so_far_again_only_once_they_have_changed(case):
    def countersign():
        return iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
        )

    countersign()
    with pytest.raises(PortfolioError, match="none has changed since"):
        countersign()
    decide(case["enrolment"], case["evidence"])
    countersign()
    assert QualityReview.objects.filter(outcome=Outcome.COUNTERSIGNED, stage=Stage.INTERIM).count() == 2


def test_it_refuses_a_review_by_another_iqa(case):
    with pytest.raises(PortfolioError, match="Only the unit’s internal quality assurer, Carol Clark"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "ivan"), outcome=Outcome.COUNTERSIGNED
        )
    assert not QualityReview.objects.exists()
    assert actions_of(case["enrolment"]) == []


def test_it_refuses_a_review_by_an_iqa_who_is_the_assessor(case):
    decide(case["pats_own"], accepted_evidence(case["pats_own"]))
    with pytest.raises(PortfolioError, match="cannot quality-assure their own decisions"):
        iqa_services.review_record(
            review_or_enrolment=case["pats_own"], iqa=p(case, "pat"), outcome=Outcome.COUNTERSIGNED
        )
    assert not QualityReview.objects.exists()


def test_it_refuses_a_referral_without_actions(case):
    with pytest.raises(PortfolioError, match="a referral back needs actions"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.REFERRED,
            comments="Not enough.", actions="   ",
        )
    assert not QualityReview.objects.exists()


def test_it_refuses_an_outcome_other_than_countersign_or_refer(case):
    with pytest.raises(PortfolioError, match="Choose whether"):
        iqa_services.review_record(review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.SAMPLED)


def test_it_refers_back_with_actions_and_tells_the_assessor(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.REFERRED,
            comments="E1 does not show the candidate’s own part.", actions="Question Alice on HSC331a.2 and record it.",
        )
    assert (review.outcome, review.stage, review.actions_done_at) == (Outcome.REFERRED, Stage.INTERIM, None)
    assert actions_of(case["enrolment"]) == ["assessments.iqa.referred"]
    assert inbox(p(case, "bob")) == ["IQA Carol Clark referred HSC331 of Alice Adams back to you with actions."]
    assert inbox(p(case, "alice")) == []
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_it_refuses_to_countersign_while_a_referral_is_open(case):
    referral = iqa_services.review_record(
        review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.REFERRED, actions="Do this."
    )
    with pytest.raises(PortfolioError, match="has not marked those actions done"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
        )
    iqa_services.review_actions_done(review=referral, assessor=p(case, "bob"), note="Done it.")
    review = iqa_services.review_record(
        review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
    )
    assert review.pk != referral.pk, "each review is its own record"
    assert list(QualityReview.objects.order_by("pk").values_list("outcome", flat=True)) == ["referred", "countersigned"]


def test_it_refuses_to_record_a_review_twice(case):
    review = iqa_services.review_record(
        review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
    )
    with pytest.raises(PortfolioError, match="already recorded"):
        iqa_services.review_record(
            review_or_enrolment=review, iqa=p(case, "carol"), outcome=Outcome.REFERRED, actions="Change it."
        )
    review.refresh_from_db()
    assert review.outcome == Outcome.COUNTERSIGNED


# The assessor's answer to a referral.


@pytest.fixture
def referral(case):
    return iqa_services.review_record(
        review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.REFERRED,
        actions="Question Alice on HSC331a.2 and record it.",
    )


def test_the_assessor_marks_the_actions_done_and_the_iqa_is_told(case, referral, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        iqa_services.review_actions_done(review=referral, assessor=p(case, "bob"), note="Questioned Alice; E2 records it.")
    referral.refresh_from_db()
    assert referral.actions_done_at is not None
    assert referral.actions_done_note == "Questioned Alice; E2 records it."
    assert actions_of(case["enrolment"])[-1] == "assessments.iqa.actions_done"
    assert inbox(p(case, "carol")) == ["Assessor Bob Baker marked the IQA’s actions on HSC331 of Alice Adams done."]
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]


@pytest.mark.parametrize("who", ["carol", "alice", "erin", "ivan", "grace"])
def test_nobody_but_the_assessor_marks_the_actions_done(case, referral, who):
    with pytest.raises(PortfolioError, match="Only the unit’s assessor, Bob Baker"):
        iqa_services.review_actions_done(review=referral, assessor=p(case, who), note="Done.")
    referral.refresh_from_db()
    assert referral.actions_done_at is None


def test_actions_are_marked_done_once_and_need_a_note(case, referral):
    with pytest.raises(PortfolioError, match="Say what you did"):
        iqa_services.review_actions_done(review=referral, assessor=p(case, "bob"), note=" ")
    iqa_services.review_actions_done(review=referral, assessor=p(case, "bob"), note="Done.")
    with pytest.raises(PortfolioError, match="were marked done on"):
        iqa_services.review_actions_done(review=referral, assessor=p(case, "bob"), note="Done again.")


def test_a_countersignature_has_no_actions_to_mark_done(case):
    review = iqa_services.review_record(
        review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED
    )
    with pytest.raises(PortfolioError, match="Only a referral back"):
        iqa_services.review_actions_done(review=review, assessor=p(case, "bob"), note="Done.")


# The pages.


def test_the_sample_page_lists_the_iqas_units_by_assessor_with_the_suggestion_ticked(client, case):
    enrolment = case["enrolment"]
    client.force_login(p(case, "carol"))
    page = client.get("/assessments/quality/").content.decode()
    assert "Assessed by Bob Baker" in page
    assert "Dave Dean" not in page, "another IQA's units are not listed"
    assert "covers assessor Bob Baker; method: reflective account; unit HSC331" in page
    assert re.search(rf'name="enrolments" value="{enrolment.pk}" id="sample-{enrolment.pk}" checked', page)
    assert "Missing</span> Bob Baker" in page


def test_the_iqa_adds_the_ticked_units_to_the_sample(client, case):
    client.force_login(p(case, "carol"))
    response = client.post("/assessments/quality/", {"enrolments": [case["enrolment"].pk]}, follow=True)
    assert response.redirect_chain == [("/assessments/quality/", 302)]
    page = response.content.decode()
    assert "1 unit added to your sample: Alice Adams, HSC331." in page
    assert "Covered</span> Bob Baker" in page
    assert QualityReview.objects.get().outcome == Outcome.SAMPLED


def test_another_iqas_unit_cannot_be_added_through_the_form(client, case):
    client.force_login(p(case, "carol"))
    response = client.post("/assessments/quality/", {"enrolments": [case["daves"].pk]})
    assert response.status_code == 400
    assert not QualityReview.objects.exists()


def test_the_sample_form_asks_for_a_tick(client, case):
    client.force_login(p(case, "carol"))
    response = client.post("/assessments/quality/", {})
    assert response.status_code == 400
    assert "Tick at least one unit to add to your sample." in response.content.decode()


def test_the_review_page_shows_the_decisions_with_the_evidence_they_cite(client, case):
    enrolment = case["enrolment"]
    signed_as_the_service_signs(enrolment, enrolment.assessor).save()
    client.force_login(p(case, "carol"))
    page = client.get(f"/assessments/units/{enrolment.pk}/review/").content.decode()
    assert "Final review" in page
    assert "The assessor’s decisions, as signed (3)" in page
    assert page.count(f'href="/assessments/evidence/{case["evidence"].pk}/"') == 3
    assert "HSC331a.1" in page
    assert "Not yet countersigned by the candidate." in page
    assert "This signed-off record has changed since it was signed." not in page


def test_the_review_page_shows_the_decisions_as_signed_not_as_the_rows_hold_them_now(client, case):
    # This sign-off row has an empty manifest: it signed nothing, whatever the decisions say now.
    sign_off(case["enrolment"], countersigned=False)
    client.force_login(p(case, "carol"))
    page = client.get(f"/assessments/units/{case['enrolment'].pk}/review/").content.decode()
    assert "The assessor’s decisions, as signed (0)" in page
    assert f'href="/assessments/evidence/{case["evidence"].pk}/"' not in page
    assert "This signed-off record has changed since it was signed." in page


def test_the_iqa_agrees_with_the_decisions_so_far_through_the_review_page(client, case):
    """The unit is not signed off: an interim review. The IQA is told they agreed with the decisions so
    far, not that they countersigned it (outside trial)."""
    client.force_login(p(case, "carol"))
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/review/",
        {"outcome": "countersigned", "comments": "Sound decisions."}, follow=True,
    )
    assert response.redirect_chain == [(f"/assessments/units/{case['enrolment'].pk}/#iqa-heading", 302)]
    panel = response.content.decode()
    assert (
        "You reviewed the decisions so far on HSC331 of Alice Adams and agreed with them (interim review)." in panel
    )
    assert "countersigned" not in " ".join(panel.split()).lower().split("quality assurance", 1)[1]
    assert "Sound decisions." in panel
    assert QualityReview.objects.get().outcome == Outcome.COUNTERSIGNED


def test_the_review_page_asks_for_actions_when_referring(client, case):
    client.force_login(p(case, "carol"))
    response = client.post(f"/assessments/units/{case['enrolment'].pk}/review/", {"outcome": "referred", "actions": ""})
    assert response.status_code == 400
    assert "a referral back needs actions" in response.content.decode()
    assert not QualityReview.objects.exists()


def test_the_review_page_shows_why_a_move_is_refused(client, case):
    signed = sign_off(case["enrolment"], countersigned=False)
    client.force_login(p(case, "carol"))
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/review/", {"outcome": "countersigned", "sign_off": signed.pk}
    )
    assert response.status_code == 400
    assert "The candidate has not countersigned the assessor’s sign-off yet." in response.content.decode()


def test_a_unit_signed_off_while_the_iqa_reads_it_is_not_countersigned_unseen(client, case):
    url = f"/assessments/units/{case['enrolment'].pk}/review/"
    client.force_login(p(case, "carol"))
    assert 'name="sign_off" id="id_sign_off"' in client.get(url).content.decode()
    signed = sign_off(case["enrolment"])
    response = client.post(url, {"outcome": "countersigned", "sign_off": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The unit changed while you had the page open: Bob Baker signed it off on" in page
    assert f'name="sign_off" value="{signed.pk}"' in page, "sent again, the form speaks of the sign-off now shown"
    assert not QualityReview.objects.exists()
    response = client.post(url, {"outcome": "countersigned", "sign_off": signed.pk})
    assert response.status_code == 302
    assert QualityReview.objects.get().sign_off == signed


def test_a_sign_off_voided_while_the_iqa_reads_it_is_not_countersigned(case):
    signed = sign_off(case["enrolment"])
    void(signed, p(case, "bob"))
    with pytest.raises(PortfolioError, match="its sign-off has been voided by unlocking"):
        iqa_services.review_record(
            review_or_enrolment=case["enrolment"], iqa=p(case, "carol"), outcome=Outcome.COUNTERSIGNED,
            seen_sign_off_id=signed.pk,
        )


def test_the_unit_page_shows_the_referral_and_its_form_to_the_assessor(client, case, referral):
    url = f"/assessments/units/{case['enrolment'].pk}/"
    client.force_login(p(case, "bob"))
    page = client.get(url).content.decode()
    assert "Question Alice on HSC331a.2 and record it." in page
    assert f'action="/assessments/reviews/{referral.pk}/actions-done/"' in page
    assert "Review this unit" not in page
    response = client.post(f"/assessments/reviews/{referral.pk}/actions-done/", {"note": "Questioned Alice."}, follow=True)
    page = response.content.decode()
    assert "has been told the actions are done" in page
    assert "Questioned Alice." in page
    assert "Mark actions done" not in page


@pytest.mark.parametrize("who", ["alice", "carol", "grace", "heidi"])
def test_everyone_else_on_the_case_sees_the_review_without_the_assessors_form(client, case, referral, who):
    client.force_login(p(case, who))
    page = client.get(f"/assessments/units/{case['enrolment'].pk}/").content.decode()
    assert "Question Alice on HSC331a.2 and record it." in page
    assert "Mark actions done" not in page
    assert ("Review this unit" in page) is (who == "carol")


def test_the_iqa_who_is_the_assessor_is_not_offered_a_review(client, case):
    client.force_login(p(case, "pat"))
    unit_page = client.get(f"/assessments/units/{case['pats_own'].pk}/").content.decode()
    assert "Review this unit" not in unit_page
    review_page = client.get(f"/assessments/units/{case['pats_own'].pk}/review/").content.decode()
    assert "an IQA cannot quality-assure their own decisions" in review_page
    assert 'name="outcome"' not in review_page


def test_the_actions_done_page_asks_for_a_note(client, case, referral):
    client.force_login(p(case, "bob"))
    response = client.post(f"/assessments/reviews/{referral.pk}/actions-done/", {"note": ""})
    assert response.status_code == 400
    assert "Say what you did about the IQA’s actions." in response.content.decode()


def test_an_iqa_countersignature_is_shown_void_after_the_unit_is_unlocked(client, case):
    enrolment = case["daves"]
    signed = signed_off_through_the_services(enrolment)
    iqa_services.review_record(
        review_or_enrolment=enrolment, iqa=enrolment.iqa, outcome=QualityReview.Outcome.COUNTERSIGNED,
        comments="Sound decisions.", actions="", seen_sign_off_id=signed.pk,
    )
    signoff.unit_unlock(enrolment=enrolment, person=enrolment.assessor, reason="A witness statement was withdrawn")
    client.force_login(enrolment.candidate)
    page = client.get(f"/assessments/units/{enrolment.pk}/").content.decode()
    assert "Void:" in page and "A witness statement was withdrawn" in page


# A referred unit, signed off again, comes back to the IQA by itself.


def waiting_for(client, iqa) -> list:
    client.force_login(iqa)
    response = client.get("/assessments/quality/")
    assert response.status_code == 200
    return [row.enrolment for row in response.context["waiting"]]


def test_a_unit_the_iqa_referred_back_returns_to_their_waiting_list_when_signed_off_again(client, case):
    daves, ivan, erin = case["daves"], p(case, "ivan"), p(case, "erin")
    first = signed_off_through_the_services(daves)
    iqa_services.review_record(
        review_or_enrolment=daves, iqa=ivan, outcome=Outcome.REFERRED, actions="Observe Dave on HSC331b.3 again."
    )
    signoff.unit_unlock(enrolment=daves, person=erin, reason="The IQA asked for another observation.")
    assert waiting_for(client, ivan) == []

    second = signoff.unit_sign_off(enrolment=daves, assessor=erin, declared=True)

    assert second.pk != first.pk
    assert waiting_for(client, ivan) == [daves]
    review = QualityReview.objects.get(enrolment=daves, outcome=Outcome.SAMPLED)
    assert (review.iqa, review.stage, review.sign_off) == (ivan, Stage.FINAL, second)
    assert actions_of(daves)[-2:] == ["assessments.unit.signed_off", "assessments.iqa.sampled"]
    assert waiting_for(client, p(case, "carol")) == []


def test_a_unit_the_iqa_countersigned_does_not_return_by_itself(client, case):
    daves, ivan, erin = case["daves"], p(case, "ivan"), p(case, "erin")
    signed_off_through_the_services(daves)
    iqa_services.review_record(review_or_enrolment=daves, iqa=ivan, outcome=Outcome.COUNTERSIGNED)
    signoff.unit_unlock(enrolment=daves, person=erin, reason="A typing error in a date.")

    signoff.unit_sign_off(enrolment=daves, assessor=erin, declared=True)

    assert waiting_for(client, ivan) == []
