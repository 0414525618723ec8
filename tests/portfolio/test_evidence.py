"""A candidate's evidence: adding it, changing it with its history kept, mapping it across units,
submitting it with a declaration, deleting a draft, and the pages that show it.

Alice is the candidate, registered on HSC331 and H3 25. Bob is her assessor and Carol her IQA.
Dave is another candidate at the centre, registered on HSC331 only.
"""

import datetime
import functools
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio import services
from portfolio.errors import PortfolioError, UploadRejected
from portfolio.models import (
    AssessmentMethod,
    AuditEvent,
    Declaration,
    Evidence,
    EvidenceFile,
    EvidenceRevision,
    EvidenceState,
)
from standards.models import Criterion, KnowledgeItem, ScopeItem
from standards.templatetags.standard_text import anchor_id
from tests.factories import CentreFactory, EvidenceFactory, enrol
from tests.portfolio import hostile_files

pytestmark = pytest.mark.django_db

ACCOUNT = "I supported Person A to phone their sister and plan a visit; they chose the date."
HOLISTIC = ["HSC331a.1", "HSC331 K6", "H3 25.7"]


@pytest.fixture
def dave(dave, centre, bob, carol):
    """Another candidate of Bob's, on HSC331 (the cast's Dave, assessed here by Bob)."""
    enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return dave


@pytest.fixture
def alice_client(client, alice, hsc331, h3_25):
    client.force_login(alice)
    return client


# Files and evidence.


@functools.cache
def _pdf_bytes() -> bytes:
    return hostile_files.pdf_document()


def photo(name: str = "visit-photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, hostile_files.png_image(), content_type="image/png")


def pdf(name: str = "support-plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf_bytes(), content_type="application/pdf")


def html_named_pdf(name: str = "observation.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, hostile_files.HTML_PAGE, content_type="application/pdf")


def stored_files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def last_week() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=7)


def add_evidence(candidate, centre, **fields) -> Evidence:
    fields = {
        "title": "Supporting a family visit",
        "method": AssessmentMethod.REFLECTIVE_ACCOUNT,
        "activity_date": last_week(),
        "account": ACCOUNT,
        **fields,
    }
    return services.evidence_create(candidate=candidate, centre=centre, author=candidate, **fields)


def change(evidence: Evidence, editor, **fields) -> Evidence:
    current = {
        "title": evidence.title,
        "method": evidence.method,
        "activity_date": evidence.activity_date,
        "location": evidence.location,
        "account": evidence.account,
    }
    return services.evidence_update(evidence=evidence, editor=editor, **{**current, **fields})


def map_to(evidence: Evidence, editor, references: list[str]) -> Evidence:
    return services.evidence_map(
        evidence=evidence,
        editor=editor,
        criteria=Criterion.objects.filter(reference__in=references),
        knowledge_items=KnowledgeItem.objects.filter(reference__in=references),
        scope_items=[],
    )


def submitted(evidence: Evidence, candidate, references=("HSC331a.1",)) -> Evidence:
    map_to(evidence, candidate, list(references))
    return services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)


def form_fields(**fields) -> dict:
    return {
        "title": "Supporting a family visit",
        "method": AssessmentMethod.REFLECTIVE_ACCOUNT,
        "activity_date": last_week().isoformat(),
        "location": "Day centre",
        "account": ACCOUNT,
        **fields,
    }


def unit_row(page: str, reference: str) -> str:
    """The part of a unit page about one criterion or knowledge item: from its row to the next."""
    start = page.index(f'<li id="{anchor_id(reference)}"')
    end = page.find('<li id="', start + 1)
    return page[start : end if end > 0 else len(page)]


def missing_section(page: str) -> str:
    return page[page.index('id="missing-heading"') : page.index('id="criteria-heading"')]


# Adding evidence.


def test_it_numbers_each_candidates_evidence_from_e1(alice, dave, centre, hsc331):
    first = add_evidence(alice, centre, title="Family visit")
    second = add_evidence(alice, centre, title="Phone call")
    daves_first = add_evidence(dave, centre, title="Day trip")

    assert (first.reference, second.reference, daves_first.reference) == ("E1", "E2", "E1")
    assert first.state == second.state == EvidenceState.DRAFT
    assert first.version == 1


def test_it_stores_each_file_under_its_own_name_with_its_sha256(alice, centre, hsc331, evidence_root):
    evidence = add_evidence(alice, centre, uploads=[photo(), pdf()])

    files = list(evidence.files.order_by("id"))
    assert [f.original_name for f in files] == ["visit-photo.png", "support-plan.pdf"]
    assert [f.content_type for f in files] == ["image/png", "application/pdf"]
    for evidence_file, content in zip(files, [hostile_files.png_image(), _pdf_bytes()], strict=True):
        stored = evidence_root / evidence_file.file.name
        assert stored.read_bytes() == content
        assert evidence_file.sha256 == hashlib.sha256(content).hexdigest()
        assert evidence_file.size == len(content)
        assert evidence_file.added_in_version == 1
        # The uploader's name is only a label, never part of where the bytes are kept.
        assert evidence_file.original_name not in evidence_file.file.name


def test_it_records_the_new_evidence_in_the_audit_trail(alice, centre, hsc331):
    evidence = add_evidence(alice, centre, uploads=[photo()])

    event = AuditEvent.objects.get(action="portfolio.evidence.created")
    assert (event.actor, event.candidate, event.centre, event.evidence_id) == (
        alice,
        alice,
        centre,
        evidence.pk,
    )
    assert event.after["title"] == "Supporting a family visit"
    assert event.after["files"] == ["visit-photo.png"]


def test_it_refuses_a_future_activity_date_and_saves_nothing(alice, centre, hsc331, evidence_root):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(PortfolioError, match=r"The date of the activity cannot be in the future\."):
        add_evidence(alice, centre, activity_date=tomorrow, uploads=[photo()])

    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.exists()
    assert stored_files(evidence_root) == []


def test_it_refuses_a_future_date_in_the_form_with_a_message(alice_client, evidence_root):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = alice_client.post(
        "/portfolio/evidence/new/", form_fields(activity_date=tomorrow.isoformat(), files=[photo()])
    )

    assert response.status_code == 400
    assert "The date of the activity cannot be in the future." in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(evidence_root) == []


def test_it_refuses_evidence_with_no_file_and_no_account(alice, centre, hsc331):
    with pytest.raises(PortfolioError, match="Add at least one file or write an account"):
        add_evidence(alice, centre, account="   ")

    assert not Evidence.objects.exists()


def test_it_refuses_a_candidate_not_registered_at_that_centre(alice, centre, hsc331, evidence_root):
    elsewhere = CentreFactory(name="Hillside College", code="hillside")

    with pytest.raises(PortfolioError, match="registered on a unit here"):
        add_evidence(alice, elsewhere, uploads=[photo()])

    assert not Evidence.objects.exists()
    assert stored_files(evidence_root) == []


# Changing evidence keeps its history.


def test_it_keeps_the_old_words_as_a_revision(alice, centre, hsc331):
    evidence = add_evidence(alice, centre, title="Family visit")

    evidence = change(evidence, alice, title="Supporting a family visit", account="What I did, in full.")

    assert evidence.version == 2
    assert (evidence.title, evidence.account) == ("Supporting a family visit", "What I did, in full.")
    revision = EvidenceRevision.objects.get(evidence=evidence)
    assert (revision.version, revision.title, revision.account) == (1, "Family visit", ACCOUNT)
    assert revision.replaced_by == alice
    event = AuditEvent.objects.get(action="portfolio.evidence.changed")
    assert (event.before["title"], event.after["title"]) == ("Family visit", "Supporting a family visit")


def test_it_keeps_a_removed_files_row_and_bytes_and_lists_it_as_removed(
    alice_client, alice, centre, evidence_root
):
    evidence = add_evidence(alice, centre, uploads=[photo(), pdf()])
    old_photo = evidence.files.get(original_name="visit-photo.png")

    change(evidence, alice, remove_file_ids=[old_photo.pk])

    old_photo.refresh_from_db()
    assert old_photo.removed_in_version == 2
    assert (evidence_root / old_photo.file.name).read_bytes() == hostile_files.png_image()
    page = alice_client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()
    current, removed = page.split("Removed files")
    current = current.split('id="history-heading"')[0]  # the history says it was removed, in a sentence
    assert "visit-photo.png" in removed
    assert "(in version 1)" in removed
    assert "visit-photo.png" not in current
    assert "support-plan.pdf" in current


def test_it_adds_files_in_an_edit(alice, centre, hsc331, evidence_root):
    evidence = add_evidence(alice, centre, uploads=[photo()])

    evidence = change(evidence, alice, uploads=[pdf()])

    assert evidence.version == 2
    added = evidence.files.get(original_name="support-plan.pdf")
    assert (added.added_in_version, added.removed_in_version) == (2, None)
    assert len(stored_files(evidence_root)) == 2


def test_it_makes_no_revision_for_an_edit_that_changes_nothing(alice, centre, hsc331):
    evidence = add_evidence(alice, centre, location="Day centre")

    evidence = change(evidence, alice)

    assert evidence.version == 1
    assert not EvidenceRevision.objects.exists()
    assert not AuditEvent.objects.filter(action="portfolio.evidence.changed").exists()


def test_it_changes_nothing_at_all_when_an_edit_brings_a_rejected_file(alice, centre, hsc331, evidence_root):
    evidence = add_evidence(alice, centre, title="Family visit", uploads=[photo()])
    before = stored_files(evidence_root)

    with pytest.raises(UploadRejected) as rejection:
        change(evidence, alice, title="A new title", uploads=[pdf(), html_named_pdf()])

    assert [name for name, _ in rejection.value.problems] == ["observation.pdf"]
    evidence.refresh_from_db()
    assert (evidence.title, evidence.version) == ("Family visit", 1)
    assert not EvidenceRevision.objects.exists()
    assert evidence.files.count() == 1
    assert stored_files(evidence_root) == before


# Mapping across units.


def test_it_maps_one_item_across_two_units_and_shows_it_on_both(alice_client, alice, centre, hsc331, h3_25):
    evidence = add_evidence(alice, centre, title="Supporting a family visit")

    map_to(evidence, alice, HOLISTIC)

    assert sorted(evidence.criteria.values_list("reference", flat=True)) == ["H3 25.7", "HSC331a.1"]
    assert list(evidence.knowledge_items.values_list("reference", flat=True)) == ["HSC331 K6"]
    hsc331_page = alice_client.get(f"/assessments/units/{hsc331.pk}/").content.decode()
    h3_25_page = alice_client.get(f"/assessments/units/{h3_25.pk}/").content.decode()
    for page, reference in [(hsc331_page, "HSC331a.1"), (hsc331_page, "HSC331 K6"), (h3_25_page, "H3 25.7")]:
        row = unit_row(page, reference)
        assert "E1</span> Supporting a family visit" in row, f"E1 should show beside {reference}"
    assert "No evidence yet" in unit_row(hsc331_page, "HSC331a.2")
    assert "No evidence yet" in unit_row(h3_25_page, "H3 25.6")


def test_it_refuses_to_map_to_a_unit_the_candidate_is_not_on(dave, centre):
    evidence = add_evidence(dave, centre)
    map_to(evidence, dave, ["HSC331a.1"])

    with pytest.raises(PortfolioError, match="units the candidate is registered on"):
        map_to(evidence, dave, ["HSC331a.1", "H3 25.7"])

    assert list(evidence.criteria.values_list("reference", flat=True)) == ["HSC331a.1"]


def test_it_audits_the_mapping_before_and_after(alice, centre, hsc331, h3_25):
    evidence = add_evidence(alice, centre)
    map_to(evidence, alice, ["HSC331a.1"])

    map_to(evidence, alice, HOLISTIC)

    event = AuditEvent.objects.filter(action="portfolio.evidence.mapped").first()  # the newest
    assert event.before == {
        "criteria": ["HSC331a.1"], "knowledge_items": [], "scope_items": [], "in_order": ["HSC331a.1"]
    }
    assert event.after == {
        "criteria": ["H3 25.7", "HSC331a.1"],
        "knowledge_items": ["HSC331 K6"],
        "scope_items": [],
        "in_order": ["H3 25.7", "HSC331a.1", "HSC331 K6"],  # unit by unit
    }
    assert event.actor == alice


# Submitting.


def test_it_needs_the_declaration_ticked_to_submit(alice_client, alice, centre):
    evidence = add_evidence(alice, centre)
    map_to(evidence, alice, ["HSC331a.1"])

    response = alice_client.post(f"/portfolio/evidence/{evidence.pk}/submit/", {})

    assert "Tick the box to confirm the declaration before you submit." in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.DRAFT
    assert not Declaration.objects.exists()
    with pytest.raises(PortfolioError, match="Confirm the declaration"):
        services.evidence_submit(evidence=evidence, candidate=alice, declared=False)


def test_it_needs_a_mapping_to_submit(alice_client, alice, centre):
    evidence = add_evidence(alice, centre)

    response = alice_client.post(f"/portfolio/evidence/{evidence.pk}/submit/", {"declared": "on"})

    assert "Map the evidence to at least one criterion or knowledge item first." in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.DRAFT
    assert not Declaration.objects.exists()


def test_it_records_who_declared_the_evidence_and_when(alice_client, alice, centre):
    evidence = add_evidence(alice, centre)
    map_to(evidence, alice, ["HSC331a.1"])
    before = timezone.now()

    response = alice_client.post(f"/portfolio/evidence/{evidence.pk}/submit/", {"declared": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == f"/assessments/evidence/{evidence.pk}/"
    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.SUBMITTED
    declaration = Declaration.objects.get(evidence=evidence)
    assert (declaration.declared_by, declaration.version, declaration.text) == (alice, 1, Declaration.TEXT)
    assert before <= declaration.declared_at <= timezone.now()
    assert evidence.submitted_at == declaration.declared_at
    page = response.content.decode()
    assert "Submitted for assessment" in page
    assert "Declared</strong> by Alice Adams" in page
    assert AuditEvent.objects.filter(action="portfolio.evidence.submitted", evidence_id=evidence.pk).exists()


def test_it_makes_submitted_evidence_read_only_to_the_candidate(alice, centre, hsc331):
    evidence = submitted(add_evidence(alice, centre, title="Family visit"), alice)

    with pytest.raises(PortfolioError, match="E1 is submitted for assessment and cannot be changed"):
        change(evidence, alice, title="Changed after submitting")
    with pytest.raises(PortfolioError, match="cannot be changed"):
        map_to(evidence, alice, ["HSC331a.2"])
    with pytest.raises(PortfolioError, match="cannot be deleted"):
        services.evidence_delete_draft(evidence=evidence, candidate=alice)

    evidence.refresh_from_db()
    assert (evidence.title, evidence.version, evidence.state) == ("Family visit", 1, EvidenceState.SUBMITTED)
    assert list(evidence.criteria.values_list("reference", flat=True)) == ["HSC331a.1"]


def test_it_sends_the_candidate_back_from_changing_submitted_evidence(alice_client, alice, centre):
    evidence = submitted(add_evidence(alice, centre, title="Family visit"), alice)

    response = alice_client.get(f"/portfolio/evidence/{evidence.pk}/edit/", follow=True)
    posted = alice_client.post(f"/portfolio/evidence/{evidence.pk}/edit/", form_fields(title="Changed"))

    assert response.redirect_chain == [(f"/assessments/evidence/{evidence.pk}/", 302)]
    assert "E1 is submitted for assessment, so it cannot be changed now." in response.content.decode()
    assert posted.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.version) == ("Family visit", 1)


def test_it_lets_the_candidate_change_and_resubmit_referred_evidence(alice, centre, hsc331):
    evidence = submitted(add_evidence(alice, centre, title="Family visit"), alice)
    # What the assessor's referral does to the evidence, until issue 4 gives it a service.
    Evidence.objects.filter(pk=evidence.pk).update(state=EvidenceState.REFERRED)
    evidence.refresh_from_db()

    evidence = change(evidence, alice, account="I added what my assessor asked about: how I checked consent.")
    map_to(evidence, alice, ["HSC331a.1", "HSC331a.2"])
    evidence = services.evidence_submit(evidence=evidence, candidate=alice, declared=True)

    assert (evidence.state, evidence.version) == (EvidenceState.SUBMITTED, 2)
    declarations = list(Declaration.objects.filter(evidence=evidence))
    assert [(d.version, d.declared_by) for d in declarations] == [(1, alice), (2, alice)]


# Deleting a draft.


def test_it_deletes_a_draft_with_its_files_and_keeps_the_audit_event(
    alice_client, alice, centre, evidence_root, django_capture_on_commit_callbacks
):
    evidence = add_evidence(alice, centre, title="Family visit", uploads=[photo(), pdf()])
    map_to(evidence, alice, ["HSC331a.1"])
    assert len(stored_files(evidence_root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/portfolio/evidence/{evidence.pk}/delete/", follow=True)

    assert response.redirect_chain == [("/portfolio/evidence/", 302)]
    assert "Draft E1 “Family visit” is deleted." in response.content.decode()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_root) == []
    event = AuditEvent.objects.get(action="portfolio.evidence.deleted")
    assert (event.actor, event.before["reference"], event.before["title"]) == (alice, "E1", "Family visit")


def test_the_delete_page_of_a_draft_offers_to_delete_it(alice_client, alice, centre):
    evidence = add_evidence(alice, centre, title="Family visit")

    page = alice_client.get(f"/portfolio/evidence/{evidence.pk}/delete/").content.decode()

    assert "<h1>Delete draft E1 “Family visit”?</h1>" in page
    assert ">Delete this draft</button>" in page


@pytest.mark.parametrize("state", [EvidenceState.SUBMITTED, EvidenceState.REFERRED, EvidenceState.ACCEPTED])
def test_the_delete_page_of_submitted_evidence_says_it_is_kept_and_offers_no_button(
    alice_client, alice, centre, state
):
    add_evidence(alice, centre, title="A draft")
    add_evidence(alice, centre, title="Another draft")
    evidence = submitted(add_evidence(alice, centre, title="Family visit"), alice)
    Evidence.objects.filter(pk=evidence.pk).update(state=state)

    response = alice_client.get(f"/portfolio/evidence/{evidence.pk}/delete/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "E3 has been submitted, so it is kept." in page
    assert "Delete this draft" not in page
    assert '<form method="post"' not in page.split("<main", 1)[1]


def test_it_refuses_to_delete_submitted_evidence(alice_client, alice, centre, evidence_root):
    evidence = submitted(add_evidence(alice, centre, uploads=[photo()]), alice)

    response = alice_client.post(f"/portfolio/evidence/{evidence.pk}/delete/", follow=True)

    assert "E1 has been submitted, so it is kept and cannot be deleted." in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert len(stored_files(evidence_root)) == 1
    assert not AuditEvent.objects.filter(action="portfolio.evidence.deleted").exists()


# The pages.


def test_it_takes_a_photo_and_a_pdf_and_moves_on_to_mapping(alice_client, alice):
    response = alice_client.post("/portfolio/evidence/new/", form_fields(files=[photo(), pdf()]))

    evidence = Evidence.objects.get(candidate=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/portfolio/evidence/{evidence.pk}/map/"
    assert sorted(evidence.files.values_list("original_name", flat=True)) == [
        "support-plan.pdf",
        "visit-photo.png",
    ]
    page = alice_client.get(response["Location"]).content.decode()
    assert "E1 “Supporting a family visit” is saved as a draft. Now map it to the criteria it proves." in page


def test_it_tells_the_upload_script_where_to_go_and_keeps_the_message_for_that_page(alice_client, alice):
    response = alice_client.post(
        "/portfolio/evidence/new/", form_fields(files=[photo()]), headers={"X-Requested-With": "XMLHttpRequest"}
    )

    evidence = Evidence.objects.get(candidate=alice)
    assert response.status_code == 204
    assert response["X-Next-Page"] == f"/portfolio/evidence/{evidence.pk}/map/"
    page = alice_client.get(response["X-Next-Page"]).content.decode()
    assert "E1 “Supporting a family visit” is saved as a draft." in page


def test_it_names_a_bad_file_beside_a_good_one_and_saves_nothing(alice_client, evidence_root):
    response = alice_client.post(
        "/portfolio/evidence/new/",
        form_fields(title="Helping Person A plan a visit", files=[photo(), html_named_pdf()]),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved, because 1 file was not accepted" in page
    assert (
        '<li data-file-name="observation.pdf"><a href="#id_files" class="alert-link">“observation.pdf” is an HTML '
        "page, not a PDF:"
    ) in page
    assert "visit-photo.png" not in page  # only the refused file is named
    assert 'value="Helping Person A plan a visit"' in page
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_root) == []


def test_it_names_a_file_stopped_at_the_size_limit_and_saves_nothing(alice_client, evidence_root, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1024

    response = alice_client.post("/portfolio/evidence/new/", form_fields(files=[photo(), pdf()]))

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<li data-file-name="support-plan.pdf"><a href="#id_files" class="alert-link">“support-plan.pdf” is larger '
        "than the limit for one file, so it was not uploaded.</a></li>"
    ) in page
    assert not Evidence.objects.exists()
    assert stored_files(evidence_root) == []


def test_it_shows_progress_on_the_unit_page_and_what_is_missing_shrinks(alice_client, alice, centre, hsc331):
    evidence = add_evidence(alice, centre)
    url = f"/assessments/units/{hsc331.pk}/"

    before = alice_client.get(url).content.decode()
    map_to(evidence, alice, ["HSC331a.1", "HSC331 K6"])
    drafted = alice_client.get(url).content.decode()
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    after = alice_client.get(url).content.decode()

    assert before.count("0 of 17 with evidence") == 2  # criteria and knowledge items
    # A draft is listed beside what it is mapped to, but counts once submitted, as the assessor sees it.
    assert drafted.count("0 of 17 with evidence") == 2
    assert "Criteria with no evidence (17)" in missing_section(drafted)
    assert "1 of 17 with evidence · 0 of 17 met" in after
    assert after.count("1 of 17 with evidence") == 2
    assert "Criteria with no evidence (17)" in missing_section(before)
    assert "Criteria with no evidence (16)" in missing_section(after)
    assert "Knowledge items with no evidence (16)" in missing_section(after)
    assert 'href="#hsc331a-1"' in missing_section(before)
    assert 'href="#hsc331a-1"' not in missing_section(after)
    assert 'href="#hsc331-k6"' not in missing_section(after)
    assert 'href="#hsc331a-2"' in missing_section(after)


def missing_sentence(page: str) -> str:
    section = missing_section(page)
    return section[section.index("<p>") + 3 : section.index("</p>")].split(" <a ")[0]


def test_it_says_what_is_missing_in_a_sentence_that_reads_right_for_any_counts(alice_client, alice, centre, hsc331):
    url = f"/assessments/units/{hsc331.pk}/"
    criteria = list(Criterion.objects.filter(unit__code="HSC331").values_list("reference", flat=True))
    knowledge = list(KnowledgeItem.objects.filter(unit__code="HSC331").values_list("reference", flat=True))
    evidence = add_evidence(alice, centre)
    # Referred back: submitted once (a draft counts for nobody), and mapped again as the candidate changes it.
    Evidence.objects.filter(pk=evidence.pk).update(state=EvidenceState.REFERRED)
    evidence.refresh_from_db()

    assert missing_sentence(alice_client.get(url).content.decode()) == (
        "No evidence yet for 17 criteria, 17 knowledge items and 5 parts of the scope."
    )
    map_to(evidence, alice, criteria[1:] + knowledge[1:])
    assert missing_sentence(alice_client.get(url).content.decode()) == (
        "No evidence yet for 1 criterion, 1 knowledge item and 5 parts of the scope."
    )
    map_to(evidence, alice, criteria + knowledge[2:])
    assert missing_sentence(alice_client.get(url).content.decode()) == (
        "No evidence yet for 2 knowledge items and 5 parts of the scope."
    )
    map_to(evidence, alice, criteria[3:] + knowledge)
    assert missing_sentence(alice_client.get(url).content.decode()) == (
        "No evidence yet for 3 criteria and 5 parts of the scope."
    )
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference__in=criteria),
        knowledge_items=KnowledgeItem.objects.filter(reference__in=knowledge),
        scope_items=ScopeItem.objects.filter(category__unit__code="HSC331").exclude(category__position=1),
    )
    assert missing_sentence(alice_client.get(url).content.decode()) == "No evidence yet for 1 part of the scope."


def test_the_history_counts_files_and_items_in_words(alice, centre, hsc331, h3_25):
    one = add_evidence(alice, centre, title="One file", uploads=[photo()])
    two = add_evidence(alice, centre, title="Two files", uploads=[photo(), pdf()])
    map_to(one, alice, ["HSC331a.1"])
    map_to(two, alice, HOLISTIC)

    summaries = list(AuditEvent.objects.order_by("pk").values_list("summary", flat=True))

    assert summaries == [
        "E1 “One file” added with 1 file",
        "E2 “Two files” added with 2 files",
        "E1 mapped to 1 item",
        "E2 mapped to 3 items",
    ]


def test_it_filters_the_evidence_list_by_state(alice_client, alice, centre):
    add_evidence(alice, centre, title="A draft about a phone call")
    submitted(add_evidence(alice, centre, title="A submitted family visit"), alice)

    everything = alice_client.get("/portfolio/evidence/").content.decode()
    drafts = alice_client.get("/portfolio/evidence/?state=draft").content.decode()
    sent = alice_client.get("/portfolio/evidence/?state=submitted").content.decode()
    accepted = alice_client.get("/portfolio/evidence/?state=accepted").content.decode()

    assert "A draft about a phone call" in everything and "A submitted family visit" in everything
    assert "A draft about a phone call" in drafts and "A submitted family visit" not in drafts
    assert "A submitted family visit" in sent and "A draft about a phone call" not in sent
    assert "No evidence in this state yet." in accepted
    assert '<option value="submitted" selected>' in sent


# Query counts stay flat as evidence grows.


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_mapped_evidence(alice, centre, count: int) -> None:
    criteria = list(Criterion.objects.filter(reference__in=["HSC331a.1", "HSC331b.2", "H3 25.7"]))
    knowledge = list(KnowledgeItem.objects.filter(reference__in=["HSC331 K6", "H3 25 K(c)"]))
    for _ in range(count):
        evidence = EvidenceFactory(candidate=alice, centre=centre)
        evidence.criteria.set(criteria)
        evidence.knowledge_items.set(knowledge)


def test_it_uses_as_many_queries_on_the_unit_page_for_ten_items_as_for_one(
    alice_client, alice, centre, hsc331
):
    _more_mapped_evidence(alice, centre, 1)
    url = f"/assessments/units/{hsc331.pk}/"
    alice_client.get(url)  # the session and anything cached once per process

    with_one = _queries_for(alice_client, url)
    _more_mapped_evidence(alice, centre, 9)
    with_ten = _queries_for(alice_client, url)

    assert with_ten == with_one
    assert alice_client.get(url).content.decode().count("Reflective account") >= 10


def test_it_uses_as_many_queries_on_the_mapping_page_for_ten_items_as_for_one(alice_client, alice, centre):
    _more_mapped_evidence(alice, centre, 1)
    evidence = Evidence.objects.get(candidate=alice)
    url = f"/portfolio/evidence/{evidence.pk}/map/"
    alice_client.get(url)

    with_one = _queries_for(alice_client, url)
    _more_mapped_evidence(alice, centre, 9)
    with_ten = _queries_for(alice_client, url)

    assert with_ten == with_one
    assert "10 evidence" in alice_client.get(url).content.decode()
