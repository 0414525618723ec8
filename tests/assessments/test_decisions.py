"""Decisions: the assessor records a criterion or knowledge item as met, citing accepted evidence,
and withdraws a decision with a reason; every refused move changes nothing.

Alice is the candidate (HSC331 and H3 25), Bob her assessor, Carol her IQA. Dave is another
candidate, assessed by Erin. See tests/assessments/unit_case.py.
"""

import datetime
import re

import pytest
from django.db import IntegrityError
from django.utils import timezone

from assessments.models import Decision
from assessments.services import decisions as services
from assessments.services.signoff import unit_sign_off, unit_unlock
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent
from standards.models import Criterion, KnowledgeItem
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return accepted_evidence(case)


def criterion(reference: str) -> Criterion:
    return Criterion.objects.get(reference=reference)


def record(case, evidence, reference="HSC331a.1", **overrides):
    fields = {
        "enrolment": case.hsc331,
        "assessor": case.bob,
        "criterion": criterion(reference),
        "evidence": [evidence] if not isinstance(evidence, list) else evidence,
        "decided_on": TODAY(),
    }
    return services.decision_record(**{**fields, **overrides})


def standing(case, reference="HSC331a.1"):
    return list(Decision.objects.filter(enrolment=case.hsc331, criterion__reference=reference, withdrawn_at=None))


def actions():
    return list(AuditEvent.objects.filter(action__startswith="assessments.decision").values_list("action", flat=True))


# Recording.


def test_it_records_a_criterion_as_met_citing_accepted_evidence(case, evidence):
    decision = record(case, evidence, decided_on=TODAY() - datetime.timedelta(days=1))

    assert decision.is_standing
    assert decision.decided_by == case.bob
    assert decision.decided_on == TODAY() - datetime.timedelta(days=1)
    assert list(decision.evidence.all()) == [evidence]
    event = AuditEvent.objects.get(action="assessments.decision.recorded")
    assert event.actor == case.bob and event.enrolment == case.hsc331 and event.candidate == case.alice
    assert event.before == {"item": "HSC331a.1", "standing_decision": None}
    assert event.after["item"] == "HSC331a.1" and event.after["evidence"] == [evidence.reference]
    assert event.after["decided_on"] == decision.decided_on.isoformat()


def test_it_records_a_knowledge_item_as_met(case, evidence):
    item = KnowledgeItem.objects.get(reference="HSC331 K6")
    decision = services.decision_record(
        enrolment=case.hsc331, assessor=case.bob, knowledge_item=item, evidence=[evidence], decided_on=TODAY()
    )
    assert decision.knowledge_item == item and decision.criterion is None


def test_it_refuses_evidence_that_is_not_accepted(case):
    waiting = submitted_evidence(case)

    with pytest.raises(PortfolioError, match=r"Only accepted evidence can prove HSC331a.1; E1 \(submitted for assessment\) is not accepted"):
        record(case, waiting)

    assert not Decision.objects.exists() and actions() == []


def test_it_refuses_a_decision_citing_nothing(case, evidence):
    with pytest.raises(PortfolioError, match=re.escape("Cite at least one accepted evidence item that proves HSC331a.1")):
        record(case, [])
    assert not Decision.objects.exists()


def test_it_refuses_another_candidates_evidence(case, evidence):
    daves = accepted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331)

    with pytest.raises(PortfolioError, match="Only Alice Adams’s own evidence"):
        record(case, [evidence, daves])
    assert not Decision.objects.exists()


def test_it_refuses_accepted_evidence_not_mapped_to_the_item_and_changes_nothing(case, evidence):
    elsewhere = accepted_evidence(case, title="About boundaries only", enrolment=case.h3_25)
    other_item = accepted_evidence(case, title="Only about K6", references=["HSC331 K6"])

    for cited in ([evidence, elsewhere], [other_item]):
        with pytest.raises(PortfolioError) as refused:
            record(case, cited)
        assert str(refused.value) == (
            f"A decision on HSC331a.1 cites only evidence mapped to it; {cited[-1].reference} is not mapped "
            "to HSC331a.1."
        )
    assert not Decision.objects.exists() and actions() == []


def test_the_page_offers_nothing_to_cite_when_no_accepted_evidence_is_mapped_to_the_item(client, case):
    accepted_evidence(case, title="Only about K6", references=["HSC331 K6"])
    client.force_login(case.bob)

    page = client.get(decisions_url(case)).content.decode()

    row = item_html(page, "hsc331a-1")
    assert "No accepted evidence is mapped to HSC331a.1 yet." in row and "Only about K6" not in row
    assert "Only about K6" in item_html(page, "hsc331-k6")


def test_it_refuses_an_item_of_another_unit(case, evidence):
    with pytest.raises(PortfolioError, match=re.escape("H3 25.7 is not part of HSC331")):
        record(case, evidence, reference="H3 25.7")
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["erin", "carol", "alice", "grace"])
def test_nobody_but_the_enrolments_assessor_records_decisions(case, evidence, who):
    with pytest.raises(PortfolioError, match="Only Alice Adams’s assessor on HSC331 \\(Bob Baker\\) can record decisions"):
        record(case, evidence, assessor=case.people[who])
    assert not Decision.objects.exists()


def test_it_refuses_to_record_an_item_twice(case, evidence):
    first = record(case, evidence, decided_on=TODAY() - datetime.timedelta(days=2))

    with pytest.raises(PortfolioError) as refused:
        record(case, evidence)

    on = first.decided_on
    assert str(refused.value).startswith(
        f"HSC331a.1 is already recorded as met by Bob Baker on {on.day} {on:%B %Y}."
    )
    assert standing(case) == [first]
    assert actions() == ["assessments.decision.recorded"]


def test_it_refuses_a_date_in_the_future_or_before_the_evidence(case, evidence):
    with pytest.raises(PortfolioError, match="cannot be in the future"):
        record(case, evidence, decided_on=TODAY() + datetime.timedelta(days=1))
    with pytest.raises(PortfolioError, match="the evidence it cites, E1, is of"):
        record(case, evidence, decided_on=evidence.activity_date - datetime.timedelta(days=1))
    assert not Decision.objects.exists()


def test_the_database_keeps_one_standing_decision_per_item_whatever_the_code_does(case, evidence):
    first = record(case, evidence)
    with pytest.raises(IntegrityError):
        Decision.objects.create(
            enrolment=case.hsc331, criterion=first.criterion, decided_by=case.bob, decided_at=timezone.now()
        )


def test_a_constraint_failure_becomes_a_message_and_changes_nothing(case, evidence, monkeypatch):
    record(case, evidence)
    # As if a second assessor's check ran before the first one's decision was saved.
    monkeypatch.setattr(services, "_standing_decision", lambda enrolment, item: None)

    with pytest.raises(PortfolioError, match=re.escape("Someone else recorded HSC331a.1 at the same moment")):
        record(case, evidence)

    assert len(standing(case)) == 1
    assert actions() == ["assessments.decision.recorded"]


# Two assessors with the page open.


def test_it_refuses_when_the_item_changed_since_the_page_was_drawn(case, evidence):
    seen = None  # the page showed HSC331a.1 as not met
    other = record(case, evidence)  # then someone recorded it

    with pytest.raises(PortfolioError, match=re.escape("While you had the page open, HSC331a.1 is now recorded as met by Bob Baker")):
        record(case, evidence, seen_decision_id=seen)

    assert standing(case) == [other]


def test_it_refuses_when_the_decision_seen_was_withdrawn_meanwhile(case, evidence):
    seen = record(case, evidence)
    services.decision_withdraw(decision=seen, assessor=case.bob, reason="Cited the wrong account.")

    with pytest.raises(PortfolioError, match=re.escape("the decision on HSC331a.1 you saw has since been withdrawn")):
        record(case, evidence, seen_decision_id=seen.pk)

    assert standing(case) == []


def test_it_records_when_the_page_was_current(case, evidence):
    assert record(case, evidence, seen_decision_id=None).is_standing


# Withdrawing.


def test_it_withdraws_a_decision_with_a_reason_and_keeps_it(case, evidence):
    decision = record(case, evidence)

    services.decision_withdraw(decision=decision, assessor=case.bob, reason="  E1 does not show sub-point 2.  ")

    decision.refresh_from_db()
    assert not decision.is_standing
    assert (decision.withdrawn_by, decision.withdrawal_reason) == (case.bob, "E1 does not show sub-point 2.")
    assert list(decision.evidence.all()) == [evidence]
    event = AuditEvent.objects.get(action="assessments.decision.withdrawn")
    assert event.before["decision"] == decision.pk and event.before["evidence"] == ["E1"]
    assert event.after["reason"] == "E1 does not show sub-point 2."
    # A new decision may now be recorded; the old one stays.
    again = record(case, evidence)
    assert Decision.objects.filter(enrolment=case.hsc331).count() == 2 and again.is_standing


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_to_withdraw_without_a_reason(case, evidence, reason):
    decision = record(case, evidence)

    with pytest.raises(PortfolioError, match="Give the reason for withdrawing"):
        services.decision_withdraw(decision=decision, assessor=case.bob, reason=reason)

    decision.refresh_from_db()
    assert decision.is_standing and actions() == ["assessments.decision.recorded"]


def test_it_refuses_to_withdraw_twice(case, evidence):
    decision = record(case, evidence)
    services.decision_withdraw(decision=decision, assessor=case.bob, reason="Wrong evidence.")

    with pytest.raises(PortfolioError, match="already withdrawn by Bob Baker"):
        services.decision_withdraw(decision=decision, assessor=case.bob, reason="Again.")


@pytest.mark.parametrize("who", ["erin", "carol", "alice"])
def test_nobody_but_the_assessor_withdraws(case, evidence, who):
    decision = record(case, evidence)
    with pytest.raises(PortfolioError, match="can withdraw decisions"):
        services.decision_withdraw(decision=decision, assessor=case.people[who], reason="Because.")
    decision.refresh_from_db()
    assert decision.is_standing


# Locked by sign-off, and open again after unlocking.


def test_decisions_are_refused_while_the_unit_is_signed_off_and_allowed_again_after_unlocking(case, evidence):
    meet(case, case.hsc331, [evidence])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    decision = standing(case)[0]

    with pytest.raises(PortfolioError, match=r"signed off by Bob Baker .* and is locked, so decisions cannot be withdrawn"):
        services.decision_withdraw(decision=decision, assessor=case.bob, reason="Second thoughts.")
    with pytest.raises(PortfolioError, match="is locked, so decisions cannot be recorded"):
        record(case, evidence, seen_decision_id=decision.pk)
    decision.refresh_from_db()
    assert decision.is_standing

    unit_unlock(enrolment=case.hsc331, person=case.carol, reason="The IQA asked for HSC331a.1 to be re-evidenced.")

    services.decision_withdraw(decision=decision, assessor=case.bob, reason="Re-evidencing as the IQA asked.")
    assert record(case, evidence).is_standing


# The decisions page.


def decisions_url(case) -> str:
    return f"/assessments/units/{case.hsc331.pk}/decisions/"


def item_html(page: str, anchor: str) -> str:
    return page.split(f'<li id="{anchor}"')[1].split('class="criterion-row"', 2)[1].split("<li id=")[0]


def post_record(client, case, evidence_ids, reference="HSC331a.1", seen="", decided_on=None):
    return client.post(
        f"/assessments/units/{case.hsc331.pk}/decisions/record/",
        {
            "item": f"criterion-{criterion(reference).pk}",
            "evidence": evidence_ids,
            "decided_on": (decided_on or TODAY()).isoformat(),
            "seen": seen,
        },
    )


def test_the_assessor_sees_each_item_with_the_accepted_evidence_to_cite(client, case, evidence):
    other = accepted_evidence(case, title="About boundaries only", enrolment=case.h3_25)
    waiting = submitted_evidence(case, title="Still waiting")
    client.force_login(case.bob)

    page = client.get(decisions_url(case)).content.decode()

    row = item_html(page, "hsc331a-1")
    assert "Not met" in row and "Evidence that proves HSC331a.1" in row
    assert f'value="{evidence.pk}"' in row and "Supporting a family visit" in row
    # Accepted, but mapped to H3 25 only: a decision on HSC331a.1 may not cite it, so it is not offered.
    assert f'value="{other.pk}"' not in row and "About boundaries only" not in row
    assert f'value="{waiting.pk}"' not in row
    assert "E3" in page and "not yet judged" in page
    assert "Record <span class=\"visually-hidden\">HSC331a.1 </span>as met" in row
    assert f'name="decided_on" id="date-criterion-{criterion("HSC331a.1").pk}" value="{TODAY().isoformat()}"' in row


def test_the_assessor_records_a_decision_through_the_page(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, [evidence.pk])

    assert response.status_code == 302 and response["Location"].endswith("/decisions/#hsc331a-1")
    page = client.get(decisions_url(case)).content.decode()
    assert "HSC331a.1 is recorded as met." in page
    row = item_html(page, "hsc331a-1")
    assert "decided by Bob Baker, citing" in row and "Withdraw" in row
    assert "1 of 34</strong> criteria and knowledge items recorded as met" in page


def test_a_refused_decision_goes_back_to_the_item_saying_why_at_the_top_and_beside_it(client, case, evidence):
    waiting = submitted_evidence(case, title="Still waiting")
    client.force_login(case.bob)

    response = post_record(client, case, [evidence.pk, waiting.pk])

    assert response.status_code == 302 and response["Location"].endswith("/decisions/#hsc331a-1")
    page = client.get(response["Location"]).content.decode()
    why = "Only accepted evidence can prove HSC331a.1; E2 (submitted for assessment) is not accepted."
    top = page.split('<div class="messages"')[1].split("</div>")[0]
    assert f"HSC331a.1: {why}" in top and 'role="alert"' in top
    row = item_html(page, "hsc331a-1")
    assert f'role="alert">{why}' in row
    assert f'value="{evidence.pk}" id="ev-criterion-{criterion("HSC331a.1").pk}-{evidence.pk}" checked' in row
    assert not Decision.objects.exists()
    again = client.get(decisions_url(case)).content.decode()
    assert why not in again and "checked" not in item_html(again, "hsc331a-1")


def test_a_knowledge_item_refused_for_citing_nothing_is_named_at_the_top(client, case, evidence):
    client.force_login(case.bob)
    k17 = KnowledgeItem.objects.get(reference="HSC331 K17")

    response = client.post(
        f"/assessments/units/{case.hsc331.pk}/decisions/record/",
        {"item": f"knowledge-{k17.pk}", "decided_on": TODAY().isoformat(), "seen": ""},
    )

    assert response.status_code == 302 and response["Location"].endswith("/decisions/#hsc331-k17")
    page = client.get(response["Location"]).content.decode()
    assert "HSC331 K17: Cite at least one accepted evidence item that proves HSC331 K17." in page


def test_a_decision_without_a_date_goes_back_to_the_item(client, case, evidence):
    client.force_login(case.bob)

    response = client.post(
        f"/assessments/units/{case.hsc331.pk}/decisions/record/",
        {"item": f"criterion-{criterion('HSC331a.1').pk}", "evidence": [evidence.pk], "decided_on": "", "seen": ""},
    )

    assert response.status_code == 302 and response["Location"].endswith("/decisions/#hsc331a-1")
    assert "HSC331a.1: Give the date of the decision." in client.get(response["Location"]).content.decode()
    assert not Decision.objects.exists()


def test_a_page_left_open_while_someone_else_recorded_the_item_is_refused(client, case, evidence):
    client.force_login(case.bob)
    record(case, evidence)  # in another browser, after this page was drawn with seen=""

    response = post_record(client, case, [evidence.pk], seen="")

    assert response.status_code == 302 and response["Location"].endswith("/decisions/#hsc331a-1")
    page = client.get(response["Location"]).content.decode()
    assert "While you had the page open, HSC331a.1 is now recorded as met by Bob Baker" in page
    assert len(standing(case)) == 1


def test_the_assessor_withdraws_a_decision_on_its_own_page(client, case, evidence):
    decision = record(case, evidence)
    client.force_login(case.bob)
    url = f"/assessments/decisions/{decision.pk}/withdraw/"
    assert "Withdraw the decision on" in client.get(url).content.decode()

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and standing(case) == [decision]

    response = client.post(url, {"reason": "E1 does not cover sub-point 3."})
    assert response.status_code == 302
    page = client.get(decisions_url(case)).content.decode()
    row = item_html(page, "hsc331a-1")
    assert "Not met" in row and "Withdrawn decision (1)" in row and "“E1 does not cover sub-point 3.”" in row
    assert "withdrawn by Bob Baker" in row


def test_the_withdraw_page_shows_the_criterion_in_plain_words(client, case, evidence):
    key_people = Criterion.objects.get(unit__code="HSC331", text__contains="**key people**")
    decision = record(case, evidence, reference=key_people.reference)
    client.force_login(case.bob)

    page = client.get(f"/assessments/decisions/{decision.pk}/withdraw/").content.decode()

    assert "you encourage individuals to keep in contact with key people, communicating" in page
    assert "**" not in page


@pytest.mark.parametrize("who", ["alice", "carol", "grace"])
def test_others_on_the_case_read_the_decisions_but_get_no_forms(client, case, evidence, who):
    record(case, evidence)
    client.force_login(case.people[who])

    page = client.get(decisions_url(case)).content.decode()

    assert "decided by Bob Baker, citing" in item_html(page, "hsc331a-1")
    assert "<form" not in page.split("<main")[1]
    assert "Withdraw" not in page and "Only the assessor can change these." in page


def test_a_signed_off_unit_is_read_only_on_the_decisions_page(client, case, evidence):
    meet(case, case.hsc331, [evidence])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    client.force_login(case.bob)

    page = client.get(decisions_url(case)).content.decode()

    assert "and is locked: decisions cannot be recorded or withdrawn unless it is unlocked" in page
    assert "Withdraw" not in page and "Record <span" not in page
