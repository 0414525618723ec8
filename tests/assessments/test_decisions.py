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
    monkeypatch.setattr(services, "standing_decision_on", lambda enrolment, item: None)

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


def key(reference: str) -> str:
    found = Criterion.objects.filter(reference=reference).first()
    return f"criterion-{found.pk}" if found else f"knowledge-{KnowledgeItem.objects.get(reference=reference).pk}"


def post_record(client, case, ticked: dict[str, list[int]], seen: dict[str, str] | None = None, decided_on=None, **extra):
    """The page's one form, with the evidence ticked for each item (by reference)."""
    data: dict[str, object] = {f"cite-{key(reference)}": ids for reference, ids in ticked.items()}
    data |= {f"seen-{key(reference)}": value for reference, value in (seen or {}).items()}
    return client.post(
        f"/assessments/units/{case.hsc331.pk}/decisions/record/",
        {**data, "decided_on": (decided_on or TODAY()).isoformat() if decided_on != "" else "", **extra},
    )


def test_the_assessor_sees_each_item_with_the_accepted_evidence_to_cite(client, case, evidence):
    other = accepted_evidence(case, title="About boundaries only", enrolment=case.h3_25)
    waiting = submitted_evidence(case, title="Still waiting")
    client.force_login(case.bob)

    page = client.get(decisions_url(case)).content.decode()

    row = item_html(page, "hsc331a-1")
    assert "Not met" in row and "Record as met, citing" in row
    assert f'name="cite-{key("HSC331a.1")}" value="{evidence.pk}"' in row and "Supporting a family visit" in row
    # Accepted, but mapped to H3 25 only: a decision on HSC331a.1 may not cite it, so it is not offered.
    assert f'value="{other.pk}"' not in row and "About boundaries only" not in row
    assert f'value="{waiting.pk}"' not in row
    assert "E3" in page and "not yet judged" in page
    assert page.count("Record what is ticked</button>") == 2  # above the items and below them
    assert f'name="decided_on" id="id_decided_on" value="{TODAY().isoformat()}"' in page


def test_the_assessor_records_many_items_in_one_submit(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, {"HSC331a.1": [evidence.pk], "HSC331a.2": [evidence.pk], "HSC331 K3": [evidence.pk]})

    assert response.status_code == 302 and response["Location"] == decisions_url(case)
    page = client.get(decisions_url(case)).content.decode()
    assert "3 items recorded as met (HSC331a.1, HSC331a.2, HSC331 K3)." in page
    row = item_html(page, "hsc331a-1")
    assert "decided by Bob Baker, citing" in row and "Withdraw" in row
    assert "3 of 34</strong> criteria and knowledge items recorded as met" in page


def test_evidence_is_added_to_a_decision_from_the_page_and_kept_in_its_history(client, case, evidence):
    decision = record(case, evidence)
    later = accepted_evidence(case, title="Phoning a sister", references=["HSC331a.1"])
    client.force_login(case.bob)
    row = item_html(client.get(decisions_url(case)).content.decode(), "hsc331a-1")
    assert "Add evidence to the decision on HSC331a.1, without withdrawing it" in row
    assert f'value="{later.pk}"' in row and f'name="cite-{key("HSC331a.1")}" value="{evidence.pk}"' not in row

    post_record(client, case, {"HSC331a.1": [later.pk]}, seen={"HSC331a.1": str(decision.pk)})

    page = client.get(decisions_url(case)).content.decode()
    assert "Evidence added to 1 decision (HSC331a.1)." in page
    assert standing(case) == [decision]
    row = item_html(page, "hsc331a-1")
    assert re.search(r"E2</span> Phoning a sister</a> <span [^>]*>\(added by Bob Baker on [^)]+\)</span>", row)
    assert "Add evidence to the decision" not in row  # nothing left to add


def test_a_refused_item_records_none_of_the_others_and_keeps_every_tick(client, case, evidence):
    waiting = submitted_evidence(case, title="Still waiting")
    client.force_login(case.bob)

    response = post_record(client, case, {"HSC331a.1": [evidence.pk], "HSC331a.2": [evidence.pk, waiting.pk]})

    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('id="decisions-errors"', 1)[1].split("</div>", 1)[0]
    assert "Only accepted evidence can prove HSC331a.2; E2 (submitted for assessment) is not accepted." in summary
    assert 'data-page-address="' + decisions_url(case) + '"' in page
    assert f'value="{evidence.pk}" id="ev-{key("HSC331a.1")}-{evidence.pk}" checked' in page
    assert f'value="{evidence.pk}" id="ev-{key("HSC331a.2")}-{evidence.pk}" checked' in page
    assert not Decision.objects.exists()


def test_nothing_ticked_is_refused(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, {})

    assert response.status_code == 400
    assert "Tick the evidence that proves at least one criterion or knowledge item." in response.content.decode()


def test_a_decision_without_a_date_is_refused_with_a_link_to_the_date(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, {"HSC331a.1": [evidence.pk]}, decided_on="")

    assert response.status_code == 400
    assert '<a href="#id_decided_on">This field is required.</a>' in response.content.decode()
    assert not Decision.objects.exists()


def test_an_id_nobody_could_have_is_a_form_error(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, {"HSC331a.1": ["99999999999999999999"]})

    assert response.status_code == 400 and "is not one of the choices offered" in response.content.decode()


def test_an_item_of_another_unit_is_not_a_choice(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, {"H3 25.1": [evidence.pk]})

    assert response.status_code == 400 and "is not one of the choices offered" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_page_left_open_while_someone_else_recorded_the_item_is_refused(client, case, evidence):
    client.force_login(case.bob)
    record(case, evidence)  # in another browser, after this page was drawn with seen=""

    response = post_record(client, case, {"HSC331a.1": [evidence.pk]}, seen={"HSC331a.1": ""})

    assert response.status_code == 400
    assert "While you had the page open, HSC331a.1 is now recorded as met by Bob Baker" in response.content.decode()
    assert len(standing(case)) == 1


def test_the_filters_show_what_is_not_met_and_what_has_accepted_evidence(client, case):
    both = accepted_evidence(case, title="A visit", references=["HSC331a.1", "HSC331a.2"])
    record(case, both)  # HSC331a.1 met
    client.force_login(case.bob)

    not_met = client.get(decisions_url(case) + "?not_met=1").content.decode()
    with_evidence = client.get(decisions_url(case) + "?with_evidence=1").content.decode()
    both_filters = client.get(decisions_url(case) + "?not_met=1&with_evidence=1").content.decode()

    assert 'id="hsc331a-1"' not in not_met and 'id="hsc331a-2"' in not_met and 'id="hsc331-k1"' in not_met
    assert 'id="hsc331a-1"' in with_evidence and 'id="hsc331a-2"' in with_evidence and 'id="hsc331a-3"' not in with_evidence
    assert re.findall(r'<li id="([^"]+)" class="criterion-row"', both_filters) == ["hsc331a-2"]
    assert 'name="not_met" value="1" id="filter-not-met" checked' in both_filters
    assert '<input type="hidden" name="with_evidence" value="1">' in both_filters


def test_a_submit_from_a_filtered_page_goes_back_to_it(client, case, evidence):
    client.force_login(case.bob)

    response = post_record(client, case, {"HSC331a.1": [evidence.pk]}, not_met="1")

    assert response["Location"] == decisions_url(case) + "?not_met=1"


def test_once_everything_is_met_the_page_offers_sign_off(client, case, evidence):
    meet(case, case.hsc331, [evidence], skip=1)
    client.force_login(case.bob)
    assert "ready to sign off" not in client.get(decisions_url(case)).content.decode()

    post_record(client, case, {"HSC331 K17": [evidence.pk]})

    page = client.get(decisions_url(case)).content.decode()
    offer = page.split('id="sign-off-offer-heading"', 1)[1].split("</section>", 1)[0]
    assert "Everything is met: HSC331 is ready to sign off" in offer
    assert f'href="/assessments/units/{case.hsc331.pk}/sign-off/">Sign off HSC331</a>' in offer


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
    assert '<form method="post"' not in page.split("<main")[1] and 'name="cite-' not in page
    assert "Withdraw" not in page and "Only the assessor can change these." in page
    assert "ready to sign off" not in page


def test_a_signed_off_unit_is_read_only_on_the_decisions_page(client, case, evidence):
    meet(case, case.hsc331, [evidence])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    client.force_login(case.bob)

    page = client.get(decisions_url(case)).content.decode()

    assert "and is locked: decisions cannot be recorded, added to or withdrawn unless it is unlocked" in page
    assert "Withdraw" not in page and "Record what is ticked" not in page and 'name="cite-' not in page
