"""One unit's PDF: time and peak memory, first render and warm."""

import io
import statistics
import time
from typing import cast

from .memory import peak_mb, reset_peak, resident_mb
from .personas import personas


def pdf(sign_in: dict) -> dict:
    """The showcase candidate's signed-off HSC331: 40 evidence items, 20 of them camera-size photos."""
    from pypdf import PdfReader

    from exports.fetcher import forget_thumbnails
    from exports.unit_pdf import render_unit_pdf
    from portfolio.models import EvidenceFile

    enrolment = personas(sign_in)["showcase"]
    if enrolment is None:
        raise RuntimeError("The centre has no showcase candidate: generate it with --showcase.")
    # Renders keep the thumbnails they make. The first render is measured as a unit's first export
    # ever, making all twenty from the photos, however often the benchmark has run on this centre;
    # the warm renders then read them back.
    photo_files = EvidenceFile.objects.filter(evidence__candidate=enrolment.candidate)
    forget_thumbnails(photo_files.filter(content_type__startswith="image/"))
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
            "first_render_thumbnails": "made from the photos (none kept beforehand)",
            "warm_render_s": round(statistics.median(warm), 2),
            "warm_render_thumbnails": "kept by the first render",
            "resident_before_mb": round(before, 1), "peak_mb": round(peak, 1),
            "added_mb": round(peak - before, 1),
            # The budget: the sealed, tagged PDF at most 1.5x plain WeasyPrint per page.
            "sealed_per_page_ms": round(1000 * sealed_per_page, 1),
            "plain_text_per_page_ms": round(1000 * plain / page_count, 1),
            "sealed_over_plain_per_page": round(sealed_per_page / (plain / page_count), 2),
        }
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
