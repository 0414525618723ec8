"""A signed-off unit cannot change silently: whatever is altered after sign-off, in storage or in the
database behind the product's back, `verify` names it and the unit page shows it in red.

Alice is the candidate on HSC331, Bob her assessor. See tests/assessments/unit_case.py.
"""

import datetime

import pytest
from django.utils import timezone

from assessments import fixity, integrity
from assessments.models import Decision, Judgement, SignOff
from assessments.services import signoff as services
from portfolio.models import Declaration, Evidence, EvidenceFile, EvidenceState
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return [
        accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))]),
        accepted_evidence(case, title="Reflecting on a friendship group", uploads=[photo("group.png")]),
    ]


@pytest.fixture
def sign_off(case, evidence):
    meet(case, case.hsc331, evidence)
    services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    return services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)


def fresh(sign_off: SignOff) -> SignOff:
    return SignOff.objects.get(pk=sign_off.pk)


def unit_page(client, case) -> str:
    client.force_login(case.alice)
    return client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()


def hsc331a_1(case) -> Decision:
    return Decision.objects.get(enrolment=case.hsc331, criterion__reference="HSC331a.1", withdrawn_at=None)


def test_an_untouched_sign_off_is_intact(client, case, sign_off):
    report = integrity.check(fresh(sign_off))

    assert report.intact and (report.file_count, report.decision_count) == (3, 34)
    page = unit_page(client, case)
    assert '<strong>Intact:</strong> 3 files and 34 decisions match what was signed.' in page
    assert 'data-integrity="broken"' not in page


# Files altered in storage.


def test_a_signed_file_overwritten_in_storage_is_detected_and_shown(client, case, sign_off, evidence, evidence_root):
    plan = evidence[0].files.get(original_name="plan.png")
    (evidence_root / plan.file.name).write_bytes(b"a different picture altogether")

    problems = integrity.verify(fresh(sign_off))

    assert len(problems) == 1
    assert problems[0].startswith("E1 plan.png has changed since the unit was signed off: its SHA-256 is now")
    # No page reads a file: the unit page shows what the last fixity check found.
    assert 'data-integrity="broken"' not in unit_page(client, case)
    fixity.check_and_record(fresh(sign_off), boundary=fixity.Boundary.SCHEDULE)
    page = unit_page(client, case)
    assert 'data-integrity="broken"' in page and "This signed-off record has changed since it was signed." in page
    assert "E1 plan.png has changed since the unit was signed off" in page
    assert "Intact:" not in page.split('id="signoff-heading"')[1].split("</section>")[0]


def test_a_signed_file_deleted_from_storage_is_detected(case, sign_off, evidence, evidence_root):
    group = evidence[1].files.get()
    (evidence_root / group.file.name).unlink()
    assert integrity.verify(fresh(sign_off)) == ["E2 group.png is missing from storage."]


def test_a_file_removed_from_signed_evidence_in_the_database_is_detected(case, sign_off, evidence):
    group = evidence[1].files.get()
    EvidenceFile.objects.filter(pk=group.pk).update(removed_in_version=2)
    assert integrity.verify(fresh(sign_off)) == ["E2 group.png was removed from E2 after sign-off."]


def test_a_file_added_to_signed_evidence_in_the_database_is_detected(case, sign_off, evidence):
    group = evidence[1].files.get()
    EvidenceFile.objects.create(
        evidence=evidence[1], file=group.file.name, storage_key="added-behind-the-back", original_name="extra.png",
        content_type="image/png", size=group.size, sha256=group.sha256, added_in_version=1, uploaded_by=case.alice,
    )
    assert integrity.verify(fresh(sign_off)) == ["E2 extra.png was added after sign-off."]


def test_a_files_recorded_digest_changed_in_the_database_is_detected(case, sign_off, evidence):
    visit = evidence[0].files.get(original_name="visit.png")
    EvidenceFile.objects.filter(pk=visit.pk).update(sha256="0" * 64)
    assert integrity.verify(fresh(sign_off)) == [
        "E1 visit.png: its recorded digest or size was changed in the database after sign-off."
    ]


# Decisions altered in the database.


def test_a_decisions_time_changed_by_a_queryset_update_is_detected(client, case, sign_off):
    decision = hsc331a_1(case)
    Decision.objects.filter(pk=decision.pk).update(decided_at=decision.decided_at - datetime.timedelta(days=30))

    problems = integrity.verify(fresh(sign_off))

    assert len(problems) == 1
    moved = (decision.decided_at - datetime.timedelta(days=30)).astimezone(datetime.UTC)
    assert problems[0].startswith(f"HSC331a.1: the decision has changed since sign-off (recorded at {moved:%-d %b %Y %H:%M:%S}")
    assert "HSC331a.1: the decision has changed since sign-off" in unit_page(client, case)


def test_a_decisions_date_or_assessor_changed_is_detected(case, sign_off):
    decision = hsc331a_1(case)
    Decision.objects.filter(pk=decision.pk).update(decided_on=decision.decided_on - datetime.timedelta(days=3))
    Decision.objects.filter(criterion__reference="HSC331a.2").update(decided_by=case.erin)

    problems = integrity.verify(fresh(sign_off))

    before, after = decision.decided_on, decision.decided_on - datetime.timedelta(days=3)
    dated = f"dated {after:%-d %b %Y}, signed as {before:%-d %b %Y}"  # in words, not ISO dates
    assert any(p.startswith(f"HSC331a.1: the decision has changed since sign-off ({dated}") for p in problems)
    assert any("HSC331a.2" in p and "decided by Erin Evans, signed as Bob Baker" in p for p in problems)


def test_an_assessor_who_changes_her_name_has_changed_no_decision_she_signed(client, case, sign_off):
    """An outside trial: Erin's new married name turned every unit she had signed red, notified
    everyone and left them out of exports. The decisions are compared by who made them."""
    case.bob.last_name = "Baker-Walker"
    case.bob.save(update_fields=["last_name"])

    assert integrity.verify(fresh(sign_off)) == []
    assert "<strong>Intact:</strong> 3 files and 34 decisions match what was signed." in unit_page(client, case)

    # Another person's decision on one of the items is still found, by name as signed and as now.
    Decision.objects.filter(criterion__reference="HSC331a.2").update(decided_by=case.erin)
    problems = integrity.verify(fresh(sign_off))
    assert [p for p in problems if "HSC331a.2" in p] == [
        "HSC331a.2: the decision has changed since sign-off (decided by Erin Evans, signed as Bob Baker)."
    ]
    assert not any("HSC331a.1" in p for p in problems)


def test_a_cited_evidence_link_deleted_in_the_database_is_detected(case, sign_off, evidence):
    decision = hsc331a_1(case)
    Decision.evidence.through.objects.filter(decision=decision, evidence=evidence[1]).delete()

    assert integrity.verify(fresh(sign_off)) == [
        "HSC331a.1: the decision has changed since sign-off (cites E1, signed as E1, E2)."
    ]


def test_a_decision_withdrawn_or_added_behind_the_products_back_is_detected(case, sign_off, evidence):
    decision = hsc331a_1(case)
    Decision.objects.filter(pk=decision.pk).update(withdrawn_at=timezone.now())
    problems = integrity.verify(fresh(sign_off))
    assert problems == ["HSC331a.1 was signed as met but has no standing decision now."]

    replacement = Decision.objects.create(
        enrolment=case.hsc331, criterion=decision.criterion, decided_by=case.bob, decided_at=timezone.now()
    )
    replacement.evidence.set(evidence)
    assert integrity.verify(fresh(sign_off)) != []


# Evidence altered in the database.


def test_signed_evidence_whose_words_or_state_changed_is_detected(case, sign_off, evidence):
    Evidence.objects.filter(pk=evidence[0].pk).update(account="Rewritten after sign-off.")
    Evidence.objects.filter(pk=evidence[1].pk).update(state=EvidenceState.REFERRED)

    assert integrity.verify(fresh(sign_off)) == [
        "E1: its title, method, date, place or written account has changed since sign-off.",
        "E2 is no longer accepted: it is referred back.",
    ]


def test_what_was_attested_of_signed_evidence_is_signed_too(case, sign_off, evidence):
    """The candidate's declaration of authenticity, the assessor's judgement and the assessor's own
    declaration are part of what was signed: rewriting any of them in the database is found."""
    Declaration.objects.filter(evidence=evidence[0]).update(text="I copied this account from a colleague.")
    Judgement.objects.filter(evidence=evidence[1]).update(feedback="Not authentic: someone else did this.")
    SignOff.objects.filter(pk=sign_off.pk).update(assessor_declaration="I have not seen this candidate at work.")

    assert integrity.verify(fresh(sign_off)) == [
        "E1: the candidate’s declaration that it is their own work has changed since sign-off.",
        "E2: the assessor’s judgement of it (its checks, outcome or feedback) has changed since sign-off.",
        "The assessor’s declaration shown with the sign-off is not the one signed.",
    ]


def test_a_signed_file_renamed_in_the_database_is_found(case, sign_off, evidence):
    EvidenceFile.objects.filter(evidence=evidence[0], original_name="plan.png").update(original_name="observation.png")

    assert integrity.verify(fresh(sign_off)) == ["E1 plan.png has been renamed “observation.png” since sign-off."]


def test_a_sign_off_made_before_attestations_were_signed_still_verifies(case, sign_off):
    """Manifests signed before the declarations and judgements were digested have no such digests;
    they are checked without them rather than reported as changed."""
    older = fresh(sign_off)
    for row in older.manifest["evidence"]:
        del row["declarations_sha256"], row["judgements_sha256"]
    older.signature = integrity.assessor_signature(
        manifest=older.manifest, enrolment_id=older.enrolment_id, assessor_id=older.assessor_id,
        signed_at=older.assessor_signed_at,
    )
    older.candidate_signature = integrity.candidate_signature(older)
    older.save()

    assert integrity.verify(fresh(sign_off)) == []


# The sign-off record itself altered.


def test_an_edited_manifest_fails_the_signature_check(case, sign_off):
    manifest = fresh(sign_off).manifest
    manifest["files"][0]["sha256"] = "f" * 64
    SignOff.objects.filter(pk=sign_off.pk).update(manifest=manifest)

    problems = integrity.verify(fresh(sign_off))

    assert problems[0].startswith("The signed record itself has been altered: its signature no longer matches")


def test_an_edited_manifest_with_a_matching_digest_still_fails_the_signature(case, sign_off):
    """Someone who rewrites the decisions and recomputes the digest still cannot make the HMAC."""
    manifest = fresh(sign_off).manifest
    manifest["decisions"] = manifest["decisions"][1:]
    SignOff.objects.filter(pk=sign_off.pk).update(
        manifest=manifest, decisions_digest=integrity.sha256_of(manifest["decisions"])
    )

    problems = integrity.verify(fresh(sign_off))

    assert problems[0].startswith("The signed record itself has been altered")


def test_a_changed_decisions_digest_or_signing_time_is_detected(case, sign_off):
    SignOff.objects.filter(pk=sign_off.pk).update(decisions_digest="0" * 64)
    assert "The decisions digest no longer matches the decisions in the signed manifest." in integrity.verify(fresh(sign_off))

    SignOff.objects.filter(pk=sign_off.pk).update(
        decisions_digest=sign_off.decisions_digest,
        assessor_signed_at=sign_off.assessor_signed_at - datetime.timedelta(days=1),
    )
    assert integrity.verify(fresh(sign_off))[0].startswith("The signed record itself has been altered")


def test_a_countersignature_written_by_hand_is_detected(case, sign_off):
    SignOff.objects.filter(pk=sign_off.pk).update(candidate_signed_at=sign_off.candidate_signed_at + datetime.timedelta(hours=1))
    assert integrity.verify(fresh(sign_off)) == ["The candidate’s countersignature has been altered since it was made."]


def test_a_signature_made_with_another_key_does_not_verify(case, sign_off, settings):
    settings.PORTFOLIO_SIGNING_KEY = "another key entirely"
    problems = integrity.verify(fresh(sign_off))
    assert problems[0].startswith("The signed record itself has been altered")


# Checking a unit of many files. What it costs is a benchmark figure (`manage.py benchmark`, docs/
# performance.md): a wall-clock bound here failed whenever the machine was busy.


def test_a_unit_with_twenty_files_verifies_intact_with_every_file_counted(case):
    evidence = [
        accepted_evidence(case, title=f"Evidence {n}", uploads=[photo(f"photo-{n}-{k}.png", (320, 240)) for k in range(4)])
        for n in range(5)
    ]
    meet(case, case.hsc331, evidence)
    sign_off = fresh(services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True))

    report = integrity.check(sign_off)

    assert report.intact and report.file_count == 20
