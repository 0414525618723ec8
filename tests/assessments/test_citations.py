"""Adding evidence to a recorded decision without withdrawing it (its history keeps who added which
evidence and when), and recording many items in one submit: all of it or nothing.

Alice is the candidate, Bob her assessor, Carol her IQA; Dave another candidate, Erin his assessor.
See tests/assessments/unit_case.py.
"""

import datetime
import re

import pytest
from django.utils import timezone

from assessments import integrity
from assessments.models import CitationAddition, Decision
from assessments.services import decisions
from assessments.services.decide import Proof, decision_cite, decisions_record
from assessments.services.signoff import unit_sign_off, unit_unlock
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent
from standards.models import Criterion, KnowledgeItem
from tests.assessments.judging_people import shown
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return accepted_evidence(case, title="Supporting a family visit")


@pytest.fixture
def later(case):
    return accepted_evidence(case, title="Phoning a sister")


def item(reference: str) -> Criterion | KnowledgeItem:
    return Criterion.objects.filter(reference=reference).first() or KnowledgeItem.objects.get(reference=reference)


def decide_on(case, reference, evidence) -> Decision:
    return decisions.decision_record(
        enrolment=case.hsc331, assessor=case.bob, criterion=Criterion.objects.get(reference=reference), evidence=[evidence],
        decided_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def cited(decision: Decision) -> list[str]:
    return [e.reference for e in decision.evidence.order_by("number")]


# Adding a citation.


def test_evidence_is_added_to_a_standing_decision_which_is_not_withdrawn(case, evidence, later):
    decision = decide_on(case, "HSC331a.1", evidence)

    decision_cite(decision=decision, assessor=case.bob, evidence=[later])

    decision.refresh_from_db()
    assert decision.is_standing and cited(decision) == ["E1", "E2"]
    assert decision.decided_by == case.bob and decision.decided_on == timezone.localdate() - datetime.timedelta(days=1)
    addition = CitationAddition.objects.get()
    assert (addition.decision, addition.evidence, addition.added_by) == (decision, later, case.bob)
    assert addition.added_at > decision.decided_at
    assert not AuditEvent.objects.filter(action="assessments.decision.withdrawn").exists()
    event = AuditEvent.objects.get(action="assessments.decision.citation_added")
    assert event.actor == case.bob and event.enrolment == case.hsc331
    assert (event.before["evidence"], event.after["evidence"], event.after["added"]) == (["E1"], ["E1", "E2"], ["E2"])


def test_a_unit_signed_off_after_a_citation_was_added_verifies_intact(case, evidence, later):
    meet(case, case.hsc331, [evidence])
    decision = Decision.objects.get(criterion__reference="HSC331a.1")
    decision_cite(decision=decision, assessor=case.bob, evidence=[later])

    signed = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    assert integrity.verify(signed) == []
    row = next(d for d in signed.manifest["decisions"] if d["item"] == "HSC331a.1")
    assert [e["ref"] for e in row["evidence"]] == ["E1", "E2"]


def test_a_locked_unit_refuses_a_citation_and_its_signed_record_stays_intact(case, evidence, later):
    meet(case, case.hsc331, [evidence])
    signed = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    decision = Decision.objects.get(criterion__reference="HSC331a.1")

    with pytest.raises(PortfolioError, match="is locked, so evidence cannot be added to its decisions"):
        decision_cite(decision=decision, assessor=case.bob, evidence=[later])
    with pytest.raises(PortfolioError, match="is locked, so decisions cannot be recorded"):
        decisions_record(enrolment=case.hsc331, assessor=case.bob, proofs=[Proof(decision.item, [later])],
                         decided_on=timezone.localdate())

    assert cited(decision) == ["E1"] and not CitationAddition.objects.exists()
    assert integrity.verify(signed) == []

    unit_unlock(enrolment=case.hsc331, person=case.bob, reason="E2 also shows HSC331a.1; adding it.")
    decision_cite(decision=decision, assessor=case.bob, evidence=[later])
    assert cited(decision) == ["E1", "E2"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda case: submitted_evidence(case, title="Waiting"), "Only accepted evidence can prove HSC331a.1"),
        (lambda case: accepted_evidence(case, references=["HSC331a.2"]), "cites only evidence mapped to it"),
        (lambda case: accepted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331), "own evidence"),
    ],
)
def test_only_the_candidates_accepted_evidence_mapped_to_the_item_is_added(case, evidence, make, message):
    decision = decide_on(case, "HSC331a.1", evidence)

    with pytest.raises(PortfolioError, match=message):
        decision_cite(decision=decision, assessor=case.bob, evidence=[make(case)])

    assert cited(decision) == ["E1"] and not CitationAddition.objects.exists()


def test_evidence_already_cited_is_not_added_twice(case, evidence):
    decision = decide_on(case, "HSC331a.1", evidence)

    with pytest.raises(PortfolioError, match=re.escape("The decision on HSC331a.1 already cites E1.")):
        decision_cite(decision=decision, assessor=case.bob, evidence=[evidence])


def test_a_withdrawn_decision_takes_no_citation(case, evidence, later):
    decision = decide_on(case, "HSC331a.1", evidence)
    decisions.decision_withdraw(decision=decision, assessor=case.bob, reason="Not enough on sub-point 2.")

    with pytest.raises(PortfolioError, match=r"was withdrawn by Bob Baker .*: record a new one instead"):
        decision_cite(decision=decision, assessor=case.bob, evidence=[later])


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_nobody_but_the_assessor_adds_a_citation(case, evidence, later, who):
    decision = decide_on(case, "HSC331a.1", evidence)

    with pytest.raises(PortfolioError, match="assessor on HSC331"):
        decision_cite(decision=decision, assessor=case.people[who], evidence=[later])


# Many items in one submit.


def test_many_items_are_recorded_and_cited_in_one_submit(case, evidence, later):
    first = decide_on(case, "HSC331a.1", evidence)

    done = decisions_record(
        enrolment=case.hsc331, assessor=case.bob, decided_on=timezone.localdate(),
        proofs=[Proof(item("HSC331a.1"), [later]), Proof(item("HSC331a.2"), [evidence, later]),
                Proof(item("HSC331 K4"), [later])],
    )

    assert [d.item.reference for d in done.recorded] == ["HSC331a.2", "HSC331 K4"]
    assert done.cited == [first]
    standing = {d.item.reference: cited(d) for d in Decision.objects.standing()}
    assert standing == {"HSC331a.1": ["E1", "E2"], "HSC331a.2": ["E1", "E2"], "HSC331 K4": ["E2"]}


def test_one_refused_item_records_none_of_the_others(case, evidence, later):
    waiting = submitted_evidence(case, title="Waiting")
    first = decide_on(case, "HSC331a.1", evidence)
    events = AuditEvent.objects.count()

    with pytest.raises(PortfolioError, match="Only accepted evidence can prove HSC331 K4"):
        decisions_record(
            enrolment=case.hsc331, assessor=case.bob, decided_on=timezone.localdate(),
            proofs=[Proof(item("HSC331a.1"), [later]), Proof(item("HSC331a.2"), [evidence]),
                    Proof(item("HSC331 K4"), [waiting])],
        )

    assert list(Decision.objects.all()) == [first] and cited(first) == ["E1"]
    assert not CitationAddition.objects.exists() and AuditEvent.objects.count() == events


def test_an_item_changed_since_the_page_was_drawn_refuses_the_whole_submit(case, evidence, later):
    decide_on(case, "HSC331a.1", evidence)  # in another browser, after the page showed HSC331a.1 not met

    with pytest.raises(PortfolioError, match=re.escape("While you had the page open, HSC331a.1 is now recorded as met")):
        decisions_record(
            enrolment=case.hsc331, assessor=case.bob, decided_on=timezone.localdate(),
            proofs=[Proof(item("HSC331a.2"), [evidence], seen=None), Proof(item("HSC331a.1"), [later], seen=None)],
        )

    assert Decision.objects.count() == 1


# Evidence added to a decision keeps to the decision's date: a decision rests on what had happened by then.


def dated(evidence, days_ago: int):
    type(evidence).objects.filter(pk=evidence.pk).update(activity_date=timezone.localdate() - datetime.timedelta(days=days_ago))
    evidence.refresh_from_db()
    return evidence


@pytest.fixture
def k15_met_before_later(case, evidence, later):
    """HSC331 K15 met 10 days ago citing E1 (of that day); E2, also mapped to K15, is of 2 days ago."""
    decision = decisions.decision_record(
        enrolment=case.hsc331, assessor=case.bob, knowledge_item=item("HSC331 K15"), evidence=[evidence],
        decided_on=evidence.activity_date,
    )
    dated(later, 2)
    return decision


AFTER_THE_DECISION = r"E2 cannot be added to the decision on HSC331 K15: the decision is of .* and E2 of "


def test_evidence_dated_after_a_decision_is_not_added_to_it(case, evidence, later, k15_met_before_later):
    with pytest.raises(PortfolioError, match=AFTER_THE_DECISION + r".*withdraw the decision and record it again"):
        decision_cite(decision=k15_met_before_later, assessor=case.bob, evidence=[later])
    with pytest.raises(PortfolioError, match=AFTER_THE_DECISION):
        decisions_record(enrolment=case.hsc331, assessor=case.bob, decided_on=timezone.localdate(),
                         proofs=[Proof(item("HSC331 K15"), [later])])

    assert cited(k15_met_before_later) == ["E1"] and not CitationAddition.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.decision.citation_added").exists()


def test_evidence_of_the_decisions_own_day_is_added(case, evidence, later, k15_met_before_later):
    dated(later, 10)
    decision_cite(decision=k15_met_before_later, assessor=case.bob, evidence=[later])
    assert cited(k15_met_before_later) == ["E1", "E2"]


def test_the_decisions_page_refuses_evidence_dated_after_the_decision_and_records_nothing(
    client, case, evidence, later, k15_met_before_later
):
    k15 = item("HSC331 K15").pk
    client.force_login(case.bob)

    response = client.post(f"/assessments/units/{case.hsc331.pk}/decisions/record/", {
        f"seen-knowledge-{k15}": k15_met_before_later.pk, f"cite-knowledge-{k15}": later.pk,
        "decided_on": timezone.localdate().isoformat(),
    })

    assert response.status_code == 400
    assert re.search(AFTER_THE_DECISION, response.content.decode())
    assert "Evidence added to" not in response.content.decode()
    assert cited(k15_met_before_later) == ["E1"] and not CitationAddition.objects.exists()


def test_the_judge_form_does_not_tick_a_decision_older_than_the_evidence_and_refuses_it_ticked(
    client, case, k15_met_before_later
):
    waiting = dated(submitted_evidence(case, title="Planning a visit", references=["HSC331a.1", "HSC331 K15"]), 1)
    k15 = item("HSC331 K15").pk
    judge = f"/assessments/evidence/{waiting.pk}/judge/"
    client.force_login(case.bob)

    page = client.get(f"/assessments/evidence/{waiting.pk}/").content.decode()
    box = re.search(rf'<input [^>]*value="knowledge-{k15}"[^>]*>', page).group(0)
    assert "checked" not in box
    assert re.search(r"Already met on [^,]+, citing E1\. E3 is of [^,]+, after that decision, so it cannot be added", page)

    response = client.post(judge, {
        **shown(waiting), "valid": "on", "authentic": "on", "current": "on", "sufficient": "on", "decision": "accept",
        "proves": [f"knowledge-{k15}"], "decided_on": timezone.localdate().isoformat(),
    })

    assert response.status_code == 400
    assert "E3 cannot be added to the decision on HSC331 K15" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "submitted"
    assert cited(k15_met_before_later) == ["E1"] and not CitationAddition.objects.exists()
