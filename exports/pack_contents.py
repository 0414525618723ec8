"""The visit pack's sections that the records here can fill today (registered by
`ExportsConfig.ready`; the registry is exports/pack_sections.py):

- "Unit portfolios (PDF)": each unit's sealed PDF, as the unit page downloads it, saying what the
  check of its record found (the pack made that check; a changed record was left out before);
- "IQA records": the IQA's samples, reviews and countersignatures of the sample's units, one row
  each, and a row for a unit the IQA has not sampled (`iqa/iqa-reviews.csv`);
- "Audit trails": each unit's audit trail, as the unit page's CSV download writes it.

Each unit's files sit in its candidate's folder, as in the bulk export: `units/<candidate>/`.
Evidence files are not part of the pack: it carries the records; the EQA reads the evidence online."""

import datetime
import io
from collections.abc import Iterator

from assessments import audit_trail
from assessments.integrity import utc_iso
from assessments.models import QualityReview, SignOff
from portfolio import spreadsheets
from portfolio.models import Centre, Enrolment
from portfolio.spreadsheets import spreadsheet_cell

from .bulk import candidate_folder
from .checks import sign_off_of_record
from .pack_sections import SEALED_PDF, PackFile, Sample, register
from .unit_pdf import render_unit_pdf

UNIT_PDFS = "Unit portfolios (PDF)"
IQA_RECORDS = "IQA records"
AUDIT_TRAILS = "Audit trails"
IQA_CSV = "iqa/iqa-reviews.csv"
IQA_HEADER = [
    "candidate", "unit", "enrolment", "assessor", "IQA", "stage", "outcome", "sampled at (UTC)",
    "reviewed at (UTC)", "comments", "actions for the assessor", "actions done at (UTC)", "actions done note",
    "sign-off reviewed (assessor signed at, UTC)",
]


def unit_path(enrolment: Enrolment, name: str) -> str:
    return f"units/{candidate_folder(enrolment)}/{enrolment.unit.slug}-{name}"


def unit_pdfs(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    for enrolment in enrolments:
        pdf = render_unit_pdf(enrolment, record=enrolments.record_of(enrolment))
        assert pdf is not None  # no target: the bytes
        yield unit_path(enrolment, "portfolio.pdf"), pdf, SEALED_PDF


def _when(moment: datetime.datetime | None) -> str:
    return utc_iso(moment) if moment else ""


def iqa_records(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    reviews: dict[int, list[QualityReview]] = {}
    for review in (
        QualityReview.objects.filter(enrolment__in=enrolments).select_related("iqa", "sign_off")
        .order_by("sampled_at", "pk")
    ):
        reviews.setdefault(review.enrolment_id, []).append(review)
    text = io.StringIO()
    writer = spreadsheets.writer(text)
    writer.writerow(IQA_HEADER)
    for enrolment in enrolments:
        unit = [
            spreadsheet_cell(enrolment.candidate.get_full_name()), enrolment.unit.code, enrolment.pk,
            spreadsheet_cell(enrolment.assessor.get_full_name() if enrolment.assessor else ""),
        ]
        if enrolment.pk not in reviews:
            iqa = enrolment.iqa.get_full_name() if enrolment.iqa else ""
            row = [*unit, spreadsheet_cell(iqa), "", "not sampled by the IQA"]
            writer.writerow(row + [""] * (len(IQA_HEADER) - len(row)))  # every row as wide as the header
        for review in reviews.get(enrolment.pk, []):
            writer.writerow([*unit, *_review_cells(review, review.sign_off)])
    yield IQA_CSV, text.getvalue().encode("utf-8"), "text/csv; charset=utf-8"


def _review_cells(review: QualityReview, sign_off: SignOff | None) -> list[str]:
    cell = spreadsheet_cell
    return [
        cell(review.iqa.get_full_name()), review.get_stage_display(), review.outcome_label,
        _when(review.sampled_at), _when(review.reviewed_at), cell(review.comments), cell(review.actions),
        _when(review.actions_done_at), cell(review.actions_done_note),
        _when(sign_off.assessor_signed_at) if sign_off else "",
    ]


def audit_trails(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    for enrolment in enrolments:
        standing = sign_off_of_record(enrolment)
        text = io.StringIO()
        # As the one who asked for the pack reads the unit: no candidate's draft, no other EQA's work.
        audit_trail.write_csv(enrolment, text, viewer=enrolments.reader, sign_off=standing)
        yield unit_path(enrolment, "audit-trail.csv"), text.getvalue().encode("utf-8"), "text/csv; charset=utf-8"


def register_today() -> None:
    register(UNIT_PDFS, unit_pdfs)
    register(IQA_RECORDS, iqa_records)
    register(AUDIT_TRAILS, audit_trails)
