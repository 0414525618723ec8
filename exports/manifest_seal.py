"""The seal on a ZIP's list of files: `manifest.json.p7s`, a detached CMS signature (PKCS#7,
DER) over the bytes of `manifest.json`, made with the same seal as the centre's PDFs
(exports/seal_keys.py), in the visit pack and the bulk export alike.

Why: `manifest.json` lists every file in the ZIP with its SHA-256, but anyone can recompute it.
Sealed, a file changed, added or taken out (and the manifest recomputed to match) no longer agrees
with a list the centre vouched for. A detached signature, rather than a sealed cover PDF, because
`manifest.json` stays the plain file it was, and anyone can check the seal by hand with the
centre's root and nothing of the product's (docs/exports.md: `openssl cms -verify`).

Checking it (`check_manifest_seal`) needs no database, as the PDFs' seals do not."""

import asyncio
import datetime
import logging
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from .seal import SealReport, outside_event_loop, signer_of
from .seal_keys import Seal

logger = logging.getLogger(__name__)
MANIFEST_JSON = "manifest.json"
MANIFEST_SEAL = "manifest.json.p7s"


def seal_manifest(manifest: bytes, seal: Seal) -> bytes:
    """The detached signature of `manifest` by `seal`, DER-encoded, with the signing time as a signed
    attribute (pyHanko adds one to general data only when it is given)."""
    attributes = PdfCMSSignedAttributes(signing_time=datetime.datetime.now(datetime.UTC))
    content_info = outside_event_loop(lambda: asyncio.run(
        seal.signer.async_sign_general_data(manifest, "sha256", detached=True, signed_attr_settings=attributes)
    ))
    return content_info.dump()


def check_manifest_seal(manifest: bytes, sealed: bytes | None, roots: list[asn1_x509.Certificate],
                        words: str = "the root given") -> SealReport:
    """Whether `sealed` is a seal of exactly these bytes of manifest.json, made under `roots` (which
    `words` names for the report): each way it is not, in words naming the file."""
    report = SealReport()
    if sealed is None:
        report.problems.append(
            f"{MANIFEST_JSON} carries no seal ({MANIFEST_SEAL} is not in the ZIP): its list of files proves "
            "nothing, since anyone can recompute it"
        )
        return report
    try:
        signed_data = cms.ContentInfo.load(sealed)["content"]
        signed_data.native  # noqa: B018 - parses it all now, so damage shows here and not half-way through
    except Exception as error:  # asn1crypto raises many kinds on damaged DER; all mean the same here
        logger.info("Manifest seal not readable: %s: %s", type(error).__name__, error)
        report.problems.append(f"{MANIFEST_JSON}'s seal ({MANIFEST_SEAL}) could not be read: it is damaged")
        return report
    _check(manifest, signed_data, roots, report, words)
    return report


def _check(manifest: bytes, signed_data: Any, roots: list[asn1_x509.Certificate], report: SealReport,
           words: str) -> None:
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = outside_event_loop(lambda: asyncio.run(
            async_validate_detached_cms(manifest, signed_data, signer_validation_context=context)
        ))
    except Exception as error:
        logger.info("Manifest seal not checkable: %s: %s", type(error).__name__, error)
        report.problems.append(f"{MANIFEST_JSON}'s seal ({MANIFEST_SEAL}) could not be read: it is damaged")
        return
    signer_of(status, report)
    if not status.intact or not status.valid:
        report.problems.append(
            f"{MANIFEST_JSON} is not the list of files the centre sealed: it has been changed or recomputed "
            f"since the ZIP was built (its seal, {MANIFEST_SEAL}, no longer matches it)"
        )
    elif not status.trusted:
        report.problems.append(
            f"{MANIFEST_JSON}'s seal was not made by a certificate under {words}"
            if roots else f"no root certificate was given to check {MANIFEST_JSON}'s seal against (--root)"
        )
