"""Each enrolment keeps a sealed record of the sign-offs the portfolio made of its unit, out of reach
of deleting a sign-off (an outside trial deleted a sign-off row with its checks and reviews, and the
unit read as never signed off on every page and list). And a real unlock whose reason is then edited
in the database reads the same on the unit page and in the lists, once checked.

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA, Grace the centre's administrator
(tests/assessments/unit_case.py)."""

import importlib
import io

import pytest
from django.core.management import CommandError, call_command

from assessments import fixity, record_seals, selectors, sign_off_seals
from assessments.models import FixityCheck, QualityReview, SignOff
from assessments.services import signoff as services
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Notification
from tests.assessments.unit_case import accepted_evidence, build_case, meet, signed_off_case

pytestmark = pytest.mark.django_db

MISSING = "1 sign-off the portfolio made of HSC331 is missing from the database: deleted outside the portfolio."


@pytest.fixture
def case():
    return signed_off_case(countersigned_and_reviewed=True)


def _delete_the_sign_off(case) -> None:
    """As the outside trial did: the sign-off, its checks and its reviews, deleted in SQL."""
    FixityCheck.objects.filter(sign_off=case.sign_off).delete()
    QualityReview.objects.filter(enrolment=case.hsc331).delete()
    SignOff.objects.filter(pk=case.sign_off.pk).delete()


def _enrolment(case) -> Enrolment:
    return Enrolment.objects.get(pk=case.hsc331.pk)


def test_a_new_enrolment_is_sealed_with_no_sign_off_and_a_sign_off_is_sealed_into_it(case):
    enrolment = _enrolment(case)
    assert enrolment.sign_offs_made == 1
    assert record_seals.sign_off_seal_problems(enrolment) == []
    never_signed = Enrolment.objects.get(pk=case.h3_25.pk)
    assert never_signed.sign_offs_made == 0 and never_signed.sign_off_seal
    assert record_seals.sign_off_seal_problems(never_signed) == []
    assert sign_off_seals.check_every_enrolment() == []


def test_the_sign_off_deleted_is_said_on_the_unit_page_and_told_once(client, case):
    _delete_the_sign_off(case)
    client.force_login(case.bob)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    client.get(f"/assessments/units/{case.hsc331.pk}/")

    assert 'data-sign-offs="changed"' in page and MISSING in page
    assert "cannot be signed off again here" in page
    assert _enrolment(case).sign_off_seal_broken_at is not None
    told = Notification.objects.filter(message__contains="record of the sign-offs of HSC331")
    assert sorted(n.recipient.first_name for n in told) == ["Bob", "Carol", "Grace"]


def test_the_lists_mark_the_unit_changed_with_no_page_read(case):
    _delete_the_sign_off(case)

    assert selectors.unit_states([_enrolment(case)])[case.hsc331.pk].changed
    assert not selectors.unit_states([Enrolment.objects.get(pk=case.h3_25.pk)])[case.h3_25.pk].changed


def test_the_count_and_the_seal_cleared_too_the_lists_still_mark_it(case):
    _delete_the_sign_off(case)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(sign_offs_made=0, sign_off_seal="")

    assert selectors.unit_states([_enrolment(case)])[case.hsc331.pk].changed
    assert "has been cleared in the database" in record_seals.sign_off_seal_problems(_enrolment(case))[0]


def test_the_count_put_back_too_the_page_finds_it_and_marks_it_for_the_lists(client, case):
    _delete_the_sign_off(case)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(sign_offs_made=0)
    assert not selectors.unit_states([_enrolment(case)])[case.hsc331.pk].changed  # SQL alone cannot tell
    client.force_login(case.carol)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()

    assert MISSING in page  # the audit trail still names it
    assert selectors.unit_states([_enrolment(case)])[case.hsc331.pk].changed


def test_the_unit_cannot_be_signed_off_again_over_it(case):
    _delete_the_sign_off(case)

    with pytest.raises(PortfolioError, match="cannot be signed off again") as refused:
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    assert "missing from the database" in str(refused.value)
    assert not SignOff.objects.filter(enrolment=case.hsc331).exists()
    assert _enrolment(case).sign_offs_made == 1


def test_a_sign_off_copied_in_is_found_at_every_boundary(case):
    copy = SignOff.objects.get(pk=case.sign_off.pk)
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness withdrew.")
    copy.pk, copy.voided_at = None, None
    SignOff.objects.bulk_create([copy])  # written in SQL, past the model's own sealing
    standing = SignOff.objects.standing().get()

    problems = fixity.page_report(standing).problems

    assert any("no longer match the portfolio’s sealed record" in p for p in problems)
    assert not fixity.check_and_record(standing, boundary=fixity.Boundary.ON_DEMAND).intact


def test_the_scheduled_check_names_it_marks_it_and_clears_the_mark_once_restored(case):
    row = SignOff.objects.filter(pk=case.sign_off.pk)
    kept = row.values().get()
    FixityCheck.objects.filter(sign_off=case.sign_off).delete()
    QualityReview.objects.filter(enrolment=case.hsc331).delete()
    row.delete()
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 unit has sign-offs not as the portfolio made them"):
        call_command("check_fixity", "--now", stdout=out)

    assert f"SIGN-OFFS CHANGED: HSC331 of {case.alice}" in out.getvalue()
    assert _enrolment(case).sign_off_seal_broken_at is not None
    SignOff.objects.bulk_create([SignOff(**kept)])  # put back as it was (a restore would)
    assert sign_off_seals.check_every_enrolment() == []
    assert _enrolment(case).sign_off_seal_broken_at is None


def test_the_migration_seals_every_enrolment_as_it_stands(case):
    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0027_sealed_sign_offs")
    Enrolment.objects.update(sign_off_seal="", sign_offs_made=0)

    migration.seal_sign_offs(apps, None)

    assert _enrolment(case).sign_offs_made == 1
    assert sign_off_seals.check_every_enrolment() == []


def test_a_real_unlock_whose_reason_is_edited_reads_as_standing_in_the_lists_once_checked(case):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness withdrew.")
    SignOff.objects.filter(pk=case.sign_off.pk).update(void_reason="No reason at all.")
    assert not SignOff.objects.standing().exists()  # SQL cannot verify the void's signature

    with pytest.raises(CommandError, match="voided outside the product"):
        call_command("check_fixity", "--now", stdout=io.StringIO())

    [latest] = FixityCheck.objects.filter(sign_off=case.sign_off).order_by("-checked_at", "-pk")[:1]
    assert latest.void_not_believed and record_seals.check_is_believed(latest)
    assert SignOff.objects.standing().get().pk == case.sign_off.pk
    badge = selectors.unit_states([_enrolment(case)])[case.hsc331.pk]
    assert badge.label != "In progress" and badge.changed


# The record of the checks: each sign-off counts the checks the portfolio recorded of it.


def test_every_check_row_deleted_is_said_and_not_taken_for_never_checked(case):
    FixityCheck.objects.filter(sign_off=case.sign_off).delete()
    sign_off = SignOff.objects.get(pk=case.sign_off.pk)

    problems = fixity.page_report(sign_off).problems

    made = sign_off.checks_made
    assert made >= 2  # at the sign-off, at the countersignature, at the IQA's review
    assert f"{made} of the {made} recorded checks of this record are missing from the database" in problems[0]
    check = fixity.check_and_record(sign_off, boundary=fixity.Boundary.ON_DEMAND)
    assert not check.intact


def test_a_check_row_copied_in_is_said(case):
    copy = FixityCheck.objects.filter(sign_off=case.sign_off).order_by("-pk").first()
    copy.pk = None
    FixityCheck.objects.bulk_create([copy])  # its signature copied too, and it verifies

    problems = fixity.page_report(SignOff.objects.get(pk=case.sign_off.pk)).problems

    assert "A check of this record was added in the database, not recorded by the portfolio." in problems


def test_the_count_edited_to_match_is_a_change_to_what_came_after(case):
    FixityCheck.objects.filter(sign_off=case.sign_off).order_by("pk").first().delete()
    SignOff.objects.filter(pk=case.sign_off.pk).update(checks_made=FixityCheck.objects.filter(sign_off=case.sign_off).count())

    assert record_seals.AFTER_CHANGED in fixity.page_report(SignOff.objects.get(pk=case.sign_off.pk)).problems


def test_checks_made_in_turn_keep_the_record_intact_and_a_check_does_not_make_good_a_change(case):
    sign_off = SignOff.objects.get(pk=case.sign_off.pk)
    for _ in range(2):
        fixity.check_and_record(sign_off, boundary=fixity.Boundary.SCHEDULE)
    assert fixity.page_report(sign_off).problems == []

    QualityReview.objects.filter(enrolment=case.hsc331).delete()  # the IQA's countersignature, by hand
    fixity.check_and_record(sign_off, boundary=fixity.Boundary.SCHEDULE)
    fixity.check_and_record(sign_off, boundary=fixity.Boundary.SCHEDULE)

    assert record_seals.AFTER_CHANGED in fixity.page_report(SignOff.objects.get(pk=case.sign_off.pk)).problems


def test_the_migration_counts_the_checks_and_leaves_a_changed_record_changed(case):
    from django.apps import apps

    # What came after the sign-off as signed before 0028 (0025's signing), then changed by hand.
    importlib.import_module("assessments.migrations.0025_signed_after_sign_off").sign_what_came_after(apps, None)
    SignOff.objects.update(checks_made=0)
    made = FixityCheck.objects.filter(sign_off=case.sign_off).count()
    QualityReview.objects.filter(enrolment=case.hsc331).delete()

    importlib.import_module("assessments.migrations.0028_counted_checks").count_checks(apps, None)

    sign_off = SignOff.objects.get(pk=case.sign_off.pk)
    assert sign_off.checks_made == made
    assert record_seals.AFTER_CHANGED in fixity.page_report(sign_off).problems


def test_the_administrators_enrolment_page_marks_it(client, case):
    _delete_the_sign_off(case)
    client.force_login(case.grace)

    page = client.get(f"/portfolio/enrolments/{case.hsc331.pk}/").content.decode()

    assert 'data-record="changed"' in page and "Changed since sign-off" in page


def test_the_iqas_review_page_does_not_say_nothing_is_new_over_a_changed_record(client, case):
    FixityCheck.objects.filter(sign_off=case.sign_off).order_by("pk").first().delete()
    client.force_login(case.carol)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/review/").content.decode()

    assert "Nothing is new since your review" not in page
    assert "but the signed record has been changed outside it since sign-off" in page


def test_the_countersign_page_says_the_files_are_read_again_at_countersigning(client):
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    client.force_login(case.alice)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/countersign/").content.decode()

    assert "every signed file is read and checked again first" in page


def test_the_unit_pdf_says_so_on_its_cover_and_every_page(client, case):
    import subprocess
    import tempfile

    _delete_the_sign_off(case)
    client.force_login(case.bob)

    response = client.get(f"/exports/units/{case.hsc331.pk}/portfolio.pdf")

    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(b"".join(response.streaming_content) if response.streaming else response.content)
        pdf.flush()
        text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "CHANGED SINCE SIGN-OFF" in text and "missing from the database" in text
    assert "NOT SIGNED OFF — FOR REVIEW ONLY; CHANGED SINCE SIGN-OFF, see the cover" in " ".join(text.split())


def test_the_export_chooser_marks_it(client, case):
    _delete_the_sign_off(case)
    client.force_login(case.grace)

    page = client.get(f"/exports/centres/{case.centre.pk}/").content.decode()

    assert page.count('data-record="changed"') == 1 and "a sign-off of it is missing" in page


def test_the_seal_rolled_back_to_its_earlier_copy_is_caught_by_the_audit_trail(client, case):
    from portfolio.signing import sign_off_seal

    _delete_the_sign_off(case)
    # What the enrolment held before its sign-off, copied back by someone who kept it.
    Enrolment.objects.filter(pk=case.hsc331.pk).update(sign_offs_made=0, sign_off_seal=sign_off_seal(case.hsc331.pk, []))

    [problem] = record_seals.sign_off_seal_problems(_enrolment(case))

    assert problem.startswith("The audit trail records 1 sign-off of HSC331, and the database holds 0")
    assert [e.pk for e, _ in sign_off_seals.check_every_enrolment()] == [case.hsc331.pk]
    assert selectors.unit_states([_enrolment(case)])[case.hsc331.pk].changed
    with pytest.raises(PortfolioError, match="cannot be signed off again"):
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


# What each person is told (an outside trial: the administrator's home said nothing, the candidate's
# unit said "nothing more for you to do" beside the red box, the IQA's sample showed "In progress").


def test_the_administrators_home_lists_it_to_do_and_links_to_the_units_changed(client, case):
    _delete_the_sign_off(case)
    client.force_login(case.grace)

    home = client.get("/").content.decode()
    listed = client.get(f"/assessments/centres/{case.centre.pk}/portfolios/?changed=1").content.decode()

    assert "1 signed-off unit changed since sign-off" in home
    assert f"/assessments/centres/{case.centre.pk}/portfolios/?changed=1" in home
    assert "1 unit changed since sign-off" in listed and "HSC331" in listed and "H3 25" not in listed


def test_the_candidate_and_the_administrator_are_told_what_it_means_for_them(client, case):
    _delete_the_sign_off(case)
    client.force_login(case.alice)
    candidate = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    client.force_login(case.grace)
    administrator = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()

    assert "Nothing is needed from you." in candidate and "your assessor can sign" not in candidate
    assert "put the record back from the centre’s backups" in administrator
    assert "nothing on it waits for you" not in administrator


def test_the_iqas_sample_and_review_page_mark_it(client, case):
    _delete_the_sign_off(case)
    client.force_login(case.carol)

    sample = client.get("/assessments/quality/").content.decode()
    review = client.get(f"/assessments/units/{case.hsc331.pk}/review/").content.decode()

    assert 'data-record="changed"' in sample
    assert 'data-sign-offs="changed"' in review and "missing from the database" in review


def test_a_pdf_of_the_signed_off_unit_checked_against_the_live_record_names_the_deletion(client, case, tmp_path):
    client.force_login(case.bob)
    response = client.get(f"/exports/units/{case.hsc331.pk}/portfolio.pdf")
    pdf = tmp_path / "hsc331.pdf"
    pdf.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    _delete_the_sign_off(case)
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("verify_export", str(pdf), stdout=out)

    said = out.getvalue()
    assert "the live record: the sign-off this PDF shows is no longer in the database" in said
    assert "missing from the database" in said


def test_a_real_unlock_reversed_in_the_database_is_a_change(case):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness withdrew.")
    assert record_seals.after_is_signed(SignOff.objects.get(pk=case.sign_off.pk))

    SignOff.objects.filter(pk=case.sign_off.pk).update(voided_at=None, voided_by=None, void_reason="", void_signature="")

    standing = SignOff.objects.standing().get()
    assert standing.pk == case.sign_off.pk
    assert record_seals.AFTER_CHANGED in fixity.page_report(standing).problems


def test_the_migration_signs_earlier_unlocks_into_what_came_after(case):
    from django.apps import apps

    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness withdrew.")
    sign_off = SignOff.objects.get(pk=case.sign_off.pk)
    # As signed before 0029: what came after, without the unlock.
    unsigned = SignOff(**{**{f.attname: getattr(sign_off, f.attname) for f in SignOff._meta.concrete_fields},
                          "void_signature": ""})
    SignOff.objects.filter(pk=sign_off.pk).update(after_signature=record_seals.after_signature(unsigned))

    importlib.import_module("assessments.migrations.0029_unlocks_signed_after").sign_unlocks_after(apps, None)

    assert record_seals.after_is_signed(SignOff.objects.get(pk=sign_off.pk))
    SignOff.objects.filter(pk=sign_off.pk).update(voided_at=None, voided_by=None, void_reason="", void_signature="")
    assert record_seals.AFTER_CHANGED in fixity.page_report(SignOff.objects.get(pk=sign_off.pk)).problems


def test_after_a_real_unlock_the_iqa_is_told_the_countersignature_went_with_it(client, case):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness withdrew.")
    client.force_login(case.carol)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()

    assert "that sign-off has since been unlocked, and your countersignature with it" in page


def test_the_sign_off_the_service_returns_reads_as_intact_with_the_enrolment_it_holds():
    """The enrolment read before the sign-off was made is sealed again in memory too, so nothing
    that goes on with it in the same request takes the new sign-off for one copied in."""
    case = signed_off_case()

    assert record_seals.sign_off_seal_problems(case.sign_off.enrolment) == []
    assert fixity.page_report(case.sign_off).problems == []
