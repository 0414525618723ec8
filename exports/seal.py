"""The seal on every PDF the product produces, and what it carries.

Each unit PDF is rendered as PDF/A-3a (archival, tagged for screen readers) with the record's
manifest embedded as a file (`MANIFEST_NAME`): the SHA-256 of every evidence file the PDF lists,
and for a signed-off unit the signed manifest itself with its decisions digest and signatures, and
whether the record was still as signed when the PDF was produced (`record`).
Then its centre seals it: a PAdES signature added as an incremental update, so the PDF/A document
is left byte for byte as rendered and any later change to it breaks the seal.

Reading a seal back (`read_sealed_pdf`) needs no database: the PDF and the root certificate are
enough, which is what lets an awarding body check an export offline (exports/verification.py)."""

import asyncio
import datetime
import io
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

import pypdf
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from assessments.integrity import file_entry, utc_iso
from assessments.models import SignOff
from portfolio.models import Enrolment, Evidence

from .checks import RecordCheck
from .seal_keys import Seal

logger = logging.getLogger(__name__)
MANIFEST_NAME = "record-manifest.json"
MANIFEST_FORMAT = 1
SEAL_FIELD = "Seal"
T = TypeVar("T")


def record_manifest(
    enrolment: Enrolment, evidence_list: list[Evidence], standing: SignOff | None, generated_at: datetime.datetime,
    record: RecordCheck,
) -> dict:
    """The manifest a unit PDF carries: what the PDF vouches for, file by file, and what the check
    made as it was produced found (`record`: "intact", or "changed since sign-off" and every change),
    so a changed record cannot pass for a signed one even offline."""
    sign_off = None
    if standing is not None:
        sign_off = {
            "manifest": standing.manifest,
            "decisions_digest": standing.decisions_digest,
            "signature": standing.signature,
            "assessor_signed_at": utc_iso(standing.assessor_signed_at),
            "candidate_signed_at": utc_iso(standing.candidate_signed_at) if standing.candidate_signed_at else None,
            "candidate_signature": standing.candidate_signature,
        }
    return {
        "format": MANIFEST_FORMAT,
        "generated_at": utc_iso(generated_at),
        "centre": {"code": enrolment.centre.code, "name": enrolment.centre.name},
        "enrolment": enrolment.pk,
        "unit": enrolment.unit.code,
        "candidate": enrolment.candidate.get_full_name(),
        "signed_off": standing is not None,
        "sign_off": sign_off,
        "record": record.as_manifest(),
        "files": [file_entry(f, e) for e in evidence_list for f in e.files.all() if f.is_current],
    }


def manifest_attachment_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()


def seal_pdf(pdf: bytes, seal: Seal, target: IO[bytes], *, reason: str) -> None:
    """Adds the PAdES seal to `pdf` and writes the sealed PDF to `target`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=seal.name,
    )
    sealed = io.BytesIO()
    outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=seal.signer, output=sealed))
    target.write(sealed.getbuffer())


def outside_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous calls run their async core with asyncio.run(), which refuses to start
    inside a running event loop (an async view, Playwright's sync API in the tests); there, the
    work runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


# Reading a seal back, without the database.


@dataclass
class SealReport:
    """What a sealed PDF says about itself: whether its seal holds, who sealed it and when, and
    the manifest it carries. `problems` names every way it fails."""

    sealed_by: str = ""
    sealed_at: str = ""
    manifest: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    # The SHA-256 fingerprints of the certificate that made the seal and of the trusted root it
    # chains to ("" when it chains to none given): one build is sealed by one certificate.
    certificate: str = ""
    root: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems


def read_roots(pem: bytes) -> list[asn1_x509.Certificate]:
    return list(load_certs_from_pemder_data(pem))


Roots = list[asn1_x509.Certificate] | Callable[[dict[str, Any] | None], list[asn1_x509.Certificate]]


def roots_words(roots: Roots) -> str:
    """Which roots a seal was checked against, for the report: the ones given (`--root`), or those
    a function of the manifest chose, which says so in its `words` (exports/verification_live.py)."""
    if callable(roots):
        return str(getattr(roots, "words", "the roots of the centre's seals"))
    return "the root given (--root)" if len(roots) == 1 else f"the {len(roots)} roots given (--root)"


def fingerprint(certificate: asn1_x509.Certificate | None) -> str:
    return certificate.sha256.hex() if certificate is not None else ""


def short(fingerprint_hex: str) -> str:
    """A fingerprint as a person compares it: its first 16 hex digits, in pairs."""
    return ":".join(fingerprint_hex[i:i + 2] for i in range(0, 16, 2)).upper() if fingerprint_hex else "none"


def signer_of(status: Any, report: SealReport) -> None:
    """Who made a seal, when, with which certificate, under which trusted root, from pyHanko's status."""
    certificate = status.signing_cert
    # The organisation the seal names (the centre, or "Evidence portfolio at <address>" for the
    # installation's), not the certificate's whole distinguished name.
    subject = certificate.subject.native if certificate is not None else {}
    report.sealed_by = subject.get("organization_name") or subject.get("common_name") or ""
    report.certificate = fingerprint(certificate)
    if status.signer_reported_dt is not None:
        report.sealed_at = utc_iso(status.signer_reported_dt)
    path = getattr(status, "validation_path", None)
    if status.trusted and path is not None:
        report.root = fingerprint(getattr(path.trust_anchor, "certificate", None))


def read_sealed_pdf(pdf: bytes, roots: Roots) -> SealReport:
    """Checks the seal of `pdf` against the trusted `roots` (or the roots for the centre its
    manifest names, when `roots` is a function of the manifest) and reads its embedded manifest."""
    report = SealReport()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # pyHanko raises many kinds on a damaged file; all mean the same here
        logger.info("Not a readable PDF: %s: %s", type(error).__name__, error)
        report.problems.append("it is not a complete, readable PDF: it may be damaged or cut short")
        return report
    report.manifest = _embedded_manifest(pdf, report)
    if not signatures:
        report.problems.insert(0, "it carries no seal")
    else:
        _check_seal(signatures[-1], roots(report.manifest) if callable(roots) else roots, report, roots_words(roots))
    return report


def _check_seal(signature: Any, roots: list[asn1_x509.Certificate], report: SealReport, words: str) -> None:
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = outside_event_loop(lambda: validate_pdf_signature(signature, context))
    except Exception as error:
        logger.info("Seal not checkable: %s: %s", type(error).__name__, error)
        report.problems.append("its seal could not be checked: the seal in it is damaged")
        return
    signer_of(status, report)
    if not status.intact or not status.valid:
        report.problems.append("its seal is broken: the PDF has changed since it was sealed")
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        report.problems.append("something was added to the PDF after it was sealed")
    if status.intact and status.valid and not status.trusted:
        report.problems.append(
            f"its seal was not made by a certificate under {words}"
            if roots else "no root certificate was given to check its seal against (--root)"
        )


def _embedded_manifest(pdf: bytes, report: SealReport) -> dict[str, Any] | None:
    try:
        attachments = pypdf.PdfReader(io.BytesIO(pdf)).attachments
        contents = attachments.get(MANIFEST_NAME)
    except Exception as error:
        report.problems.append(f"its embedded manifest could not be read ({type(error).__name__})")
        return None
    if not contents:
        report.problems.append(f"it carries no embedded manifest ({MANIFEST_NAME})")
        return None
    try:
        manifest = json.loads(contents[0])
    except ValueError:
        report.problems.append("its embedded manifest is not valid JSON")
        return None
    return manifest if isinstance(manifest, dict) else None
