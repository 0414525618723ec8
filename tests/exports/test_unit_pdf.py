"""A unit's portfolio as PDF, read back with pypdf as an external quality assurer would read it."""

import gc
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from assessments import integrity
from assessments.models import QualityReview, SignOff
from exports import unit_pdf
from exports.fetcher import PortfolioFetcher
from exports.unit_pdf import render_unit_pdf
from portfolio import services, thumbnails
from portfolio.models import AssessmentMethod, EvidenceState, Role
from tests.assessments.unit_case import signed_as_the_service_signs
from tests.factories import CentreFactory, member
from tests.portfolio.hostile_files import scan_png

pytestmark = pytest.mark.django_db


def _sign(enrolment, bob) -> SignOff:
    """Signed off and countersigned as the services do it: the manifest names what the unit rests on."""
    sign_off = signed_as_the_service_signs(enrolment, bob)
    integrity.countersign(sign_off, signed_at=timezone.now())
    sign_off.save()
    return sign_off


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    # Line breaks inside long digests and references are layout, not content.
    return " ".join(" ".join(_pages(pdf)).split())


def test_a_signed_off_unit_holds_every_reference_decision_title_digest_and_signature(unit):
    sign_off = _sign(unit["enrolment"], unit["bob"])
    pdf = render_unit_pdf(unit["enrolment"])
    text = _text(pdf)
    squashed = text.replace(" ", "")
    for item in unit["criteria"] + unit["knowledge"]:
        assert item.reference in text
    assert text.count("Met ") >= len(unit["criteria"]) + len(unit["knowledge"])
    for evidence in unit["evidence"]:
        assert evidence.title in text
        for f in evidence.files.all():
            assert f.sha256 in squashed
    assert sign_off.decisions_digest in squashed and sign_off.signature in squashed
    assert "Bob Hughes" in text and "Alice Morgan" in text
    assert "NOT SIGNED OFF" not in text


def test_an_unsigned_unit_says_so_on_every_page(unit):
    pages = _pages(render_unit_pdf(unit["enrolment"]))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert "NOT SIGNED OFF" in page, f"page {number} lacks the mark"


def test_the_pdf_has_metadata_an_outline_and_page_numbers(unit):
    _sign(unit["enrolment"], unit["bob"])
    reader = PdfReader(io.BytesIO(render_unit_pdf(unit["enrolment"])))
    assert reader.metadata.title.startswith("H3 25 Work within appropriate boundaries")
    assert reader.metadata.author == "Harbour Housing Academy"
    assert "Alice Morgan" in reader.metadata.subject
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {"Summary of progress", "Evidence index", "Evidence location sheet", "Declarations and signatures"} <= set(titles)
    last = len(reader.pages)
    assert f"Page {last} of {last}" in reader.pages[-1].extract_text()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
               or "/FontFile" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
               for f in fonts.values()), "every font is embedded"


def test_candidate_text_cannot_inject_markup(unit):
    text = _text(render_unit_pdf(unit["enrolment"]))
    assert '<img src="file:///etc/passwd">' in text
    assert "<b>weekly</b>" in text
    assert "root:x:0:0" not in text


def test_photos_are_thumbnails_not_camera_size(unit):
    pdf = render_unit_pdf(unit["enrolment"])
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [(image.image.width, image.image.height) for page in reader.pages for image in page.images]
    assert sizes, "the photo is in the PDF"
    assert max(max(size) for size in sizes) <= 480


def test_a_pdf_reads_the_kept_thumbnail_and_never_decodes_the_photo(unit, monkeypatch):
    photo = unit["evidence"][0].files.get()
    assert photo.file.storage.exists(thumbnails.thumbnail_name(photo))
    monkeypatch.setattr(thumbnails, "_thumbnail", lambda f: pytest.fail("a PDF decoded a photo"))
    reader = PdfReader(io.BytesIO(render_unit_pdf(unit["enrolment"])))
    assert [image for page in reader.pages for image in page.images], "the kept thumbnail is in the PDF"


def test_a_photo_whose_thumbnail_is_not_made_yet_shows_a_box_and_is_asked_for(
    unit, django_capture_on_commit_callbacks
):
    photo = unit["evidence"][0].files.get()
    photo.file.storage.delete(thumbnails.thumbnail_name(photo))  # as after a restore
    with django_capture_on_commit_callbacks(execute=True):
        pdf = render_unit_pdf(unit["enrolment"])
    reader = PdfReader(io.BytesIO(pdf))
    assert "Picture being prepared" in _text(pdf)
    assert not [image for page in reader.pages for image in page.images]
    # The render asked the worker for the thumbnail, so the next PDF shows the photo.
    assert photo.file.storage.exists(thumbnails.thumbnail_name(photo))
    pdf = render_unit_pdf(unit["enrolment"])
    assert "Picture being prepared" not in _text(pdf)
    assert [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def test_eight_40_megapixel_pngs_make_a_pdf_without_decoding_one(unit, monkeypatch, django_capture_on_commit_callbacks):
    """Eight scans of 40 million pixels each (1.4 MB in all) once made a 13.6 s, 855 MB PDF: the
    PDF now shows their thumbnails, made on the worker at upload, and opens no original."""
    alice, enrolment = unit["enrolment"].candidate, unit["enrolment"]
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_create(
            candidate=alice, centre=enrolment.centre, author=alice, title="Eight scanned forms",
            method=AssessmentMethod.PRODUCT, activity_date=enrolment.start_date,
            uploads=[SimpleUploadedFile(f"form-{n}.png", scan_png(), content_type="image/png") for n in range(8)],
        )
    services.evidence_map(evidence=item, editor=alice, criteria=unit["criteria"][:1], knowledge_items=[], scope_items=[])
    services.evidence_submit(evidence=item, candidate=alice, declared=True)

    opened = []
    open_image = Image.open

    def recording_open(*args, **kwargs):
        image = open_image(*args, **kwargs)
        opened.append(image.size)
        return image

    monkeypatch.setattr(Image, "open", recording_open)
    pdf = render_unit_pdf(enrolment)
    assert len(opened) == 9, "the eight scans' thumbnails and the photo's"
    assert max(max(size) for size in opened) <= 480, "no original was decoded"
    reader = PdfReader(io.BytesIO(pdf))
    shown = {image.data for page in reader.pages for image in page.images}
    assert len(shown) == 2, "the scans' thumbnail (the eight are the same scan) and the photo's"
    assert "Picture being prepared" not in _text(pdf)


def test_the_cycle_collector_is_back_after_a_render_even_a_failed_one(unit, monkeypatch):
    assert gc.isenabled()
    render_unit_pdf(unit["enrolment"])
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(unit_pdf.HTML, "write_pdf", broken)
    with pytest.raises(RuntimeError):
        render_unit_pdf(unit["enrolment"])
    assert gc.isenabled()


def test_the_fetcher_refuses_local_files_and_the_network():
    fetcher = PortfolioFetcher({})
    html = (
        '<link rel="stylesheet" href="http://example.org/evil.css">'
        '<p>text</p><img src="file:///etc/passwd"><img src="portfolio://thumbnail/999">'
    )
    pdf = HTML(string=html, base_url="portfolio://static/", url_fetcher=fetcher).write_pdf()
    assert set(fetcher.refused) == {
        "http://example.org/evil.css", "file:///etc/passwd", "portfolio://thumbnail/999",
    }
    assert "root:" not in _text(pdf)


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("grace", 200), ("dave", 404), ("frank", 404)],
)
def test_who_may_export_the_unit(client, unit, who, status):
    enrolment = unit["enrolment"]
    people = {
        "alice": enrolment.candidate, "bob": enrolment.assessor, "carol": enrolment.iqa,
        "grace": member(enrolment.centre, Role.ADMINISTRATOR, email="grace@example.org"),
        "dave": member(enrolment.centre, Role.CANDIDATE, email="dave@example.org"),
        "frank": member(CentreFactory(), Role.ADMINISTRATOR, email="frank@example.org"),
    }
    client.force_login(people[who])
    response = client.get(reverse("exports:unit_pdf", args=[enrolment.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_the_export_needs_a_sign_in(client, unit):
    response = client.get(reverse("exports:unit_pdf", args=[unit["enrolment"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_drafts_are_not_part_of_the_exported_record(unit):
    alice = unit["enrolment"].candidate
    draft = services.evidence_create(
        candidate=alice, centre=unit["enrolment"].centre, author=alice, title="Unfinished notes never submitted",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=unit["enrolment"].start_date, account="Draft.",
    )
    services.evidence_map(evidence=draft, editor=alice, criteria=unit["criteria"][:1], knowledge_items=[], scope_items=[])
    text = _text(render_unit_pdf(unit["enrolment"]))
    assert "Unfinished notes never submitted" not in text
    assert unit["evidence"][0].title in text


def _mapped_lines(text: str) -> set[str]:
    """Every evidence reference the PDF's "mapped:" lines name."""
    return {ref for line in re.findall(r"mapped: ((?:E\d+(?:, )?)+)", text) for ref in line.split(", ")}


def _new_evidence(unit, title, *, state=EvidenceState.DRAFT):
    alice = unit["enrolment"].candidate
    evidence = services.evidence_create(
        candidate=alice, centre=unit["enrolment"].centre, author=alice, title=title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=unit["enrolment"].start_date, account="Notes.",
    )
    # Straight onto the mapping, as a portfolio from before the lock could hold it.
    evidence.criteria.add(*unit["criteria"][:2])
    evidence.state = state
    evidence.save()
    return evidence


def test_an_unsigned_units_pdf_names_no_draft_in_its_mapped_lines(unit):
    draft = _new_evidence(unit, "Unfinished notes never submitted")
    waiting = _new_evidence(unit, "Sent in, not yet judged", state=EvidenceState.SUBMITTED)

    text = _text(render_unit_pdf(unit["enrolment"]))

    assert _mapped_lines(text) == {"E1", "E2", waiting.reference}
    assert draft.reference not in _mapped_lines(text) and "Unfinished notes never submitted" not in text
    assert "Sent in, not yet judged" in text


def test_a_signed_off_units_pdf_shows_only_what_the_sign_off_rests_on(unit):
    draft = _new_evidence(unit, "Unfinished notes never submitted")
    _sign(unit["enrolment"], unit["bob"])
    later = _new_evidence(unit, "Submitted after the sign-off", state=EvidenceState.SUBMITTED)

    text = _text(render_unit_pdf(unit["enrolment"]))

    assert _mapped_lines(text) == {"E1", "E2"}
    for evidence in unit["evidence"]:
        assert evidence.title in text
    assert "Submitted after the sign-off" not in text and "Unfinished notes never submitted" not in text
    assert f"{later.reference} " not in text.split("Evidence index")[1].split("Witness status list")[0]
    assert draft.reference not in _mapped_lines(text)
    assert "2 evidence items support this unit." in text


def test_the_cover_and_signatures_page_show_the_iqas_countersignature(unit):
    enrolment = unit["enrolment"]
    sign_off = _sign(enrolment, unit["bob"])
    before = _pages(render_unit_pdf(enrolment))
    assert "not yet countersigned by the internal quality assurer" in " ".join(before[0].split())

    reviewed_at = timezone.now()
    QualityReview.objects.create(
        enrolment=enrolment, sign_off=sign_off, iqa=enrolment.iqa, stage=QualityReview.Stage.FINAL,
        outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=reviewed_at, reviewed_at=reviewed_at,
        comments="Sound judgements.",
    )
    pages = [" ".join(page.split()) for page in _pages(render_unit_pdf(enrolment))]

    day = timezone.localtime(reviewed_at).strftime("%-d %B %Y")
    assert f"countersigned by the internal quality assurer, Carol Singh, on {day}" in pages[0]
    signatures = next(page for page in pages if "Declarations and signatures" in page)
    assert "Internal quality assurer: Carol Singh," in signatures
    assert "countersigned (final (signed-off unit)): “Sound judgements.”" in signatures


def test_an_interim_review_reads_agreed_not_countersigned(unit):
    """Outside trial: only a signed-off unit is countersigned. At an interim review the IQA agreed with
    the decisions so far, and the PDF says so (the stored outcome stays "countersigned")."""
    enrolment = unit["enrolment"]
    reviewed_at = timezone.now()
    QualityReview.objects.create(
        enrolment=enrolment, iqa=enrolment.iqa, stage=QualityReview.Stage.INTERIM,
        outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=reviewed_at, reviewed_at=reviewed_at,
    )
    text = _text(render_unit_pdf(enrolment))

    day = timezone.localtime(reviewed_at).strftime("%-d %B %Y")
    assert f"Interim (decisions before sign-off) — Agreed by Carol Singh on {day}" in text
    assert "— Countersigned" not in text
