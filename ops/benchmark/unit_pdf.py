"""One unit's PDF: time and peak memory, first render and warm; the thumbnails the worker makes
at upload; and the same unit with eight 40-megapixel scans added."""

import io
import statistics
import time
from typing import cast

from .memory import peak_mb, reset_peak, resident_mb
from .personas import personas

SCAN_SIZE = (7300, 5470)  # 39.9 million pixels, just inside the upload limit
SCANS = 8


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
    warm = []
    for _ in range(2):
        started = time.perf_counter()
        render_unit_pdf(enrolment)
        warm.append(time.perf_counter() - started)
    evidence = enrolment.candidate.evidence.count()
    photos = enrolment.candidate.evidence.filter(files__content_type__startswith="image/").count()
    page_count = len(PdfReader(io.BytesIO(first)).pages)
    plain = plain_text_seconds(page_count)
    sealed_per_page = statistics.median(warm) / page_count
    return {
        "pdf": {
            "unit": enrolment.unit.code, "evidence": evidence, "photos": photos,
            "pages": len(PdfReader(io.BytesIO(first)).pages), "size_kb": round(len(first) / 1024),
            "first_render_s": round(cold, 2), "first_render_cpu_s": round(cold_cpu, 2),
            "first_render_thumbnails": "kept by the worker (the PDF decodes no photo)",
            "warm_render_s": round(statistics.median(warm), 2),
            "resident_before_mb": round(before, 1), "peak_mb": round(peak, 1),
            "added_mb": round(peak - before, 1),
            "thumbnails": thumbnails,
            "scans": _with_scans(enrolment),
            # The budget: the sealed, tagged PDF at most 1.5x plain WeasyPrint per page.
            "sealed_per_page_ms": round(1000 * sealed_per_page, 1),
            "plain_text_per_page_ms": round(1000 * plain / page_count, 1),
            "sealed_over_plain_per_page": round(sealed_per_page / (plain / page_count), 2),
        }
    }


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
        files = list(evidence.files.all())
        try:
            thumbnails = _thumbnails(files)
            before = resident_mb()
            reset_peak()
            started, started_cpu = time.perf_counter(), time.process_time()
            rendered = cast(bytes, render_unit_pdf(enrolment))
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            peak = peak_mb()
        finally:
            for evidence_file in files:
                evidence_file.file.storage.delete(thumbnail_name(evidence_file))
                evidence_file.file.storage.delete(evidence_file.file.name)
            transaction.set_rollback(True)
    return {
        "scans": SCANS, "megapixels_each": round(SCAN_SIZE[0] * SCAN_SIZE[1] / 1e6, 1),
        "upload_kb": round(SCANS * len(scan) / 1024), "render_s": round(seconds, 2), "render_cpu_s": round(cpu, 2),
        "peak_mb": round(peak, 1), "added_mb": round(peak - before, 1), "size_kb": round(len(rendered) / 1024),
        "thumbnails": thumbnails,
    }


def plain_text_seconds(page_count: int) -> float:
    """The yardstick measured in the same run: plain WeasyPrint (no PDF/A, no tags, no seal) on a
    text-only document of the same number of pages; the median of three renders."""
    from weasyprint import HTML

    paragraph = "<p>" + "The candidate agreed the visits with the tenant and recorded them. " * 12 + "</p>"
    # Three paragraphs fill most of an A4 page: one section a page, each starting a new one.
    html = "<html lang='en'><head><style>section + section { break-before: page }</style></head><body>" + "".join(
        f"<section><h2>Page {n}</h2>{paragraph * 3}</section>" for n in range(page_count)
    ) + "</body></html>"
    times = []
    for _ in range(3):
        started = time.perf_counter()
        HTML(string=html).write_pdf()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
