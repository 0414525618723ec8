"""A sign-off voided in the database by hand is not an unlock: the unit stays locked to the assessor
and the candidate alike (an outside trial: one UPDATE of `voided_at` let the assessor withdraw a
signed decision through the product). A real unlock still unlocks.

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA (tests/assessments/unit_case.py)."""

import pytest
from django.utils import timezone

from assessments.models import Decision, SignOff
from assessments.services import decisions
from assessments.services import signoff as services
from portfolio import services as portfolio_services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, Enrolment
from standards.models import Criterion
from tests.assessments.unit_case import signed_off_case

pytestmark = pytest.mark.django_db

TAMPERED = "that sign-off was voided outside the product, not by an unlock: the unit stays locked"


@pytest.fixture
def case():
    return signed_off_case()


def _void_by_hand(case) -> None:
    SignOff.objects.filter(pk=case.sign_off.pk).update(voided_at=timezone.now(), voided_by=case.bob, void_reason="x")


def _a_decision(case) -> Decision:
    return Decision.objects.filter(enrolment=case.hsc331, withdrawn_at=None).order_by("pk")[0]


def test_the_assessor_can_neither_withdraw_a_decision_nor_sign_off_again(case):
    _void_by_hand(case)

    with pytest.raises(PortfolioError, match=TAMPERED):
        decisions.decision_withdraw(decision=_a_decision(case), assessor=case.bob, reason="Changed my mind.")
    with pytest.raises(PortfolioError, match=TAMPERED):
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    assert Decision.objects.filter(enrolment=case.hsc331, withdrawn_at__isnull=False).count() == 0
    assert SignOff.objects.filter(enrolment=case.hsc331).count() == 1


def test_the_withdrawal_page_refuses_with_the_reason(client, case):
    _void_by_hand(case)
    decision = _a_decision(case)
    client.force_login(case.bob)

    response = client.post(f"/assessments/decisions/{decision.pk}/withdraw/", {"reason": "Changed my mind."}, follow=True)

    assert "voided outside the product" in response.content.decode()
    assert Decision.objects.get(pk=decision.pk).withdrawn_at is None


def test_the_candidate_cannot_map_new_evidence_to_it(case):
    _void_by_hand(case)
    late = portfolio_services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Late evidence",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate(), account="Late.", uploads=[],
    )

    with pytest.raises(PortfolioError):
        portfolio_services.evidence_map(
            evidence=late, editor=case.alice, criteria=Criterion.objects.filter(unit=case.hsc331.unit)[:1],
            knowledge_items=[], scope_items=[],
        )
    assert not late.criteria.exists()


def test_a_real_unlock_unlocks(case):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness statement was withdrawn.")

    withdrawn = decisions.decision_withdraw(decision=_a_decision(case), assessor=case.bob, reason="Witness withdrawn.")

    assert withdrawn.withdrawn_at is not None


# A sign-off voided by hand still stands (an outside trial: the unit read "in progress" on every list,
# the unit page offered Sign off, and the IQA's box called the void an unlock).


def test_every_list_still_counts_it_signed_off(case):
    from assessments.sampling import with_state
    from assessments.selectors import unit_states
    from assessments.unit_state import UnitState

    _void_by_hand(case)

    assert with_state(Enrolment.objects.filter(pk=case.hsc331.pk)).get().state == UnitState.AWAITING
    assert unit_states([case.hsc331])[case.hsc331.pk].label == "Signed off"
    assert decisions.standing_sign_off(case.hsc331) == case.sign_off


def test_the_unit_page_shows_it_signed_off_and_changed_and_offers_no_sign_off(client, case):
    _void_by_hand(case)
    client.force_login(case.bob)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()

    assert "Signed off by <strong>Bob Baker</strong>" in page and 'data-void="forged"' in page
    assert f"Sign off {case.hsc331.unit.code}" not in page and "Record decisions" not in page
    assert "not by an unlock in the portfolio: it still stands" in page  # among what changed
    assert "Not signed off" not in page and "unlock it to add evidence" not in page
    assert "the record has been tampered with, so nothing can change on this unit" in page


def test_the_iqa_box_does_not_call_it_an_unlock(client, case):
    from assessments.services import iqa

    services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    iqa.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned", comments="Sound.")
    _void_by_hand(case)
    client.force_login(case.carol)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()

    assert "Voided outside the product:</strong> the sign-off this review countersigned is marked void" in page
    assert "was unlocked by" not in page


def test_it_cannot_be_unlocked_over_the_forgery(case):
    _void_by_hand(case)

    with pytest.raises(PortfolioError, match="voided outside the product, not by an unlock: the unit stays locked, so it cannot be unlocked"):
        services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="Tidy up.")
    assert SignOff.objects.get(pk=case.sign_off.pk).void_reason == "x"


def test_the_next_check_tells_the_people_on_the_case(case):
    from assessments import fixity
    from portfolio.models import Notification

    _void_by_hand(case)
    Notification.objects.all().delete()

    report = fixity.check_and_record(SignOff.objects.get(pk=case.sign_off.pk), boundary=fixity.Boundary.SCHEDULE)

    assert not report.intact
    told = Notification.objects.filter(message__contains="not by an unlock in the portfolio")
    assert {n.recipient for n in told} >= {case.bob, case.carol}


def test_the_claims_leave_it_out_and_name_it(case):
    from assessments import claims

    services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    case.centre.claims_need_iqa = False
    case.centre.save(update_fields=["claims_need_iqa"])
    assert list(claims.ready_sign_offs(case.centre)) == [case.sign_off]
    _void_by_hand(case)

    assert list(claims.ready_sign_offs(case.centre)) == []
    assert claims.changed_since_sign_off(case.centre, up_to=5) == [case.sign_off]


@pytest.mark.parametrize("change", ["voided by hand", "a check found a file changed"])
def test_the_centres_lists_mark_it_changed(client, case, change):
    from django.urls import reverse

    from assessments import fixity

    if change == "voided by hand":
        _void_by_hand(case)
    else:
        stored = case.sign_off.manifest["files"][0]
        from portfolio.models import EvidenceFile

        evidence_file = EvidenceFile.objects.get(pk=stored["file_id"])
        with evidence_file.file.storage.open(evidence_file.file.name, "wb") as handle:
            handle.write(b"not the signed bytes")
        fixity.check_and_record(SignOff.objects.get(pk=case.sign_off.pk), boundary=fixity.Boundary.SCHEDULE)

    [changed] = _rows_marked_changed(client, case.grace, reverse("assessments:centre_portfolios", args=[case.centre.pk]))

    assert "HSC331" in changed and "Changed since sign-off" in changed


def test_the_iqas_sample_marks_it_changed(client, case):
    from django.urls import reverse

    _void_by_hand(case)

    changed = _rows_marked_changed(client, case.carol, reverse("assessments:iqa_sample"))

    assert changed and all("HSC331" in row for row in changed)


def test_the_export_chooser_marks_it_changed(client, case):
    from django.urls import reverse

    _void_by_hand(case)

    [changed] = _rows_marked_changed(client, case.grace, reverse("exports:export_list", args=[case.centre.pk]))

    assert "HSC331" in changed and "left out of an export until put right" in changed


def test_the_assessors_home_marks_it_changed_with_a_link(client, case):
    client.force_login(case.bob)
    assert 'data-record="changed"' not in client.get("/").content.decode()
    _void_by_hand(case)

    page = client.get("/").content.decode()

    link = f'href="/assessments/units/{case.hsc331.pk}/#signoff-heading">HSC331 changed since sign-off</a>'
    assert link in page


def test_the_progress_report_marks_it_changed_with_a_link(client, case):
    from django.urls import reverse

    _void_by_hand(case)

    [changed] = _rows_marked_changed(client, case.grace, reverse("ops:report_progress", args=[case.centre.pk]))

    assert "HSC331" in changed and f'href="/assessments/units/{case.hsc331.pk}/#signoff-heading"' in changed


def _rows_marked_changed(client, person, url: str) -> list[str]:
    """The table rows of the page the person reads that mark a unit's record changed since sign-off."""
    client.force_login(person)
    page = client.get(url).content.decode()
    rows = [row.split("</tr>")[0] for row in page.split("<tr")[1:]]
    return [row for row in rows if 'data-record="changed"' in row]


def test_a_void_with_a_forged_signature_stands_and_a_check_asked_for_finds_it(client, case, django_capture_on_commit_callbacks):
    """A signature copied or made up passes SQL's test (it is not empty); the check still finds it."""
    from assessments.models import FixityCheck

    _void_by_hand(case)
    SignOff.objects.filter(pk=case.sign_off.pk).update(void_signature="0" * 64)
    assert decisions.standing_sign_off(case.hsc331) == case.sign_off
    client.force_login(case.carol)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/assessments/units/{case.hsc331.pk}/check-files/")

    [check] = FixityCheck.objects.filter(sign_off=case.sign_off, boundary=FixityCheck.Boundary.ON_DEMAND)
    assert not check.intact and any("not by an unlock in the portfolio" in p for p in check.problems)


def test_a_download_of_a_file_it_was_signed_on_says_so_first(client, case):
    """The file is as signed, but the record it was signed in is not: warned before it is served."""
    from portfolio.models import EvidenceFile

    _void_by_hand(case)
    signed = EvidenceFile.objects.get(pk=case.sign_off.manifest["files"][0]["file_id"])
    client.force_login(case.bob)

    response = client.get(f"/portfolio/files/{signed.pk}/", headers={"Sec-Fetch-Dest": "document"})

    page = response.content.decode()
    assert response.status_code == 200 and "<h1>The record this file was signed in has changed</h1>" in page
    assert "The signed record of HSC331 has changed since sign-off: The sign-off of" in page
    assert "Download it anyway" in page
