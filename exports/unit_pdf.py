"""A unit's portfolio as the awarding body and the external quality assurer read it."""

import gc
import io
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pydyf
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from assessments import record_seals, scope
from assessments.integrity import words_changed
from assessments.models import Decision, QualityReview, SignOff
from assessments.progress import UnitProgress, unit_progress
from assessments.selectors import unit_states
from assessments.witness_list import witness_status_rows
from portfolio import audit_chain
from portfolio.access import shown_to
from portfolio.case_evidence import evidence_of
from portfolio.identifier_models import identifiers_at
from portfolio.models import AuditEvent, Enrolment, Evidence, Person, QualificationRegistration
from standards.selectors import UnitStructure

from .checks import Boundary, RecordCheck, record_check, sign_off_of_record
from .fetcher import STYLESHEET_URL, PortfolioFetcher, kept_pictures, thumbnail_url
from .seal import MANIFEST_NAME, manifest_attachment_bytes, record_manifest, seal_pdf
from .seal_keys import seal_for

# Archival (PDF/A-3, which allows the embedded manifest) and tagged ("a"): a screen reader reads
# it in order, as public-sector accessibility rules expect of documents a college publishes.
PDF_VARIANT = "pdf/a-3a"

GRID_COLUMNS = 12  # evidence columns per table of the location sheet, so it fits A4 portrait
# Each row of the location sheet is one line of monospaced text, GRID_CELL characters a column,
# with the column rules drawn as its background (print.css), rather than a table cell per mark:
# a sheet of 40 evidence items and 60 references was 5,000 boxes to style, lay out and draw,
# nearly half of the whole PDF's, for four of its pages.
GRID_CELL = 7  # characters: odd, so a mark sits in the middle of its column
MARKS = {"cited": "●", "mapped": "○", "": " "}  # for a scope item, "cited": the assessor recorded it covered


# The template's indentation: a line break and the spaces around it between a tag and a tag that
# starts or ends a block (or a table part, or the head). It is never drawn, but WeasyPrint made,
# styled and threw away a box for each run: a twentieth of a PDF's time. Not before inline tags
# (span, strong, img, br), where a space can show.
_LAYOUT_WHITESPACE = re.compile(
    r">[ \t]*\n\s*(?=</?(?:html|head|body|meta|link|title|style|section|div|p|h[1-6]|ul|li"
    r"|table|colgroup|col|thead|tbody|tr|th|td)[\s>])"
)


@dataclass
class GridRow:
    reference: str
    cells: list[str]  # per evidence column: "cited", "mapped" or ""

    @property
    def marks(self) -> str:
        return "".join(MARKS[cell].center(GRID_CELL) for cell in self.cells)


def unit_pdf_context(enrolment: Enrolment, *, record: RecordCheck | None = None, by: Person | None = None) -> dict:
    """What the PDF shows. A signed-off unit's record is checked here (every signed file read and
    hashed) unless the caller checked it already (`record`, as the bulk export does)."""
    sign_offs = list(
        SignOff.objects.filter(enrolment=enrolment).select_related("assessor", "voided_by", "enrolment__candidate")
    )
    standing = sign_off_of_record(enrolment, sign_offs)
    if record is None:
        record = record_check(standing, boundary=Boundary.UNIT_PDF, by=by)
    evidence_list = _record_evidence(enrolment, standing)
    progress = unit_progress(enrolment, viewer=None, only={e.pk for e in evidence_list}, sign_off=standing)
    structure = progress.structure
    decisions = list(
        Decision.objects.filter(enrolment=enrolment)
        .select_related("decided_by", "withdrawn_by", "criterion", "knowledge_item")
        .prefetch_related("evidence")
        .order_by("decided_at", "id")
    )
    events = list(AuditEvent.objects.filter(Q(enrolment=enrolment) | Q(evidence_id__in=[e.pk for e in evidence_list]))
                  .select_related("actor").order_by("at", "id"))
    reviews = list(QualityReview.objects.filter(enrolment=enrolment).select_related("iqa").order_by("sampled_at"))
    iqa_countersignatures = _iqa_countersignatures(reviews)
    scope_record = scope.unit_record(enrolment, standing)
    return {
        "enrolment": enrolment,
        "identifiers": identifiers_at(enrolment.candidate_id, enrolment.centre_id),
        "unit": enrolment.unit,
        "progress": progress,
        "structure": structure,
        "terms": {},
        "decisions": decisions,
        "evidence_list": evidence_list,
        "grids": _grids(structure, evidence_list, progress, scope_record),
        "scope": scope_record,
        "witness_status": witness_status_rows(Enrolment.objects.filter(pk=enrolment.pk)),
        "sign_offs": sign_offs,
        "standing_sign_off": standing,
        "signed_off": standing is not None,
        "record": record,
        "record_changed": standing is not None and record.changed,
        # Not signed off, but a sign-off the portfolio made is missing (`assessments.sign_off_seals`).
        "sign_offs_changed": record_seals.sign_off_seal_problems(enrolment) if standing is None else [],
        # Signed evidence whose words changed: printed as they stand now, so marked where they are.
        "words_changed": {e.pk for e in evidence_list if words_changed(e.reference) in record.changes},
        "completed_on": unit_states([enrolment])[enrolment.pk].completed_at,
        "reviews": reviews,
        "iqa_countersignatures": iqa_countersignatures,
        "iqa_countersignature": iqa_countersignatures.get(standing.pk) if standing else None,
        "events": events,
        "audit_problems": [problem.words for problem in audit_chain.page_problems(events)],
        "qualification_registrations": QualificationRegistration.objects.filter(
            candidate=enrolment.candidate, centre=enrolment.centre, units=enrolment.unit
        ).select_related("qualification"),
        "generated_at": timezone.now(),
        "stylesheet_url": STYLESHEET_URL,
        "thumbnail_url": thumbnail_url,
    }


def _record_evidence(enrolment: Enrolment, standing: SignOff | None) -> list[Evidence]:
    """The evidence the PDF lists. A signed-off unit's record is what its sign-off rests on: the
    evidence its manifest names, and nothing mapped or submitted since. Before sign-off, the evidence
    submitted for the unit (mapped to it, or cited by its decisions). Never a draft: nobody declared
    it authentic or submitted it, so it is not part of any record."""
    found = evidence_of(enrolment)
    if standing is not None:
        signed = standing.manifest.get("evidence", []) if isinstance(standing.manifest, dict) else []
        found = found.filter(pk__in=[row.get("id") for row in signed])
    else:
        unit_items = (
            Q(criteria__unit=enrolment.unit)
            | Q(knowledge_items__unit=enrolment.unit)
            | Q(scope_items__category__unit=enrolment.unit)
            | Q(decisions__enrolment=enrolment)
        )
        found = found.filter(unit_items).filter(shown_to(None)).distinct()
    return list(
        found.select_related("created_by")
        .prefetch_related("files", "declarations__declared_by", "judgements__assessor", "criteria", "knowledge_items")
        .order_by("number")
    )


def _iqa_countersignatures(reviews: list[QualityReview]) -> dict[int, QualityReview]:
    """Each sign-off's countersignature by the IQA, by sign-off: it comes after the sign-off and
    rightly belongs on the cover and the signatures page, with its own date."""
    return {
        r.sign_off_id: r for r in reviews if r.sign_off_id is not None and r.outcome == QualityReview.Outcome.COUNTERSIGNED
    }


def _grids(
    structure: UnitStructure, evidence_list: list[Evidence], progress: UnitProgress, scope_record: scope.ScopeRecord
) -> list[dict]:
    """The evidence location sheet: criteria, knowledge items and scope items down, evidence
    across, split into tables narrow enough for a page."""
    cited = {
        (kind, item_id): {e.pk for e in decision.cited}
        for kind, table in (("criteria", progress.met_criteria), ("knowledge", progress.met_knowledge))
        for item_id, decision in table.items()
    }
    scope_items = []
    for row in scope_record.categories:
        for covered in row.items:
            scope_items.append(covered.item)
            cited[("scope", covered.item.pk)] = {e.pk for e in covered.evidence}
    grids = []
    for start in range(0, max(len(evidence_list), 1), GRID_COLUMNS):
        columns = evidence_list[start:start + GRID_COLUMNS]
        rows = []
        for kind, items in (
            ("criteria", structure.criteria), ("knowledge", structure.knowledge_items), ("scope", scope_items)
        ):
            for item in items:
                mapped = {e.pk for e in progress.evidence[kind].get(item.pk, [])}
                cells = [
                    "cited" if e.pk in cited.get((kind, item.pk), set()) else "mapped" if e.pk in mapped else ""
                    for e in columns
                ]
                rows.append(GridRow(reference=item.reference, cells=cells))
        heading = "".join(e.reference[:GRID_CELL].center(GRID_CELL) for e in columns)
        # The marks column's width, in characters: print.css lays the sheet out as a fixed table, as
        # wide as its first row says, so WeasyPrint measures none of the other rows' cells.
        grids.append({"columns": columns, "heading": heading, "rows": rows, "width_ch": len(heading)})
    return grids


def render_unit_pdf(
    enrolment: Enrolment, target: str | Path | IO[bytes] | None = None, *,
    record: RecordCheck | None = None, by: Person | None = None,
) -> bytes | None:
    """Renders the PDF to `target` (a path or file object), or returns its bytes. `by` is the
    person it is made for (None for the worker), `record` the check already made of its record."""
    context, document = unit_document(enrolment, record=record, by=by)
    pdf = archival_pdf(document, attachments=[_manifest_attachment(context)])
    return _sealed(pdf, enrolment, _seal_state(context), target)


def unit_document(
    enrolment: Enrolment, *, record: RecordCheck | None = None, by: Person | None = None
) -> tuple[dict, HTML]:
    """What the unit PDF shows, and the HTML document WeasyPrint draws it from, with the pictures'
    thumbnails to hand (no picture is decoded here)."""
    context = unit_pdf_context(enrolment, record=record, by=by)
    pictures = kept_pictures(context["evidence_list"])
    context["thumbnails"], context["pictures_being_prepared"] = pictures.urls, pictures.preparing
    return context, template_document("pdf/unit.html", context, fetcher=PortfolioFetcher(pictures.thumbnails))


def template_document(template: str, context: dict, *, fetcher: PortfolioFetcher | None = None) -> HTML:
    """A PDF template rendered and parsed, ready to draw."""
    html = _LAYOUT_WHITESPACE.sub(">", render_to_string(template, context))
    with _no_collections_while_rendering():  # parsing makes as many small objects as drawing
        return HTML(string=html, base_url="portfolio://static/", url_fetcher=fetcher or PortfolioFetcher({}))


def pdf_from_template(
    template: str, context: dict, *, fetcher: PortfolioFetcher | None = None, attachments: list[Attachment] | None = None
) -> bytes:
    """A template drawn as an archival, tagged PDF (not yet sealed), the way every PDF of the
    portfolio is drawn: the unit's and the qualification's summary of achievement."""
    return archival_pdf(template_document(template, context, fetcher=fetcher), attachments=attachments)


def archival_pdf(document: HTML, *, attachments: list[Attachment] | None = None) -> bytes:
    """The document drawn as PDF/A-3a (archival and tagged), not yet sealed."""
    with _no_collections_while_rendering():
        return document.write_pdf(
            font_config=_font_config(), pdf_variant=PDF_VARIANT, attachments=attachments or [],
            finisher=_compress_streams_once,
        )


def _compress_streams_once(document: object, pdf: pydyf.PDF) -> None:
    """Compresses each stream of the PDF once, at zlib's default level, just before pydyf writes it
    (WeasyPrint's `finisher`). Left to itself pydyf compresses each stream at level 9 as it writes
    it, and then, to make the file identifier PDF/A requires (an MD5 of every object), serialises
    and compresses every stream a second time. Level 9 takes four times level 6's time here for 3%
    smaller streams (0.5% of the file); the two passes together were 0.07 s of the 0.47 s that
    writing the PDF took. The streams come out the same, compressed a little less; ones already
    encoded (the JPEG thumbnails) are left as they are."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.compress and "Filter" not in item.extra:
            content = b"\n".join(_pdf_bytes(part) for part in item.stream)  # as pydyf joins them
            item.stream, item.compress = [zlib.compress(content)], False
            item.extra["Filter"] = "/FlateDecode"


def _pdf_bytes(part: object) -> bytes:
    """One part of a stream's content as pydyf writes it (its `_to_bytes`)."""
    if isinstance(part, bytes):
        return part
    if isinstance(part, float):
        return str(int(part)).encode("ascii") if part.is_integer() else f"{part:f}".rstrip("0").encode("ascii")
    if isinstance(part, pydyf.Object):
        return part.data
    return str(part).encode("ascii")


def _manifest_attachment(context: dict) -> Attachment:
    manifest = record_manifest(
        context["enrolment"], context["evidence_list"], context["standing_sign_off"], context["generated_at"],
        context["record"],
    )
    return Attachment(
        string=manifest_attachment_bytes(manifest).decode(), name=MANIFEST_NAME, relationship="Data",
        description="The record this PDF shows: the SHA-256 of each evidence file, and for a signed-off "
        "unit the signed manifest with its decisions digest and signatures.",
    )


def _seal_state(context: dict) -> str:
    if context["record_changed"] or context["sign_offs_changed"]:
        return "signed-off, CHANGED SINCE SIGN-OFF" if context["signed_off"] else "NOT SIGNED OFF, CHANGED SINCE SIGN-OFF"
    return "signed-off" if context["signed_off"] else "NOT SIGNED OFF"


def _sealed(pdf: bytes, enrolment: Enrolment, state: str, target: str | Path | IO[bytes] | None) -> bytes | None:
    """Every PDF leaves sealed by its centre: the seal says who produced it and when; the NOT SIGNED
    OFF or CHANGED SINCE SIGN-OFF mark, where it applies, says the rest."""
    reason = f"{enrolment.unit.code} portfolio ({state}) of {enrolment.candidate.get_full_name()}, " \
        f"produced by {enrolment.centre.name}"
    seal = seal_for(enrolment.centre)
    if target is None:
        buffer = io.BytesIO()
        seal_pdf(pdf, seal, buffer, reason=reason)
        return buffer.getvalue()
    if isinstance(target, str | Path):
        with open(target, "wb") as handle:
            seal_pdf(pdf, seal, handle, reason=reason)
    else:
        seal_pdf(pdf, seal, target, reason=reason)
    return None


class _CollectorPause:
    """Keeps Python's cycle collector out of PDF renders, then collects once, young objects only.

    WeasyPrint makes and drops millions of small objects (boxes, styles, text runs), so the
    collector ran some 700 times per PDF, five of them full passes over every object of the
    process: a fifth of the render's time. Paused, the render's leftovers all stay in the youngest
    generation, where one pass at the end frees them, so memory stays as it was. The collector is
    process-wide, so renders are counted: it comes back when the last one under way ends."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.renders = 0
        self.was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.renders == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.renders += 1
        try:
            yield
        finally:
            with self.lock:
                self.renders -= 1
                last = self.renders == 0
                if last and self.was_enabled:
                    gc.enable()
            if last:
                gc.collect(0)


_no_collections_while_rendering = _CollectorPause()


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    """WeasyPrint's font set-up, made once per thread rather than once per PDF: it costs a tenth
    of a second each time, a tenth of a second per unit of a bulk export. Per thread, because
    Pango's font map is not made to be shared between threads."""
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config
