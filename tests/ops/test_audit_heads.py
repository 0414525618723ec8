"""The newest audit events deleted are found by the next check (ops/audit_trail/heads.py): an outside
trial deleted the last events of a centre, which leaves no break in the chain, and nothing said so.
check_fixity records each centre's latest event outside the database, signed, and compares with it.

Grace runs Riverside (tests/cast.py)."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ops.audit_trail import findings as audit_findings
from ops.audit_trail import heads
from portfolio import audit
from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Notification
from tests.portfolio import audit_tampering

pytestmark = pytest.mark.django_db


def _renamed(centre, grace, n: int) -> AuditEvent:
    return audit.record(PortfolioAction.CENTRE_RENAMED, actor=grace, centre=centre, summary=f"Renamed the centre, {n}",
                        before={"name": f"Riverside {n}"}, after={"name": f"Riverside {n + 1}"})


def _check(*, fails: str = "") -> str:
    out = io.StringIO()
    if fails:
        with pytest.raises(CommandError, match=fails):
            call_command("check_fixity", "--now", stdout=out)
    else:
        call_command("check_fixity", "--now", stdout=out)
    return out.getvalue()


@pytest.fixture
def renamed(centre, grace):
    return [_renamed(centre, grace, n) for n in range(4)]


def test_the_first_run_says_so_and_records_each_centres_head(centre, renamed, audit_heads_path):
    report = _check()

    assert f"Audit trails: no record of each centre's latest event from an earlier check ({audit_heads_path})" in report
    assert audit_heads_path.is_file()
    recorded = heads.recorded()
    assert not recorded.untrusted and recorded.checked_at is not None
    head = recorded.heads[centre.pk]
    assert (head.event, head.seal, head.events) == (renamed[-1].pk, renamed[-1].seal, 4)
    assert "no record" not in _check()


def test_the_newest_events_deleted_are_found_by_the_next_check_and_told_once(client, centre, grace, renamed):
    _check()
    audit_tampering.delete(renamed[-1])
    audit_tampering.delete(renamed[-2])
    _renamed(centre, grace, 9)  # the product writes on, chained to the last event left: no break

    report = _check(fails="1 centre has an audit trail changed outside the portfolio")

    assert f"AUDIT TRAIL CHANGED: {centre.name} (centre {centre.pk}): The latest events were deleted: event " \
           f"{renamed[-1].pk} of " in report
    assert ", the latest at the last check (" in report and "), is gone (3 events now, 4 then)." in report
    told = Notification.objects.filter(recipient=grace, message__contains="The latest events were deleted")
    assert told.count() == 1
    finding = AuditEvent.objects.get(action=PortfolioAction.AUDIT_TRAIL_CHANGED)
    assert finding.after["tail"] is True and "digest" not in finding.after

    # Reported by the run that found it: the next compares with the heads that run found.
    assert "AUDIT TRAIL CHANGED" not in _check()
    assert told.count() == 1
    client.force_login(grace)
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(reverse("ops:audit_trail", args=[centre.pk])).content.decode())
                    .split())
    assert "The portfolio found the centre’s audit trail changed outside it: The latest events were deleted" in page
    assert "The nightly check says this once" in page and "Record that the centre has dealt with it" not in page


def test_a_head_event_replaced_by_an_earlier_one_moved_to_its_id_is_found(centre, renamed):
    """The seal does not cover the event's own id: the tail deleted and an earlier event renumbered
    as the latest leaves a chain that holds; its seal is not the one recorded."""
    _check()
    audit_tampering.delete(renamed[-1])
    audit_tampering.delete(renamed[-2])
    audit_tampering.in_sql("UPDATE portfolio_auditevent SET id = %s WHERE id = %s", [renamed[-1].pk, renamed[1].pk])

    report = _check(fails="audit trail changed")

    assert f"event {renamed[-1].pk} of " in report and "no longer has the seal it had then." in report


def test_a_tail_told_once_even_if_the_heads_could_not_be_written(centre, grace, renamed):
    _check()
    audit_tampering.delete(renamed[-1])
    problem = heads.tails_deleted(heads.recorded(), [audit_findings.audit_chain.centre_findings(centre)])
    assert len(problem) == 1
    words = problem[0][1]

    assert audit_findings.tell_tail(centre, audit_findings.audit_chain.Problem(renamed[-1].pk, words))
    assert not audit_findings.tell_tail(centre, audit_findings.audit_chain.Problem(renamed[-1].pk, words))


def test_a_record_that_does_not_verify_is_said_not_trusted_and_written_again(centre, renamed, audit_heads_path):
    _check()
    document = json.loads(audit_heads_path.read_text())
    document["heads"][0]["events"] = 1  # what an insider would like the last check to have found
    audit_heads_path.write_text(json.dumps(document))

    report = _check(fails="is not believed: its signature does not verify")

    assert "AUDIT TRAIL RECORD NOT BELIEVED" in report
    assert "AUDIT TRAIL CHANGED" not in report
    assert not heads.recorded().untrusted
    audit_heads_path.write_text("not JSON")
    assert "cannot be read as one" in heads.recorded().untrusted


def test_queuing_the_checks_records_and_compares_too(centre, renamed):
    call_command("check_fixity", stdout=io.StringIO())
    audit_tampering.delete(renamed[-1])

    with pytest.raises(CommandError, match="audit trail changed"):
        call_command("check_fixity", stdout=io.StringIO())


def test_a_tail_found_after_another_change_leaves_the_centre_to_record_what_it_did(client, centre, grace, renamed):
    """A tail finding is said once and needs nothing recorded; the change the chain found before it
    still waits for the centre's record, and the page still offers it (`findings.acknowledge`)."""
    audit_tampering.delete(renamed[1])
    _check(fails="audit trail changed")
    latest = AuditEvent.objects.filter(centre=centre).order_by("-pk").first()
    audit_tampering.delete(latest)

    assert "The latest events were deleted" in _check(fails="audit trail changed")

    client.force_login(grace)
    page = client.get(reverse("ops:audit_trail", args=[centre.pk])).content.decode()
    assert "found its newest events deleted outside the portfolio" in page
    assert f"Event {renamed[1].pk}, which the event of " in page and "Record that the centre has dealt with it" in page
    client.post(reverse("ops:audit_trail_acknowledge", args=[centre.pk]), {"note": "Compared with last night's backup."})
    assert "Audit trail changed, known to the centre" in _check()


def test_a_record_that_cannot_be_written_fails_the_check(centre, renamed, settings, tmp_path):
    (tmp_path / "a file").write_text("")
    settings.PORTFOLIO_AUDIT_HEADS_PATH = tmp_path / "a file" / "audit-heads.json"

    report = _check(fails="the latest audit events could not be recorded at")

    assert "AUDIT TRAIL RECORD NOT WRITTEN" in report
