"""A seal row written into the database by hand is not one of the centre's seals (an outside trial:
with a root of one's own inserted as a retired seal of the centre, a PDF sealed by one's own key
checked as valid on the checking page and with `verify_export` against the database, and
`centre_seal_root --all` handed the forged root out as the centre's)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.services.signoff import unit_sign_off
from exports.models import CentreSeal
from exports.seal import seal_pdf
from exports.seal_keys import _loaded, make_seal
from exports.unit_pdf import _manifest_attachment, archival_pdf, unit_document

pytestmark = pytest.mark.django_db


def _verify(path) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_export", str(path), stdout=out)  # the database's roots: no --root
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def _roots(centre, *args) -> str:
    out = io.StringIO()
    call_command("centre_seal_root", centre.code, *args, stdout=out)
    return out.getvalue()


def test_a_seal_row_inserted_by_hand_is_not_a_root_of_the_centre(unit, tmp_path):
    enrolment = unit["enrolment"]
    unit_sign_off(enrolment=enrolment, assessor=unit["bob"], declared=True)
    call_command("make_centre_seal", enrolment.centre.code, stdout=io.StringIO())
    theirs = make_seal(enrolment.centre.name, b"theirs")
    context, document = unit_document(enrolment)
    forged = io.BytesIO()
    seal_pdf(archival_pdf(document, attachments=[_manifest_attachment(context)]),
             _loaded(theirs.pkcs12, b"theirs", theirs.root_pem, enrolment.centre.name), forged, reason="forged")
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged.getvalue())
    assert _verify(path)[0] == 1

    CentreSeal.objects.create(
        centre=enrolment.centre, subject="forged", certificate_pem=theirs.certificate_pem, root_pem=theirs.root_pem,
        pkcs12=b"\x00", valid_until=timezone.now() + datetime.timedelta(days=3650), retired_at=timezone.now(),
    )

    status, output = _verify(path)
    assert status == 1, output
    assert "NOT VALID" in output and "Everything holds" not in output
    assert theirs.root_pem not in _roots(enrolment.centre, "--all")
    assert _roots(enrolment.centre) in _roots(enrolment.centre, "--all")  # the real one is still handed out


def test_a_seal_made_by_the_product_is_believed(unit):
    enrolment = unit["enrolment"]
    call_command("make_centre_seal", enrolment.centre.code, stdout=io.StringIO())
    seal = CentreSeal.objects.get(centre=enrolment.centre)
    assert seal.signature and seal.root_pem in _roots(enrolment.centre)
