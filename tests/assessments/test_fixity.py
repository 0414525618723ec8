"""Fixity: a signed-off unit's files are read and hashed by the fixity job (on the worker, on a
schedule, on demand, at countersignature and review), each check recorded with its time; pages read
no file, check the database on every view and show what the last check found, and when. A change
found tells the assessor, the IQA and the centre's administrators, once.

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA, Grace the centre administrator,
Heidi its EQA; Dave and Erin are strangers to her case. See tests/assessments/unit_case.py.
"""

import datetime
import re

import pytest
from django.core.files.storage import Storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape

from assessments import fixity, integrity, record_seals
from assessments.models import Decision, FixityCheck, SignOff
from assessments.services import iqa as iqa_services
from assessments.services import signoff as services
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Notification
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo

pytestmark = pytest.mark.django_db

Boundary = FixityCheck.Boundary
ALARM = "The signed-off record of HSC331 for Alice Adams has changed since it was signed"


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
    """Signed off by Bob, not yet countersigned by Alice."""
    meet(case, case.hsc331, evidence)
    return services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def fresh(sign_off: SignOff) -> SignOff:
    return SignOff.objects.get(pk=sign_off.pk)


def tamper(evidence_root, evidence, name: str = "plan.png", data: bytes = b"a different picture altogether"):
    evidence_file = next(f for e in evidence for f in e.files.all() if f.original_name == name)
    (evidence_root / evidence_file.file.name).write_bytes(data)
    return evidence_file


def scheduled_check(sign_off: SignOff) -> FixityCheck:
    fixity.check_and_record(fresh(sign_off), boundary=Boundary.SCHEDULE)
    return FixityCheck.objects.filter(sign_off=sign_off)[0]


def page(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pages(case, evidence) -> dict[str, tuple]:
    """Every page that shows the signed record, with someone who may open it."""
    unit = case.hsc331.pk
    return {
        "unit page": (case.alice, f"/assessments/units/{unit}/"),
        "decisions page": (case.bob, f"/assessments/units/{unit}/decisions/"),
        "evidence page": (case.carol, f"/assessments/evidence/{evidence[0].pk}/"),
        "sign-off page": (case.bob, f"/assessments/units/{unit}/sign-off/"),
        "countersign page": (case.alice, f"/assessments/units/{unit}/countersign/"),
        "IQA review": (case.carol, f"/assessments/units/{unit}/review/"),
    }


@pytest.fixture
def no_file_is_read(monkeypatch):
    """Storage that refuses to open anything: a page that reads a file fails."""
    opened = []

    def refuse(self, name, mode="rb"):
        opened.append(name)
        raise AssertionError(f"a page read {name} from storage")

    monkeypatch.setattr(Storage, "open", refuse)
    return opened


# The check without reading files.


def test_the_database_side_check_reads_no_file_and_finds_everything_but_changed_bytes(
    case, sign_off, evidence, evidence_root, no_file_is_read
):
    tamper(evidence_root, evidence)
    assert integrity.check(fresh(sign_off), read_files=False).intact

    decision = Decision.objects.get(enrolment=case.hsc331, criterion__reference="HSC331a.1", withdrawn_at=None)
    Decision.objects.filter(pk=decision.pk).update(decided_on=decision.decided_on - datetime.timedelta(days=3))
    visit = evidence[0].files.get(original_name="visit.png")
    type(visit).objects.filter(pk=visit.pk).update(sha256="0" * 64)

    report = integrity.check(fresh(sign_off), read_files=False)

    assert no_file_is_read == [] and report.files_read == 0
    assert [p.split(" (")[0].split(":")[0] for p in report.problems] == ["HSC331a.1", "E1 visit.png"]


# Each check recorded with its time; pages show it and read no file.


def test_the_sign_off_is_the_first_check_of_its_files(client, case, sign_off):
    [check] = FixityCheck.objects.filter(sign_off=sign_off)

    assert (check.boundary, check.intact, check.files_checked, check.requested_by) == (
        Boundary.SIGN_OFF, True, 3, case.bob
    )
    unit_page = page(client, case.alice, f"/assessments/units/{case.hsc331.pk}/")
    assert "<strong>Intact:</strong> 3 files and 34 decisions match what was signed." in unit_page
    assert "Files last verified <time datetime=" in unit_page
    assert f"{fixity.moment(check.checked_at)}</time> (assessor’s sign-off)." in unit_page


def test_a_sign_off_never_checked_says_its_files_are_not_verified(client, case, sign_off):
    # As one signed off before the sign-off was a check (the portfolio counted none, and signed so).
    FixityCheck.objects.filter(sign_off=sign_off).delete()
    SignOff.objects.filter(pk=sign_off.pk).update(checks_made=0)
    record_seals.reseal_after(sign_off)
    unit_page = page(client, case.bob, f"/assessments/units/{case.hsc331.pk}/")
    assert "<strong>Intact:</strong> 34 decisions match what was signed." in unit_page
    assert "Files not verified since sign-off (3 files)." in unit_page


def test_tampered_bytes_found_by_the_job_show_on_every_page_with_the_time_and_no_page_reads_a_file(
    client, case, sign_off, evidence, evidence_root, monkeypatch
):
    tamper(evidence_root, evidence)
    every = pages(case, evidence)
    for name, (person, url) in every.items():
        assert 'data-integrity="broken"' not in page(client, person, url), f"{name}: no page reads the files"

    check = scheduled_check(sign_off)
    assert (check.intact, check.files_checked) == (False, 3)
    opened = []
    monkeypatch.setattr(Storage, "open", lambda self, name, mode="rb": opened.append(name) or 1 / 0)

    for name, (person, url) in every.items():
        shown = page(client, person, url)
        assert 'data-integrity="broken"' in shown, name
        assert "E1 plan.png has changed since the unit was signed off: its SHA-256 is now" in shown, name
        assert f"{fixity.moment(check.checked_at)}</time> (scheduled check)." in shown, name
    assert opened == []


def test_a_file_put_back_and_checked_on_demand_is_intact_again(client, case, sign_off, evidence, evidence_root):
    original = evidence[0].files.get(original_name="plan.png")
    good = (evidence_root / original.file.name).read_bytes()
    tamper(evidence_root, evidence)
    scheduled_check(sign_off)
    (evidence_root / original.file.name).write_bytes(good)
    fixity.check_and_record(fresh(sign_off), boundary=Boundary.ON_DEMAND, by=case.grace)

    unit_page = page(client, case.bob, f"/assessments/units/{case.hsc331.pk}/")
    assert 'data-integrity="intact"' in unit_page and "(check asked for by Grace Gordon)." in unit_page
    # Those told of the change are told it holds again, once, and the audit trail says so.
    again = Notification.objects.filter(message__contains="is as it was signed again")
    assert sorted(n.recipient.first_name for n in again) == ["Bob", "Carol", "Grace"]
    assert "found by the check asked for by Grace Gordon on" in again[0].message
    fixity.check_and_record(fresh(sign_off), boundary=Boundary.ON_DEMAND, by=case.grace)
    assert again.count() == 3
    [event] = AuditEvent.objects.filter(action="assessments.fixity.intact_again")
    assert event.actor == case.grace and event.enrolment == case.hsc331


def test_a_database_change_shows_at_once_without_waiting_for_the_job(client, case, sign_off):
    Decision.objects.filter(enrolment=case.hsc331, criterion__reference="HSC331a.2").update(decided_by=case.erin)
    unit_page = page(client, case.carol, f"/assessments/units/{case.hsc331.pk}/decisions/")
    assert "HSC331a.2: the decision has changed since sign-off" in unit_page


# Telling the people on the case, once.


def test_a_change_found_tells_the_assessor_iqa_and_administrators_once(
    case, sign_off, evidence, evidence_root, django_capture_on_commit_callbacks
):
    assert not Notification.objects.filter(message__startswith=ALARM).exists(), "an intact check tells nobody"
    tamper(evidence_root, evidence)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled_check(sign_off)
        scheduled_check(sign_off)
        scheduled_check(sign_off)

    told = Notification.objects.filter(message__startswith=ALARM)
    assert sorted(n.recipient.first_name for n in told) == ["Bob", "Carol", "Grace"]
    assert "found by the scheduled check on" in told[0].message and "E1 plan.png has changed" in told[0].message
    assert told[0].link == f"/assessments/units/{case.hsc331.pk}/#signoff-heading"
    [event] = AuditEvent.objects.filter(action="assessments.fixity.failed")
    assert event.enrolment == case.hsc331 and event.actor is None
    assert event.after["boundary"] == "schedule" and len(event.after["problems"]) == 1
    assert FixityCheck.objects.filter(sign_off=sign_off, boundary=Boundary.SCHEDULE).count() == 3

    tamper(evidence_root, evidence, name="group.png")
    scheduled_check(sign_off)
    assert Notification.objects.filter(message__startswith=ALARM).count() == 6, "a new change is news again"
    assert AuditEvent.objects.filter(action="assessments.fixity.failed").count() == 2


# The boundaries: countersignature and the IQA's review.


def test_the_countersignature_reads_the_files_records_the_check_and_refuses_a_changed_record(
    case, sign_off, evidence, evidence_root
):
    tamper(evidence_root, evidence)
    with pytest.raises(PortfolioError, match=re.escape("E1 plan.png has changed since the unit was signed off")):
        services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)

    check = FixityCheck.objects.filter(sign_off=sign_off).first()
    assert (check.boundary, check.intact, check.requested_by) == (Boundary.COUNTERSIGN, False, case.alice)
    assert fresh(sign_off).candidate_signed_at is None


def test_the_iqas_review_reads_the_files_and_records_the_check(case, sign_off):
    services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    iqa_services.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned")

    boundaries = list(FixityCheck.objects.filter(sign_off=sign_off).values_list("boundary", "intact", "files_checked"))
    assert boundaries == [("iqa_review", True, 3), ("countersign", True, 3), ("sign_off", True, 3)]


# The schedule: manage.py check_fixity.


def test_the_command_queues_a_check_of_every_standing_sign_off(case, sign_off, evidence, evidence_root, capsys):
    tamper(evidence_root, evidence)
    call_command("check_fixity")  # the test settings' task backend runs each task as it is queued

    assert "Queued a fixity check of 1 standing sign-off." in capsys.readouterr().out
    check = FixityCheck.objects.filter(sign_off=sign_off).first()
    assert (check.boundary, check.intact, check.requested_by) == (Boundary.SCHEDULE, False, None)


def test_the_command_checks_only_those_not_checked_lately(case, sign_off, capsys):
    call_command("check_fixity", "--older-than", "1")
    assert "Queued a fixity check of 0 standing sign-offs." in capsys.readouterr().out

    aged = FixityCheck.objects.get()  # as if made two hours ago, and signed then
    aged.checked_at -= datetime.timedelta(hours=2)
    aged.signature = record_seals.check_signature(aged)
    aged.save()
    call_command("check_fixity", "--older-than", "1")
    assert "Queued a fixity check of 1 standing sign-off." in capsys.readouterr().out


def test_the_command_checks_now_and_fails_when_a_record_has_changed(case, sign_off, evidence, evidence_root, capsys):
    call_command("check_fixity", "--now")
    assert "Intact: HSC331 of Alice Adams" in capsys.readouterr().out

    tamper(evidence_root, evidence)
    with pytest.raises(CommandError, match="1 signed record has changed since sign-off"):
        call_command("check_fixity", "--now")
    out = capsys.readouterr().out
    assert "CHANGED: HSC331 of Alice Adams" in out and "  - E1 plan.png has changed" in out


def test_an_unlocked_sign_off_is_not_checked(case, sign_off):
    services.unit_unlock(enrolment=case.hsc331, person=case.bob, reason="A witness statement was withdrawn.")
    call_command("check_fixity", "--now")
    assert not FixityCheck.objects.filter(boundary__in=[Boundary.SCHEDULE, Boundary.COMMAND]).exists()


# On demand: "Check the files now".


def check_now(client, person, case):
    client.force_login(person)
    return client.post(f"/assessments/units/{case.hsc331.pk}/check-files/", follow=True)


@pytest.mark.parametrize("who", ["bob", "carol", "grace"])
def test_the_assessor_iqa_and_administrator_ask_for_a_check_now(
    client, case, sign_off, evidence, evidence_root, who, django_capture_on_commit_callbacks
):
    person = case.people[who]
    assert "Check the files now</button>" in page(client, person, f"/assessments/units/{case.hsc331.pk}/")
    tamper(evidence_root, evidence)
    with django_capture_on_commit_callbacks(execute=True):  # the check runs once the request commits
        response = check_now(client, person, case)

    assert "A check of the 3 signed files of HSC331 is queued" in response.content.decode()
    check = FixityCheck.objects.filter(sign_off=sign_off).first()
    assert (check.boundary, check.requested_by, check.intact) == (Boundary.ON_DEMAND, person, False)
    shown = page(client, person, f"/assessments/units/{case.hsc331.pk}/")
    assert f"(check asked for by {escape(person.get_full_name())})." in shown and 'data-integrity="broken"' in shown


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("heidi", 403), ("erin", 404), ("dave", 404)])
def test_no_one_else_asks_for_a_check(client, case, sign_off, who, status):
    person = case.people[who]
    if status == 403:
        assert "Check the files now" not in page(client, person, f"/assessments/units/{case.hsc331.pk}/")
    client.force_login(person)
    assert client.post(f"/assessments/units/{case.hsc331.pk}/check-files/").status_code == status
    assert FixityCheck.objects.filter(boundary=Boundary.ON_DEMAND).count() == 0


def test_a_unit_not_signed_off_has_no_files_to_check(client, case):
    response = check_now(client, case.bob, case)
    assert "HSC331 is not signed off, so it has no signed files to check." in response.content.decode()
    assert "Check the files now" not in response.content.decode()
