"""Where a centre learns that its audit trail was changed behind the portfolio's back: at the top of
its audit trail page, for the events the page shows, and from the nightly fixity check, for every
event of every centre (an outside trial deleted events and inserted forged ones, and nothing said so).

Grace runs Riverside (tests/cast.py); on HSC331 Bob signed off Alice's unit and Carol reviewed it."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.audit_actions import AssessmentAction
from portfolio import audit
from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent
from tests.assessments.unit_case import signed_off_case
from tests.portfolio import audit_tampering

pytestmark = pytest.mark.django_db

ALERT = "This audit trail has been changed outside the portfolio"
MARK = "Not as the portfolio wrote it"


def _renamed(centre, grace, n: int) -> AuditEvent:
    return audit.record(PortfolioAction.CENTRE_RENAMED, actor=grace, centre=centre, summary=f"Renamed the centre, {n}",
                        before={"name": f"Riverside {n}"}, after={"name": f"Riverside {n + 1}"})


def _page_text(client, grace, centre) -> str:
    client.force_login(grace)
    page = client.get(reverse("ops:audit_trail", args=[centre.pk]))
    assert page.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())


@pytest.fixture
def renamed(centre, grace):
    return [_renamed(centre, grace, n) for n in range(3)]


def test_an_intact_trail_says_nothing_of_it(client, centre, grace, renamed):
    text = _page_text(client, grace, centre)
    assert ALERT not in text and MARK not in text


def test_an_event_deleted_in_sql_is_named_at_the_top_and_its_follower_marked(client, centre, grace, renamed):
    audit_tampering.delete(renamed[1])

    text = _page_text(client, grace, centre)

    assert ALERT in text
    assert f"Event {renamed[1].pk}, which the event of " in text
    assert f"(event {renamed[2].pk}, “Renamed the centre, 2”) follows, has been deleted." in text
    assert text.count(MARK) == 1


def test_an_event_inserted_without_a_seal_is_named_and_marked(client, centre, grace, renamed):
    AuditEvent.objects.bulk_create([AuditEvent(
        action=PortfolioAction.CENTRE_RENAMED, actor=grace, centre=centre, summary="Renamed the centre, by hand",
        after={"name": "Forged"},
    )])

    text = _page_text(client, grace, centre)

    assert ALERT in text and "“Renamed the centre, by hand”) has no seal" in text
    assert text.count(MARK) == 1


def test_an_event_rewritten_in_sql_is_named_and_marked(client, centre, grace, renamed):
    audit_tampering.rewrite_summary(renamed[0], "Renamed the centre, rewritten")

    text = _page_text(client, grace, centre)

    assert ALERT in text and "“Renamed the centre, rewritten”) does not match its seal" in text
    assert text.count(MARK) == 1


def test_the_fixity_check_names_a_sign_off_event_deleted_and_fails():
    """The product counts the sign-off events (`record_seals`); deleting one is now found too."""
    case = signed_off_case(countersigned_and_reviewed=True)
    signed_off = AuditEvent.objects.get(action=AssessmentAction.UNIT_SIGNED_OFF, enrolment=case.hsc331)
    audit_tampering.delete(signed_off)
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 centre has an audit trail changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)

    report = out.getvalue()
    assert f"AUDIT TRAIL CHANGED: {case.centre.name} (centre {case.centre.pk})" in report
    assert f"  - Event {signed_off.pk}, which the event of " in report and "has been deleted." in report


def test_on_the_command_line_the_failure_is_its_own_last_line_with_exit_status_1(monkeypatch):
    """Django says a CommandError as "CommandError: ..."; the check's findings are the person's to read,
    in plain words, and a changed trail still fails the run (cron and systemd see status 1)."""
    import django.core.management.base

    from ops.management.commands.check_fixity import Command

    case = signed_off_case(countersigned_and_reviewed=True)
    audit_tampering.delete(AuditEvent.objects.get(action=AssessmentAction.UNIT_SIGNED_OFF, enrolment=case.hsc331))
    # The command line closes the connections when done: here they hold the test's transaction.
    monkeypatch.setattr(django.core.management.base.connections, "close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exited:
        Command(stdout=out, stderr=err).run_from_argv(["manage.py", "check_fixity", "--now"])

    assert exited.value.code == 1
    assert err.getvalue() == "1 centre has an audit trail changed outside the portfolio.\n"
    assert "CommandError" not in err.getvalue() + out.getvalue()
    # Every time it prints carries its zone: the product's words, then GMT or BST (UTC elsewhere).
    said = re.findall(r"\d{1,2} \w+ \d{4}, \d\d:\d\d(?: [A-Z]{3,4})?", out.getvalue())
    assert said and all(re.search(r" (GMT|BST|UTC)$", time) for time in said), said


def test_the_fixity_check_passes_a_trail_as_written_naming_its_latest_event():
    case = signed_off_case(countersigned_and_reviewed=True)
    latest = AuditEvent.objects.filter(centre=case.centre).order_by("-pk").first()
    out = io.StringIO()

    call_command("check_fixity", "--now", stdout=out)

    assert "AUDIT TRAIL CHANGED" not in out.getvalue()
    events = AuditEvent.objects.filter(centre=case.centre).count()
    assert (f"Audit trail intact: {case.centre.name} (centre {case.centre.pk}): {events} events, the latest event "
            f"{latest.pk} of ") in out.getvalue()


def test_the_latest_events_deleted_leave_no_break_but_the_report_names_an_earlier_latest_event(centre, grace):
    """The limit docs/production.md owns: nothing follows the newest events, so their deletion breaks
    no seal; last night's report named the newest event, and tonight's names an earlier one."""
    renamed = [_renamed(centre, grace, n) for n in range(3)]
    audit_tampering.delete(renamed[-1])
    out = io.StringIO()

    call_command("check_fixity", "--now", stdout=out)

    assert f"2 events, the latest event {renamed[1].pk} of " in out.getvalue()


def test_the_fixity_check_tells_the_administrators_once_and_the_trail_records_it(client, centre, grace, renamed):
    from portfolio.models import Notification

    audit_tampering.delete(renamed[1])
    for _ in range(2):  # the nightly check, two nights running
        with pytest.raises(CommandError):
            call_command("check_fixity", "--now", stdout=io.StringIO())

    told = Notification.objects.filter(recipient=grace, message__contains="was changed outside the portfolio")
    assert told.count() == 1
    assert f"Event {renamed[1].pk}, which the event of " in told.get().message
    assert AuditEvent.objects.filter(action=PortfolioAction.AUDIT_TRAIL_CHANGED).count() == 1
    text = _page_text(client, grace, centre)
    assert "The portfolio found the centre’s audit trail changed outside it: Event" in text


def test_a_decision_event_deleted_is_said_on_its_unit_and_after_the_check_on_the_centres_trail(client):
    """An outside trial deleted a decision's event: the centre's trail does not list decisions, and the
    unit's trail said it kept every event as written."""
    case = signed_off_case(countersigned_and_reviewed=True)
    decided = AuditEvent.objects.filter(action=AssessmentAction.DECISION_RECORDED, enrolment=case.hsc331).order_by("pk")[3]
    audit_tampering.delete(decided)

    client.force_login(case.bob)
    unit = " ".join(re.sub(r"<[^>]+>", " ", client.get(
        reverse("assessments:enrolment_detail", args=[case.hsc331.pk])).content.decode()).split())
    assert "This unit’s audit trail has been changed outside the portfolio." in unit
    assert f"Event {decided.pk}, which the event of " in unit and "these are as the portfolio wrote them" not in unit

    assert "The check of the whole audit trail found it changed" not in _page_text(client, case.grace, case.centre)
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=io.StringIO())
    text = _page_text(client, case.grace, case.centre)
    assert "The check of the whole audit trail found it changed outside the portfolio" in text
    assert f"Event {decided.pk}, which the event of " in text


def test_an_intact_unit_trail_says_its_events_are_as_written(client):
    case = signed_off_case()
    client.force_login(case.bob)
    unit = client.get(reverse("assessments:enrolment_detail", args=[case.hsc331.pk])).content.decode()
    assert "these are as the portfolio wrote them" in unit and "data-audit-trail=\"changed\"" not in unit


def _acknowledge(client, grace, centre, note: str):
    client.force_login(grace)
    return client.post(reverse("ops:audit_trail_acknowledge", args=[centre.pk]), {"note": note}, follow=True)


def test_the_centre_records_what_it_did_and_the_check_then_knows_those_problems(client, centre, grace, renamed):
    """A deleted event cannot be put back but from a backup: once the centre records what it did,
    the nightly check says the problem is known and passes, until anything else changes."""
    audit_tampering.delete(renamed[1])
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=io.StringIO())

    page = _acknowledge(client, grace, centre, "Compared with the backup of 1 December; told City & Guilds.")

    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "Recorded: the 1 problem found in the audit trail is known to the centre." in text
    assert "Grace Gordon recorded what the centre did about it: “Compared with the backup of 1 December; told City &amp; Guilds.”" in text
    assert "Record that the centre has dealt with it" not in text
    assert "Recorded that the centre has dealt with the 1 problem found in its audit trail" in text  # on the trail itself
    out = io.StringIO()
    call_command("check_fixity", "--now", stdout=out)  # passes: known
    assert "Audit trail changed, known to the centre: Riverside Training" in out.getvalue()
    assert "recorded as dealt with by Grace Gordon" in out.getvalue()

    audit_tampering.delete(renamed[2])  # and then another
    with pytest.raises(CommandError, match="audit trail changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=io.StringIO())
    assert "Record that the centre has dealt with it" in _page_text(client, grace, centre)


def test_nothing_is_recorded_without_a_note_or_without_a_problem(client, centre, grace, renamed):
    page = _acknowledge(client, grace, centre, "We checked.")
    assert "there is nothing to record" in page.content.decode()
    audit_tampering.delete(renamed[1])
    page = _acknowledge(client, grace, centre, "   ")
    assert "Say what the centre did about it" in page.content.decode()
    assert not AuditEvent.objects.filter(action=PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED).exists()


def test_only_the_centres_administrators_record_it(client, centre, bob, frank, renamed):
    audit_tampering.delete(renamed[1])
    for stranger in (bob, frank):
        client.force_login(stranger)
        assert client.post(reverse("ops:audit_trail_acknowledge", args=[centre.pk]), {"note": "Fine."}).status_code == 404
    assert not AuditEvent.objects.filter(action=PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED).exists()


def test_the_administrators_home_lists_the_trail_changed_until_the_centre_records_what_it_did(client, centre, grace, renamed):
    client.force_login(grace)
    assert "The audit trail was changed outside the portfolio" not in client.get("/").content.decode()
    audit_tampering.delete(renamed[1])
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=io.StringIO())

    assert "The audit trail was changed outside the portfolio" in client.get("/").content.decode()
    _acknowledge(client, grace, centre, "Compared with the backup of 1 December.")
    assert "The audit trail was changed outside the portfolio" not in client.get("/").content.decode()
