"""The records that say what a signed record is worth are signed too: a fixity check row or a voiding
written into the database by hand is not believed, and says so.

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA, Grace the centre administrator.
See tests/assessments/unit_case.py.
"""

import datetime
import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments import fixity
from assessments.models import FixityCheck, SignOff
from assessments.services import signoff as services
from portfolio.models import AuditEvent
from tests.assessments.test_fixity import pages, tamper
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo

pytestmark = pytest.mark.django_db

Boundary = FixityCheck.Boundary
ALTERED = "A record of a file check has been altered or dated in the future, and is not trustworthy"


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return [accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))])]


@pytest.fixture
def sign_off(case, evidence):
    meet(case, case.hsc331, evidence)
    return services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def forge(sign_off: SignOff, at: datetime.datetime) -> FixityCheck:
    """An intact check inserted in the database by hand, as the outside tester did."""
    return FixityCheck.objects.create(
        sign_off=sign_off, checked_at=at, boundary=Boundary.SCHEDULE, intact=True, files_checked=2
    )


def shown(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("dated", ["in the future", "now"])
def test_a_forged_intact_check_is_not_believed_on_any_page_or_download(
    client, case, sign_off, evidence, evidence_root, dated
):
    plan = tamper(evidence_root, evidence)
    fixity.check_and_record(SignOff.objects.get(pk=sign_off.pk), boundary=Boundary.SCHEDULE)  # finds it changed
    at = timezone.make_aware(datetime.datetime(2099, 1, 1)) if dated == "in the future" else timezone.now()
    forge(sign_off, at)

    for name, (person, url) in pages(case, evidence).items():
        page = shown(client, person, url)
        assert 'data-integrity="broken"' in page, name
        assert ALTERED in page, name
        assert "E1 plan.png has changed since the unit was signed off" in page, f"{name}: the real failure stands"
        assert "1 Jan 2099" not in page, name
    client.force_login(case.bob)
    download = client.get(f"/portfolio/files/{plan.pk}/?download=1")
    assert "This file has changed since the unit was signed off" in download.content.decode()


def test_with_only_a_forged_check_the_files_are_not_verified_since_sign_off(client, case, sign_off):
    FixityCheck.objects.filter(sign_off=sign_off).delete()
    forge(sign_off, timezone.now() - datetime.timedelta(hours=1))

    page = shown(client, case.alice, f"/assessments/units/{case.hsc331.pk}/")

    assert ALTERED in page and "the files are taken as not verified since sign-off" in page
    assert "Files not verified since sign-off (2 files)." in page


def test_a_check_changed_in_the_database_is_not_believed(client, case, sign_off, evidence, evidence_root):
    tamper(evidence_root, evidence)
    fixity.check_and_record(SignOff.objects.get(pk=sign_off.pk), boundary=Boundary.SCHEDULE)
    failed = FixityCheck.objects.filter(sign_off=sign_off).first()
    FixityCheck.objects.filter(pk=failed.pk).update(intact=True, problems=[], file_problems=[], changed_files=[])

    page = shown(client, case.bob, f"/assessments/units/{case.hsc331.pk}/")

    assert ALTERED in page and 'data-integrity="broken"' in page


def test_the_command_is_not_excused_by_a_forged_or_future_check(case, sign_off, capsys):
    FixityCheck.objects.filter(sign_off=sign_off).delete()
    forge(sign_off, timezone.now() - datetime.timedelta(minutes=5))
    forge(sign_off, timezone.make_aware(datetime.datetime(2099, 1, 1)))

    with pytest.raises(CommandError, match="1 sign-off has an altered check record"):
        call_command("check_fixity", "--now", "--older-than", "0")

    out = capsys.readouterr().out
    # Not "Intact" above the altered row (an outside trial): the check made now says what it found.
    assert "CHANGED: HSC331 of Alice Adams" in out and "Intact: HSC331" not in out
    assert "ALTERED CHECK RECORD: HSC331 of Alice Adams" in out
    check = fixity.latest_check(SignOff.objects.get(pk=sign_off.pk))
    assert check.boundary == Boundary.COMMAND and not check.intact
    assert fixity.UNTRUSTED_CHECKS.format(since=", and the files are taken as not verified since sign-off") in check.problems
    # Two rows written by hand where the portfolio recorded fewer: said too.
    assert "A check of this record was added in the database, not recorded by the portfolio." in check.problems


def test_an_altered_check_row_is_told_and_marks_the_unit_on_the_lists(client, case, sign_off):
    from portfolio.models import Notification

    FixityCheck.objects.filter(sign_off=sign_off).update(files_checked=3)  # the signed row altered
    Notification.objects.all().delete()

    fixity.check_and_record(SignOff.objects.get(pk=sign_off.pk), boundary=Boundary.SCHEDULE)

    told = Notification.objects.filter(message__contains="has been altered or dated in the future")
    assert {n.recipient for n in told} >= {case.bob, case.carol, case.grace}
    client.force_login(case.grace)
    page = client.get(f"/assessments/centres/{case.centre.pk}/portfolios/").content.decode()
    assert 'data-record="changed"' in page


def test_the_command_says_how_many_it_checked_and_why_it_left_the_others(case, sign_off, capsys):
    call_command("check_fixity", "--now", "--older-than", "0")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "Checked 1 standing sign-off: every one is intact."

    call_command("check_fixity", "--now", "--older-than", "24")

    lines = capsys.readouterr().out.strip().splitlines()
    trails = [line for line in lines if line.startswith("Audit trail intact: ")]  # every centre's, said too
    assert not [line for line in lines if line.startswith("Audit trails: no record")]  # the first run's alone
    assert [line for line in lines if line not in trails] == [
        "1 other standing sign-off had its files checked within the last 24 hours, and was left alone.",
        "Checked no sign-off.",
    ]
    assert len(trails) == 2


def test_a_command_line_check_names_itself_in_the_alarm(case, sign_off, evidence, evidence_root, capsys,
                                                       django_capture_on_commit_callbacks):
    tamper(evidence_root, evidence)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(CommandError):
            call_command("check_fixity", "--now")
        out = capsys.readouterr().out

    [event] = AuditEvent.objects.filter(action="assessments.fixity.failed")
    assert "found by the check from the command line on" in event.summary
    assert "scheduled" not in event.summary
    lines = [line for line in out.strip().splitlines() if not line.startswith(("Audit trail intact: ", "Audit trails: "))]
    assert lines[-1].startswith("  - E1 plan.png has changed")


# Countersigning a changed record.


def test_the_countersign_page_shows_the_problem_and_no_button_on_a_changed_record(
    client, case, sign_off, evidence, evidence_root
):
    tamper(evidence_root, evidence)
    fixity.check_and_record(SignOff.objects.get(pk=sign_off.pk), boundary=Boundary.SCHEDULE)

    page = shown(client, case.alice, f"/assessments/units/{case.hsc331.pk}/countersign/")

    assert "E1 plan.png has changed since the unit was signed off" in page
    assert "You cannot countersign a record that has changed since it was signed." in page
    assert ">Countersign</button>" not in page


def test_the_countersign_page_shows_the_button_on_an_intact_record(client, case, sign_off):
    assert ">Countersign</button>" in shown(client, case.alice, f"/assessments/units/{case.hsc331.pk}/countersign/")


# Unlocking.

FORGED_VOID = "voided outside the product: not a real unlock"


def test_an_unlock_in_the_portfolio_is_signed_and_shown_as_an_unlock(client, case, sign_off, capsys):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness statement was withdrawn.")

    page = shown(client, case.bob, f"/assessments/units/{case.hsc331.pk}/")

    assert "unlocked by Carol Clark on" in page and FORGED_VOID not in page
    call_command("check_fixity", "--now")
    assert "VOIDED OUTSIDE THE PRODUCT" not in capsys.readouterr().out


def test_a_sign_off_voided_in_the_database_still_stands_as_a_changed_record(client, case, sign_off, capsys):
    SignOff.objects.filter(pk=sign_off.pk).update(voided_at=timezone.now(), voided_by=case.bob, void_reason="x")

    page = shown(client, case.carol, f"/assessments/units/{case.hsc331.pk}/")

    assert "Signed off by <strong>Bob Baker</strong>" in page and 'data-void="forged"' in page
    assert "the sign-off still stands and the unit stays locked" in page and "unlocked by Bob Baker" not in page
    assert "in the database, not by an unlock in the portfolio: it still stands" in page  # among the changes
    assert "Unlock…" not in page and "It cannot be unlocked now: its sign-off was marked void outside" in page
    with pytest.raises(CommandError, match="1 sign-off was voided outside the product"):
        call_command("check_fixity", "--now")
    out = capsys.readouterr().out
    assert "VOIDED OUTSIDE THE PRODUCT: HSC331 of Alice Adams" in out and "CHANGED: HSC331 of Alice Adams" in out


def test_a_signed_unlock_changed_afterwards_is_not_believed(client, case, sign_off):
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness statement was withdrawn.")
    SignOff.objects.filter(pk=sign_off.pk).update(voided_by=case.bob)

    page = shown(client, case.carol, f"/assessments/units/{case.hsc331.pk}/")

    assert 'data-void="forged"' in page and "Signed off by <strong>Bob Baker</strong>" in page


def test_unlocks_from_before_voids_were_signed_are_signed_by_the_migration_and_hand_voids_are_not(case, sign_off):
    from django.apps import apps

    sign_audited_voids = importlib.import_module("assessments.migrations.0024_signed_audited_voids").sign_audited_voids
    services.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="A witness statement was withdrawn.")
    SignOff.objects.filter(pk=sign_off.pk).update(void_signature="")  # as rows made before the field
    meet(case, case.h3_25, [accepted_evidence(case, title="Repairs visit", enrolment=case.h3_25)])
    by_hand = services.unit_sign_off(enrolment=case.h3_25, assessor=case.bob, declared=True)
    SignOff.objects.filter(pk=by_hand.pk).update(voided_at=timezone.now(), voided_by=case.bob, void_reason="x")
    assert SignOff.objects.standing().count() == 2  # both stand until the migration signs the real unlock

    sign_audited_voids(apps, None)

    assert list(SignOff.objects.standing()) == [SignOff.objects.get(pk=by_hand.pk)]
    assert SignOff.objects.get(pk=by_hand.pk).void_signature == ""


def test_a_page_that_finds_the_record_changed_queues_one_check_so_the_lists_follow(
    client, case, sign_off, django_capture_on_commit_callbacks
):
    """The unit page found a decision changed by hand; the lists and the claims go by the last
    check, so the page queues one (an outside trial: the lists said nothing until the night)."""
    from assessments.models import Decision
    from portfolio.models import Notification

    Decision.objects.filter(enrolment=case.hsc331, withdrawn_at=None).order_by("pk").update(decided_on="2026-01-02")
    client.force_login(case.carol)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/assessments/units/{case.hsc331.pk}/")
        client.get(f"/assessments/units/{case.hsc331.pk}/")  # read again before the check: no second one

    [check] = FixityCheck.objects.filter(sign_off=sign_off, boundary=Boundary.PAGE)
    assert not check.intact and "the decision has changed since sign-off" in " ".join(check.problems)
    assert Notification.objects.filter(recipient=case.bob, message__contains="found by the check after a page").exists()
    client.force_login(case.grace)
    assert 'data-record="changed"' in client.get(f"/assessments/centres/{case.centre.pk}/portfolios/").content.decode()
