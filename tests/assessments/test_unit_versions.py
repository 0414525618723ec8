"""Versions of a unit (issue 14 item 5): a version-1 sign-off still verifies, and its pages and PDF
still show version 1's words, once version 2 of HSC331 is in the catalogue; an enrolment stays on
its version until a centre administrator moves it, with a preview of what carries over (mappings and
decisions on items whose words are unchanged, by reference) and what is flagged for the assessor."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments import integrity
from assessments.models import Decision, ReferralNote, TestimonyRequest
from assessments.services import versions
from exports.unit_pdf import render_unit_pdf
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Enrolment, Notification
from standards.models import Criterion
from tests.assessments.unit_case import (
    accepted_evidence,
    build_case,
    meet,
    signed_as_the_service_signs,
    submitted_evidence,
)
from tests.standards.unit_versions import new_version

pytestmark = pytest.mark.django_db

OLD_WORDS = "you support individuals to identify and communicate:"
NEW_WORDS = "you support individuals to find out and say what they want from their relationships:"


@pytest.fixture
def case():
    return build_case()


def _signed_off(case):
    evidence = accepted_evidence(case)
    meet(case, case.hsc331, [evidence])
    sign_off = signed_as_the_service_signs(case.hsc331, case.bob)
    integrity.countersign(sign_off, signed_at=timezone.now())
    sign_off.save()
    return sign_off


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_version_1_sign_off_still_verifies_and_shows_version_1s_words_beside_version_2(case, client):
    sign_off = _signed_off(case)
    version_2 = new_version("HSC331", "2", words={"HSC331a.1": NEW_WORDS})
    assert Criterion.objects.get(unit=version_2, reference="HSC331a.1").text == NEW_WORDS

    assert integrity.verify(sign_off) == []
    client.force_login(case.bob)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "v1 · Legacy" in page
    assert "identify and communicate:" in page and NEW_WORDS not in page
    assert 'data-integrity="intact"' in page and "has changed since" not in page.lower()
    text = _text(render_unit_pdf(Enrolment.objects.get(pk=case.hsc331.pk)))
    assert "version 1 (legacy)" in text
    assert "identify and communicate" in text and "find out and say" not in text
    assert "CHANGED SINCE SIGN-OFF" not in text


def test_a_signed_off_enrolment_cannot_be_moved(case, client):
    _signed_off(case)
    version_2 = new_version("HSC331", "2", words={"HSC331a.1": NEW_WORDS})
    with pytest.raises(PortfolioError, match="signed off on version 1, so it cannot be moved"):
        versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_2, administrator=case.grace)
    client.force_login(case.grace)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/version/").content.decode()
    assert "cannot be moved" in page and 'type="submit"' not in page.split("<main", 1)[-1].split("Back to the unit")[0]
    refused = client.post(f"/assessments/units/{case.hsc331.pk}/version/", {"to_unit": version_2.pk, "confirmed": "on"})
    assert refused.status_code == 400
    case.hsc331.refresh_from_db()
    assert case.hsc331.unit.version == "1"


def _moved_case(case):
    """Alice's HSC331 met on one accepted evidence item, all but its last two knowledge items; version
    2 changes HSC331a.1's words and drops HSC331c.7."""
    evidence = accepted_evidence(case)
    meet(case, case.hsc331, [evidence], skip=2)
    version_2 = new_version("HSC331", "2", words={"HSC331a.1": NEW_WORDS}, dropped=("HSC331c.7",))
    return evidence, version_2


def test_the_preview_says_what_carries_over_and_what_is_flagged(case, client):
    _moved_case(case)
    client.force_login(case.grace)
    unit_page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert f'href="/assessments/units/{case.hsc331.pk}/version/"' in unit_page
    page = client.get(f"/assessments/units/{case.hsc331.pk}/version/").content.decode()
    assert "What moving to version 2 does" in page
    row_a1 = page[page.index(">HSC331a.1<"):].split("</tr>")[0]
    assert "the words changed: the assessor decides again" in row_a1 and "withdrawn" in row_a1
    row_a2 = page[page.index(">HSC331a.2<"):].split("</tr>")[0]
    assert "Carried over" in row_a2 and "words unchanged" in row_a2
    row_c7 = page[page.index(">HSC331c.7<"):].split("</tr>")[0]
    assert "not in version 2: left behind" in row_c7
    # Nothing moved by looking.
    case.hsc331.refresh_from_db()
    assert case.hsc331.unit.version == "1"


def test_moving_carries_over_unchanged_items_and_flags_the_rest(case, client):
    evidence, version_2 = _moved_case(case)
    standing_before = Decision.objects.standing().filter(enrolment=case.hsc331).count()
    client.force_login(case.grace)
    refused = client.post(f"/assessments/units/{case.hsc331.pk}/version/", {"to_unit": version_2.pk})
    assert refused.status_code == 400 and "Confirm that you have read what carries over" in refused.content.decode()

    response = client.post(f"/assessments/units/{case.hsc331.pk}/version/", {"to_unit": version_2.pk, "confirmed": "on"})
    assert response.status_code == 302
    case.hsc331.refresh_from_db()
    assert case.hsc331.unit == version_2
    standing = Decision.objects.standing().filter(enrolment=case.hsc331).select_related("criterion", "knowledge_item")
    # Every standing decision is on version 2's items; HSC331a.1's was withdrawn (its words changed),
    # and HSC331c.7's (version 2 has no such criterion).
    assert {d.item.unit_id for d in standing} == {version_2.pk}
    assert standing.count() == standing_before - 2
    withdrawn = Decision.objects.get(enrolment=case.hsc331, criterion__reference="HSC331a.1", withdrawn_at__isnull=False)
    assert "whose words for HSC331a.1 differ" in withdrawn.withdrawal_reason and withdrawn.withdrawn_by == case.grace
    gone = Decision.objects.get(enrolment=case.hsc331, criterion__reference="HSC331c.7")
    assert "which has no HSC331c.7" in gone.withdrawal_reason
    # The mapping of HSC331a.1 carried over (the assessor decides on the new words); HSC331c.7 stays on version 1.
    assert set(evidence.criteria.filter(reference="HSC331a.1").values_list("unit__version", flat=True)) == {"2"}
    assert set(evidence.criteria.filter(reference="HSC331c.7").values_list("unit__version", flat=True)) == {"1"}

    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "v2 · Current" in page and NEW_WORDS in page
    assert "Grace" in page and "moved the unit from version 1 to version 2" in page
    event = AuditEvent.objects.get(action="assessments.unit.version_moved")
    assert event.after["changed"] == ["HSC331a.1"] and event.after["gone"] == ["HSC331c.7"]
    for person in (case.alice, case.bob):
        (told,) = Notification.objects.filter(recipient=person, message__contains="moved")
        assert "to version 2" in told.message and "HSC331a.1" in told.message and "HSC331c.7" in told.message


def test_an_enrolment_stays_on_its_version_when_a_newer_one_is_imported(case):
    new_version("HSC331", "2", words={"HSC331a.1": NEW_WORDS})
    case.hsc331.refresh_from_db()
    assert case.hsc331.unit.version == "1"


def test_only_a_centre_administrator_moves_an_enrolment(case):
    _evidence, version_2 = _moved_case(case)
    with pytest.raises(PortfolioError, match="Only a centre administrator"):
        versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_2, administrator=case.bob)


# Only forwards: a candidate never moves back to a version the standard has left behind.


def test_a_moved_enrolment_cannot_go_back_and_the_older_version_is_not_offered(case, client):
    _evidence, version_2 = _moved_case(case)
    version_1 = case.hsc331.unit
    versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_2, administrator=case.grace)
    case.hsc331.refresh_from_db()

    with pytest.raises(PortfolioError, match=r"Version 1 of HSC331 is older than version 2, which Alice .* is on"):
        versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_1, administrator=case.grace)

    client.force_login(case.grace)
    assert "Move to a newer version" not in client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    page = client.get(f"/assessments/units/{case.hsc331.pk}/version/?to={version_1.pk}").content.decode()
    assert "The catalogue holds no newer version of HSC331" in page and f'value="{version_1.pk}"' not in page
    refused = client.post(f"/assessments/units/{case.hsc331.pk}/version/", {"to_unit": version_1.pk, "confirmed": "on"})
    assert refused.status_code == 400
    case.hsc331.refresh_from_db()
    assert case.hsc331.unit == version_2


def test_versions_are_ordered_by_number_where_both_are_numbers_and_else_by_import(case, client):
    version_10 = new_version("HSC331", "10")
    version_9 = new_version("HSC331", "9")  # imported later, but older by its number

    client.force_login(case.grace)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/version/").content.decode()
    assert page.index("Version 9 (") < page.index("Version 10 (")  # offered oldest first
    assert "What moving to version 10 does" in page  # the newest is previewed

    versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_10, administrator=case.grace)
    case.hsc331.refresh_from_db()
    with pytest.raises(PortfolioError, match="Version 9 of HSC331 is older than version 10"):
        versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_9, administrator=case.grace)


def test_the_rule_of_which_version_is_newer():
    from standards.versions import is_newer_version

    assert is_newer_version("2", "1", imported_later=False)
    assert is_newer_version("10", "9", imported_later=False)
    assert is_newer_version("1.10", "1.9", imported_later=False)
    assert not is_newer_version("1", "2", imported_later=True)
    # Not both numbers, or the same number written twice: the one imported later.
    assert is_newer_version("B", "A", imported_later=True) and not is_newer_version("B", "A", imported_later=False)
    assert is_newer_version("1.0", "1", imported_later=True)


# The assessor's referral notes and the witness links still waiting follow the items.


def _referred_with_notes_and_links(case):
    """Alice's evidence referred back with a note on HSC331a.1 (its words change in version 2),
    HSC331a.2 (unchanged) and HSC331c.7 (gone in version 2); a witness link waiting for HSC331a.2 and
    HSC331c.7, and one already used for HSC331a.2."""
    from assessments.services import judging, witness

    evidence = submitted_evidence(case)
    criteria = {c.reference: c for c in Criterion.objects.filter(unit=case.hsc331.unit)}
    judging.evidence_refer_back(
        evidence=evidence, assessor=case.bob, feedback="Say more about the visit.",
        notes={criteria["HSC331a.1"]: "Who chose the contact?", criteria["HSC331a.2"]: "Name the network.",
               criteria["HSC331c.7"]: "What did you record?"},
    )
    waiting = witness.testimony_request(
        enrolment=case.hsc331, requested_by=case.alice, witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org", criteria=[criteria["HSC331a.2"], criteria["HSC331c.7"]],
    )
    used = witness.testimony_request(
        enrolment=case.hsc331, requested_by=case.alice, witness_name="Uma Used",
        witness_email="uma@care.example.org", criteria=[criteria["HSC331a.2"]],
    )
    TestimonyRequest.objects.filter(pk=used.pk).update(used_at=timezone.now())
    version_2 = new_version("HSC331", "2", words={"HSC331a.1": NEW_WORDS}, dropped=("HSC331c.7",))
    return waiting, used, version_2


def test_the_preview_says_where_referral_notes_and_waiting_witness_links_go(case, client):
    _referred_with_notes_and_links(case)
    client.force_login(case.grace)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/version/").content.decode()

    row_a2 = page[page.index(">HSC331a.2<"):].split("</tr>")[0]
    assert "1 note; 1 waiting link (Wendy Walsh), moved to version 2" in row_a2
    row_c7 = page[page.index(">HSC331c.7<"):].split("</tr>")[0]
    assert "1 note; 1 waiting link (Wendy Walsh), <strong>left with version 1</strong>" in row_c7
    assert "Uma Used" not in page  # a testimony given stays as it was asked for


def test_moving_takes_referral_notes_and_waiting_witness_links_to_the_new_items(case):
    waiting, used, version_2 = _referred_with_notes_and_links(case)

    versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_2, administrator=case.grace)

    notes = {note.item.reference: note.item.unit.version for note in ReferralNote.objects.all()}
    assert notes == {"HSC331a.1": "2", "HSC331a.2": "2", "HSC331c.7": "1"}  # c.7 is gone: left, and flagged
    assert {(c.reference, c.unit.version) for c in waiting.criteria.all()} == {("HSC331a.2", "2"), ("HSC331c.7", "1")}
    assert {(c.reference, c.unit.version) for c in used.criteria.all()} == {("HSC331a.2", "1")}
    event = AuditEvent.objects.get(action="assessments.unit.version_moved")
    assert event.after["notes_moved"] == ["HSC331a.1", "HSC331a.2"]
    assert event.after["witness_requests_moved"] == ["HSC331a.2"] and event.after["left_behind"] == ["HSC331c.7"]
    (told,) = Notification.objects.filter(recipient=case.bob, message__contains="moved")
    assert "HSC331c.7" in told.message
