"""A signed-off unit's pages and downloads show its signed record, read from the sign-off's manifest,
and keep apart what is not part of it: evidence added, mapped, submitted or accepted after the
sign-off, evidence mapped before it that no signed decision cites, and what rightly came after the
signature (countersignatures, the IQA's reviews), each with its time.

The case (tests/assessments/after_sign_off_case.py): E1 is the signed record of Alice's HSC331; E2
is a draft mapped before the sign-off; E3 was waiting when Bob signed and he accepted it after; E4
is Wendy's testimony, asked for before the sign-off and given after it. Alice has countersigned.
"""

import csv
import html
import io
import re

import pytest

from assessments import integrity
from assessments.models import Decision, SignOff
from assessments.services import iqa
from portfolio import dates
from tests.assessments.after_sign_off_case import signed_off_with_evidence_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return signed_off_with_evidence_after()


def text_of(fragment: str) -> str:
    lines = re.sub(r"<br\s*/?>", " ", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", lines)).split())


def between(page: str, start: str, end: str) -> str:
    """The page from the end of the tag holding `start` up to `end`."""
    begin = page.index(">", page.index(start)) + 1
    return page[begin:page.index(end, begin)]


def evidence_link(evidence) -> str:
    return f'href="/assessments/evidence/{evidence.pk}/"'


def moment(value) -> str:
    return dates.day_time(value)


def unit_page(client, unit, person) -> str:
    client.force_login(person)
    response = client.get(f"/assessments/units/{unit.case.hsc331.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# The unit page.


def test_the_unit_page_shows_the_signed_record_and_lists_later_evidence_apart(client, unit):
    page = unit_page(client, unit, unit.case.bob)
    record = between(page, 'id="record-heading"', 'id="added-after-heading"')
    assert "The evidence signed (1)" in text_of(record)
    assert evidence_link(unit.signed) in record
    assert "version 1 as signed · 1 file: visit-photo.png" in text_of(record)

    added_after = text_of(between(page, 'id="added-after-heading"', "</section>"))
    assert added_after.startswith("Added after sign-off — not part of the signed record")
    accepted_at = unit.accepted_later.judgements.get().judged_at
    assert (
        f"E3 Lunch club plans (Accepted) Accepted {moment(accepted_at)}, after the sign-off; mapped to HSC331a.2."
        in added_after
    )
    given_at = unit.testimony.created_at
    assert f"Added {moment(given_at)}, after the sign-off; mapped to HSC331a.1, HSC331a.3." in added_after

    # E2 is Alice's draft: her own until she submits it, signed-off unit or not (tests/assessments/test_drafts.py).
    assert "Mapped before sign-off but not signed" not in page
    assert "Notes for a later visit" not in page


def test_the_candidate_finds_her_draft_listed_apart_from_the_signed_record(client, unit):
    page = unit_page(client, unit, unit.case.alice)

    not_cited = text_of(between(page, 'id="not-cited-heading"', "</section>"))
    assert not_cited.startswith("Mapped before sign-off but not signed — not part of the signed record")
    assert "E2 Notes for a later visit (Draft) mapped to HSC331a.1" in not_cited


def test_the_criteria_of_a_signed_off_unit_show_only_the_evidence_signed(client, unit):
    page = unit_page(client, unit, unit.case.alice)
    criteria = between(page, 'id="criteria-heading"', 'id="knowledge-heading"')
    assert evidence_link(unit.signed) in criteria
    for later in (unit.draft, unit.accepted_later, unit.testimony):
        assert evidence_link(later) not in criteria
    # The progress counts the record too: E1 is mapped to every item.
    assert "17 of 17" in text_of(between(page, 'id="progress-heading"', 'id="missing-heading"'))


def test_a_citation_written_into_the_database_after_sign_off_is_not_shown_as_signed(client, unit):
    decision = Decision.objects.standing().get(enrolment=unit.case.hsc331, criterion__reference="HSC331a.2")
    decision.evidence.add(unit.accepted_later)  # by hand: the service refuses on a locked unit

    page = unit_page(client, unit, unit.case.carol)
    row = text_of(between(page, 'id="hsc331a-2"', "</li>"))
    assert "citing E1." in row and "E3" not in row
    decisions = client.get(f"/assessments/units/{unit.case.hsc331.pk}/decisions/").content.decode()
    signed_row = text_of(between(decisions, 'id="hsc331a-2"', "</li>"))
    assert "citing E1 Supporting a family visit" in signed_row and "E3" not in signed_row
    assert "The decisions below are those signed, as the sign-off recorded them." in decisions
    # The integrity check, for its part, names the change.
    assert "HSC331a.2: the decision has changed since sign-off" in " ".join(integrity.verify(unit.sign_off))


def test_what_came_after_the_signature_is_shown_as_such_with_its_time(client, unit):
    iqa.sample_add(iqa=unit.case.carol, enrolments=[unit.case.hsc331])
    review = iqa.review_record(review_or_enrolment=unit.case.hsc331, iqa=unit.case.carol, outcome="countersigned")
    unit.sign_off.refresh_from_db()

    page = unit_page(client, unit, unit.case.people["grace"])
    since = text_of(between(page, "Since the sign-off", "</ul>"))
    assert f"{moment(unit.sign_off.candidate_signed_at)}: Countersigned by the candidate, Alice Adams." in since
    assert f"{moment(review.sampled_at)}: Taken into the IQA’s sample by Carol Clark." in since
    assert f"{moment(review.reviewed_at)}: Countersigned by the IQA, Carol Clark." in since


def test_a_unit_not_signed_off_shows_no_record_and_every_mapped_item(client, unit):
    from assessments.services.signoff import unit_unlock

    unit_unlock(enrolment=unit.case.hsc331, person=unit.case.bob, reason="E3 belongs in the record.")
    page = unit_page(client, unit, unit.case.bob)
    assert 'id="record-heading"' not in page and "Added after sign-off" not in page
    criteria = between(page, 'id="criteria-heading"', 'id="knowledge-heading"')
    assert evidence_link(unit.accepted_later) in criteria and evidence_link(unit.testimony) in criteria


def test_a_manifest_emptied_in_the_database_shows_an_empty_record_not_the_live_rows(client, unit):
    manifest = {**unit.sign_off.manifest, "decisions": [], "evidence": [], "files": []}
    SignOff.objects.filter(pk=unit.sign_off.pk).update(manifest=manifest)

    page = unit_page(client, unit, unit.case.bob)
    assert "The signed record itself has been altered" in page
    assert "0 decisions resting on 0 evidence items" in text_of(page)
    assert "Met on" not in between(page, 'id="criteria-heading"', 'id="knowledge-heading"')


def test_a_manifest_naming_someone_elses_evidence_shows_none_of_it(client, unit):
    from tests.assessments.unit_case import submitted_evidence

    daves = submitted_evidence(unit.case, candidate=unit.case.dave, title="Dave's own visit", enrolment=unit.case.dave_hsc331)
    manifest = dict(unit.sign_off.manifest)
    manifest["evidence"] = [*manifest["evidence"], {"ref": "E1", "id": daves.pk, "version": 1}]
    SignOff.objects.filter(pk=unit.sign_off.pk).update(manifest=manifest)

    page = unit_page(client, unit, unit.case.alice)
    assert "Dave&#x27;s own visit" not in page and "Dave's own visit" not in page
    assert evidence_link(daves) not in page


# The audit trail, on the page and as CSV: the whole history, each event placed against the record.


def test_the_audit_csv_says_where_each_event_stands_against_the_signed_record(client, unit):
    client.force_login(unit.case.people["grace"])
    text = client.get(f"/assessments/units/{unit.case.hsc331.pk}/audit.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))

    def against(action: str, reference: str = "") -> set[str]:
        return {r["signed record"] for r in rows if r["action"] == action and reference in r["summary"]}

    assert against("assessments.unit.signed_off") == {"the sign-off"}
    assert against("assessments.unit.countersigned") == {"after sign-off"}
    assert against("portfolio.evidence.submitted", "E1 ") == {"before sign-off"}
    assert against("assessments.evidence.accepted", "E3 ") == {"after sign-off; not part of the signed record"}
    assert against("assessments.testimony.given") == {"after sign-off; not part of the signed record"}
    # E2 is Alice's draft: her own until she submits it, so not in the administrator's download.
    assert against("portfolio.evidence.created", "E2 ") == set()
    assert against("portfolio.evidence.submitted", "E3 ") == {"before sign-off; not part of the signed record"}


def test_the_candidates_audit_csv_marks_her_draft_as_outside_the_signed_record(client, unit):
    client.force_login(unit.case.alice)
    text = client.get(f"/assessments/units/{unit.case.hsc331.pk}/audit.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))

    created = {r["signed record"] for r in rows if r["action"] == "portfolio.evidence.created" and "E2 " in r["summary"]}
    assert created == {"before sign-off; not part of the signed record"}


def test_the_audit_trail_on_the_page_marks_what_came_after_the_sign_off(client, unit):
    page = unit_page(client, unit, unit.case.bob)
    trail = between(page, 'id="audit-heading"', "</ol>")
    rows = [text_of(row) for row in trail.split('<li class="audit-event">')[1:]]
    countersigned = next(row for row in rows if "Alice Adams countersigned the sign-off" in row)
    assert "· After sign-off" in countersigned and "not part" not in countersigned
    testimony = next(row for row in rows if "gave witness testimony" in row)
    assert "· After sign-off; not part of the signed record" in testimony
    signed = next(row for row in rows if "Bob Baker signed the unit off" in row)
    assert "· The sign-off" in signed
