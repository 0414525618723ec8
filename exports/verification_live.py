"""The part of `verify_export` that needs the database: comparing each unit PDF with the live
record, and knowing which root certificates a centre's seals have had."""

from typing import Any

from asn1crypto import x509 as asn1_x509
from django.db import DatabaseError
from django.http import Http404

from assessments import fixity, record_seals
from assessments.access import enrolment_for_user
from assessments.models import SignOff
from portfolio.models import Enrolment, EvidenceFile, Person

from .checks import sign_off_of_record
from .models import CentreSeal
from .seal import read_roots
from .seal_keys import believed_seals, installation_seal
from .verification import LiveCheck, UnitCheck


def database_available() -> bool:
    try:
        Enrolment.objects.exists()
    except DatabaseError:
        return False
    return True


def centre_roots(manifest: dict[str, Any] | None) -> list[asn1_x509.Certificate]:
    """The roots a PDF naming this centre may be sealed under: every seal the centre has had (a
    retired seal still checks what it sealed) and the installation's."""
    code = ((manifest or {}).get("centre") or {}).get("code", "")
    pems = [seal.root_pem for seal in believed_seals(CentreSeal.objects.filter(centre__code=code))]
    pems.append(installation_seal().root_pem)
    return [root for pem in dict.fromkeys(pems) for root in read_roots(pem.encode())]


# What the report says a seal was checked against, when these are the roots (no --root given).
centre_roots.words = "the roots of the centre's seals in this database or the installation's"  # type: ignore[attr-defined]


def compare_with_live_record(unit: UnitCheck) -> None:
    manifest = unit.manifest or {}
    enrolment_id = manifest.get("enrolment")
    enrolment = None if not isinstance(enrolment_id, int) else (
        Enrolment.objects.filter(pk=enrolment_id, centre__code=(manifest.get("centre") or {}).get("code"))
        .select_related("centre", "unit", "candidate").first()
    )
    if enrolment is None:
        unit.notes.append("not compared with a live record: this database does not hold the unit")
        return
    standing = sign_off_of_record(enrolment)
    if manifest.get("signed_off"):
        signed = (manifest.get("sign_off") or {}).get("signature")
        if standing is None and not SignOff.objects.filter(enrolment=enrolment, signature=signed).exists():
            unit.problems.append("the live record: the sign-off this PDF shows is no longer in the database")
        elif standing is None:
            unit.problems.append("the live record: the sign-off this PDF shows has since been voided")
        elif standing.signature != signed:
            unit.problems.append("the live record: the unit has been signed off again since this PDF was produced")
        else:
            unit.problems += [f"the live record: {problem}" for problem in fixity.judged(standing).problems]
    elif standing is not None:
        unit.notes.append("the unit has been signed off since this PDF was produced")
    if standing is None:  # with one standing, `fixity.judged` has said it
        unit.problems += [f"the live record: {problem}" for problem in record_seals.sign_off_seal_problems(enrolment)]
    entries = {entry.get("file_id"): entry for entry in manifest.get("files") or []}
    recorded = dict(EvidenceFile.objects.filter(pk__in=[k for k in entries if isinstance(k, int)])
                    .values_list("pk", "sha256"))
    for file_id, entry in entries.items():
        if recorded.get(file_id) != entry.get("sha256"):
            unit.problems.append(
                f"the live record: {entry.get('evidence')} {entry.get('name')} is not the file the database records"
            )
    unit.notes.append("compared with the live record")


def live_check_for(person: Person) -> LiveCheck:
    """The live comparison for the checking page: only for units on the person's case, so the
    page says nothing about a record they could not read."""

    def compare(unit: UnitCheck) -> None:
        enrolment_id = (unit.manifest or {}).get("enrolment")
        try:
            if not isinstance(enrolment_id, int):
                raise Http404
            enrolment_for_user(person, enrolment_id)
        except Http404:
            unit.notes.append("not compared with the live record: the unit is not on your case")
            return
        compare_with_live_record(unit)

    return compare
