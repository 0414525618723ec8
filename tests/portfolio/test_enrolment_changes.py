"""What a centre administrator changes on an enrolment after registering it (issue 16 item 2): its
assessor or IQA, its target date, and its standing (withdrawn, transferred, reinstated). Each change
is kept in the enrolment's history and its audit trail, the people on it are told, and a refusal
changes nothing.

Alice is on HSC331 and H3 25 at Riverside, with Bob as assessor and Carol as IQA; Erin is another
assessor and Ivan another IQA there; Grace administers Riverside, Frank Hillside."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Decision
from assessments.services import decisions as decision_services
from assessments.services import iqa as iqa_services
from assessments.services.signoff import unit_sign_off
from portfolio import dates, services
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, EnrolmentChange, EnrolmentStatus, Membership, Notification, Role
from portfolio.services_centre import Refused
from portfolio.services_enrolments import (
    enrolment_reassign,
    enrolment_reinstate,
    enrolment_target_date_change,
    enrolment_transfer,
    enrolment_withdraw,
)
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.factories import member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case():
    return build_case()


def nothing_changed(case, before_events: int) -> None:
    case.hsc331.refresh_from_db()
    assert case.hsc331.assessor == case.bob and case.hsc331.iqa == case.carol
    assert case.hsc331.status == EnrolmentStatus.ACTIVE
    assert not EnrolmentChange.objects.exists()
    assert AuditEvent.objects.count() == before_events


def told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("message", flat=True))


# The assessor and the IQA -------------------------------------------------------------------------


def test_it_changes_the_assessor_keeping_who_from_whom_when_and_why_and_tells_all_three(case):
    change = enrolment_reassign(
        enrolment=case.hsc331, role="assessor", person=case.erin, reason="Bob has left the centre.",
        changed_by=case.grace,
    )

    case.hsc331.refresh_from_db()
    assert case.hsc331.assessor == case.erin
    assert (change.kind, change.from_person, change.to_person, change.changed_by) == ("assessor", case.bob, case.erin, case.grace)
    assert change.reason == "Bob has left the centre."
    event = AuditEvent.objects.get(action="portfolio.enrolment.assessor_changed")
    assert event.enrolment == case.hsc331 and event.actor == case.grace
    assert event.before["assessor"] == case.bob.pk and event.after["assessor"] == case.erin.pk
    assert told(case.erin) == ["Grace Gordon made you the assessor of Alice Adams’s HSC331, in place of Bob Baker."]
    assert "you no longer have access to it" in told(case.bob)[0]
    assert told(case.alice) == ["Grace Gordon made Erin Evans your assessor for HSC331, in place of Bob Baker."]


def test_it_changes_the_iqa_of_a_signed_off_unit_and_the_new_iqa_may_review_it(case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    enrolment_reassign(enrolment=case.hsc331, role="iqa", person=case.ivan, reason="Carol is on leave.",
                       changed_by=case.grace)

    case.hsc331.refresh_from_db()
    review = iqa_services.sample_add(iqa=case.ivan, enrolments=[case.hsc331])
    assert review[0].iqa == case.ivan
    with pytest.raises(PortfolioError, match="Only the unit’s internal quality assurer, Ivan Ives"):
        iqa_services.sample_add(iqa=case.carol, enrolments=[case.hsc331])


def test_a_signed_off_unit_keeps_its_assessor_while_they_are_here_and_its_target_date(case):
    """Their name on the unit is the record of who signed it off (`work_done`), as a hand-over keeps
    it; the target date shows whether it was completed on time."""
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    before = AuditEvent.objects.count()

    with pytest.raises(Refused, match=r"HSC331 was signed off on .*, and Bob Baker is still an assessor here: the unit "
                                      r"keeps them, as the record of who signed it off"):
        enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="Sharing out.",
                           changed_by=case.grace)
    with pytest.raises(Refused, match="so its target date stays as it was"):
        enrolment_target_date_change(enrolment=case.hsc331, target_date=TODAY() + datetime.timedelta(days=9),
                                     reason="r", changed_by=case.grace)
    nothing_changed(case, before)


def test_a_signed_off_units_assessor_may_change_once_they_left_and_the_sign_off_and_decisions_keep_their_author(case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    sign_off = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    Membership.objects.filter(person=case.bob, centre=case.centre, role=Role.ASSESSOR).delete()  # Bob has left

    enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="Bob has left.",
                       changed_by=case.grace)

    sign_off.refresh_from_db()
    assert sign_off.assessor == case.bob
    assert set(Decision.objects.filter(enrolment=case.hsc331).values_list("decided_by", flat=True)) == {case.bob.pk}


@pytest.mark.parametrize(
    ("role", "who", "field", "words"),
    [
        ("assessor", "bob", "person", "Bob Baker is already the assessor of this unit"),
        ("assessor", "carol", "person", "Carol Clark is this unit's IQA"),
        ("iqa", "bob", "person", "Bob Baker is this unit's assessor"),
        ("assessor", "ivan", "person", "Ivan Ives is not an assessor at Riverside Training"),
        ("assessor", "frank", "person", "Frank Fisher is not an assessor at Riverside Training"),
        ("iqa", "dave", "person", "Dave Davies is not an internal quality assurer at Riverside Training"),
    ],
)
def test_it_refuses_someone_the_registration_rules_do_not_allow_and_changes_nothing(case, role, who, field, words):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match=words) as refused:
        enrolment_reassign(enrolment=case.hsc331, role=role, person=getattr(case, who), reason="Why not.",
                           changed_by=case.grace)
    assert refused.value.field == field
    nothing_changed(case, before)
    assert not Notification.objects.exists()


def test_the_candidate_cannot_become_their_own_assessor_even_holding_that_role(case):
    member(case.centre, "assessor", email="alice@example.org")
    with pytest.raises(Refused, match="A candidate cannot be their own assessor"):
        enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.alice, reason="r", changed_by=case.grace)


def test_a_former_assessor_of_the_unit_is_not_made_its_iqa(case):
    member(case.centre, "iqa", email="bob@example.org")
    enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="Bob moves to IQA work.",
                       changed_by=case.grace)
    with pytest.raises(Refused, match="Bob Baker assessed this unit before"):
        enrolment_reassign(enrolment=case.hsc331, role="iqa", person=case.bob, reason="r", changed_by=case.grace)


@pytest.mark.parametrize(("who", "words"), [("bob", "Only an administrator of Riverside"),
                                            ("frank", "Only an administrator of Riverside")])
def test_only_the_centres_administrator_changes_an_enrolment(case, who, words):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match=words):
        enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="r",
                           changed_by=getattr(case, who))
    with pytest.raises(Refused, match=words):
        enrolment_withdraw(enrolment=case.hsc331, effective_date=TODAY(), reason="r", changed_by=getattr(case, who))
    nothing_changed(case, before)


def test_a_change_without_a_reason_is_refused(case):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match="Give the reason") as refused:
        enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="  ", changed_by=case.grace)
    assert refused.value.field == "reason"
    nothing_changed(case, before)


# The old assessor's access -------------------------------------------------------------------------


def test_the_old_assessor_no_longer_reaches_the_unit_or_the_candidates_evidence(case, client):
    evidence = submitted_evidence(case)
    for enrolment in (case.hsc331, case.h3_25):
        enrolment_reassign(enrolment=enrolment, role="assessor", person=case.erin, reason="Bob has left.",
                           changed_by=case.grace)
    client.force_login(case.bob)
    assert client.get(f"/assessments/units/{case.hsc331.pk}/").status_code == 404
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 404
    queue = client.get(reverse("assessments:queue"))
    assert queue.status_code == 200 and "Alice" not in queue.content.decode()
    client.force_login(case.erin)
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 200
    assert "Alice Adams" in client.get(reverse("assessments:queue")).content.decode()


def test_the_old_assessor_of_one_unit_still_judges_for_the_candidates_other_unit_they_assess(case, client):
    evidence = submitted_evidence(case)
    enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="Shared out.",
                       changed_by=case.grace)
    client.force_login(case.bob)
    assert client.get(f"/assessments/units/{case.hsc331.pk}/").status_code == 404
    assert client.get(f"/assessments/units/{case.h3_25.pk}/").status_code == 200
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 200
    with pytest.raises(PortfolioError, match="Only Alice Adams’s assessor on HSC331 \\(Erin Evans\\)"):
        decision_services.decision_record(
            enrolment=case.hsc331, assessor=case.bob, evidence=[evidence], decided_on=TODAY(),
            criterion=Criterion.objects.get(reference="HSC331a.1", unit=case.hsc331.unit),
        )


def test_the_old_iqa_no_longer_reaches_the_unit(case, client):
    enrolment_reassign(enrolment=case.hsc331, role="iqa", person=case.ivan, reason="Carol is on leave.",
                       changed_by=case.grace)
    client.force_login(case.carol)
    assert client.get(f"/assessments/units/{case.hsc331.pk}/").status_code == 404
    client.force_login(case.ivan)
    assert client.get(f"/assessments/units/{case.hsc331.pk}/").status_code == 200


# The target date ----------------------------------------------------------------------------------


def test_it_changes_the_target_date_with_its_reason_and_tells_the_candidate_and_assessor(case):
    before = case.hsc331.target_date
    later = before + datetime.timedelta(days=30)
    change = enrolment_target_date_change(
        enrolment=case.hsc331, target_date=later, reason="Alice was off sick for a month.", changed_by=case.grace
    )
    case.hsc331.refresh_from_db()
    assert case.hsc331.target_date == later
    assert (change.from_date, change.to_date) == (before, later)
    assert AuditEvent.objects.filter(action="portfolio.enrolment.target_date_changed", enrolment=case.hsc331).exists()
    for person in (case.alice, case.bob):
        assert "Alice was off sick for a month." in told(person)[0]
    assert told(case.alice)[0].startswith("Grace Gordon changed the target date of your HSC331 from")
    assert told(case.bob)[0].startswith("Grace Gordon changed the target date of Alice Adams’s HSC331 from")
    assert told(case.carol) == []


def test_a_target_date_before_the_start_or_the_same_as_now_is_refused(case):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match="cannot be before the start date") as refused:
        enrolment_target_date_change(enrolment=case.hsc331, target_date=case.hsc331.start_date - datetime.timedelta(days=1),
                                     reason="r", changed_by=case.grace)
    assert refused.value.field == "target_date"
    with pytest.raises(Refused, match="The target date is already"):
        enrolment_target_date_change(enrolment=case.hsc331, target_date=case.hsc331.target_date, reason="r",
                                     changed_by=case.grace)
    nothing_changed(case, before)


# Withdrawn, transferred, reinstated --------------------------------------------------------------


def withdraw(case, enrolment=None):
    return enrolment_withdraw(enrolment=enrolment or case.hsc331, effective_date=TODAY(),
                              reason="Alice has left her job in care.", changed_by=case.grace)


def test_a_withdrawn_enrolment_is_kept_with_its_history_and_everyone_on_it_is_told(case):
    evidence = accepted_evidence(case)
    meet(case, case.hsc331, [evidence], skip=3)
    change = withdraw(case)

    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.WITHDRAWN
    assert (change.kind, change.effective_date, change.to_status) == ("withdrawn", TODAY(), "withdrawn")
    assert Decision.objects.filter(enrolment=case.hsc331).exists()  # nothing deleted
    assert AuditEvent.objects.filter(action="portfolio.enrolment.withdrawn", enrolment=case.hsc331).exists()
    for person in (case.bob, case.carol):
        assert "withdrew Alice Adams’s HSC331" in told(person)[0]
    assert "withdrew your HSC331" in told(case.alice)[0]  # spoken to, not of


def test_nothing_more_is_decided_mapped_or_submitted_on_a_withdrawn_unit(case):
    evidence = accepted_evidence(case, references=["HSC331a.1"])
    withdraw(case)
    with pytest.raises(PortfolioError, match="HSC331 is withdrawn, so nobody can record decisions"):
        decision_services.decision_record(
            enrolment=case.hsc331, assessor=case.bob, evidence=[evidence], decided_on=TODAY(),
            criterion=Criterion.objects.get(reference="HSC331a.1", unit=case.hsc331.unit),
        )
    with pytest.raises(PortfolioError, match="HSC331 is withdrawn, so nobody can sign the unit off"):
        unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    with pytest.raises(PortfolioError, match="HSC331 is withdrawn, so it is not sampled or reviewed"):
        iqa_services.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    draft = services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Later", method="reflective_account",
        activity_date=TODAY(), account="More.",
    )
    with pytest.raises(PortfolioError, match=f"HSC331 was withdrawn on {dates.day(TODAY())} and is locked"):
        services.evidence_map(evidence=draft, editor=case.alice, criteria=list(Criterion.objects.filter(
            reference="HSC331a.2", unit=case.hsc331.unit)), knowledge_items=[], scope_items=[])


def test_evidence_mapped_only_to_a_withdrawn_unit_is_not_submitted(case):
    draft = services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Later", method="reflective_account",
        activity_date=TODAY(), account="More.",
    )
    services.evidence_map(evidence=draft, editor=case.alice, criteria=list(Criterion.objects.filter(
        reference="HSC331a.2", unit=case.hsc331.unit)), knowledge_items=[], scope_items=[])
    withdraw(case)
    with pytest.raises(PortfolioError, match=rf"mapped only to units no longer open here \(HSC331 was withdrawn on {dates.day(TODAY())}\)"):
        services.evidence_submit(evidence=draft, candidate=case.alice, declared=True)


def test_a_signed_off_unit_is_not_withdrawn_and_a_future_date_is_refused(case):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match="cannot be in the future") as refused:
        enrolment_withdraw(enrolment=case.hsc331, effective_date=TODAY() + datetime.timedelta(days=1), reason="r",
                           changed_by=case.grace)
    assert refused.value.field == "effective_date"
    nothing_changed(case, before)
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    with pytest.raises(Refused, match="HSC331 is signed off, so it is not withdrawn"):
        withdraw(case)


def test_a_withdrawn_unit_is_not_changed_again_until_reinstated(case):
    withdraw(case)
    with pytest.raises(Refused, match="is withdrawn, so its assessor cannot be changed"):
        enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="r", changed_by=case.grace)
    with pytest.raises(Refused, match="is withdrawn, so it cannot be transferred"):
        enrolment_transfer(enrolment=case.hsc331, to_centre="Hillside", effective_date=TODAY(), reason="r",
                           changed_by=case.grace)

    enrolment_reinstate(enrolment=case.hsc331, reason="Alice is back at work.", changed_by=case.grace)

    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.ACTIVE
    assert list(case.hsc331.changes.values_list("kind", flat=True)) == ["reinstated", "withdrawn"]
    with pytest.raises(Refused, match="is active: there is nothing to reinstate"):
        enrolment_reinstate(enrolment=case.hsc331, reason="again", changed_by=case.grace)


def test_a_transfer_names_the_other_centre_in_words_and_keeps_the_enrolment(case):
    change = enrolment_transfer(enrolment=case.hsc331, to_centre="  Hillside   College ", effective_date=TODAY(),
                                reason="Alice moved to Leeds.", changed_by=case.grace)
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.TRANSFERRED
    assert change.transferred_to == "Hillside College"
    assert "recorded the transfer to Hillside College of your HSC331" in told(case.alice)[0]
    assert "Alice moved to Leeds. Its record is kept" in told(case.alice)[0]  # one full stop, not two
    assert "recorded the transfer to Hillside College of Alice Adams’s HSC331" in told(case.bob)[0]
    with pytest.raises(Refused, match="Name the centre") as refused:
        enrolment_transfer(enrolment=case.h3_25, to_centre=" ", effective_date=TODAY(), reason="r",
                           changed_by=case.grace)
    assert refused.value.field == "to_centre"


# Reinstating a unit whose assessor left while it was closed (tester's finding) -------------------


def bob_leaves(case) -> None:
    """Alice's HSC331 withdrawn, Bob's other units closed too, and Bob deactivated."""
    from portfolio.models import Enrolment
    from portfolio.services_people import membership_deactivate

    withdraw(case)
    Enrolment.objects.filter(assessor=case.bob).update(status=EnrolmentStatus.WITHDRAWN)
    membership_deactivate(centre=case.centre, person=case.bob, deactivated_by=case.grace,
                          reason="Left the centre.")


def test_reinstating_asks_for_an_assessor_when_the_one_it_had_is_deactivated(case):
    bob_leaves(case)
    before = AuditEvent.objects.count()

    with pytest.raises(Refused, match=r"Bob Baker is no longer an assessor at Riverside Training\. Choose the assessor "
                       r"who takes the unit on\.") as refused:
        enrolment_reinstate(enrolment=case.hsc331, reason="Alice is back.", changed_by=case.grace)
    assert refused.value.field == "assessor"
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.WITHDRAWN and AuditEvent.objects.count() == before

    told_now = enrolment_reinstate(enrolment=case.hsc331, reason="Alice is back.", changed_by=case.grace,
                                   assessor=case.erin)

    case.hsc331.refresh_from_db()
    assert (case.hsc331.status, case.hsc331.assessor, case.hsc331.iqa) == (EnrolmentStatus.ACTIVE, case.erin, case.carol)
    assert told_now == [case.alice, case.erin, case.carol]
    assert list(case.hsc331.changes.values_list("kind", flat=True)) == ["assessor", "reinstated", "withdrawn"]
    assert any("reinstated Alice Adams’s HSC331" in m for m in told(case.erin))
    assert not any("reinstated" in m for m in told(case.bob))


def test_the_reinstate_page_offers_the_centres_assessors_and_names_who_was_told(client, case):
    bob_leaves(case)
    client.force_login(case.grace)
    url = reverse("portfolio:enrolment_reinstate", args=[case.hsc331.pk])

    page = client.get(url).content.decode().replace("&#x27;", "'")
    assert "Bob Baker, its assessor before, is no longer an assessor here." in page
    assert f'<option value="{case.carol.pk}" selected>' in page  # the IQA it had, still one here
    assert f'<option value="{case.bob.pk}"' not in page

    target = case.hsc331.target_date.isoformat()
    refused = client.post(url, {"reason": "Alice is back.", "iqa": case.carol.pk, "target_date": target})
    assert refused.status_code == 400

    done = client.post(url, {"reason": "Alice is back.", "assessor": case.erin.pk, "iqa": case.carol.pk,
                             "target_date": target}, follow=True)
    assert (f"Alice Adams’s HSC331 is active again, with the target date {dates.day(case.hsc331.target_date)}. "
            "Alice Adams, Erin Evans and Carol Clark have been told." in done.content.decode().replace("&rsquo;", "’"))


def test_a_withdrawal_page_names_who_was_told_and_nobody_deactivated_is_named(client, case):
    from portfolio.notifications import still_at

    client.force_login(case.grace)
    done = client.post(reverse("portfolio:enrolment_withdraw", args=[case.h3_25.pk]),
                       {"effective_date": TODAY().isoformat(), "reason": "Alice has left."}, follow=True)
    assert ("Alice Adams’s H3 25 is withdrawn. Alice Adams, Bob Baker and Carol Clark have been told."
            in done.content.decode().replace("&rsquo;", "’"))

    bob_leaves(case)  # deactivated: told nothing more, so no page may say he was
    assert still_at([case.alice, case.bob, case.carol], case.centre) == [case.alice, case.carol]


def test_a_deactivated_candidate_is_not_said_to_be_told_of_a_new_target_date(client, case):
    from portfolio.services_people import membership_deactivate

    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace, reason="Away for a term.")
    client.force_login(case.grace)
    moved = client.post(reverse("portfolio:enrolment_target_date", args=[case.h3_25.pk]),
                        {"target_date": (TODAY() + datetime.timedelta(days=90)).isoformat(), "reason": "More time."},
                        follow=True)
    assert "is changed. Bob Baker has been told." in moved.content.decode()
    assert not any("target date" in message for message in told(case.alice))
