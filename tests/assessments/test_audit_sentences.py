"""The audit trail in sentences (portfolio.audit_sentences and each app's writers): one sentence
per kind of action, from what the services record in the event; the summary for anything else.

The events are built as the services write them (their `before` and `after`), not saved: each
sentence depends only on the event. tests/assessments/test_audit.py reads them on the unit page.
"""

import datetime

import pytest

from assessments.audit_actions import AssessmentAction
from exports.audit_actions import ExportAction
from portfolio.audit import AuditAction, PortfolioAction
from portfolio.audit_sentences import has_sentence, listed, sentence
from portfolio.models import AuditEvent, Evidence, Person

BOB = Person(first_name="Bob", last_name="Baker", email="bob@example.org")
ALICE = Person(first_name="Alice", last_name="Adams", email="alice@example.org")
CAROL = Person(first_name="Carol", last_name="Clark", email="carol@example.org")
GRACE = Person(first_name="Grace", last_name="Green", email="grace@example.org")
HEIDI = Person(first_name="Heidi", last_name="Hughes", email="heidi@example.org")
E3 = Evidence(number=3, title="Supporting a family visit")
SIGNED = {"signed_off": True, "sign_off": 7, "assessor": "Bob Baker", "assessor_signed_at": "2026-12-03T10:15:00+00:00"}


def event(action: AuditAction, *, actor=BOB, evidence=None, before=None, after=None, summary="The summary",
          candidate=None) -> AuditEvent:
    return AuditEvent(
        action=action.value, actor=actor, evidence=evidence, candidate=candidate, summary=summary,
        before=before or {}, after=after or {}, at=datetime.datetime(2026, 12, 3, 10, 15, tzinfo=datetime.UTC),
    )


CASES = [
    # Portfolio: the candidate's evidence and the centre's people.
    (event(PortfolioAction.EVIDENCE_CREATED, actor=ALICE, evidence=E3,
           after={"title": "Supporting a family visit", "files": ["visit.png"]}),
     "Alice Adams added E3 “Supporting a family visit” with 1 file"),
    (event(PortfolioAction.EVIDENCE_CREATED, actor=None, evidence=E3, after={"title": "What I saw", "files": []}),
     "E3 “What I saw” was added through a witness’s link"),
    (event(PortfolioAction.EVIDENCE_CHANGED, actor=ALICE, evidence=E3,
           after={"version": 2, "files_added": ["plan.pdf"], "files_removed": ["old.pdf", "older.pdf"]}),
     "Alice Adams changed E3 to version 2, adding plan.pdf and removing old.pdf and older.pdf"),
    (event(PortfolioAction.EVIDENCE_MAPPED, actor=ALICE, evidence=E3,
           before={"criteria": [], "knowledge_items": [], "scope_items": []},
           after={"criteria": ["HSC331a.1", "HSC331a.2"], "knowledge_items": ["HSC331 K3"], "scope_items": []}),
     "Alice Adams mapped E3 to HSC331a.1, HSC331a.2 and HSC331 K3"),
    (event(PortfolioAction.EVIDENCE_MAPPED, actor=ALICE, evidence=E3,
           before={"criteria": ["HSC331a.1", "HSC331a.2"], "knowledge_items": [], "scope_items": []},
           after={"criteria": ["HSC331a.2", "HSC331b.1"], "knowledge_items": [], "scope_items": []}),
     "Alice Adams changed the mapping of E3, adding HSC331b.1 and removing HSC331a.1"),
    (event(PortfolioAction.EVIDENCE_SUBMITTED, actor=ALICE, evidence=E3, after={"state": "submitted"}),
     "Alice Adams submitted E3 for assessment, declaring it their own work"),
    # A deleted draft's evidence is gone; the event names it.
    (event(PortfolioAction.EVIDENCE_DELETED, actor=ALICE, before={"reference": "E9", "title": "Old notes"}),
     "Alice Adams deleted the draft E9 “Old notes”"),
    (event(PortfolioAction.FILE_DOWNLOADED, actor=CAROL, evidence=E3, after={"file": "visit.png", "sha256": "ab"}),
     "Carol Clark downloaded “visit.png” of E3"),
    (event(PortfolioAction.FILE_VIEWED, actor=CAROL, evidence=E3, after={"file": "visit.png", "sha256": "ab", "file_id": 7}),
     "Carol Clark viewed “visit.png” of E3"),
    (event(PortfolioAction.PERSON_ADDED, actor=GRACE, after={"email": "dan@example.org", "role": "candidate"}),
     "Grace Green added dan@example.org as candidate"),
    (event(PortfolioAction.PERSON_ROLE_ADDED, actor=GRACE, after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "role": "iqa"}),
     "Grace Green gave a new role to Bob Baker as internal quality assurer"),
    (event(PortfolioAction.PERSON_INVITED, actor=GRACE, after={"person": 4, "name": "Dan Day", "email": "dan@example.org"}),
     "Grace Green sent Dan Day an email to set their password"),
    (event(PortfolioAction.PEOPLE_IMPORTED, actor=GRACE,
           after={"file": "class.csv", "rows": 5, "invited": 3, "already_here": 1, "not_imported": 1}),
     "Grace Green imported candidates from “class.csv”: 3 invited, 1 already here, 1 not imported"),
    (event(PortfolioAction.PEOPLE_IMPORTED, actor=GRACE, after={
        "file": "class.csv", "rows": 6, "invited": 3, "already_here": 1, "ulns_corrected": 1, "not_imported": 1}),
     "Grace Green imported candidates from “class.csv”: 3 invited, 1 already here, 1 ULN corrected, 1 not imported"),
    # Everyone a centre adds is invited (issue 16).
    (event(PortfolioAction.INVITATION_MADE, actor=GRACE,
           after={"name": "Dan Day", "email": "dan@example.org", "role": "candidate"}),
     "Grace Green invited Dan Day (dan@example.org) as candidate"),
    (event(PortfolioAction.INVITATION_CANCELLED, actor=GRACE,
           after={"name": "Dan Day", "email": "dan@example.org", "prepared_units_dropped": ["HSC331"]}),
     "Grace Green withdrew the invitation of Dan Day (dan@example.org), and their registration on HSC331 with it"),
    (event(PortfolioAction.ENROLMENT_PREPARED, actor=GRACE,
           after={"name": "Dan Day", "email": "dan@example.org", "unit": "HSC331", "target_date": "2027-06-01"}),
     "Grace Green registered Dan Day (dan@example.org) on HSC331, target date 1 June 2027, waiting for them to "
     "accept the invitation"),
    (event(PortfolioAction.ENROLMENT_PREPARED_DROPPED, actor=ALICE,
           after={"unit": "HSC331", "reason": "Bob Baker is not an assessor at Riverside Training."}),
     "The registration on HSC331 was not opened when Alice Adams accepted: Bob Baker is not an assessor at "
     "Riverside Training."),
    (event(PortfolioAction.ENROLMENT_PREPARED_HELD, actor=ALICE,
           after={"unit": "HSC331", "reason": "Bob Baker is no longer an assessor at Riverside Training."}),
     "The registration on HSC331 was kept waiting when Alice Adams accepted, for the centre to choose its team: "
     "Bob Baker is no longer an assessor at Riverside Training."),
    (event(PortfolioAction.ENROLMENT_PREPARED_CHANGED, actor=GRACE,
           after={"name": "Dan Day", "unit": "HSC331", "target_date": "2027-06-01"}),
     "Grace Green changed the registration of Dan Day on HSC331 before they accepted (target date 1 June 2027)"),
    (event(PortfolioAction.ENROLMENT_PREPARED_CHANGED, actor=GRACE,
           after={"name": "Dan Day", "unit": "HSC331", "target_date": "2027-06-01", "reason": "Bob has left.",
                  "handover": {"role": "assessor", "to": "Erin Evans"}}),
     "Grace Green handed over the registration of Dan Day on HSC331 before they accepted: Erin Evans is its "
     "assessor now (Bob has left.)"),
    (event(PortfolioAction.QUALIFICATION_PREPARED, actor=GRACE,
           after={"name": "Dan Day", "email": "dan@example.org", "qualification": "GJ1C 23",
                  "units": ["HSC331", "H3 25"], "target_date": "2027-06-01"}),
     "Grace Green registered Dan Day (dan@example.org) on GJ1C 23, with HSC331 and H3 25, target date 1 June 2027, "
     "waiting for them to accept the invitation"),
    (event(PortfolioAction.QUALIFICATION_PREPARED_DROPPED, actor=ALICE,
           after={"qualification": "GJ1C 23", "reason": "Bob Baker is not an assessor at Riverside."}),
     "The registration on GJ1C 23 was not opened when Alice Adams accepted: Bob Baker is not an assessor at "
     "Riverside."),
    (event(PortfolioAction.ENROLMENT_PREPARED_CANCELLED, actor=GRACE, after={"name": "Dan Day", "unit": "HSC331"}),
     "Grace Green cancelled the registration of Dan Day on HSC331 before they accepted"),
    (event(PortfolioAction.CENTRE_CREATED, actor=GRACE, after={"name": "Hillside College", "code": "hillside"}),
     "Grace Green created the centre Hillside College (hillside)"),
    (event(PortfolioAction.CENTRE_RENAMED, actor=GRACE, before={"name": "Hillside College"},
           after={"name": "Hillside Academy", "code": "hillside"}),
     "Grace Green renamed the centre Hillside College to Hillside Academy"),
    (event(PortfolioAction.PERSON_ROLE_REMOVED, actor=GRACE, after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "role": "iqa"}),
     "Grace Green took the role of internal quality assurer from Bob Baker"),
    (event(PortfolioAction.PERSON_RENAMED, actor=GRACE, before={"name": "Dave Davies"}, after={"name": "Dai Davies"}),
     "Grace Green changed the name of Dave Davies to Dai Davies"),
    (event(PortfolioAction.PERSON_RENAMED, actor=Person(pk=42, first_name="Dai", last_name="Davies"),
           before={"name": "Dave Davies"}, after={"person": 42, "name": "Dai Davies"}),
     "Dave Davies changed their name to Dai Davies"),
    (event(PortfolioAction.PERSON_NAME_SUGGESTED, actor=GRACE, before={"name": "Dave Davies"},
           after={"person": 42, "email": "dave@example.org", "name": "Dai Davies"}),
     "Grace Green asked Dave Davies to change their name to Dai Davies"),
    (event(PortfolioAction.INVITATION_RENAMED, actor=GRACE, before={"name": "Nia Newtn"},
           after={"email": "nia@example.org", "name": "Nia Newton"}),
     "Grace Green corrected the name on the invitation of nia@example.org from Nia Newtn to Nia Newton"),
    (event(PortfolioAction.INVITATION_ULN_CHANGED, actor=GRACE, before={"uln": "9276308686"},
           after={"email": "nia@example.org", "uln": "9276308619"}),
     "Grace Green corrected the ULN on the invitation of nia@example.org from 9276308686 to 9276308619"),
    (event(PortfolioAction.PERSON_DEACTIVATED, actor=GRACE,
           after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "roles": ["assessor", "iqa"], "reason": "Left the centre."}),
     "Grace Green deactivated Bob Baker at the centre, as assessor and internal quality assurer: "
     "“Left the centre.”"),
    # Before reasons were asked (migration 0043).
    (event(PortfolioAction.PERSON_DEACTIVATED, actor=GRACE, after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "roles": ["assessor", "iqa"]}),
     "Grace Green deactivated Bob Baker at the centre, as assessor and internal quality assurer "
     "(no reason recorded)"),
    (event(PortfolioAction.PERSON_REACTIVATED, actor=GRACE,
           after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "roles": ["assessor"], "reason": "Back from leave."},
           before={"reason": "On leave."}),
     "Grace Green reactivated Bob Baker at the centre, as assessor: “Back from leave.”"),
    # Before reasons were asked (migration 0048).
    (event(PortfolioAction.PERSON_REACTIVATED, actor=GRACE, after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "roles": ["assessor"]}),
     "Grace Green reactivated Bob Baker at the centre, as assessor (no reason recorded)"),
    (event(PortfolioAction.DEACTIVATION_REASON_CORRECTED, actor=GRACE, before={"reason": "Left."},
           after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "reason": "Moved to Hillside."}),
     "Grace Green corrected why Bob Baker is deactivated at the centre: “Left.”, now “Moved to Hillside.”"),
    (event(PortfolioAction.DEACTIVATION_REASON_CORRECTED, actor=GRACE, before={"reason": ""},
           after={"person": 2, "name": "Bob Baker", "email": "bob@example.org", "reason": "Moved to Hillside."}),
     "Grace Green corrected why Bob Baker is deactivated at the centre: no reason recorded, now "
     "“Moved to Hillside.”"),
    (event(PortfolioAction.SIGN_IN_LOCK_CLEARED, actor=GRACE, after={"person": 4, "name": "Dan Day", "email": "dan@example.org"}),
     "Grace Green cleared the sign-in lock-out of Dan Day"),
    (event(PortfolioAction.ENROLMENT_REGISTERED, actor=GRACE, candidate=ALICE,
           after={"unit": "HSC331", "target_date": "2027-06-01"}),
     "Grace Green registered Alice Adams on HSC331, target date 1 June 2027"),
    # Assessments: judging, testimony, decisions, sign-off, quality assurance.
    (event(AssessmentAction.EVIDENCE_ACCEPTED, evidence=E3,
           after={"version": 2, "feedback": "Clear and well dated.", "valid": True, "authentic": True, "current": True,
                  "sufficient": True, "scope_covered": ["HSC331 S1.1"]}),
     "Bob Baker accepted E3 (version 2) as valid, authentic, current and sufficient, covering scope HSC331 S1.1, "
     "with feedback “Clear and well dated.”"),
    (event(AssessmentAction.EVIDENCE_REFERRED, evidence=E3, after={"version": 1, "feedback": "Say what   Person A\nchose."}),
     "Bob Baker referred E3 back to the candidate: “Say what Person A chose.”"),
    (event(AssessmentAction.TESTIMONY_REQUESTED, after={"witness_name": "Wendy Wood", "criteria": ["HSC331a.1"]}),
     "Bob Baker asked Wendy Wood for witness testimony on HSC331a.1"),
    (event(AssessmentAction.TESTIMONY_GIVEN, actor=None, evidence=E3,
           after={"witness": {"name": "Wendy Wood", "job_role": "Team leader", "expert": True},
                  "criteria": ["HSC331a.1", "HSC331a.2"]}),
     "Wendy Wood (Team leader) gave expert witness testimony as E3, for HSC331a.1 and HSC331a.2"),
    (event(AssessmentAction.DECISION_RECORDED, after={"item": "HSC331a.1", "evidence": ["E1", "E2"]}),
     "Bob Baker recorded HSC331a.1 as met, citing E1 and E2"),
    (event(AssessmentAction.DECISION_CITATION_ADDED, after={"item": "HSC331a.1", "evidence": ["E1", "E4"], "added": ["E4"]}),
     "Bob Baker added E4 to the evidence cited for HSC331a.1"),
    (event(AssessmentAction.SCOPE_RECORDED, evidence=E3,
           after={"unit": "HSC331", "scope_covered": ["HSC331 S1.1", "HSC331 S4.1"], "accepted_by": "Erin Evans"}),
     "Bob Baker recorded E3 as covering scope HSC331 S1.1 and HSC331 S4.1 of HSC331"),
    (event(AssessmentAction.SCOPE_RECORDED, evidence=E3, before={"scope_covered": ["HSC331 S1.1"]},
           after={"unit": "HSC331", "scope_covered": [], "accepted_by": "Erin Evans"}),
     "Bob Baker recorded E3 as covering none of HSC331’s scope (before: HSC331 S1.1)"),
    (event(AssessmentAction.FIXITY_FAILED, actor=None,
           after={"problems": ["E1 plan.png has changed since the unit was signed off", "E2 is no longer accepted"]}),
     "A check of the files found the signed record changed since sign-off: E1 plan.png has changed since the unit "
     "was signed off (and 1 more change)"),
    (event(AssessmentAction.FIXITY_INTACT_AGAIN, actor=None, after={"boundary": "schedule", "files_checked": 2}),
     "A check found the signed record as it was signed again, after an earlier check had found it changed"),
    (event(AssessmentAction.DECISION_WITHDRAWN, after={"item": "HSC331 K3", "reason": "Cited before the visit."}),
     "Bob Baker withdrew the decision that HSC331 K3 is met: “Cited before the visit.”"),
    (event(AssessmentAction.UNIT_SIGNED_OFF,
           after={**SIGNED, "decisions": 34, "files": 1, "scope_not_applicable": {"Risks": "No risky visits."}}),
     "Bob Baker signed the unit off, on 34 decisions and 1 evidence file; scope “Risks” does not apply: "
     "“No risky visits.”"),
    (event(AssessmentAction.UNIT_COUNTERSIGNED, actor=ALICE, before=SIGNED, after=SIGNED),
     "Alice Adams countersigned the sign-off"),
    (event(AssessmentAction.UNIT_UNLOCKED, actor=CAROL, before=SIGNED, after={"signed_off": False, "reason": "K3 again."}),
     "Carol Clark unlocked the unit, voiding its sign-off: “K3 again.”"),
    (event(AssessmentAction.UNIT_VERSION_MOVED, actor=CAROL, after={
        "unit": "HSC331", "from_version": "1", "to_version": "2", "carried": ["HSC331a.1", "HSC331a.2"],
        "changed": ["HSC331a.3"], "gone": [], "decisions_withdrawn": ["HSC331a.3"]}),
     "Carol Clark moved the unit from version 1 to version 2, carrying over 2 items unchanged; words changed "
     "for HSC331a.3"),
    (event(AssessmentAction.AUDIT_TRAIL_EXPORTED, actor=CAROL),
     "Carol Clark downloaded this audit trail as a spreadsheet (CSV)"),
    (event(AssessmentAction.IQA_SAMPLED, actor=CAROL, after={"review": 1, "stage": "interim", "outcome": "sampled"}),
     "Carol Clark added the unit to the IQA’s sample for an interim review of the decisions so far"),
    (event(AssessmentAction.IQA_SAMPLED, after={"review": 2, "stage": "final", "outcome": "sampled", "referral": 1}),
     "Bob Baker signed the unit off again, so it is back in the IQA’s sample for a final review"),
    (event(AssessmentAction.IQA_COUNTERSIGNED, actor=CAROL, after={"stage": "final", "comments": "Well evidenced."}),
     "Carol Clark, the IQA, countersigned the signed-off unit: “Well evidenced.”"),
    (event(AssessmentAction.IQA_REFERRED, actor=CAROL, after={"stage": "interim", "actions": "Observe K3 at work."}),
     "Carol Clark, the IQA, referred the decisions so far back to the assessor, asking: “Observe K3 at work.”"),
    (event(AssessmentAction.IQA_ACTIONS_DONE, after={"actions_done_note": "Observed on 2 December."}),
     "Bob Baker marked the IQA’s actions done: “Observed on 2 December.”"),
    (event(AssessmentAction.EVIDENCE_COMMENTED, actor=ALICE, evidence=E3, after={"comment": "Is this enough?"},
           summary="Alice Adams wrote to Bob Baker about E3 “Supporting a family visit”"),
     "Alice Adams wrote to Bob Baker about E3 “Supporting a family visit”"),
    # Exports: a unit's PDF and the centre's bulk exports.
    (event(ExportAction.UNIT_EXPORTED, actor=CAROL), "Carol Clark downloaded the unit’s portfolio as a PDF"),
    (event(ExportAction.UNIT_LEFT_OUT, actor=None,
           after={"export": 4, "problems": ["E1 visit.png has changed", "HSC331a.1 was withdrawn"]}),
     "The unit was left out of bulk export 4: its record has changed since sign-off: “E1 visit.png has changed” "
     "and 1 more problem"),
    (event(ExportAction.EXPORT_REQUESTED, actor=GRACE, after={"export": 4, "enrolments": [1, 2, 3]}),
     "Grace Green asked for bulk export 4 of 3 units"),
    (event(ExportAction.EXPORT_BUILT, actor=None, after={"export": 4, "left_out": [{"unit": "HSC331"}]}),
     "The portfolio built bulk export 4, leaving out 1 unit"),
    (event(ExportAction.EXPORT_DOWNLOADED, actor=GRACE, after={"export": 4}), "Grace Green downloaded bulk export 4"),
    (event(ExportAction.EXPORT_RESTARTED, actor=None, after={"export": 4, "attempts": 1}),
     "The worker building bulk export 4 stopped; the portfolio started it again after 1 attempt"),
    (event(ExportAction.EXPORT_FAILED, actor=None, after={"export": 4, "attempts": 3}),
     "The worker building bulk export 4 stopped; the portfolio gave up on it after 3 attempts"),
    (event(ExportAction.EXPORT_FAILED, actor=None, after={"export": 2, "attempts": 3, "kind": "visit pack"}),
     "The worker building visit pack 2 stopped; the portfolio gave up on it after 3 attempts"),
    # The EQA's visit pack.
    (event(ExportAction.VISIT_PACK_REQUESTED, actor=GRACE, after={"pack": 2, "enrolments": [1, 2]}),
     "Grace Green asked for visit pack 2 of 2 units"),
    (event(ExportAction.VISIT_PACK_BUILT, actor=None, after={"pack": 2, "left_out": [{"unit": "H3 25"}]}),
     "The portfolio built visit pack 2, leaving out 1 unit"),
    (event(ExportAction.VISIT_PACK_BUILT, actor=None, after={"pack": 2, "left_out": []}), "The portfolio built visit pack 2"),
    (event(ExportAction.VISIT_PACK_DOWNLOADED, actor=GRACE, after={"pack": 2}), "Grace Green downloaded visit pack 2"),
    (event(ExportAction.UNIT_LEFT_OUT_OF_PACK, actor=None, after={"pack": 2, "problems": ["E1 visit.png has changed"]}),
     "The unit was left out of visit pack 2: its record has changed since sign-off: “E1 visit.png has changed”"),
    (event(ExportAction.SEAL_MADE, actor=None, after={"seal": 1, "valid_until": "2029-12-03T10:15:00+00:00"}),
     "A new seal for the centre’s PDFs was made, valid until 3 December 2029"),
    (event(ExportAction.SEAL_UPLOADED, actor=None, after={"seal": 2}), "A new seal for the centre’s PDFs was uploaded"),
    # Qualifications, identifiers and certification claims.
    (event(PortfolioAction.QUALIFICATION_REGISTERED, actor=GRACE, candidate=ALICE,
           after={"qualification": "GJ1C 23", "title": "SVQ 3 Social Services and Healthcare",
                  "units": ["H3 25", "HSC331"], "opened": ["HSC331"], "registration_number": ""}),
     "Grace Green registered Alice Adams on the qualification GJ1C 23 “SVQ 3 Social Services and Healthcare”, "
     "with H3 25 and HSC331"),
    (event(PortfolioAction.IDENTIFIERS_CHANGED, actor=GRACE, candidate=ALICE,
           before={"uln": "", "registration GJ1C 23": ""}, after={"uln": "9276308686", "registration GJ1C 23": "SQA-77"}),
     "Grace Green recorded Alice Adams’s identifiers: the ULN to 9276308686 and the registration number for "
     "GJ1C 23 to SQA-77"),
    (event(PortfolioAction.IMPORT_RIGHT_GRANTED, actor=Person(first_name="Sam", last_name="Site"),
           after={"name": "Grace Green", "email": "grace@example.org", "may_import_units": True}),
     "Sam Site allowed Grace Green to import units into the catalogue"),
    (event(PortfolioAction.IMPORT_RIGHT_WITHDRAWN, actor=Person(first_name="Sam", last_name="Site"),
           after={"name": "Grace Green", "email": "grace@example.org", "may_import_units": False}),
     "Sam Site withdrew the right to import units into the catalogue from Grace Green"),
    # A centre's external quality assurers: invited, accepting, renewed, ended.
    (event(PortfolioAction.EQA_INVITED, actor=GRACE,
           after={"grant": 4, "name": "Heidi Hughes", "email": "heidi@example.org", "awarding_body": "City & Guilds",
                  "scope": ["HSC331", "H3 25"], "start_date": "2026-12-03", "end_date": "2027-02-28"}),
     "Grace Green invited Heidi Hughes (heidi@example.org) as external quality assurer for City & Guilds, to read "
     "HSC331 and H3 25 from 3 December 2026 to 28 February 2027"),
    (event(PortfolioAction.INVITATION_RESENT, actor=GRACE, after={"email": "heidi@example.org", "expires_at": "x"}),
     "Grace Green sent the invitation to heidi@example.org again; the earlier link no longer works"),
    (event(PortfolioAction.INVITATION_ACCEPTED, actor=CAROL, after={"email": "carol@example.org", "role": "eqa"}),
     "Carol Clark accepted the invitation sent to carol@example.org"),
    (event(PortfolioAction.EQA_TERMS_ACCEPTED, actor=CAROL, after={"grant": 4, "terms": "Keep it safe."}),
     "Carol Clark accepted the centre’s data-protection terms for external quality assurers"),
    (event(PortfolioAction.EQA_RENEWED, actor=GRACE, before={"end_date": "2027-02-28"},
           after={"grant": 4, "who": "Carol Clark (carol@example.org)", "end_date": "2027-03-31"}),
     "Grace Green renewed the access of Carol Clark (carol@example.org) until 31 March 2027"),
    (event(PortfolioAction.EQA_ENDED, actor=GRACE, after={"grant": 4, "who": "Carol Clark (carol@example.org)"}),
     "Grace Green ended the access of Carol Clark (carol@example.org)"),
    # What the centre changes on an enrolment.
    (event(PortfolioAction.ENROLMENT_ASSESSOR_CHANGED, actor=GRACE, candidate=ALICE,
           before={"assessor": 2, "name": "Bob Baker"},
           after={"assessor": 5, "name": "Erin Evans", "unit": "HSC331", "reason": "Bob has left."}),
     "Grace Green changed the assessor of HSC331 from Bob Baker to Erin Evans: “Bob has left.”"),
    (event(PortfolioAction.ENROLMENT_IQA_CHANGED, actor=GRACE, candidate=ALICE,
           before={"iqa": 3, "name": "Carol Clark"},
           after={"iqa": 6, "name": "Ivan Ives", "unit": "HSC331", "reason": "Carol is on leave."}),
     "Grace Green changed the IQA of HSC331 from Carol Clark to Ivan Ives: “Carol is on leave.”"),
    (event(PortfolioAction.ENROLMENT_TARGET_DATE_CHANGED, actor=GRACE, candidate=ALICE,
           before={"target_date": "2027-03-01"},
           after={"target_date": "2027-04-01", "unit": "HSC331", "reason": "Off sick."}),
     "Grace Green changed the target date of HSC331 from 1 March 2027 to 1 April 2027: “Off sick.”"),
    (event(PortfolioAction.ENROLMENT_WITHDRAWN, actor=GRACE, candidate=ALICE,
           after={"status": "withdrawn", "date": "2026-12-03", "unit": "HSC331", "reason": "Left care work.",
                  "transferred_to": ""}),
     "Grace Green withdrew Alice Adams from HSC331 on 3 December 2026: “Left care work.”"),
    (event(PortfolioAction.ENROLMENT_TRANSFERRED, actor=GRACE, candidate=ALICE,
           after={"status": "transferred", "date": "2026-12-03", "unit": "HSC331", "reason": "Moved house.",
                  "transferred_to": "Hillside College"}),
     "Grace Green recorded the transfer of Alice Adams’s HSC331 to Hillside College on 3 December 2026: “Moved house.”"),
    (event(PortfolioAction.ENROLMENT_REINSTATED, actor=GRACE, candidate=ALICE,
           before={"status": "withdrawn"}, after={"status": "active", "unit": "HSC331", "reason": "Back at work."}),
     "Grace Green reinstated Alice Adams’s HSC331: “Back at work.”"),
    (event(PortfolioAction.ENROLMENT_CASE_CHANGED, candidate=ALICE,
           after={"unit": "HSC331", "changed": "the portfolio made Bob Baker its assessor; the database now names Erin Evans."}),
     "The portfolio found the people on Alice Adams’s HSC331 changed outside it: the portfolio made Bob Baker its "
     "assessor; the database now names Erin Evans."),
    (event(PortfolioAction.ENROLMENT_CASE_PUT_BACK, candidate=ALICE, after={"unit": "HSC331"}),
     "The portfolio found the people on Alice Adams’s HSC331 as it made them again, and opened the unit to them again"),
    (event(PortfolioAction.MEMBERSHIP_PUT_RIGHT, after={"role": None, "said": "Dan Davies was made centre administrator at Riverside in the database, not by the portfolio: that role is taken away."}),
     "The portfolio found a role changed outside it: Dan Davies was made centre administrator at Riverside in the "
     "database, not by the portfolio: that role is taken away."),
    (event(PortfolioAction.EVIDENCE_PUT_RIGHT, after={"said": "E1 of Alice Adams had been moved in the database (candidate_id changed), not by the portfolio: it is put back."}),
     "The portfolio found evidence moved outside it: E1 of Alice Adams had been moved in the database (candidate_id "
     "changed), not by the portfolio: it is put back."),
    (event(PortfolioAction.AUDIT_TRAIL_CHANGED,
           after={"first_event": 7, "first": "Event 7, which the event of 3 December 2026, 10:15 follows, has been deleted.",
                  "count": 3}),
     "The portfolio found the centre’s audit trail changed outside it: Event 7, which the event of 3 December 2026, "
     "10:15 follows, has been deleted. And 2 more problems."),
    (event(AssessmentAction.CLAIM_MADE, actor=GRACE, candidate=ALICE,
           after={"kind": "unit", "code": "H3 25", "reference": "SQA-0042", "claimed_on": "2026-12-03",
                  "awarding_body": "SQA", "sign_off": 7}),
     "Grace Green marked the unit H3 25 of Alice Adams claimed from SQA on 3 December 2026, claim reference SQA-0042"),
    # The external quality assurer's sample and report.
    (event(AssessmentAction.EQA_SAMPLED, actor=HEIDI,
           after={"sample": 4, "name": "Visit 12 March 2027", "planned_on": "2027-03-12", "mode": "on_site"}),
     "Heidi Hughes, the external quality assurer, took the unit into their sample “Visit 12 March 2027”, "
     "planned for 12 March 2027 (on-site)"),
    (event(AssessmentAction.EQA_UNSAMPLED, actor=HEIDI,
           after={"sample": 4, "name": "Visit 12 March 2027", "planned_on": "2027-03-12", "mode": "remote",
                  "why": "removed"}),
     "Heidi Hughes, the external quality assurer, took the unit out of their sample “Visit 12 March 2027”"),
    (event(AssessmentAction.EQA_UNSAMPLED, actor=HEIDI,
           after={"sample": 4, "name": "Visit 12 March 2027", "planned_on": "2027-03-12", "mode": "remote",
                  "why": "deleted"}),
     "Heidi Hughes, the external quality assurer, deleted their sample “Visit 12 March 2027”"),
    (event(AssessmentAction.EQA_REPORT_SUBMITTED, actor=HEIDI,
           after={"report": 2, "visited_on": "2027-03-12", "mode": "remote", "outcome": "with_actions",
                  "actions": 2, "sample": "Visit 12 March 2027"}),
     "Heidi Hughes, the external quality assurer, sent the centre the report of the remote visit of "
     "12 March 2027 on the sample “Visit 12 March 2027”: Satisfactory with actions, with 2 actions"),
    (event(AssessmentAction.EQA_ACTION_ANSWERED, actor=GRACE,
           after={"report": 2, "number": 1, "action": "Record standardisation.", "response": "Minutes filed.",
                  "done_on": "2027-03-20", "planned_on": None}),
     "Grace Green answered the EQA’s action 1 (done on 20 March 2027): “Minutes filed.”"),
    (event(AssessmentAction.EQA_ACTION_ANSWERED, actor=CAROL,
           after={"report": 2, "number": 2, "action": "Sample Erin.", "response": "Booked.",
                  "done_on": None, "planned_on": "2027-04-01"}),
     "Carol Clark answered the EQA’s action 2 (planned for 1 April 2027): “Booked.”"),
    (event(AssessmentAction.EQA_ACTION_REVIEWED, actor=HEIDI,
           after={"report": 2, "number": 2, "action": "Sample Erin.", "review": "still_open", "note": "Send the plan."}),
     "Heidi Hughes, the external quality assurer, left action 2 open: “Send the plan.”"),
    (event(AssessmentAction.EQA_ACTION_REVIEWED, actor=HEIDI,
           after={"report": 2, "number": 1, "action": "Record standardisation.", "review": "closed", "note": ""}),
     "Heidi Hughes, the external quality assurer, closed action 1"),
    (event(AssessmentAction.CLAIMS_EXPORTED, actor=GRACE, after={"awarding_body": "SQA", "claims": 3}),
     "Grace Green downloaded the claim list for SQA (3 claims)"),
    (event(ExportAction.SUMMARY_EXPORTED, actor=CAROL, candidate=ALICE, after={"qualification": "GJ1C 23"}),
     "Carol Clark downloaded the summary of achievement of GJ1C 23 as a PDF"),
    # The IQA's sampling plan.
    (event(AssessmentAction.SAMPLING_PLAN_SAVED, actor=CAROL,
           after={"period_start": "2026-09-01", "period_end": "2027-08-31", "must_sample": ["HSC331 of Alice Adams"],
                  "ratings": [{"assessor": "Bob Baker", "rating": "new"}, {"assessor": "Erin Evans", "rating": "in_development"}]}),
     "Carol Clark made their IQA sampling plan for 1 September 2026 to 31 August 2027, rating Bob Baker new and "
     "Erin Evans in development; 1 unit to sample before claim"),
    (event(AssessmentAction.SAMPLING_PLAN_SAVED, actor=CAROL, before={"plan": 1},
           after={"period_start": "2026-09-01", "period_end": "2027-08-31", "ratings": []}),
     "Carol Clark changed their IQA sampling plan for 1 September 2026 to 31 August 2027"),
    # The centre's quality-assurance records and the witness status list (issue 15).
    (event(AssessmentAction.STANDARDISATION_RECORDED, actor=CAROL, after={
        "meeting": 4, "held_on": "2026-11-20", "attendees": ["Bob Baker", "Carol Clark"], "actions": 2,
        "looked_at": "Observations on HSC331a", "outcome": "Agreed"}),
     "Carol Clark recorded the standardisation meeting of 20 November 2026, attended by Bob Baker and Carol Clark, "
     "with 2 actions"),
    (event(AssessmentAction.QUALIFICATION_HELD_ADDED, after={
        "title": "TAQA Assessor Award", "awarding_body": "City & Guilds", "achieved_on": "2019-06-03",
        "files": ["certificate.pdf"], "kind": "taqa_assessor"}),
     "Bob Baker added the qualification “TAQA Assessor Award” (City & Guilds, achieved 3 June 2019), with "
     "certificate.pdf"),
    (event(AssessmentAction.EXPERIENCE_ADDED, after={
        "role": "Senior care worker", "setting": "Riverside Care Home", "started_on": "2012-04-01",
        "ended_on": "2018-03-31"}),
     "Bob Baker added occupational experience as Senior care worker at Riverside Care Home, from 1 April 2012 "
     "to 31 March 2018"),
    (event(AssessmentAction.CPD_RECORDED, after={
        "activity": "Safeguarding update", "done_on": "2026-10-02", "hours": "3.5", "files": []}),
     "Bob Baker recorded 3.5 hours of CPD on 2 October 2026: “Safeguarding update”"),
    (event(AssessmentAction.WITNESS_STATUS_REQUESTED, after={"witness_name": "Wendy Wood", "witness": 3}),
     "Bob Baker asked the witness Wendy Wood to confirm their witness status"),
    (event(AssessmentAction.WITNESS_STATUS_CONFIRMED, actor=None, after={"witness": {
        "name": "Wendy Wood", "job_role": "Team leader", "relationship": "Line manager", "expert": True,
        "expertise": "Registered nurse, 12 years"}}),
     "Wendy Wood confirmed their witness status: Team leader, Line manager, an expert witness: "
     "“Registered nurse, 12 years”"),
    # Rows found changed outside the portfolio, and what the centre recorded about its trail.
    (event(PortfolioAction.EQA_ACCESS_CHANGED, actor=None, after={"said": "It opens nothing."}),
     "The portfolio checked an external quality assurer’s access: It opens nothing."),
    (event(PortfolioAction.PENDING_ROW_CHANGED, actor=None, after={"said": "An invitation of m@x.example was put in."}),
     "The portfolio found a row changed outside it: An invitation of m@x.example was put in."),
    (event(PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED, after={"count": 2, "note": "Compared with the backup."}),
     "Recorded that the centre has dealt with the 2 problems found in its audit trail: Compared with the backup."),
    (event(ExportAction.EXPORT_CHANGED, actor=None, after={
        "kind": "visit pack", "id": 4, "said": "Visit pack 4 of Riverside Training, asked for by Heidi Hughes: its list "
        "of units was changed outside the portfolio. It serves nothing."}),
     "The portfolio checked a visit pack: Visit pack 4 of Riverside Training, asked for by Heidi Hughes: its list of "
     "units was changed outside the portfolio. It serves nothing."),
    (event(AssessmentAction.WITNESS_REQUEST_CHANGED, actor=None, after={
        "request": 5, "said": "A witness testimony link for HSC331 of Alice Adams, to m@example.org, was put in the "
        "database, not sent through the portfolio: it opens nothing."}),
     "The portfolio checked a witness’s testimony link: A witness testimony link for HSC331 of Alice Adams, to "
     "m@example.org, was put in the database, not sent through the portfolio: it opens nothing."),
]


@pytest.mark.parametrize(("recorded", "expected"), CASES, ids=lambda value: getattr(value, "action", None))
def test_each_kind_of_action_reads_as_a_sentence(recorded, expected):
    assert sentence(recorded) == expected


def test_every_action_of_every_app_has_its_sentence():
    """A new action needs a sentence (a line in its app's audit_sentences); until it has one, the
    page shows its summary."""
    every = [member for enumeration in AuditAction.__subclasses__() for member in enumeration]
    assert len(every) >= 34  # the three enumerations, found
    assert [member.value for member in every if not has_sentence(member.value)] == []
    assert {recorded.action for recorded, _ in CASES} == {member.value for member in every}  # each is tested here


def test_an_unknown_action_reads_as_its_summary():
    unknown = AuditEvent(action="elsewhere.thing.happened", actor=BOB, summary="Something happened to E3")
    assert sentence(unknown) == "Something happened to E3"


def test_an_event_of_another_shape_reads_as_its_summary():
    """An event written before its action recorded these facts, or by hand, is still shown."""
    older = event(AssessmentAction.DECISION_RECORDED, after={}, summary="HSC331a.1 recorded as met, citing E1")
    assert sentence(older) == "HSC331a.1 recorded as met, citing E1"


def test_a_long_list_of_references_is_cut_short():
    assert listed(["E1"]) == "E1"
    assert listed([f"E{n}" for n in range(1, 7)]) == "E1, E2, E3, E4, E5 and E6"
    assert listed([f"E{n}" for n in range(1, 11)]) == "E1, E2, E3, E4, E5 and 5 more"


def test_a_person_without_a_name_is_named_by_their_email():
    assert sentence(event(AssessmentAction.UNIT_COUNTERSIGNED, actor=Person(email="x@example.org"))) == (
        "x@example.org countersigned the sign-off"
    )
