"""A qualification's summary of achievement, as awarding bodies ask for it with a certification claim
(City & Guilds' RF10 is the common model): the candidate and their identifiers, the qualification,
and each unit with its code, title, credit, the date it was signed off, its assessor and the date
the IQA countersigned it. Drawn and sealed as the unit PDF is (`unit_pdf.pdf_from_template`,
`seal`); made only once the qualification is complete."""

import io

from django.utils import timezone

from assessments.qualification_progress import QualificationProgress
from portfolio.identifier_models import identifiers_at
from portfolio.models import Person, QualificationRegistration

from .fetcher import STYLESHEET_URL
from .seal import seal_pdf
from .seal_keys import seal_for
from .unit_pdf import pdf_from_template


def summary_context(progress: QualificationProgress) -> dict:
    registration = progress.registration
    return {
        "registration": registration,
        "candidate": registration.candidate,
        "identifiers": identifiers_at(registration.candidate_id, registration.centre_id),
        "qualification": registration.qualification,
        "centre": registration.centre,
        "progress": progress,
        "generated_at": timezone.now(),
        "stylesheet_url": STYLESHEET_URL,
    }


def render_summary_pdf(progress: QualificationProgress, *, by: Person | None = None) -> bytes:
    """The sealed PDF's bytes."""
    registration: QualificationRegistration = progress.registration
    pdf = pdf_from_template("pdf/summary.html", summary_context(progress))
    reason = (
        f"{registration.qualification.code} summary of achievement of {registration.candidate.get_full_name()}, "
        f"produced by {registration.centre.name}"
    )
    out = io.BytesIO()
    seal_pdf(pdf, seal_for(registration.centre), out, reason=reason)
    return out.getvalue()
