"""The audit trail: append-only events, shown on the unit page newest first and exported as CSV.

Alice is the candidate (HSC331 and H3 25), Bob her assessor, Carol her IQA. Dave is another
candidate. See tests/assessments/unit_case.py.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import DatabaseError, connection, transaction

from assessments.services import decisions, signoff
from portfolio import dates
from portfolio.models import AuditEvent
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return accepted_evidence(case, title="Supporting a family visit")


@pytest.fixture
def history(case, evidence):
    """Decisions recorded and one withdrawn, the unit signed off, countersigned and unlocked."""
    meet(case, case.hsc331, [evidence])
    withdrawn = case.hsc331.decisions.get(criterion__reference="HSC331a.1")
    decisions.decision_withdraw(decision=withdrawn, assessor=case.bob, reason="Cited before the visit happened.")
    decisions.decision_record(
        enrolment=case.hsc331, assessor=case.bob, criterion=withdrawn.criterion, evidence=[evidence],
        decided_on=withdrawn.decided_on,
    )
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    signoff.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    signoff.unit_unlock(enrolment=case.hsc331, person=case.carol, reason="Sampling: K3 needs a second source.")
    return case


# Append-only, in the model and (on PostgreSQL) in the database itself.


def test_the_model_refuses_to_change_or_delete_an_event(history):
    event = AuditEvent.objects.filter(action="assessments.unit.signed_off").get()
    summary = event.summary

    event.summary = "Nothing happened here"
    with pytest.raises(PermissionError, match="cannot be changed"):
        event.save()
    with pytest.raises(PermissionError, match="cannot be deleted"):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).summary == summary


def _refused_by_the_database(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_no_queryset_can_change_or_delete_an_event(history):
    event = AuditEvent.objects.filter(action="assessments.unit.signed_off").get()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Rewritten through the ORM")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == event.summary


def test_the_database_itself_refuses_to_change_an_event(history):
    """Whatever code runs, the database refuses an UPDATE; PostgreSQL also refuses a DELETE.
    (SQLite keeps DELETE possible in SQL because the test suite empties tables row by row.)"""
    event = AuditEvent.objects.filter(action="assessments.unit.signed_off").get()
    _refused_by_the_database("UPDATE portfolio_auditevent SET summary = %s WHERE id = %s", ["Rewritten", event.pk])
    if connection.vendor == "postgresql":
        _refused_by_the_database("DELETE FROM portfolio_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == event.summary


# On the unit page.


def trail(client, case, who="alice", enrolment=None) -> str:
    client.force_login(case.people[who])
    page = client.get(f"/assessments/units/{(enrolment or case.hsc331).pk}/").content.decode()
    return page.split('id="audit-heading"')[1].split("</section>")[0]


def rows(panel: str) -> list[str]:
    return panel.split('<li class="audit-event">')[1:]


def test_the_unit_page_shows_the_trail_newest_first_in_sentences_with_when_and_the_change(client, history):
    panel = trail(client, history)
    shown = rows(panel)

    assert len(shown) == 20  # the newest; the rest are in the download
    newest = shown[0]
    unlocked = AuditEvent.objects.get(action="assessments.unit.unlocked")
    assert "Carol Clark unlocked the unit, voiding its sign-off: “Sampling: K3 needs a second source.”" in newest
    assert "assessments.unit.unlocked" not in panel  # the codes are for the CSV
    # In the centre's time zone, as every date on the page.
    assert f'<time datetime="{unlocked.at.astimezone(datetime.UTC).isoformat()}">{dates.day_time(unlocked.at)}</time>' in newest
    assert "Times are UK time; the download gives them in UTC." in panel
    assert "Signed off:</span> yes → no" in newest
    assert "Alice Adams countersigned the sign-off" in shown[1]
    assert "Bob Baker signed the unit off, on 34 decisions and 1 evidence file" in shown[2]
    total = int(re.search(r"Download all (\d+) events \(CSV\)", panel).group(1))
    assert total == AuditEvent.objects.filter(candidate=history.alice).count() > 20


def test_a_sentence_says_no_more_than_what_the_event_recorded_and_the_details_say_what_changed(client, history):
    decision = next(row for row in rows(trail(client, history)) if "recorded HSC331 K17 as met" in row)
    assert "Bob Baker recorded HSC331 K17 as met, citing E1" in decision
    assert "What changed" not in decision  # a new decision changes nothing that was there before


def test_withdrawn_decisions_show_before_and_after(client, history):
    events = list(AuditEvent.objects.filter(action="assessments.decision.withdrawn"))
    assert len(events) == 1
    assert events[0].before["item"] == "HSC331a.1" and events[0].after["reason"] == "Cited before the visit happened."


def test_the_trail_holds_the_evidence_mapped_to_this_unit_and_not_others(client, case, evidence):
    submitted_evidence(case, title="Only about boundaries", enrolment=case.h3_25)
    submitted_evidence(case, candidate=case.dave, title="Daves own visit", enrolment=case.dave_hsc331)

    hsc331 = trail(client, case)
    h3_25 = trail(client, case, enrolment=case.h3_25)

    assert "Alice Adams added E1 “Supporting a family visit” with 1 file" in hsc331
    assert "Alice Adams submitted E1 for assessment, declaring it their own work" in hsc331
    assert "Only about boundaries" not in hsc331
    assert "Alice Adams added E2 “Only about boundaries” with 1 file" in h3_25
    assert "Daves own visit" not in hsc331 and "Daves own visit" not in h3_25


def test_a_unit_with_no_history_says_so(client, case):
    assert "Nothing has happened on this unit yet." in trail(client, case)


def test_the_download_link_counts_one_event_and_several_as_a_person_would(client, case):
    """Each download is itself an event: the first makes the unit's one event, the second its two."""
    client.force_login(case.carol)
    client.get(f"/assessments/units/{case.hsc331.pk}/audit.csv")
    one = trail(client, case, who="carol")
    assert ">Download the event (CSV)</a>" in one and "Download all" not in one
    assert len(rows(one)) == 1

    client.get(f"/assessments/units/{case.hsc331.pk}/audit.csv")
    two = trail(client, case, who="carol")
    assert ">Download all 2 events (CSV)</a>" in two and "Download the event" not in two


# The download.


def test_everyone_on_the_case_downloads_the_whole_trail_as_csv(client, history):
    history.alice.first_name = "=SUM(1,2)"  # a name a spreadsheet would run as a formula
    history.alice.save()
    signoff.unit_sign_off(enrolment=history.hsc331, assessor=history.bob, declared=True)
    signoff.unit_countersign(enrolment=history.hsc331, candidate=history.alice, declared=True)
    client.force_login(history.people["grace"])

    response = client.get(f"/assessments/units/{history.hsc331.pk}/audit.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark, for Excel on Windows
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["at (UTC)", "actor", "action", "summary", "before", "after", "signed record"]
    body = table[1:]
    assert len(body) > 20
    assert [row[0] for row in body] == sorted(row[0] for row in body)  # oldest first
    assert all(row[0].endswith("+00:00") for row in body)
    assert body[0][2] == "portfolio.evidence.created"
    assert body[-1][2] == "assessments.unit.countersigned"
    assert body[-1][1] == "'=SUM(1,2) Adams <alice@example.org>"
    unlocked = next(row for row in body if row[2] == "assessments.unit.unlocked")
    assert json.loads(unlocked[4])["assessor"] == "Bob Baker"
    assert json.loads(unlocked[5])["reason"] == "Sampling: K3 needs a second source."
    # Each row against the standing sign-off (the second): the first, voided, came before it.
    sign_offs = [row[6] for row in body if row[2] == "assessments.unit.signed_off"]
    assert sign_offs == ["before sign-off", "the sign-off"]
    assert unlocked[6] == "before sign-off" and body[-1][6] == "after sign-off"


def test_the_download_holds_no_one_elses_events(client, case, evidence):
    daves = submitted_evidence(case, candidate=case.dave, title="Daves own visit", enrolment=case.dave_hsc331)
    client.force_login(case.alice)
    text = client.get(f"/assessments/units/{case.hsc331.pk}/audit.csv").content.decode()
    assert "Supporting a family visit" in text and daves.title not in text


def test_each_download_is_itself_recorded(client, case, evidence):
    client.force_login(case.carol)
    client.get(f"/assessments/units/{case.hsc331.pk}/audit.csv")

    event = AuditEvent.objects.get(action="assessments.audit_trail.exported")
    assert event.actor == case.carol and event.enrolment == case.hsc331
    again = client.get(f"/assessments/units/{case.hsc331.pk}/audit.csv").content.decode()
    assert "HSC331 audit trail of Alice Adams downloaded as CSV" in again


# The action codes: one enumeration per app, stored as released.

RELEASED_ACTIONS = {
    "portfolio.evidence.created", "portfolio.evidence.changed", "portfolio.evidence.mapped",
    "portfolio.evidence.submitted", "portfolio.evidence.deleted", "portfolio.file.downloaded",
    "portfolio.file.viewed",
    "portfolio.person.added", "portfolio.person.role_added", "portfolio.person.invited",
    "portfolio.person.role_removed", "portfolio.person.renamed", "portfolio.person.deactivated",
    "portfolio.person.reactivated", "portfolio.person.sign_in_lock_cleared",
    "portfolio.enrolment.registered",
    "assessments.evidence.accepted", "assessments.evidence.referred", "assessments.testimony.requested",
    "assessments.testimony.given", "assessments.decision.recorded", "assessments.decision.withdrawn",
    "assessments.unit.signed_off", "assessments.unit.countersigned", "assessments.unit.unlocked",
    "assessments.unit.exported", "assessments.audit_trail.exported", "assessments.iqa.sampled",
    "assessments.iqa.countersigned", "assessments.iqa.referred", "assessments.iqa.actions_done",
    "assessments.fixity.failed", "assessments.fixity.intact_again",
    "assessments.export.requested", "assessments.export.built", "assessments.export.downloaded",
    "exports.export.restarted", "exports.export.failed", "exports.export.unit_left_out",
    "exports.seal.made", "exports.seal.uploaded",
    "exports.visit_pack.requested", "exports.visit_pack.built", "exports.visit_pack.downloaded",
    "exports.visit_pack.unit_left_out",
    "assessments.evidence.commented", "assessments.decision.citation_added", "assessments.scope.recorded",
    "portfolio.qualification.registered", "portfolio.candidate.identifiers_changed",
    "assessments.claim.made", "assessments.claims.exported", "exports.summary.exported",
    "assessments.unit.version_moved", "assessments.sampling_plan.saved",
    "assessments.eqa.sampled", "assessments.eqa.unsampled", "assessments.eqa.report_submitted",
    "assessments.eqa.action_answered", "assessments.eqa.action_reviewed",
    "assessments.standardisation.recorded", "assessments.competence.qualification_added",
    "assessments.competence.experience_added", "assessments.competence.cpd_recorded",
    "assessments.witness_status.requested", "assessments.witness_status.confirmed",
    "portfolio.catalogue.import_right_granted", "portfolio.catalogue.import_right_withdrawn",
    "portfolio.eqa.invited", "portfolio.invitation.resent", "portfolio.invitation.accepted",
    "portfolio.eqa.terms_accepted", "portfolio.eqa.renewed", "portfolio.eqa.ended",
    "portfolio.enrolment.assessor_changed", "portfolio.enrolment.iqa_changed",
    "portfolio.enrolment.target_date_changed", "portfolio.enrolment.withdrawn",
    "portfolio.enrolment.transferred", "portfolio.enrolment.reinstated", "portfolio.enrolment.case_changed",
    "portfolio.audit.trail_changed", "portfolio.enrolment.case_put_back",
    "portfolio.membership.put_right", "portfolio.evidence.put_right",
    "portfolio.people.imported",
    "portfolio.invitation.made", "portfolio.invitation.cancelled", "portfolio.enrolment.prepared",
    "portfolio.enrolment.prepared_dropped", "portfolio.centre.created", "portfolio.centre.renamed",
    "portfolio.enrolment.prepared_changed", "portfolio.enrolment.prepared_cancelled",
    "portfolio.invitation.renamed", "portfolio.person.name_suggested",
    "portfolio.qualification.prepared", "portfolio.qualification.prepared_dropped",
    "portfolio.enrolment.prepared_held", "portfolio.invitation.uln_changed",
    "portfolio.person.deactivation_reason_corrected",
    "portfolio.audit.trail_acknowledged", "portfolio.eqa.access_changed",
    "exports.export.changed", "assessments.testimony.request_changed", "portfolio.pending.changed",
}


def test_every_action_code_in_earlier_trails_and_csv_exports_is_still_an_action():
    """Events already stored, and the CSV files centres have downloaded, name actions by these codes:
    renaming a member's value would split one action's history in two."""
    from assessments.audit_actions import AssessmentAction
    from exports.audit_actions import ExportAction
    from portfolio.audit import PortfolioAction

    assert {a.value for a in (*PortfolioAction, *AssessmentAction, *ExportAction)} == RELEASED_ACTIONS


def test_an_action_typed_out_by_hand_is_refused_and_nothing_is_recorded(case):
    from portfolio import audit

    before = AuditEvent.objects.count()
    with pytest.raises(TypeError, match="AuditAction"):
        audit.record("assessments.unit.signed_off", actor=case.bob, centre=case.centre, summary="by hand")
    assert AuditEvent.objects.count() == before


def test_the_trail_names_who_acted_as_they_were_named_then_not_as_they_are_now(client, history):
    """The record says who did it at the time: a name changed since does not rewrite it."""
    Person = type(history.bob)
    Person.objects.filter(pk=history.bob.pk).update(first_name="Robert", last_name="Brown")
    client.force_login(history.people["grace"])

    table = list(csv.reader(io.StringIO(client.get(f"/assessments/units/{history.hsc331.pk}/audit.csv").content.decode())))
    signed = next(row for row in table if row[2] == "assessments.unit.signed_off")
    assert signed[1] == "Bob Baker <bob@example.org>"
    assert not any(row[1].startswith("Robert Brown") for row in table)
    page = client.get(f"/assessments/units/{history.hsc331.pk}/").content.decode()
    assert "Bob Baker signed the unit off" in page and "Robert Brown signed" not in page
