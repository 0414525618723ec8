"""What a sign-off rests on, written down so that any later change to it can be found.

At sign-off the manifest records every standing decision of the unit and, for every evidence item
those decisions cite, its version, a digest of its words, which of the unit's items the candidate
mapped it to (`assessments.mappings`) and the SHA-256 of each of its current files, recomputed from
storage there and then; and the scope coverage (`assessments.scope`): the evidence the assessor
recorded as covering each scope category, or why it does not apply (that evidence is part of the
record too). `decisions_digest` is the SHA-256 of the decisions part; `signature` is an HMAC, with a
key the database does not hold, over the whole manifest, the enrolment, the assessor and the moment
of signing (`assessments.signing`: canonical JSON, so the same facts always give the same bytes).
`verify` recomputes all of it from the database and the stored files as they are now and names
every difference.
"""

import datetime
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Prefetch

from portfolio import dates
from portfolio.models import Enrolment, Evidence, EvidenceFile, EvidenceState, Person

from . import attestations, mappings, record_seals, scope, unit_wording
from .decision_changes import difference
from .models import Decision, SignOff
from .signing import _hmac
from .signing import sha256_of as sha256_of  # re-exported, as utc_iso: still read from here
from .signing import utc_iso as utc_iso
from .voids import void_is_signed

# 2: with the scope coverage. 3: each evidence item's mapping to the unit (`mappings`). 4: the unit's
# wording (`unit_wording`). Older manifests, signed before those were kept, verify without them.
MANIFEST_FORMAT = 4
READ_CHUNK_BYTES = 1024 * 1024
_WORDS = ("title", "method", "activity_date", "location", "account")


def stored_sha256(evidence_file: EvidenceFile) -> str | None:
    """The SHA-256 of the file's bytes as they are in storage now, read in chunks so a large video
    never sits in memory; None when the file is missing."""
    digest = hashlib.sha256()
    try:
        with evidence_file.file.storage.open(evidence_file.file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(READ_CHUNK_BYTES), b""):
                digest.update(chunk)
    except OSError:  # FileNotFoundError, or storage that cannot be read
        return None
    return digest.hexdigest()


def _person(person: Person) -> dict:
    return {"id": person.pk, "name": person.get_full_name() or person.email}


# The parts of a manifest, each built from the database as it is now.


def standing_decisions(enrolment: Enrolment) -> list[Decision]:
    return list(
        Decision.objects.standing().filter(enrolment=enrolment)
        .select_related("decided_by", "criterion", "knowledge_item")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("number")))
    )


def decisions_part(decisions: list[Decision]) -> list[dict]:
    rows = []
    for decision in decisions:
        item = decision.item
        rows.append(
            {
                "id": decision.pk,
                "item": item.reference,
                "kind": "criterion" if decision.criterion_id else "knowledge",
                "decided_by": _person(decision.decided_by),
                "decided_on": decision.decided_on.isoformat(),
                "decided_at": utc_iso(decision.decided_at),
                "evidence": [{"ref": e.reference, "id": e.pk} for e in decision.evidence.all()],
            }
        )
    return sorted(rows, key=lambda row: (row["kind"], natural_order(row["item"])))


def natural_order(reference: str) -> list:
    """“HSC331 K2” before “HSC331 K10”: the standard's own order, from the reference alone."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", reference)]


def cited_evidence(decisions: list[Decision], *, also: Iterable[Evidence] = ()) -> list[Evidence]:
    """The evidence the decisions cite, with `also` (the evidence covering the scope) besides."""
    ids = {e.pk for decision in decisions for e in decision.evidence.all()} | {e.pk for e in also}
    return _evidence_with_files(ids)


def _evidence_with_files(ids: Iterable[int | None]) -> list[Evidence]:
    return list(
        Evidence.objects.filter(pk__in=ids)
        .prefetch_related(Prefetch("files", queryset=EvidenceFile.objects.order_by("pk")))
        .order_by("number")
    )


def evidence_part(evidence_items: list[Evidence], enrolment_id: int) -> list[dict]:
    """Each item's version, state, words digest, attestations and mapping to the unit (`mappings`)."""
    attested = attestations.digests(evidence_items)
    mapped = mappings.mapped(evidence_items, enrolment_id)
    return [
        {"ref": e.reference, "id": e.pk, "version": e.version, "state": e.state,
         "words_sha256": sha256_of({name: str(getattr(e, name)) for name in _WORDS}), **attested[e.pk], **mapped[e.pk]}
        for e in evidence_items
    ]


def current_files(evidence_items: list[Evidence]) -> list[EvidenceFile]:
    return [f for e in evidence_items for f in e.files.all() if f.is_current]


def file_entry(evidence_file: EvidenceFile, evidence: Evidence) -> dict:
    return {
        "evidence": evidence.reference,
        "evidence_id": evidence.pk,
        "file_id": evidence_file.pk,
        "name": evidence_file.original_name,
        "size": evidence_file.size,
        "sha256": evidence_file.sha256,
    }


def file_label(entry: dict) -> str:
    return f"{entry['evidence']} {entry['name']}"


# Signing.


def changed_since_upload(evidence_items: list[Evidence]) -> list[str]:
    """Files whose bytes in storage no longer match the digest taken when they were uploaded."""
    problems = []
    for e in evidence_items:
        for f in e.files.all():
            if not f.is_current:
                continue
            found = stored_sha256(f)
            if found is None:
                problems.append(f"{e.reference} {f.original_name} is missing from storage")
            elif found != f.sha256:
                problems.append(f"{e.reference} {f.original_name} has changed since it was uploaded")
    return problems


def build_manifest(
    *, enrolment: Enrolment, assessor: Person, signed_at: datetime.datetime, declaration: str,
    decisions: list[Decision], evidence_items: list[Evidence], scope_coverage: list[scope.CategoryCoverage],
) -> dict:
    """The manifest of a sign-off. The caller has checked every file against storage first."""
    return {
        "format": MANIFEST_FORMAT,
        "enrolment": {
            "id": enrolment.pk,
            "unit": enrolment.unit.code,
            "candidate": _person(enrolment.candidate),
        },
        "assessor": _person(assessor),
        "signed_at": utc_iso(signed_at),
        "declaration": declaration,
        "decisions": decisions_part(decisions),
        "evidence": evidence_part(evidence_items, enrolment.pk),
        "files": [file_entry(f, e) for e in evidence_items for f in e.files.all() if f.is_current],
        "scope": scope.manifest_part(scope_coverage),
        unit_wording.WORDING: unit_wording.manifest_part(enrolment.unit_id),
    }


def signed_sign_off(
    *, enrolment: Enrolment, assessor: Person, signed_at: datetime.datetime,
    decisions: list[Decision], evidence_items: list[Evidence], scope_coverage: list[scope.CategoryCoverage],
) -> SignOff:
    """The assessor's sign-off of the unit, not yet saved: the manifest of these decisions and
    evidence, its decisions digest and the signature over it all. The one way a sign-off is made,
    by the sign-off service and by the generated centres alike, so both verify the same way."""
    manifest = build_manifest(
        enrolment=enrolment, assessor=assessor, signed_at=signed_at, declaration=SignOff.ASSESSOR_DECLARATION,
        decisions=decisions, evidence_items=evidence_items, scope_coverage=scope_coverage,
    )
    sign_off = SignOff(
        enrolment=enrolment,
        assessor=assessor,
        assessor_signed_at=signed_at,
        assessor_declaration=SignOff.ASSESSOR_DECLARATION,
        manifest=manifest,
        decisions_digest=sha256_of(manifest["decisions"]),
        signature=assessor_signature(
            manifest=manifest, enrolment_id=enrolment.pk, assessor_id=assessor.pk, signed_at=signed_at
        ),
    )
    sign_off.after_signature = record_seals.after_signature(sign_off)  # nothing after it yet
    return sign_off


def assessor_signature(*, manifest: dict, enrolment_id: int, assessor_id: int, signed_at: datetime.datetime) -> str:
    return _hmac(
        {"manifest": manifest, "enrolment": enrolment_id, "assessor": assessor_id, "signed_at": utc_iso(signed_at)}
    )


def countersign(sign_off: SignOff, *, signed_at: datetime.datetime) -> None:
    """The candidate's countersignature on the sign-off (not saved), made one way for the service
    and the generated centres, with what came after the signing signed again."""
    sign_off.candidate_signed_at = signed_at
    sign_off.candidate_declaration = SignOff.CANDIDATE_DECLARATION
    sign_off.candidate_signature = candidate_signature(sign_off)
    sign_off.after_signature = record_seals.after_signature(sign_off)


def candidate_signature(sign_off: SignOff) -> str:
    return _hmac(
        {
            "assessor_signature": sign_off.signature,
            "candidate": sign_off.enrolment.candidate_id,
            "signed_at": utc_iso(cast(datetime.datetime, sign_off.candidate_signed_at)),  # asked once signed
            "declaration": sign_off.candidate_declaration,
        }
    )


# Verifying.


@dataclass
class IntegrityReport:
    """The result of checking a sign-off against the database (and storage, if read) as they are now."""

    file_count: int = 0
    decision_count: int = 0
    problems: list[str] = field(default_factory=list)
    # What reading the signed files' bytes found: how many were read (0 for a database-side check),
    # and those missing or changed, by id and in words (the words are in `problems` too).
    files_read: int = 0
    changed_files: list[int] = field(default_factory=list)
    storage_problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def note_stored(self, entry: dict, found: str | None) -> None:
        """What reading one signed file (a manifest entry) found in storage: its SHA-256 now, or None
        if it is missing. For `check`, and for a caller that hashes each file as it reads it anyway
        (the unit PDF, the bulk export) and records the result (`assessments.fixity.record`)."""
        self.files_read += 1
        label = file_label(entry)
        if found is None:
            problem = f"{label} is missing from storage."
        elif found != entry.get("sha256"):
            problem = (
                f"{label} has changed since the unit was signed off: its SHA-256 is now {found[:12]}…, "
                f"{str(entry.get('sha256'))[:12]}… was signed."
            )
        else:
            return
        self.changed_files.append(cast(int, entry.get("file_id")))
        self.storage_problems.append(problem)
        self.problems.append(problem)


def verify(sign_off: SignOff) -> list[str]:
    """Every way the sign-off no longer matches what was signed, in words; empty when intact."""
    return check(sign_off).problems


def check(sign_off: SignOff, *, read_files: bool = True) -> IntegrityReport:
    """Every check of the sign-off. `read_files=False`: the database side only (signatures, decisions,
    evidence, file rows), what a page affords on every view; the bytes are `assessments.fixity`'s."""
    manifest = sign_off.manifest if isinstance(sign_off.manifest, dict) else {}
    signed_decisions = manifest.get("decisions") or []
    signed_files = manifest.get("files") or []
    report = IntegrityReport(file_count=len(signed_files), decision_count=len(signed_decisions))
    problems = report.problems
    expected = assessor_signature(manifest=sign_off.manifest, enrolment_id=sign_off.enrolment_id,
                                  assessor_id=sign_off.assessor_id, signed_at=sign_off.assessor_signed_at)
    if not hmac.compare_digest(expected, sign_off.signature):
        problems.append(
            "The signed record itself has been altered: its signature no longer matches the manifest, "
            "the assessor or the time of signing."
        )
    if sha256_of(signed_decisions) != sign_off.decisions_digest:
        problems.append("The decisions digest no longer matches the decisions in the signed manifest.")
    problems += _decision_problems(sign_off, signed_decisions)
    _evidence_problems(report, manifest.get("evidence") or [], signed_files, sign_off.enrolment_id, read_files=read_files)
    problems += scope.problems(sign_off, manifest) + attestations.sign_off_problems(sign_off, manifest)
    problems += unit_wording.problems(sign_off, manifest)
    countersigned = sign_off.candidate_signed_at is not None
    if (countersigned or sign_off.candidate_signature) and not (
        countersigned and hmac.compare_digest(candidate_signature(sign_off), sign_off.candidate_signature)
    ):
        problems.append("The candidate’s countersignature has been altered since it was made.")
    if sign_off.voided_at is not None and not void_is_signed(sign_off):
        problems.append(
            f"The sign-off of {when(sign_off.assessor_signed_at)} was marked void in the database, not by an "
            "unlock in the portfolio: it still stands, and the record has been tampered with."
        )
    return report


def _decision_problems(sign_off: SignOff, signed: list[dict]) -> list[str]:
    signed_by_item = {row.get("item"): row for row in signed}
    now = [
        _named_as_signed(row, signed_by_item.get(row["item"]))
        for row in decisions_part(standing_decisions(sign_off.enrolment))
    ]
    if sha256_of(now) == sign_off.decisions_digest:
        return []
    problems = []
    now_by_item = {row["item"]: row for row in now}
    for item, row in signed_by_item.items():
        current = now_by_item.get(item)
        if current is None:
            problems.append(f"{item} was signed as met but has no standing decision now.")
        elif current != row:
            problems.append(f"{item}: the decision has changed since sign-off ({difference(row, current)}).")
    for item in now_by_item.keys() - signed_by_item.keys():
        problems.append(f"{item} has a decision that was not part of the sign-off.")
    if not problems:
        problems.append("The unit’s decisions no longer match the decisions digest taken at sign-off.")
    return problems



def words_changed(reference: str) -> str:
    """The problem said of signed evidence whose words changed (the PDF marks the item itself too)."""
    return f"{reference}: its title, method, date, place or written account has changed since sign-off."


def _named_as_signed(row: dict, signed: dict | None) -> dict:
    """A decision as it is now, with its assessor's name as signed when it is the same person: an
    assessor who changes her name (marriage, a correction) has changed no decision she signed."""
    signed_by = (signed or {}).get("decided_by")
    if isinstance(signed_by, dict) and signed_by.get("id") == row["decided_by"]["id"]:
        return {**row, "decided_by": signed_by}
    return row


def _evidence_problems(
    report: IntegrityReport, signed_evidence: list[dict], signed_files: list[dict], enrolment_id: int, *,
    read_files: bool,
) -> None:
    ids = {row.get("id") for row in signed_evidence} | {row.get("evidence_id") for row in signed_files}
    found: dict[object, Evidence] = {e.pk: e for e in _evidence_with_files(ids - {None})}
    problems = report.problems
    # Every item's part as it is now, in three queries for all of them (not three per item).
    parts = {part["id"]: part for part in evidence_part(list(found.values()), enrolment_id)}
    for row in signed_evidence:
        evidence = found.get(row.get("id"))
        if evidence is None:
            problems.append(f"{row.get('ref')} no longer exists.")
            continue
        now = parts[evidence.pk]
        if now["state"] != EvidenceState.ACCEPTED:
            problems.append(f"{evidence.reference} is no longer accepted: it is {evidence.get_state_display().lower()}.")
        if now["version"] != row.get("version"):
            problems.append(f"{evidence.reference} is now version {now['version']}; version {row.get('version')} was signed.")
        elif now["words_sha256"] != row.get("words_sha256"):
            problems.append(words_changed(evidence.reference))
        problems += attestations.evidence_problems(evidence.reference, row, now)
        problems += mappings.evidence_problems(evidence.reference, row, now)
    signed_file_ids = set()
    for entry in signed_files:
        signed_file_ids.add(entry.get("file_id"))
        _file_problems(report, entry, found.get(entry.get("evidence_id")), read_files=read_files)
    for evidence in found.values():
        for f in evidence.files.all():
            if f.is_current and f.pk not in signed_file_ids:
                problems.append(f"{evidence.reference} {f.original_name} was added after sign-off.")


def _file_problems(report: IntegrityReport, entry: dict, evidence: Evidence | None, *, read_files: bool) -> None:
    label = file_label(entry)
    evidence_file = next((f for f in evidence.files.all() if f.pk == entry.get("file_id")), None) if evidence else None
    if evidence_file is None:
        report.problems.append(f"{label} is no longer on record.")
        return
    if not evidence_file.is_current:
        report.problems.append(f"{label} was removed from {cast(Evidence, evidence).reference} after sign-off.")
    if evidence_file.original_name != entry.get("name"):
        report.problems.append(f"{label} has been renamed “{evidence_file.original_name}” since sign-off.")
    if evidence_file.sha256 != entry.get("sha256") or evidence_file.size != entry.get("size"):
        report.problems.append(f"{label}: its recorded digest or size was changed in the database after sign-off.")
    if read_files:
        report.note_stored(entry, stored_sha256(evidence_file))


def when(moment: datetime.datetime | datetime.date) -> str:
    """A date for a message, in the centre's time zone: “3 March 2026”."""
    return dates.day(moment)
