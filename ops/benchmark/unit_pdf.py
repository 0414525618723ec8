"""One unit's PDF: time and peak memory, first render and warm; the thumbnails the worker makes
at upload; and the same unit with eight 40-megapixel scans added."""

import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from .memory import peak_mb, reset_peak, resident_mb
from .personas import personas

if TYPE_CHECKING:
    from portfolio.models import Enrolment, Evidence

SCAN_SIZE = (7300, 5470)  # 39.9 million pixels, just inside the upload limit
SCANS = 8
WARM_ROUNDS = 5  # warm renders of the unit PDF, each followed by one of the yardstick


def pdf(sign_in: dict) -> dict:
    """The showcase candidate's signed-off HSC331: 40 evidence items, 20 of them camera-size photos."""
    from pypdf import PdfReader

    from exports.fetcher import forget_thumbnails
    from exports.unit_pdf import render_unit_pdf
    from portfolio.models import EvidenceFile

    enrolment = personas(sign_in)["showcase"]
    if enrolment is None:
        raise RuntimeError("The centre has no showcase candidate: generate it with --showcase.")
    # The generator stores the photos without the worker, so their thumbnails are made here as the
    # worker makes them after an upload (measured on their own), however often the benchmark has run.
    photo_files = list(EvidenceFile.objects.filter(evidence__candidate=enrolment.candidate, content_type__startswith="image/"))
    forget_thumbnails(photo_files)
    thumbnails = _thumbnails(photo_files)
    before = resident_mb()
    reset_peak()
    started, started_cpu = time.perf_counter(), time.process_time()
    first = cast(bytes, render_unit_pdf(enrolment))  # with no target it returns the PDF
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = peak_mb()
    page_count = len(PdfReader(io.BytesIO(first)).pages)
    plain_first, plain_first_cpu = plain_text_first_render(page_count)
    sealed, plain, alone = _alternated(lambda: render_unit_pdf(enrolment), page_count, also=_weasyprint_alone(enrolment))
    evidence = enrolment.candidate.evidence.count()
    photos = enrolment.candidate.evidence.filter(files__content_type__startswith="image/").count()
    return {
        "pdf": {
            "unit": enrolment.unit.code, "evidence": evidence, "photos": photos,
            "pages": page_count, "size_kb": round(len(first) / 1024),
            "first_render_s": round(cold, 2), "first_render_cpu_s": round(cold_cpu, 2),
            "first_render_thumbnails": "kept by the worker (the PDF decodes no photo)",
            "warm_render_s": round(sealed.wall, 2), "warm_render_cpu_s": round(sealed.cpu, 2),
            "resident_before_mb": round(before, 1), "peak_mb": round(peak, 1),
            "added_mb": round(peak - before, 1),
            "thumbnails": thumbnails,
            "scans": _with_scans(enrolment),
            # The budget: the sealed, tagged PDF at most 1.5x plain WeasyPrint per page, the
            # yardstick a text-only document of the same page count; both per page, so the ratio of
            # the two times. The first render in a fresh process each; then warm, alternated.
            "plain_text_first_render_s": round(plain_first, 2),
            "first_sealed_over_plain_per_page": round(cold / plain_first, 2),
            "first_sealed_over_plain_per_page_cpu": round(cold_cpu / plain_first_cpu, 2),
            "sealed_per_page_ms": round(1000 * sealed.wall / page_count, 1),
            "plain_text_per_page_ms": round(1000 * plain.wall / page_count, 1),
            "sealed_over_plain_per_page": round(sealed.wall / plain.wall, 2),
            "sealed_over_plain_per_page_cpu": round(sealed.cpu / plain.cpu, 2),
            # What WeasyPrint alone takes to draw this unit's HTML, drawn as the yardstick is: how
            # far below the ratio above no work of ours around WeasyPrint can take it.
            "weasyprint_alone_over_plain_per_page": round(alone.wall / plain.wall, 2),
            "weasyprint_alone_over_plain_per_page_cpu": round(alone.cpu / plain.cpu, 2),
        }
    }


def _weasyprint_alone(enrolment: "Enrolment") -> Callable[[], object]:
    """Plain WeasyPrint drawing the unit PDF's own HTML, called as the yardstick is called: parsed
    from the string, untagged, not archival, no manifest, no seal, the record already read and the
    template already rendered."""
    from xml.etree import ElementTree

    from weasyprint import HTML

    from exports.unit_pdf import unit_document

    _, document = unit_document(enrolment)
    html = ElementTree.tostring(document.etree_element, encoding="unicode", method="html")
    return lambda: HTML(string=html, base_url=document.base_url, url_fetcher=document.url_fetcher).write_pdf()


@dataclass
class Medians:
    wall: float  # seconds, medians
    cpu: float


def _alternated(
    render: Callable[[], object], page_count: int, rounds: int = WARM_ROUNDS, also: Callable[[], object] | None = None
) -> list[Medians]:
    """The render and the yardstick (plain WeasyPrint, a text-only document of `page_count` pages),
    and `also` if given, one after the other `rounds` times, so that other work on the machine weighs
    on them alike: the medians of each, wall-clock and CPU time, in that order."""
    from weasyprint import HTML

    html = text_only_html(page_count)
    works = [render, lambda: HTML(string=html).write_pdf(), *([also] if also else [])]
    times: list[list[tuple[float, float]]] = [[] for _ in works]
    for _ in range(rounds):
        for work, taken in zip(works, times, strict=True):
            started, started_cpu = time.perf_counter(), time.process_time()
            work()
            taken.append((time.perf_counter() - started, time.process_time() - started_cpu))
    return [Medians(statistics.median(t[0] for t in taken), statistics.median(t[1] for t in taken)) for taken in times]


def _thumbnails(files: list) -> dict:
    """Makes each picture's thumbnail as the worker's task does: total time and the peak it adds."""
    from portfolio.thumbnails import make_thumbnail

    before = resident_mb()
    reset_peak()
    started = time.perf_counter()
    for evidence_file in files:
        make_thumbnail(evidence_file)
    seconds, added = time.perf_counter() - started, peak_mb() - before
    _give_back_freed_memory()  # so what the worker did does not show in the render measured next
    return {"pictures": len(files), "seconds": round(seconds, 2), "added_mb": round(added, 1)}


def _give_back_freed_memory() -> None:
    import ctypes

    ctypes.CDLL("libc.so.6").malloc_trim(0)


def _scan_png() -> bytes:
    """A 40-megapixel PNG that weighs little: a scanned form, mostly blank."""
    from PIL import Image

    image = Image.new("RGB", SCAN_SIZE, "#f4f1ea")
    image.paste((40, 40, 120), (300, 300, 7000, 420))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _with_scans(enrolment: object) -> dict:
    """The showcase unit again with eight 40-megapixel PNG scans uploaded (1.4 MB in all): their
    thumbnails made as the worker would, then the PDF. Rolled back afterwards, files removed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from pypdf import PdfReader

    from exports.unit_pdf import render_unit_pdf
    from portfolio import services
    from portfolio.models import AssessmentMethod, Enrolment, EvidenceState
    from portfolio.thumbnails import thumbnail_name

    assert isinstance(enrolment, Enrolment)
    scan = _scan_png()
    candidate = enrolment.candidate
    with transaction.atomic():
        evidence = services.evidence_create(
            candidate=candidate, centre=enrolment.centre, author=candidate, title="Eight scanned forms",
            method=AssessmentMethod.PRODUCT, activity_date=enrolment.start_date,
            uploads=[SimpleUploadedFile(f"form-{n + 1}.png", scan, content_type="image/png") for n in range(SCANS)],
        )
        evidence.criteria.set(enrolment.unit.criteria.all()[:1])
        evidence.state = EvidenceState.ACCEPTED
        evidence.save(update_fields=["state"])
        _in_the_signed_record(enrolment, evidence)
        files = list(evidence.files.all())
        try:
            thumbnails = _thumbnails(files)
            before = resident_mb()
            reset_peak()
            started, started_cpu = time.perf_counter(), time.process_time()
            rendered = cast(bytes, render_unit_pdf(enrolment))
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            peak = peak_mb()
            pages = len(PdfReader(io.BytesIO(rendered)).pages)
            sealed, plain = _alternated(lambda: render_unit_pdf(enrolment), pages, rounds=3)
        finally:
            for evidence_file in files:
                evidence_file.file.storage.delete(thumbnail_name(evidence_file))
                evidence_file.file.storage.delete(evidence_file.file.name)
            transaction.set_rollback(True)
    return {
        "scans": SCANS, "megapixels_each": round(SCAN_SIZE[0] * SCAN_SIZE[1] / 1e6, 1),
        "upload_kb": round(SCANS * len(scan) / 1024), "render_s": round(seconds, 2), "render_cpu_s": round(cpu, 2),
        "peak_mb": round(peak, 1), "added_mb": round(peak - before, 1), "size_kb": round(len(rendered) / 1024),
        "pages": pages, "thumbnails": thumbnails,
        "sealed_per_page_ms": round(1000 * sealed.wall / pages, 1),
        "plain_text_per_page_ms": round(1000 * plain.wall / pages, 1),
        "sealed_over_plain_per_page": round(sealed.wall / plain.wall, 2),
        "sealed_over_plain_per_page_cpu": round(sealed.cpu / plain.cpu, 2),
    }


def _in_the_signed_record(enrolment: "Enrolment", evidence: "Evidence") -> None:
    """A signed-off unit's PDF shows only the evidence its sign-off names, so the standing sign-off
    is made again, the way the sign-off service makes one, with the scans among its evidence (inside
    the measurement's transaction, which is rolled back)."""
    from assessments import integrity, record_seals, scope
    from assessments.models import SignOff

    standing = SignOff.objects.filter(enrolment=enrolment, voided_at=None).first()
    if standing is None:  # not signed off: its PDF shows every submitted item, the scans too
        return
    decisions = integrity.standing_decisions(standing.enrolment)
    record = scope.open_record(standing.enrolment)
    fresh = integrity.signed_sign_off(
        enrolment=standing.enrolment, assessor=standing.assessor, signed_at=standing.assessor_signed_at,
        decisions=decisions, evidence_items=[*integrity.cited_evidence(decisions, also=record.evidence), evidence],
        scope_coverage=record.categories,
    )
    standing.manifest, standing.decisions_digest, standing.signature = fresh.manifest, fresh.decisions_digest, fresh.signature
    if standing.candidate_signed_at is not None:
        standing.candidate_signature = integrity.candidate_signature(standing)
    standing.after_signature = record_seals.after_signature(standing)
    standing.save(update_fields=["manifest", "decisions_digest", "signature", "candidate_signature", "after_signature"])
    record_seals.reseal_sign_offs(standing.enrolment)


def text_only_html(page_count: int) -> str:
    """The yardstick: a text-only document of `page_count` pages, one section a page (three
    paragraphs fill most of an A4 page), each starting a new one."""
    paragraph = "<p>" + "The candidate agreed the visits with the tenant and recorded them. " * 12 + "</p>"
    return "<html lang='en'><head><style>section + section { break-before: page }</style></head><body>" + "".join(
        f"<section><h2>Page {n}</h2>{paragraph * 3}</section>" for n in range(page_count)
    ) + "</body></html>"


_FIRST_PLAIN_RENDER = """
import sys, time
from weasyprint import HTML
html = sys.stdin.read()
started, started_cpu = time.perf_counter(), time.process_time()
HTML(string=html).write_pdf()
print(time.perf_counter() - started, time.process_time() - started_cpu)
"""


def plain_text_first_render(page_count: int) -> tuple[float, float]:
    """The yardstick's first render, in a fresh process as the unit PDF's first render is (WeasyPrint
    imported, nothing rendered yet): wall-clock and CPU seconds."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_PLAIN_RENDER], input=text_only_html(page_count),
        capture_output=True, text=True, check=True,
    )
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def report_lines(pdf: dict) -> list[str]:
    """The PDF's figures, as the benchmark prints them."""
    lines = [
        f"PDF of {pdf['unit']} ({pdf['evidence']} evidence items, {pdf['photos']} photos, {pdf['pages']} pages, "
        f"{pdf['size_kb']} KB): first {pdf['first_render_s']} s ({pdf['first_render_cpu_s']} s CPU), warm "
        f"{pdf['warm_render_s']} s, peak {pdf['peak_mb']} MB (+{pdf['added_mb']} MB)"
    ]
    if "sealed_over_plain_per_page" in pdf:
        lines.append(
            f"  per page against plain WeasyPrint on a text-only document of {pdf['pages']} pages: "
            f"first render {pdf.get('first_sealed_over_plain_per_page', '?')}x "
            f"({pdf.get('first_sealed_over_plain_per_page_cpu', '?')}x CPU); warm {pdf['sealed_over_plain_per_page']}x "
            f"({pdf.get('sealed_over_plain_per_page_cpu', '?')}x CPU), {pdf['sealed_per_page_ms']} ms a page "
            f"against {pdf['plain_text_per_page_ms']} ms"
        )
    if "weasyprint_alone_over_plain_per_page" in pdf:
        lines.append(
            f"  plain WeasyPrint alone on this unit's own HTML (untagged, unsealed, record and template done): "
            f"{pdf['weasyprint_alone_over_plain_per_page']}x ({pdf['weasyprint_alone_over_plain_per_page_cpu']}x CPU)"
        )
    if "scans" in pdf:
        scans, made = pdf["scans"], pdf["scans"]["thumbnails"]
        lines.append(
            f"  with {scans['scans']} {scans['megapixels_each']} MP PNG scans added ({scans['upload_kb']} KB): "
            f"{scans['render_s']} s ({scans['render_cpu_s']} s CPU), peak {scans['peak_mb']} MB "
            f"(+{scans['added_mb']} MB); their thumbnails on the worker: {made['seconds']} s, +{made['added_mb']} MB"
        )
        if "sealed_over_plain_per_page" in scans:
            lines.append(
                f"  with the scans, {scans['pages']} pages, {scans['size_kb']} KB: warm "
                f"{scans['sealed_over_plain_per_page']}x plain per page ({scans['sealed_over_plain_per_page_cpu']}x CPU), "
                f"{scans['sealed_per_page_ms']} ms a page against {scans['plain_text_per_page_ms']} ms"
            )
    return lines
