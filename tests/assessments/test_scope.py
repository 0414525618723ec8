"""Scope (range): the assessor records which scope items accepted evidence covers, beside the
candidate's own mapping; sign-off asks for every scope category to be covered or said not to apply
to the candidate's work area, signs that coverage, and the integrity check catches a change to it.

Alice is the candidate (HSC331 and H3 25), Bob her assessor, Carol her IQA. HSC331's scope has five
categories: Communicate (S1), Danger (S2), Harm and abuse (S3), Key people (S4), Risks (S5).
See tests/assessments/unit_case.py.
"""

import html
import re

import pytest
from django.utils import timezone

from assessments import integrity
from assessments.models import Judgement, ScopeNotApplicable, SignOff
from assessments.services import judging
from assessments.services import signoff as services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, AuditEvent, Evidence, EvidenceState
from standards.models import ScopeCategory, ScopeItem
from tests.assessments.judging_people import shown
from tests.assessments.unit_case import accepted_evidence, build_case, items, listed, meet, submitted_evidence

pytestmark = pytest.mark.django_db

ALL_VACS = dict.fromkeys(judging.VACS, True)
# One item of each category but Risks.
ALL_BUT_RISKS = ["HSC331 S1.1", "HSC331 S2.1", "HSC331 S3.1", "HSC331 S4.1"]
NO_RISKS = "The candidate works in a day centre where no risk to people or property arose during assessment."


@pytest.fixture
def case():
    return build_case()


def scope(*references: str) -> list[ScopeItem]:
    return list(ScopeItem.objects.filter(reference__in=references).order_by("reference"))


def every_item(case) -> list[str]:
    criteria, knowledge = items(case.hsc331)
    return [i.reference for i in criteria + knowledge]


def risks() -> ScopeCategory:
    return ScopeCategory.objects.get(unit__code="HSC331", name="Risks")


def recorded(evidence: Evidence) -> list[str]:
    """The assessor's record of the scope the evidence covers."""
    judgement = Judgement.objects.filter(evidence=evidence, outcome="accepted").latest("judged_at", "pk")
    return sorted(judgement.scope_items.values_list("reference", flat=True))


def mapped(evidence: Evidence) -> list[str]:
    return sorted(evidence.scope_items.values_list("reference", flat=True))


@pytest.fixture
def met_but_risks(case):
    """Every criterion and knowledge item met, citing one accepted item the assessor recorded as
    covering four of the five scope categories: Risks has no evidence."""
    evidence = accepted_evidence(case, title="Supporting a family visit", references=every_item(case) + ALL_BUT_RISKS)
    meet(case, case.hsc331, [evidence])
    return case


def standing(case) -> SignOff | None:
    return SignOff.objects.standing().filter(enrolment=case.hsc331).first()


# The assessor's record when judging


def test_accepting_records_the_scope_the_assessor_ticked_and_keeps_the_candidates_mapping(case):
    evidence = submitted_evidence(case, references=["HSC331b.1", "HSC331 S4.1"])

    judging.evidence_accept(evidence=evidence, assessor=case.bob, scope_items=scope("HSC331 S4.2", "HSC331 S1.1"), **ALL_VACS)

    assert recorded(evidence) == ["HSC331 S1.1", "HSC331 S4.2"]
    assert mapped(evidence) == ["HSC331 S4.1"]  # the candidate's own mapping, untouched
    event = AuditEvent.objects.get(action="assessments.evidence.accepted")
    assert event.after["scope_covered"] == ["HSC331 S1.1", "HSC331 S4.2"]


def test_accepting_without_a_choice_records_the_scope_as_the_candidate_mapped_it(case):
    evidence = submitted_evidence(case, references=["HSC331b.1", "HSC331 S4.1", "HSC331 S2.3"])

    judging.evidence_accept(evidence=evidence, assessor=case.bob, **ALL_VACS)

    assert recorded(evidence) == ["HSC331 S2.3", "HSC331 S4.1"]


def test_scope_of_a_unit_the_evidence_is_not_mapped_to_is_refused_and_nothing_is_judged(case):
    evidence = submitted_evidence(case, references=["H3 25.1"], enrolment=case.h3_25)

    with pytest.raises(PortfolioError, match="Tick only scope items of the units E1 is mapped to"):
        judging.evidence_accept(evidence=evidence, assessor=case.bob, scope_items=scope("HSC331 S4.1"), **ALL_VACS)

    assert Evidence.objects.get(pk=evidence.pk).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.exists()


def test_the_judging_form_starts_from_the_candidates_mapping_and_records_the_ticks(client, case):
    evidence = submitted_evidence(case, references=["HSC331b.1", "HSC331 S4.1"])
    client.force_login(case.bob)

    page = client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()

    assert "Scope it covers, if you accept it" in page
    assert re.search(r'value="\d+" id="[^"]+" checked>\s*<label[^>]*><span class="ref">HSC331 S4.1</span> family', page)
    assert re.search(r'value="\d+" id="[^"]+">\s*<label[^>]*><span class="ref">HSC331 S4.2</span> friends', page)
    assert "Risks could include the possibility of:" in page
    response = client.post(f"/assessments/evidence/{evidence.pk}/judge/", {
        **shown(evidence), "decision": "accept", **dict.fromkeys(judging.VACS, "on"),
        "scope_items": [s.pk for s in scope("HSC331 S4.2", "HSC331 S5.2")],
    })

    assert response.status_code == 302
    assert recorded(evidence) == ["HSC331 S4.2", "HSC331 S5.2"]
    page = client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()
    assert "Scope it covers, as the assessor recorded:" in page
    assert "HSC331 S5.2</span> risks: injury and harm to people" in page


def test_the_assessors_observation_records_the_scope_it_covers(client, case):
    client.force_login(case.bob)
    url = f"/assessments/units/{case.hsc331.pk}/observation/new/"
    assert "Risks could include the possibility of:" in client.get(url).content.decode()

    response = client.post(url, {
        "method": AssessmentMethod.DIRECT_OBSERVATION, "title": "Observation: a day trip",
        "activity_date": timezone.localdate().isoformat(), "location": "Day centre",
        "account": "Alice planned the trip with Person A and checked the risks with them.",
        "criteria": [c.pk for c in items(case.hsc331)[0][:1]],
        "scope_items": [s.pk for s in scope("HSC331 S5.1", "HSC331 S5.2")],
    })

    assert response.status_code == 302
    evidence = Evidence.objects.get(title="Observation: a day trip")
    assert recorded(evidence) == mapped(evidence) == ["HSC331 S5.1", "HSC331 S5.2"]


def test_the_assessors_observation_takes_only_the_units_own_scope(case):
    with pytest.raises(PortfolioError, match="Tick only scope items of H3 25"):
        judging.assessor_evidence_record(
            enrolment=case.h3_25, assessor=case.bob, method=AssessmentMethod.DIRECT_OBSERVATION,
            title="Observation", activity_date=timezone.localdate(), account="Seen.",
            criteria=items(case.h3_25)[0][:1], scope_items=scope("HSC331 S5.1"),
        )
    assert not Evidence.objects.exists()


# Sign-off


def nothing_signed(case) -> None:
    assert not SignOff.objects.exists()
    assert not ScopeNotApplicable.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.unit.signed_off").exists()


def test_sign_off_is_refused_while_a_scope_category_is_neither_covered_nor_said_not_to_apply(met_but_risks):
    case = met_but_risks

    with pytest.raises(PortfolioError) as refusal:
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    assert str(refusal.value) == (
        "HSC331 cannot be signed off yet: no accepted evidence covers the scope “Risks”. Record evidence that "
        "covers it, or say for each why it does not apply to the candidate’s work area."
    )
    nothing_signed(case)


def test_a_blank_reason_is_no_reason(met_but_risks):
    case = met_but_risks

    with pytest.raises(PortfolioError, match="no accepted evidence covers the scope “Risks”"):
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={risks().pk: "  "})

    nothing_signed(case)


def test_the_candidates_mapping_alone_does_not_cover_the_scope(case):
    evidence = submitted_evidence(case, references=every_item(case) + ALL_BUT_RISKS + ["HSC331 S5.1"])
    judging.evidence_accept(evidence=evidence, assessor=case.bob, scope_items=scope(*ALL_BUT_RISKS), **ALL_VACS)
    meet(case, case.hsc331, [evidence])

    with pytest.raises(PortfolioError, match="no accepted evidence covers the scope “Risks”"):
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def test_sign_off_with_a_reason_signs_the_scope_and_keeps_the_reason(met_but_risks):
    case = met_but_risks

    sign_off = services.unit_sign_off(
        enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={risks().pk: f"  {NO_RISKS} "}
    )

    kept = ScopeNotApplicable.objects.get()
    assert (kept.sign_off, kept.category.name, kept.reason) == (sign_off, "Risks", NO_RISKS)
    signed = {row["category"]: row for row in sign_off.manifest["scope"]}
    assert list(signed) == ["Communicate", "Danger", "Harm and abuse", "Key people", "Risks"]
    assert signed["Key people"] == {
        "category": "Key people", "covered_by": [{"ref": "E1", "id": sign_off.manifest["evidence"][0]["id"],
                                                  "items": ["HSC331 S4.1"]}],
        "not_applicable": None,
    }
    assert signed["Risks"] == {"category": "Risks", "covered_by": [], "not_applicable": NO_RISKS}
    assert sign_off.manifest["format"] == 4  # scope since 2, mappings since 3, the unit's wording since 4
    assert integrity.check(sign_off).intact
    event = AuditEvent.objects.get(action="assessments.unit.signed_off")
    assert event.after["scope_not_applicable"] == {"Risks": NO_RISKS}
    assert f"scope “Risks” does not apply: {NO_RISKS}" in event.summary


def test_a_reason_for_a_covered_category_is_not_kept(met_but_risks):
    case = met_but_risks
    key_people = ScopeCategory.objects.get(unit__code="HSC331", name="Key people")

    sign_off = services.unit_sign_off(
        enrolment=case.hsc331, assessor=case.bob, declared=True,
        not_applicable={risks().pk: NO_RISKS, key_people.pk: "Not needed."},
    )

    assert list(ScopeNotApplicable.objects.values_list("category__name", flat=True)) == ["Risks"]
    assert {row["category"]: row["not_applicable"] for row in sign_off.manifest["scope"]}["Key people"] is None


def test_evidence_covering_the_scope_is_part_of_the_signed_record_though_no_decision_cites_it(met_but_risks):
    case = met_but_risks
    observation = judging.assessor_evidence_record(
        enrolment=case.hsc331, assessor=case.bob, method=AssessmentMethod.DIRECT_OBSERVATION,
        title="Observation: a day trip", activity_date=timezone.localdate(), account="Risks talked through.",
        criteria=items(case.hsc331)[0][:1], scope_items=scope("HSC331 S5.3"),
    )

    sign_off = services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    assert [row["ref"] for row in sign_off.manifest["evidence"]] == ["E1", observation.reference]
    signed = {row["category"]: row for row in sign_off.manifest["scope"]}
    assert signed["Risks"]["covered_by"] == [{"ref": "E2", "id": observation.pk, "items": ["HSC331 S5.3"]}]
    assert not ScopeNotApplicable.objects.exists()
    assert integrity.check(sign_off).intact


def test_a_unit_without_scope_signs_off_with_an_empty_scope_part(case):
    evidence = accepted_evidence(case, enrolment=case.h3_25, title="Agreeing contact with a tenant")
    meet(case, case.h3_25, [evidence])

    sign_off = services.unit_sign_off(enrolment=case.h3_25, assessor=case.bob, declared=True)

    assert sign_off.manifest["scope"] == []
    assert integrity.check(sign_off).intact


# The signed record


@pytest.fixture
def signed(met_but_risks):
    services.unit_sign_off(
        enrolment=met_but_risks.hsc331, assessor=met_but_risks.bob, declared=True, not_applicable={risks().pk: NO_RISKS}
    )
    return met_but_risks


def test_a_reason_edited_in_the_database_is_caught(client, signed):
    ScopeNotApplicable.objects.update(reason="Not relevant.")

    report = integrity.check(standing(signed))

    assert report.problems == [
        f"Scope “Risks”: the reason it does not apply to the candidate’s work area has changed since sign-off "
        f"(now “Not relevant.”, signed as “{NO_RISKS}”)."
    ]
    client.force_login(signed.carol)
    page = client.get(f"/assessments/units/{signed.hsc331.pk}/").content.decode()
    assert "This signed-off record has changed since it was signed." in page
    assert html.escape("Scope “Risks”: the reason it does not apply", quote=False) in page


def test_a_reason_removed_in_the_database_is_caught(signed):
    ScopeNotApplicable.objects.all().delete()

    assert integrity.verify(standing(signed)) == [
        f"Scope “Risks”: the reason it does not apply to the candidate’s work area has changed since sign-off "
        f"(now none, signed as “{NO_RISKS}”)."
    ]


def test_the_assessors_scope_record_changed_in_the_database_is_caught(signed):
    judgement = Judgement.objects.get(outcome="accepted")
    judgement.scope_items.remove(*scope("HSC331 S4.1"))

    assert integrity.verify(standing(signed)) == [
        "Scope “Key people”: the evidence recorded as covering it has changed since sign-off "
        "(now nothing, signed as E1 (HSC331 S4.1))."
    ]


def test_the_scope_part_of_the_manifest_edited_is_caught_by_the_signature(signed):
    sign_off = standing(signed)
    sign_off.manifest["scope"][4]["not_applicable"] = "Edited."
    sign_off.save(update_fields=["manifest"])

    problems = integrity.verify(standing(signed))

    assert problems[0].startswith("The signed record itself has been altered")
    assert "Scope “Risks”: the reason it does not apply to the candidate’s work area has changed since sign-off" in problems[1]


def test_a_sign_off_made_before_scope_was_recorded_still_verifies(case):
    """A format 1 manifest has no scope part: nothing about scope is asked of it."""
    evidence = accepted_evidence(case, references=every_item(case))
    meet(case, case.hsc331, [evidence])
    decisions = integrity.standing_decisions(case.hsc331)
    signed_at = timezone.now()
    manifest = integrity.build_manifest(
        enrolment=case.hsc331, assessor=case.bob, signed_at=signed_at, declaration=SignOff.ASSESSOR_DECLARATION,
        decisions=decisions, evidence_items=integrity.cited_evidence(decisions), scope_coverage=[],
    )
    del manifest["scope"]
    manifest["format"] = 1
    sign_off = SignOff.objects.create(
        enrolment=case.hsc331, assessor=case.bob, assessor_signed_at=signed_at,
        assessor_declaration=SignOff.ASSESSOR_DECLARATION, manifest=manifest,
        decisions_digest=integrity.sha256_of(manifest["decisions"]),
        signature=integrity.assessor_signature(
            manifest=manifest, enrolment_id=case.hsc331.pk, assessor_id=case.bob.pk, signed_at=signed_at
        ),
    )

    assert integrity.check(sign_off).intact


# The pages


def test_the_sign_off_page_lists_the_scope_and_asks_why_an_uncovered_category_does_not_apply(client, met_but_risks):
    case = met_but_risks
    client.force_login(case.bob)
    url = f"/assessments/units/{case.hsc331.pk}/sign-off/"

    page = html.unescape(client.get(url).content.decode())

    assert re.search(r"Key people\s*</span>\s*<span[^>]*>covered by <span class=\"ref\">E1</span>", page)
    assert "no evidence covers it yet" in page
    assert "“Risks” does not apply to Alice Adams’s work area because" in page
    response = client.post(url, {"declared": "on"})
    assert response.status_code == 400
    assert "Say why “Risks” does not apply to the candidate’s work area, or record evidence that covers it" in (
        html.unescape(response.content.decode())
    )
    nothing_signed(case)

    response = client.post(url, {"declared": "on", f"not_applicable_{risks().pk}": NO_RISKS, **listed(case.hsc331)})

    assert response.status_code == 302
    assert ScopeNotApplicable.objects.get().reason == NO_RISKS


def test_signing_again_after_an_unlock_starts_from_the_earlier_reasons(client, signed):
    services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason="A decision needs another look.")
    client.force_login(signed.bob)

    page = client.get(f"/assessments/units/{signed.hsc331.pk}/sign-off/").content.decode()

    assert re.search(rf'name="not_applicable_{risks().pk}"[^>]*>\s*{re.escape(html.escape(NO_RISKS))}</textarea>', page)


def test_the_unit_page_shows_each_category_its_evidence_and_the_reason_it_does_not_apply(client, signed):
    client.force_login(signed.alice)

    page = html.unescape(client.get(f"/assessments/units/{signed.hsc331.pk}/").content.decode())

    scope_part = page[page.index('id="scope-heading"'):]
    assert re.search(r"Key people include:</h3>\s*<p[^>]*>.*Covered</span> by <a[^>]*><span class=\"ref\">E1</span>", scope_part)
    assert f"Does not apply</span> to the candidate’s work area, the assessor recorded at sign-off: “{NO_RISKS}”" in scope_part
    assert "Mapped by the candidate:" in scope_part


def test_the_unit_page_before_sign_off_says_which_scope_no_evidence_covers(client, met_but_risks):
    client.force_login(met_but_risks.bob)

    page = html.unescape(client.get(f"/assessments/units/{met_but_risks.hsc331.pk}/").content.decode())

    assert "Scope</a> no evidence covers yet: Risks." in page
    assert "Not covered yet</span> No accepted evidence covers it as the assessor recorded" in page
