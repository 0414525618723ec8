"""Holistic evidence accepted by the assessor of another unit: the assessor of the unit records, on
the evidence page, which of their own unit's scope items it covers, and corrects it while the unit
is open; sign-off counts it (an outside trial: once Erin accepted it for H3 25, Bob could record it
against none of HSC331's scope, and HSC331 could not be signed off on it).

Alice is on HSC331 (Bob assesses it) and H3 25, here moved to Erin. HSC331's scope has five
categories: Communicate (S1), Danger (S2), Harm and abuse (S3), Key people (S4), Risks (S5).
See tests/assessments/unit_case.py."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import integrity, scope
from assessments.models import Judgement, UnitScopeRecord
from assessments.services import judging, unit_scope
from assessments.services import signoff as signoff_services
from portfolio import services_enrolments
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Notification
from portfolio.notification_kinds import NotificationKind
from standards.models import ScopeCategory, ScopeItem
from tests.assessments.unit_case import build_case, items, meet, submitted_evidence
from tests.factories import put_on_case

pytestmark = pytest.mark.django_db

ACCEPTED = dict.fromkeys(judging.VACS, True)
ALL_BUT_RISKS = ["HSC331 S1.1", "HSC331 S2.1", "HSC331 S3.1", "HSC331 S4.1"]
NO_RISKS = "The candidate works in a day centre where no risk to people or property arose during assessment."


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def scope_items(*references: str) -> list[ScopeItem]:
    return list(ScopeItem.objects.filter(reference__in=references).order_by("reference"))


@pytest.fixture
def case():
    case = build_case()
    put_on_case(case.h3_25.pk, assessor=case.erin)
    case.h3_25.refresh_from_db()
    return case


@pytest.fixture
def holistic(case):
    """Mapped to every item of HSC331, four of its scope categories, and H3 25.6; Erin, who assesses
    H3 25, accepts it (recording the scope of her own unit alone), and Bob records every HSC331 item
    as met by it on his decisions page."""
    criteria, knowledge = items(case.hsc331)
    references = [i.reference for i in criteria + knowledge] + ALL_BUT_RISKS + ["H3 25.6"]
    evidence = submitted_evidence(case, title="A holistic account", references=references)
    judging.evidence_accept(evidence=evidence, assessor=case.erin, **ACCEPTED)
    evidence.refresh_from_db()
    meet(case, case.hsc331, [evidence])
    return evidence


def page_of(client, person, evidence) -> str:
    client.force_login(person)
    return _text(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])))


def post(client, person, evidence, enrolment, references):
    client.force_login(person)
    ids = [item.pk for item in scope_items(*references)]
    return client.post(
        reverse("assessments:evidence_scope", args=[evidence.pk, enrolment.pk]),
        {f"scope-{enrolment.pk}-scope_items": ids},
    )


def covered(enrolment) -> list[str]:
    return [row.category.name for row in scope.open_record(enrolment).categories if row.covered]


def test_accepted_by_the_other_assessor_it_covers_none_of_the_units_scope_until_its_assessor_records_it(
    case, holistic
):
    notice = Notification.objects.get(recipient=case.bob, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE)
    assert "and which of HSC331’s scope it covers, on the evidence’s own page" in notice.message
    assert covered(case.hsc331) == []
    with pytest.raises(PortfolioError, match="no accepted evidence covers the scope “Communicate”"):
        signoff_services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def test_the_units_assessor_records_its_scope_on_the_evidence_page_and_sign_off_counts_it(
    client, case, holistic
):
    page = page_of(client, case.bob, holistic)
    assert "Which of HSC331’s scope it covers" in page and "Not recorded yet" in page
    response = post(client, case.bob, holistic, case.hsc331, ALL_BUT_RISKS)
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("assessments:evidence_detail", args=[holistic.pk]) + f"#scope-{case.hsc331.pk}"
    )
    page = page_of(client, case.bob, holistic)
    assert "Recorded which of HSC331’s scope" in page
    assert "You recorded on" in page and "HSC331 S4.1" in page and "Not recorded yet" not in page
    assert covered(case.hsc331) == ["Communicate", "Danger", "Harm and abuse", "Key people"]

    with pytest.raises(PortfolioError, match="no accepted evidence covers the scope “Risks”"):
        signoff_services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    risks = ScopeCategory.objects.get(unit=case.hsc331.unit, name="Risks")
    sign_off = signoff_services.unit_sign_off(
        enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={risks.pk: NO_RISKS}
    )
    signed = {row["category"]: row["covered_by"] for row in sign_off.manifest["scope"]}
    assert signed["Key people"] == [{"ref": holistic.reference, "id": holistic.pk, "items": ["HSC331 S4.1"]}]
    assert integrity.check(sign_off, read_files=False).problems == []
    # Signed off: the record stands as signed, and the page offers no form to change it.
    assert "Which of HSC331’s scope it covers" not in page_of(client, case.bob, holistic)
    with pytest.raises(PortfolioError, match="is locked, so its scope cannot be recorded"):
        unit_scope.scope_record(evidence=holistic, enrolment=case.hsc331, assessor=case.bob, scope_items=[])


def test_a_correction_replaces_the_record_keeps_both_and_each_is_audited(client, case, holistic):
    post(client, case.bob, holistic, case.hsc331, ALL_BUT_RISKS)
    post(client, case.bob, holistic, case.hsc331, ["HSC331 S4.1"])
    assert covered(case.hsc331) == ["Key people"]
    assert UnitScopeRecord.objects.filter(judgement__evidence=holistic).count() == 2
    events = list(AuditEvent.objects.filter(action="assessments.scope.recorded").order_by("pk"))
    assert [e.after["scope_covered"] for e in events] == [ALL_BUT_RISKS, ["HSC331 S4.1"]]
    assert events[1].before == {"scope_covered": ALL_BUT_RISKS}
    assert (events[1].actor, events[1].enrolment, events[1].evidence) == (case.bob, case.hsc331, holistic)
    # Recording that it covers none is a record too.
    post(client, case.bob, holistic, case.hsc331, [])
    assert covered(case.hsc331) == []
    assert "covers none of HSC331’s scope" in page_of(client, case.bob, holistic)


def test_only_the_units_own_scope_is_recorded(client, case, holistic):
    other = ScopeCategory.objects.create(
        unit=case.h3_25.unit, name="Customers", lead="Customers include:", position=1
    )
    ScopeItem.objects.create(category=other, reference="H3 25 S1.1", text="tenants", position=1)
    with pytest.raises(PortfolioError, match="Tick only scope items of HSC331"):
        unit_scope.scope_record(
            evidence=holistic, enrolment=case.hsc331, assessor=case.bob, scope_items=scope_items("H3 25 S1.1")
        )
    response = post(client, case.bob, holistic, case.hsc331, ["H3 25 S1.1", "HSC331 S1.1"])
    assert response.status_code == 302
    page = page_of(client, case.bob, holistic)
    assert "There is a problem" in page and "Select a valid choice" in page
    assert not UnitScopeRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.scope.recorded").exists()


def test_the_judge_records_nothing_here_of_their_own_unit_nor_anyone_of_a_unit_not_theirs(
    client, case, holistic
):
    # Erin judged it: her unit's scope was hers to record then; she is offered no form.
    assert "Which of" not in page_of(client, case.erin, holistic)
    with pytest.raises(PortfolioError, match="nothing to record here"):
        unit_scope.scope_record(evidence=holistic, enrolment=case.h3_25, assessor=case.erin, scope_items=[])
    with pytest.raises(PortfolioError, match=r"Only Alice .*assessor on HSC331"):
        unit_scope.scope_record(evidence=holistic, enrolment=case.hsc331, assessor=case.erin, scope_items=[])
    assert post(client, case.carol, holistic, case.hsc331, ALL_BUT_RISKS).status_code == 403
    assert not UnitScopeRecord.objects.exists()


def test_evidence_not_accepted_has_no_scope_recorded_here(client, case):
    evidence = submitted_evidence(case, title="Waiting", references=["HSC331a.1", "H3 25.6", "HSC331 S1.1"])
    assert "Which of" not in page_of(client, case.bob, evidence)
    with pytest.raises(PortfolioError, match="is not accepted"):
        unit_scope.scope_record(evidence=evidence, enrolment=case.hsc331, assessor=case.bob, scope_items=[])
    judging.evidence_refer_back(evidence=evidence, assessor=case.erin, feedback="Name the visit.")
    evidence.refresh_from_db()
    with pytest.raises(PortfolioError, match="is not accepted"):
        unit_scope.scope_record(evidence=evidence, enrolment=case.hsc331, assessor=case.bob, scope_items=[])


def test_a_withdrawn_unit_takes_no_scope_record(client, case, holistic):
    services_enrolments.enrolment_withdraw(
        enrolment=case.hsc331,
        effective_date=timezone.localdate(),
        reason="Left the course.",
        changed_by=case.grace,
    )
    case.hsc331.refresh_from_db()
    assert "Which of" not in page_of(client, case.bob, holistic)
    with pytest.raises(PortfolioError, match="withdrawn"):
        unit_scope.scope_record(evidence=holistic, enrolment=case.hsc331, assessor=case.bob, scope_items=[])
    assert not UnitScopeRecord.objects.exists()


def test_a_new_acceptance_starts_afresh(client, case):
    """Referred back, changed and accepted again by Erin: Bob's record was of the version accepted before."""
    evidence = submitted_evidence(
        case, title="A holistic account", references=["HSC331a.1", "H3 25.6", "HSC331 S1.1"]
    )
    judging.evidence_accept(evidence=evidence, assessor=case.erin, **ACCEPTED)
    evidence.refresh_from_db()
    unit_scope.scope_record(
        evidence=evidence, enrolment=case.hsc331, assessor=case.bob, scope_items=scope_items("HSC331 S1.1")
    )
    assert covered(case.hsc331) == ["Communicate"]
    judgement = Judgement.objects.get(evidence=evidence)
    later = Judgement.objects.create(
        evidence=evidence,
        version=evidence.version,
        outcome=Judgement.Outcome.ACCEPTED,
        assessor=case.erin,
        judged_at=judgement.judged_at + datetime.timedelta(minutes=5),
        **ACCEPTED,
    )
    assert later.pk and covered(case.hsc331) == []


def test_moving_the_unit_to_a_new_version_carries_the_record_to_the_same_items(case, holistic):
    from assessments.services import versions
    from tests.standards.unit_versions import new_version

    unit_scope.scope_record(
        evidence=holistic, enrolment=case.hsc331, assessor=case.bob, scope_items=scope_items("HSC331 S4.1")
    )
    version_2 = new_version("HSC331", "2", words={})
    versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_2, administrator=case.grace)
    case.hsc331.refresh_from_db()
    assert case.hsc331.unit == version_2
    assert covered(case.hsc331) == ["Key people"]
    record = UnitScopeRecord.objects.get()
    assert [item.category.unit for item in record.scope_items.all()] == [version_2]


def test_a_record_the_service_refuses_says_why_on_the_page_and_saves_nothing(client, case, holistic):
    """An outside trial: a scope record posted from a page left open, once the evidence was no longer
    Bob's to record (waiting, referred back, not mapped to his unit, or his unit signed off), came back
    to the evidence page with no word."""
    waiting = submitted_evidence(case, title="Waiting", references=["HSC331a.1", "H3 25.6", "HSC331 S1.1"])
    response = post(client, case.bob, waiting, case.hsc331, ["HSC331 S1.1"])
    assert response.status_code == 302
    page = page_of(client, case.bob, waiting)
    assert f"{waiting.reference} is not accepted: the scope it covers is recorded when it is judged." in page
    assert "Nothing was recorded." in page
    judging.evidence_refer_back(evidence=waiting, assessor=case.erin, feedback="Name the visit.")
    post(client, case.bob, waiting, case.hsc331, ["HSC331 S1.1"])
    assert f"{waiting.reference} is not accepted" in page_of(client, case.bob, waiting)
    only_h3 = submitted_evidence(case, title="Agreeing contact", references=["H3 25.1"], enrolment=case.h3_25)
    judging.evidence_accept(evidence=only_h3, assessor=case.erin, **ACCEPTED)
    post(client, case.bob, only_h3, case.hsc331, [])
    assert f"{only_h3.reference} is not mapped to HSC331’s criteria or knowledge" in page_of(
        client, case.bob, only_h3
    )
    post(client, case.bob, holistic, case.hsc331, ALL_BUT_RISKS)
    risks = ScopeCategory.objects.get(unit=case.hsc331.unit, name="Risks")
    signoff_services.unit_sign_off(
        enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={risks.pk: NO_RISKS}
    )
    post(client, case.bob, holistic, case.hsc331, ["HSC331 S4.1"])
    assert "is locked, so its scope cannot be recorded" in page_of(client, case.bob, holistic)
    assert UnitScopeRecord.objects.count() == 1 and covered(case.hsc331) != ["Key people"]
