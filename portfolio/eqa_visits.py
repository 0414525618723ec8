"""What an external quality assurer opened during one request, noted by `portfolio.access` (and
assessments' access) as it lets them in, and written to the centre's log (`EqaVisit`) by
`portfolio.eqa_middleware` once the page or file has been answered.

Each entry of the log says in words what was opened: the page ("Unit page", "IQA sampling plans",
by the address's name, `PAGE_NAMES`) and whose record it is ("Alice Adams, HSC331"), from the notes
the access functions leave. Never the bare address: the administrator reading the log should not
have to decode one (the CSV keeps it beside the words).

A request of someone with no grant open notes nothing: the middleware does not start a reading for
them, so the access functions' notes go nowhere and cost nothing (a note's words are only worked
out when there is a reading to take them)."""

from contextvars import ContextVar
from dataclasses import dataclass, field

from .models import Enrolment, Evidence, EvidenceFile, Person, QualificationRegistration

WHAT_LENGTH = 200  # EqaVisit.what

# What the centre's log calls each page an EQA may open. An address not named here is called by
# the kind of record its access function found (the note's `kind`).
PAGE_NAMES = {
    "assessments:enrolment_detail": "Unit page",
    "assessments:decisions": "Decisions on a unit",
    "assessments:audit_export": "Audit trail (CSV)",
    "exports:unit_pdf": "Unit PDF",
    "exports:summary_pdf": "Summary of achievement PDF",
    "assessments:evidence_detail": "Evidence",
    "portfolio:evidence_file": "File downloaded",
    "portfolio:evidence_file_view": "File shown",
    "portfolio:evidence_file_preview": "Picture preview",
    "assessments:registration_detail": "Qualification",
    "assessments:centre_portfolios": "The centre's portfolios (list)",
    "assessments:sampling_plan_list": "IQA sampling plans (list)",
    "assessments:sampling_plan": "IQA sampling plan",
    "assessments:centre_witnesses": "Witness status list",
    "assessments:standardisation_list": "Standardisation meetings (list)",
    "assessments:standardisation_detail": "Standardisation meeting",
    "assessments:competence_overview": "Assessors' and IQAs' competence (list)",
    "assessments:competence_person": "Competence and CPD",
    "assessments:competence_file": "Competence certificate or CPD file",
    "exports:pack_list": "Visit packs (list)",
    "exports:pack_detail": "Visit pack",
    "exports:pack_download": "Visit pack downloaded",
}


@dataclass(frozen=True)
class Note:
    """One thing an access function let the person open: its kind, and whose it is in words."""

    kind: str
    subject: str = ""


@dataclass
class Reading:
    """The centres whose records the person reads under a grant now, and what they opened there."""

    centres: frozenset[int]
    opened: list[tuple[int, Note]] = field(default_factory=list)

    def described(self, url_name: str) -> dict[int, str]:
        """Each centre opened, with what the log says was opened there: the page, and the first
        record named (a page fetches its own record first; a file's evidence is found after it)."""
        notes: dict[int, list[Note]] = {}
        for centre, note in self.opened:
            notes.setdefault(centre, []).append(note)
        return {centre: _words(url_name, found) for centre, found in notes.items()}


def _words(url_name: str, notes: list[Note]) -> str:
    page = PAGE_NAMES.get(url_name) or notes[0].kind
    subject = next((note.subject for note in notes if note.subject), "")
    return (f"{page}: {subject}" if subject else page)[:WHAT_LENGTH]


_current: ContextVar[Reading | None] = ContextVar("eqa_reading", default=None)


def begin(centres: frozenset[int]) -> object:
    return _current.set(Reading(centres=centres))


def end(token: object) -> Reading | None:
    reading = _current.get()
    _current.reset(token)  # type: ignore[arg-type]  # the token `begin` returned
    return reading


def opened(centre_id: int, kind: str, subject: object = None) -> None:
    """The access functions' note: something of this centre was found for the person asking.
    `subject` is the record found (a unit, evidence, a file, a qualification, a person), named in
    words only for an EQA's reading."""
    reading = _current.get()
    if reading is not None and centre_id in reading.centres:
        reading.opened.append((centre_id, Note(kind, words_for(subject))))


def words_for(subject: object) -> str:
    """Whose record it is, as the log says it: "Alice Adams, HSC331"; "Alice Adams, E3 Supporting a
    family visit"; "Alice Adams, E3 visit.png"; a person's name."""
    if isinstance(subject, Enrolment):
        return f"{subject.candidate.get_full_name()}, {subject.unit.code}"
    if isinstance(subject, QualificationRegistration):
        return f"{subject.candidate.get_full_name()}, {subject.qualification}"
    if isinstance(subject, Evidence):
        return f"{subject.candidate.get_full_name()}, {subject.reference} {subject.title}"
    if isinstance(subject, EvidenceFile):
        evidence = subject.evidence
        return f"{evidence.candidate.get_full_name()}, {evidence.reference} {subject.original_name}"
    if isinstance(subject, Person):
        return subject.get_full_name()
    return "" if subject is None else str(subject)
