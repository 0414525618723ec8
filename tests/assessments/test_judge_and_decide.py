"""Judging and deciding together: the assessor accepts an evidence item and, in the same submit,
records each criterion and knowledge item it proves as met (the candidate's mapping ticked to start
with, items the candidate missed addable), or refers it back with a note on each item. One
transaction: if any part is refused, nothing changes, the acceptance included.

Alice is the candidate (HSC331 and H3 25, both assessed by Bob), Carol her IQA; Dave is another
candidate, assessed by Erin. See tests/assessments/unit_case.py.
"""

import datetime
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from assessments import integrity
from assessments.models import CitationAddition, Decision, Judgement, ReferralNote
from assessments.services import decisions, judging
from assessments.services.signoff import unit_sign_off
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, EvidenceState, Notification
from standards.models import Criterion, KnowledgeItem
from tests.assessments.judging_people import shown
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db

ALL_VACS = dict.fromkeys(judging.VACS, True)
MAPPED = ["HSC331a.1", "HSC331a.2", "HSC331 K1", "HSC331 S4.1"]


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def waiting(case):
    """E1, mapped by Alice to two criteria, a knowledge item and family, waiting for Bob."""
    return submitted_evidence(case, title="Planning a visit from a friend", references=MAPPED)


def item(reference: str) -> Criterion | KnowledgeItem:
    found = Criterion.objects.filter(reference=reference).first()
    return found or KnowledgeItem.objects.get(reference=reference)


def accept(evidence, assessor, proves, **extra):
    return judging.evidence_accept(
        evidence=evidence, assessor=assessor, proves=[item(r) for r in proves], **{**ALL_VACS, **extra}
    )


def met(case, enrolment=None) -> dict[str, list[str]]:
    """Each standing decision's item, with the references of the evidence it cites."""
    standing = Decision.objects.standing().filter(enrolment=enrolment or case.hsc331)
    return {d.item.reference: [e.reference for e in d.evidence.order_by("number")] for d in standing}


def nothing_changed(evidence, decisions_before: int = 0, events_before: int = 0) -> None:
    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.SUBMITTED
    assert not Judgement.objects.filter(evidence=evidence).exists()
    assert Decision.objects.count() == decisions_before
    assert AuditEvent.objects.filter(action__startswith="assessments.").count() == events_before
    assert not Notification.objects.filter(message__contains="accepted").exists()


# The service.


def test_accepting_records_each_item_it_proves_as_met_citing_it(case, waiting):
    accept(waiting, case.bob, ["HSC331a.1", "HSC331a.2", "HSC331 K1"], decided_on=timezone.localdate())

    waiting.refresh_from_db()
    assert waiting.state == EvidenceState.ACCEPTED
    assert met(case) == {"HSC331a.1": ["E1"], "HSC331a.2": ["E1"], "HSC331 K1": ["E1"]}
    assert {d.decided_by for d in Decision.objects.all()} == {case.bob}
    recorded = AuditEvent.objects.filter(action="assessments.decision.recorded")
    assert sorted(e.after["item"] for e in recorded) == ["HSC331 K1", "HSC331a.1", "HSC331a.2"]
    notice = Notification.objects.get(recipient=case.alice)
    assert notice.message == (
        "Bob Baker accepted E1 (HSC331) “Planning a visit from a friend” and recorded 3 items as met by it: "
        "HSC331a.1, HSC331a.2, HSC331 K1."
    )


def test_an_item_already_met_gains_this_evidence_as_a_citation_and_its_decision_stands(case, waiting):
    earlier = accepted_evidence(case, title="Supporting a family visit", references=["HSC331a.1"])
    decision = decisions.decision_record(
        enrolment=case.hsc331, assessor=case.bob, criterion=item("HSC331a.1"), evidence=[earlier],
        decided_on=timezone.localdate() - datetime.timedelta(days=2),
    )

    accept(waiting, case.bob, ["HSC331a.1", "HSC331a.2"])

    decision.refresh_from_db()
    assert decision.is_standing and decision.decided_by == case.bob
    assert decision.decided_on == timezone.localdate() - datetime.timedelta(days=2)
    assert met(case) == {"HSC331a.1": ["E1", "E2"], "HSC331a.2": ["E1"]}
    addition = CitationAddition.objects.get()
    assert (addition.decision, addition.evidence.reference, addition.added_by) == (decision, "E1", case.bob)
    event = AuditEvent.objects.get(action="assessments.decision.citation_added")
    assert event.summary.startswith("E1 added to the evidence of the decision on HSC331a.1 of ")
    assert event.before["evidence"] == ["E2"] and event.after["evidence"] == ["E1", "E2"]
    assert event.after["added"] == ["E1"] and event.after["added_by"] == "Bob Baker"


def test_an_item_the_candidate_missed_is_mapped_by_the_assessor_and_met(case, waiting):
    accept(waiting, case.bob, ["HSC331a.1", "HSC331a.3"])

    assert met(case) == {"HSC331a.1": ["E1"], "HSC331a.3": ["E1"]}
    assert set(waiting.criteria.values_list("reference", flat=True)) == {"HSC331a.1", "HSC331a.2", "HSC331a.3"}
    event = AuditEvent.objects.get(action="portfolio.evidence.mapped", actor=case.bob)
    assert event.summary == "E1 also mapped by the assessor, when accepting it, to HSC331a.3"


def test_items_on_two_units_are_recorded_on_each(case):
    evidence = submitted_evidence(case, references=["HSC331a.1", "H3 25.1"])

    accept(evidence, case.bob, ["HSC331a.1", "H3 25.1"])

    assert met(case) == {"HSC331a.1": ["E1"]}
    assert met(case, case.h3_25) == {"H3 25.1": ["E1"]}


def test_a_refused_item_changes_nothing_not_even_the_acceptance(case, waiting):
    """H3 25 is a unit E1 is not mapped to: the first items are fine, the last is not."""
    with pytest.raises(PortfolioError, match="Tick only criteria and knowledge items of the units E1 is mapped to"):
        accept(waiting, case.bob, ["HSC331a.1", "HSC331a.2", "H3 25.1"])

    nothing_changed(waiting)
    assert set(waiting.criteria.values_list("reference", flat=True)) == {"HSC331a.1", "HSC331a.2"}


def test_a_date_before_the_evidence_is_refused_after_the_acceptance_was_written_and_nothing_stays(case, waiting):
    too_early = waiting.activity_date - datetime.timedelta(days=1)

    with pytest.raises(PortfolioError, match=r"HSC331a\.3 cannot be met on .*: the evidence it cites, E1, is of"):
        accept(waiting, case.bob, ["HSC331a.3"], decided_on=too_early)

    nothing_changed(waiting)
    assert not AuditEvent.objects.filter(action="portfolio.evidence.mapped", actor=case.bob).exists()
    assert "HSC331a.3" not in waiting.criteria.values_list("reference", flat=True)


def test_a_decision_the_database_refuses_half_way_changes_nothing(case, waiting, monkeypatch):
    real = decisions.new_decision
    calls = []

    def second_one_clashes(*args):
        calls.append(args)
        if len(calls) == 2:
            raise IntegrityError("one_standing_decision_per_criterion")
        return real(*args)

    monkeypatch.setattr("assessments.services.decide.new_decision", second_one_clashes)

    with pytest.raises(PortfolioError, match="Someone else recorded a decision on one of these items at the same moment"):
        accept(waiting, case.bob, ["HSC331a.1", "HSC331a.2", "HSC331 K1"])

    assert len(calls) == 2
    nothing_changed(waiting)


def test_items_of_a_signed_off_unit_are_refused_and_its_record_stays_intact(case):
    first = accepted_evidence(case, title="Supporting a family visit")
    meet(case, case.hsc331, [first])
    evidence = submitted_evidence(case, references=["HSC331a.1", "H3 25.1"])
    signed = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    with pytest.raises(PortfolioError, match="none of a unit that is signed off"):
        accept(evidence, case.bob, ["HSC331a.1", "H3 25.1"])

    nothing_changed(evidence, decisions_before=Decision.objects.count(), events_before=AuditEvent.objects.filter(
        action__startswith="assessments.").count())
    assert integrity.verify(signed) == []
    accept(evidence, case.bob, ["H3 25.1"])
    assert met(case, case.h3_25) == {"H3 25.1": ["E2"]}
    assert integrity.verify(signed) == []


def test_items_of_a_unit_another_assessor_assesses_are_refused(case):
    case.h3_25.assessor = case.erin
    case.h3_25.save()
    evidence = submitted_evidence(case, references=["HSC331a.1", "H3 25.1"])

    with pytest.raises(PortfolioError, match="that you assess"):
        accept(evidence, case.bob, ["HSC331a.1", "H3 25.1"])

    nothing_changed(evidence)


def test_a_referral_keeps_a_note_on_each_item_mapped(case, waiting):
    judging.evidence_refer_back(
        evidence=waiting, assessor=case.bob, feedback="Say more about the visit.",
        notes={item("HSC331a.2"): "Say how you found out what Person A wanted.", item("HSC331 K1"): "  "},
    )

    notes = list(ReferralNote.objects.all())
    assert [(n.item.reference, n.text) for n in notes] == [("HSC331a.2", "Say how you found out what Person A wanted.")]
    assert notes[0].judgement.outcome == Judgement.Outcome.REFERRED


def test_a_note_on_an_item_not_mapped_is_refused_and_nothing_changes(case, waiting):
    with pytest.raises(PortfolioError, match=re.escape("A note goes on an item E1 is mapped to; HSC331a.4 is not.")):
        judging.evidence_refer_back(
            evidence=waiting, assessor=case.bob, feedback="More.", notes={item("HSC331a.4"): "Not this one."}
        )

    nothing_changed(waiting)


# The page.


def judge_url(evidence) -> str:
    return reverse("assessments:judge", args=[evidence.pk])


def page_of(client, evidence) -> str:
    return client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode()


def box(page: str, key: str) -> str:
    return re.search(rf'<input [^>]*value="{key}"[^>]*>', page).group(0)


def test_the_judge_form_ticks_the_candidates_mapping_and_offers_the_rest_of_the_unit(client, case, waiting):
    earlier = accepted_evidence(case, title="Supporting a family visit", references=["HSC331a.1"])
    meet(case, case.hsc331, [earlier], skip=33)  # HSC331a.1 only, of 34
    client.force_login(case.bob)

    page = page_of(client, waiting)

    a1, a2, a3 = (Criterion.objects.get(reference=r).pk for r in ("HSC331a.1", "HSC331a.2", "HSC331a.3"))
    assert "checked" in box(page, f"criterion-{a1}") and "checked" in box(page, f"criterion-{a2}")
    assert "checked" not in box(page, f"criterion-{a3}")
    assert "Add what the candidate did not map (31 more of HSC331)" in page
    assert re.search(r"Already met on [^,]+, citing E2: ticked, E1 is added to its evidence.", page)
    assert 'id="id_decided_on"' in page and "Note on" not in page  # the note labels are the items
    assert "If you refer it back: a note on each item it is mapped to (optional)" in page


def test_accepting_through_the_page_records_what_it_proves_and_goes_to_the_next_waiting(client, case, waiting):
    following = submitted_evidence(case, title="Phoning a sister", references=["HSC331a.3"])
    client.force_login(case.bob)
    a1, a3 = (Criterion.objects.get(reference=r).pk for r in ("HSC331a.1", "HSC331a.3"))

    response = client.post(judge_url(waiting), {**shown(waiting),
        **dict.fromkeys(judging.VACS, "on"), "decision": "accept", "proves": [f"criterion-{a1}", f"criterion-{a3}"],
        "decided_on": timezone.localdate().isoformat(),
    }, follow=True)

    assert response.redirect_chain == [(reverse("assessments:evidence_detail", args=[following.pk]), 302)]
    assert (
        "E1 is accepted, and cited as meeting 2 items: HSC331a.1, HSC331a.3. Alice Adams has been told. "
        "Next waiting from Alice Adams: E2."
    ) in response.content.decode()
    assert met(case) == {"HSC331a.1": ["E1"], "HSC331a.3": ["E1"]}

    response = client.post(judge_url(following), {**shown(following),
        **dict.fromkeys(judging.VACS, "on"), "decision": "accept", "proves": [f"criterion-{a3}"],
    }, follow=True)

    assert response.redirect_chain == [(reverse("assessments:decisions", args=[case.hsc331.pk]), 302)]
    assert met(case) == {"HSC331a.1": ["E1"], "HSC331a.3": ["E1", "E2"]}


def test_a_refused_submit_shows_why_at_the_top_and_keeps_everything_entered(client, case, waiting):
    client.force_login(case.bob)
    a3 = Criterion.objects.get(reference="HSC331a.3").pk
    too_early = (waiting.activity_date - datetime.timedelta(days=1)).isoformat()

    response = client.post(judge_url(waiting), {**shown(waiting),
        **dict.fromkeys(judging.VACS, "on"), "decision": "accept", "proves": [f"criterion-{a3}"],
        "decided_on": too_early, "feedback": "A careful account.",
    })

    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('id="judge-errors"', 1)[1].split("</div>", 1)[0]
    assert "Nothing was recorded yet" in summary and "HSC331a.3 cannot be met on" in summary
    assert page.index('id="judge-errors"') < page.index('name="valid"')
    assert 'data-page-address="' + reverse("assessments:evidence_detail", args=[waiting.pk]) + '"' in page
    assert "checked" in box(page, f"criterion-{a3}")
    assert f'value="{too_early}"' in page and "A careful account.</textarea>" in page
    assert 'name="valid" id="id_valid" checked' in page
    nothing_changed(waiting)


def test_a_field_error_in_the_summary_links_to_its_field(client, case, waiting):
    client.force_login(case.bob)

    response = client.post(judge_url(waiting), {**shown(waiting), "valid": "on", "decision": "accept"})

    summary = response.content.decode().split('id="judge-errors"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_authentic">Confirm the evidence is authentic, or refer it back.</a>' in summary


def test_the_candidate_reads_each_note_of_a_referral_on_the_evidence_page(client, case, waiting):
    client.force_login(case.bob)
    a2 = Criterion.objects.get(reference="HSC331a.2").pk
    client.post(judge_url(waiting), {**shown(waiting),
        "decision": "refer", "feedback": "Say more about the visit.",
        f"note_criterion-{a2}": "Say how you found out what Person A wanted.",
    })
    client.force_login(case.alice)

    page = page_of(client, waiting)

    referral = page.split('id="referral-heading"', 1)[1].split("</section>", 1)[0]
    assert "Say more about the visit." in referral
    assert re.search(r'<span class="ref">HSC331a.2</span> Say how you found out what Person A wanted.', referral)


def test_what_an_acceptance_is_cited_as_meeting_is_said_unit_by_unit(client, case):
    """Both units' criteria and then both units' knowledge, H3 25.10 before H3 25.2, it said."""
    references = ["HSC331 K1", "H3 25.10", "HSC331a.1", "H3 25 K(c)", "H3 25.2"]
    evidence = submitted_evidence(case, title="Visits across two units", references=references)
    client.force_login(case.bob)
    proves = [f"criterion-{i.pk}" if isinstance(i, Criterion) else f"knowledge-{i.pk}" for i in map(item, references)]

    response = client.post(judge_url(evidence), {**shown(evidence),
        **dict.fromkeys(judging.VACS, "on"), "decision": "accept", "proves": proves,
        "decided_on": timezone.localdate().isoformat(),
    }, follow=True)

    assert "cited as meeting 5 items: H3 25.2, H3 25.10, H3 25 K(c), HSC331a.1, HSC331 K1." in response.content.decode()
