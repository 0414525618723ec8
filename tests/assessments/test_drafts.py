"""A draft is the candidate's own until she submits it (issue 13 item 8): nobody else on her case
(Bob her assessor, Carol her IQA, Grace the centre administrator, Heidi the EQA) opens it, downloads
its files, finds it on the unit page, in its audit trail or its CSV, or counts it in a progress
figure; nor does she (`portfolio.progress.counts_as_evidence`), though she sees it listed. Evidence referred back is not a draft: the assessor has seen it, and still does.

The rule is `portfolio.access.shown_to`; the addresses of a draft are also rows of
tests/test_access_matrix.py (DRAFT_ROWS)."""

import re

import pytest
from django.urls import reverse

from assessments.services import judging
from portfolio.models import Evidence
from standards.models import Criterion
from tests.assessments.judging_people import draft, photo, submitted

pytestmark = pytest.mark.django_db

STAFF = ["bob", "carol", "grace", "heidi"]
DRAFT_TITLE = "Notes for my reflective account, not finished"


@pytest.fixture
def drafted(alice, hsc331) -> Evidence:
    """Alice's draft with a photo, mapped to HSC331a.1 and HSC331a.2."""
    return draft(alice, hsc331, title=DRAFT_TITLE, criteria=("HSC331a.1", "HSC331a.2"), uploads=[photo()])


def _get(client, person, url: str):
    client.force_login(person)
    return client.get(url)


def _text(client, person, url: str) -> str:
    response = _get(client, person, url)
    assert response.status_code == 200
    return response.content.decode()


def _unit_page(client, person, enrolment) -> str:
    return _text(client, person, reverse("assessments:enrolment_detail", args=[enrolment.pk]))


@pytest.mark.parametrize("persona", STAFF)
def test_staff_find_neither_a_drafts_page_nor_its_files(client, people, drafted, persona):
    staff = people[persona]

    assert _get(client, staff, reverse("assessments:evidence_detail", args=[drafted.pk])).status_code == 404
    assert _get(client, staff, reverse("portfolio:evidence_file", args=[drafted.files.get().pk])).status_code == 404


def test_the_candidate_opens_her_draft_and_is_told_it_is_hers_alone(client, alice, drafted):
    page = _text(client, alice, reverse("assessments:evidence_detail", args=[drafted.pk]))

    assert DRAFT_TITLE in page
    assert "Only you can see this draft." in page
    assert "Your assessor sees it once you submit it." in page


@pytest.mark.parametrize("persona", STAFF)
def test_staff_see_no_draft_on_the_unit_page_nor_count_it(client, people, hsc331, drafted, persona):
    page = _unit_page(client, people[persona], hsc331)
    criteria = Criterion.objects.filter(unit=hsc331.unit).count()

    assert DRAFT_TITLE not in page
    # As a word: a bare "E1" turns up inside the page's random CSRF token now and then.
    assert not re.search(rf"\b{drafted.reference}\b", page)
    assert f"0 of {criteria}" in page  # criteria with evidence
    assert reverse("assessments:evidence_detail", args=[drafted.pk]) not in page


def test_the_candidate_sees_her_draft_on_her_unit_page_but_it_counts_once_submitted(client, alice, hsc331, drafted):
    """Her figures are her assessor's (an outside trial: her home counted her drafts, his table did not)."""
    page = _unit_page(client, alice, hsc331)

    assert DRAFT_TITLE[:40] in page
    assert reverse("assessments:evidence_detail", args=[drafted.pk]) in page
    assert f"0 of {Criterion.objects.filter(unit=hsc331.unit).count()} with evidence" in page


@pytest.mark.parametrize("persona", STAFF)
def test_staff_read_no_drafts_events_in_the_audit_trail_or_its_csv(client, people, hsc331, drafted, persona):
    page = _unit_page(client, people[persona], hsc331)
    csv = _get(client, people[persona], reverse("assessments:audit_export", args=[hsc331.pk])).content.decode()

    for shown in (page, csv):
        assert DRAFT_TITLE not in shown
        assert f"{drafted.reference} mapped to 2 items" not in shown
    assert f"Alice Adams mapped {drafted.reference} to" not in page


def test_the_candidate_reads_her_drafts_events_in_her_audit_trail(client, alice, hsc331, drafted):
    csv = _get(client, alice, reverse("assessments:audit_export", args=[hsc331.pk])).content.decode()

    assert f"{drafted.reference} “{DRAFT_TITLE}” added with 1 file" in csv
    assert f"{drafted.reference} mapped to 2 items" in csv


@pytest.mark.parametrize("persona", STAFF)
def test_once_submitted_it_is_on_the_case_with_its_history(client, people, alice, hsc331, drafted, persona):
    from portfolio import services

    services.evidence_submit(evidence=drafted, candidate=alice, declared=True)

    assert _get(client, people[persona], reverse("assessments:evidence_detail", args=[drafted.pk])).status_code == 200
    page = _unit_page(client, people[persona], hsc331)
    assert DRAFT_TITLE[:40] in page
    assert f"Alice Adams mapped {drafted.reference} to" in page


@pytest.mark.parametrize("persona", STAFF)
def test_evidence_referred_back_and_being_changed_is_not_a_draft(client, people, alice, bob, hsc331, persona):
    evidence = submitted(alice, hsc331, title="Supporting a family visit")
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")

    assert _get(client, people[persona], reverse("assessments:evidence_detail", args=[evidence.pk])).status_code == 200
    assert "Supporting a family visit" in _unit_page(client, people[persona], hsc331)


def test_the_decisions_page_lists_no_draft(client, bob, hsc331, drafted):
    page = _text(client, bob, reverse("assessments:decisions", args=[hsc331.pk]))

    assert DRAFT_TITLE[:40] not in page


def test_the_assessor_queue_and_home_wait_for_no_draft(client, bob, hsc331, drafted):
    home = _text(client, bob, reverse("home"))
    queue = _text(client, bob, reverse("assessments:queue"))

    assert DRAFT_TITLE[:40] not in home and DRAFT_TITLE[:40] not in queue
    assert "No evidence is waiting for your assessment" in home


# A signed-off unit (tests/assessments/after_sign_off_case.py): E2 "Notes for a later visit" is
# Alice's draft, mapped to HSC331a.1 before Bob signed the unit off. The Evidence tab lists what is
# not part of the signed record apart from it; a draft is not on that list for anyone but Alice.


@pytest.fixture
def signed_off():
    from tests.assessments.after_sign_off_case import signed_off_with_evidence_after

    return signed_off_with_evidence_after()


@pytest.mark.parametrize("persona", STAFF)
def test_staff_find_no_draft_beside_a_signed_off_units_record(client, signed_off, persona):
    staff = signed_off.case.people[persona]
    enrolment = signed_off.case.hsc331
    draft_title = signed_off.draft.title

    page = _unit_page(client, staff, enrolment)
    csv = _get(client, staff, reverse("assessments:audit_export", args=[enrolment.pk])).content.decode()

    assert "Added after sign-off" in page  # the list is there: E3 and Wendy's testimony
    assert "Mapped before sign-off but not signed" not in page
    assert "(Draft)" not in page and "Draft</span>" not in page
    for shown in (page, csv):
        assert draft_title not in shown
        assert not re.search(rf"\b{signed_off.draft.reference}\b", shown)
    assert reverse("assessments:evidence_detail", args=[signed_off.draft.pk]) not in page


def test_the_candidate_finds_her_draft_beside_her_signed_off_units_record(client, signed_off):
    page = _unit_page(client, signed_off.case.alice, signed_off.case.hsc331)

    assert "Mapped before sign-off but not signed" in page
    assert signed_off.draft.title in page


def test_the_signed_off_units_pdf_names_no_draft(signed_off):
    import io

    from pypdf import PdfReader

    from exports.unit_pdf import render_unit_pdf

    pdf = render_unit_pdf(signed_off.case.hsc331)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "Supporting a family visit" in text  # the signed record is there
    assert signed_off.draft.title not in text
