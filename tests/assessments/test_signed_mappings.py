"""The candidate's mapping of signed evidence to the unit is part of the signed record: a mapping
written into the database after sign-off (the product refuses one to a locked unit) is a change to
the record, named, on the unit page and at every boundary. Mapping the same evidence to another unit
changes nothing here, and a sign-off made before mappings were kept still verifies.

Alice is the candidate on HSC331 and H3 25, Bob her assessor (tests/assessments/unit_case.py)."""

import pytest
from django.utils import timezone

from assessments import fixity, integrity
from assessments.models import Decision, SignOff
from assessments.services import decisions
from assessments.services import signoff as services
from portfolio.models import Evidence
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = build_case()
    # E1 mapped to every item of HSC331; E2, the evidence watched here, to its first criterion only,
    # and cited there too, so that it is in the signed record with items left to map by hand.
    covering = accepted_evidence(case, title="Supporting a family visit")
    first = Criterion.objects.filter(unit=case.hsc331.unit).order_by("pk")[0]
    case.evidence = accepted_evidence(case, title="Reflecting on a friendship group", references=[first.reference])
    meet(case, case.hsc331, [covering])
    decisions.decision_withdraw(
        decision=Decision.objects.get(enrolment=case.hsc331, criterion=first, withdrawn_at=None),
        assessor=case.bob, reason="To cite both.",
    )
    decisions.decision_record(enrolment=case.hsc331, assessor=case.bob, evidence=[covering, case.evidence],
                              decided_on=timezone.localdate(), criterion=first)
    case.last = Criterion.objects.filter(unit=case.hsc331.unit).order_by("-pk")[0]
    case.sign_off = services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    return case


def _row(sign_off: SignOff, evidence: Evidence) -> dict:
    return next(row for row in sign_off.manifest["evidence"] if row["id"] == evidence.pk)


def test_the_manifest_keeps_the_mapping_to_the_unit(case):
    first = Criterion.objects.filter(unit=case.hsc331.unit).order_by("pk")[0]
    assert _row(case.sign_off, case.evidence)["mapped"] == [first.reference]
    assert integrity.check(case.sign_off).intact


def test_a_mapping_written_into_the_database_after_sign_off_is_found_and_named(client, case):
    Evidence.criteria.through.objects.create(evidence_id=case.evidence.pk, criterion_id=case.last.pk)

    report = fixity.page_report(SignOff.objects.get(pk=case.sign_off.pk))

    expected = (f"{case.evidence.reference}: the candidate’s mapping of it to this unit has changed since sign-off "
                f"(now also mapped to {case.last.reference}).")
    assert expected in report.problems
    client.force_login(case.carol)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "the candidate’s mapping of it to this unit has changed since sign-off" in page


def test_a_mapping_removed_is_named_too(case):
    first = Criterion.objects.filter(unit=case.hsc331.unit).order_by("pk")[0]
    case.evidence.criteria.remove(first)

    problems = integrity.check(SignOff.objects.get(pk=case.sign_off.pk), read_files=False).problems

    assert f"{case.evidence.reference}: the candidate’s mapping of it to this unit has changed since sign-off " \
        f"(no longer mapped to {first.reference})." in problems


def test_mapping_the_evidence_to_another_unit_changes_nothing_here(case):
    other = Criterion.objects.filter(unit=case.h3_25.unit).order_by("pk")[0]
    case.evidence.criteria.add(other)

    assert integrity.check(SignOff.objects.get(pk=case.sign_off.pk)).intact


def test_a_sign_off_made_before_mappings_were_kept_still_verifies(case):
    """A manifest with no mappings (format 2) is checked without them: re-signed here as it was made."""
    sign_off = SignOff.objects.get(pk=case.sign_off.pk)
    manifest = sign_off.manifest
    for row in manifest["evidence"]:
        del row["mapped"]
    manifest["format"] = 2
    sign_off.signature = integrity.assessor_signature(
        manifest=manifest, enrolment_id=sign_off.enrolment_id, assessor_id=sign_off.assessor_id,
        signed_at=sign_off.assessor_signed_at,
    )
    SignOff.objects.filter(pk=sign_off.pk).update(manifest=manifest, signature=sign_off.signature)
    Evidence.criteria.through.objects.create(evidence_id=case.evidence.pk, criterion_id=case.last.pk)

    assert integrity.check(SignOff.objects.get(pk=sign_off.pk)).intact
