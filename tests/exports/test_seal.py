"""Every unit PDF is PDF/A-3a, carries the signed record's manifest and is sealed by its centre:
checked with pypdf, `qpdf --check` and pyHanko's validator, as an external quality assurer would."""

import io
import json
import re
import stat
import subprocess

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from assessments.services.signoff import unit_sign_off
from exports import seal_keys
from exports.models import CentreSeal
from exports.seal import MANIFEST_NAME, read_roots
from exports.unit_pdf import render_unit_pdf
from portfolio.errors import PortfolioError

pytestmark = pytest.mark.django_db


def _root_of(centre) -> bytes:
    out = io.StringIO()
    call_command("centre_seal_root", centre.code, stdout=out)
    return out.getvalue().encode()


def _make_seal(centre) -> bytes:
    out = io.StringIO()
    call_command("make_centre_seal", centre.code, stdout=out, stderr=io.StringIO())
    return out.getvalue().encode()


def _validate(pdf: bytes, root_pem: bytes):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=read_roots(root_pem), allow_fetching=False)
    return validate_pdf_signature(signature, context)


def test_the_pdf_is_pdf_a_3a_tagged_with_an_output_intent_and_embedded_fonts(unit, tmp_path):
    pdf = render_unit_pdf(unit["enrolment"])
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    # pyHanko's seal rewrites the XMP packet, keeping the identification as attributes.
    assert re.search(r'pdfaid:part(="3"|>3<)', metadata) and re.search(r'pdfaid:conformance(="A"|>A<)', metadata)
    intent = catalog["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    # PDF/A's file identifier, in the trailer as rendered and in the seal's update after it.
    assert pdf.count(b"/ID [") == 2 and len(reader.trailer["/ID"]) == 2
    # Tagged: marked content, a structure tree a screen reader follows, and the document's language.
    assert bool(catalog["/MarkInfo"]["/Marked"])
    structure = catalog["/StructTreeRoot"].get_object()
    assert structure["/K"] and catalog["/Lang"] == "en-GB"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile" in descriptor, "every font is embedded"
    path = tmp_path / "unit.pdf"
    path.write_bytes(pdf)
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_embedded_manifest_is_the_signed_record(unit):
    sign_off = unit_sign_off(enrolment=unit["enrolment"], assessor=unit["bob"], declared=True)
    reader = PdfReader(io.BytesIO(render_unit_pdf(unit["enrolment"])))
    manifest = json.loads(reader.attachments[MANIFEST_NAME][0])
    assert manifest["signed_off"] is True and manifest["unit"] == "H3 25"
    assert manifest["sign_off"]["decisions_digest"] == sign_off.decisions_digest
    assert manifest["sign_off"]["signature"] == sign_off.signature
    assert manifest["sign_off"]["manifest"] == sign_off.manifest
    uploaded = {f.sha256 for e in unit["evidence"] for f in e.files.all()}
    assert uploaded and {f["sha256"] for f in manifest["files"]} == uploaded
    # PDF/A-3 names how an embedded file relates to the document.
    assert reader.trailer["/Root"]["/AF"][0].get_object()["/AFRelationship"] == "/Data"


def test_a_centres_seal_is_valid_under_its_root_and_only_its_root(unit):
    centre = unit["enrolment"].centre
    root = _make_seal(centre)
    assert root.startswith(b"-----BEGIN CERTIFICATE-----") and root == _root_of(centre)
    pdf = render_unit_pdf(unit["enrolment"])
    status = _validate(pdf, root)
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert "Harbour Housing Academy" in status.signing_cert.subject.human_friendly
    assert "NOT SIGNED OFF" in PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].sig_object["/Reason"]
    other = io.StringIO()
    call_command("centre_seal_root", "--installation", stdout=other)
    assert not _validate(pdf, other.getvalue().encode()).trusted


def test_a_centre_without_a_seal_of_its_own_has_the_installations(unit, settings):
    pdf = render_unit_pdf(unit["enrolment"])
    installation = io.StringIO()
    call_command("centre_seal_root", "--installation", stdout=installation)
    assert _validate(pdf, installation.getvalue().encode()).bottom_line
    assert stat.S_IMODE(settings.PORTFOLIO_SEAL_PKCS12.stat().st_mode) == 0o600


def test_a_centres_key_is_stored_encrypted_with_a_key_the_database_does_not_hold(unit, settings):
    centre = unit["enrolment"].centre
    _make_seal(centre)
    seal = CentreSeal.objects.get(centre=centre)
    assert b"PRIVATE KEY" not in bytes(seal.pkcs12)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(bytes(seal.pkcs12), None)
    key, _, _ = pkcs12.load_key_and_certificates(bytes(seal.pkcs12), seal_keys.centre_passphrase(centre))
    assert key is not None
    settings.PORTFOLIO_SEAL_KEY = "another installation's key"
    seal_keys._signers.clear()
    with pytest.raises(PortfolioError, match="PORTFOLIO_SEAL_KEY"):
        render_unit_pdf(unit["enrolment"])
    seal_keys._signers.clear()


def test_rotating_a_key_retires_the_old_seal_whose_root_still_checks_its_pdfs(unit):
    centre = unit["enrolment"].centre
    old_root = _make_seal(centre)
    old_pdf = render_unit_pdf(unit["enrolment"])
    new_root = _make_seal(centre)
    assert new_root != old_root
    assert CentreSeal.objects.filter(centre=centre, retired_at__isnull=True).count() == 1
    new_pdf = render_unit_pdf(unit["enrolment"])
    assert _validate(new_pdf, new_root).bottom_line and not _validate(new_pdf, old_root).trusted
    assert _validate(old_pdf, old_root).bottom_line
    every = io.StringIO()
    call_command("centre_seal_root", centre.code, "--all", stdout=every)
    assert old_root.decode() in every.getvalue() and new_root.decode() in every.getvalue()


def test_a_centre_may_bring_its_own_pkcs12(unit, tmp_path, monkeypatch):
    centre = unit["enrolment"].centre
    material = seal_keys.make_seal("Harbour Housing Academy (own CA)", b"their passphrase")
    (tmp_path / "own.p12").write_bytes(material.pkcs12)
    monkeypatch.setenv("PORTFOLIO_CENTRE_PKCS12_PASSPHRASE", "their passphrase")
    out = io.StringIO()
    call_command("make_centre_seal", centre.code, "--pkcs12", str(tmp_path / "own.p12"), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == material.root_pem
    assert CentreSeal.objects.get(centre=centre).uploaded
    assert _validate(render_unit_pdf(unit["enrolment"]), material.root_pem.encode()).bottom_line


def _elliptic_curve_pkcs12(organisation: str, passphrase: bytes) -> tuple[bytes, str]:
    """A centre's own seal from a CA that issues elliptic-curve keys: its PKCS#12 and root PEM."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common_name):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])

    now = datetime.datetime.now(datetime.UTC)
    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder().subject_name(name("EC root")).issuer_name(name("EC root"))
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    certificate = (
        x509.CertificateBuilder().subject_name(name("EC seal")).issuer_name(name("EC root"))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    sealed = pkcs12.serialize_key_and_certificates(
        b"seal", key, certificate, [root], serialization.BestAvailableEncryption(passphrase)
    )
    return sealed, root.public_bytes(serialization.Encoding.PEM).decode()


def test_a_centres_own_pkcs12_with_an_elliptic_curve_key_seals_too(unit, tmp_path, monkeypatch):
    centre = unit["enrolment"].centre
    sealed, root_pem = _elliptic_curve_pkcs12("Harbour Housing Academy (EC CA)", b"their passphrase")
    (tmp_path / "own.p12").write_bytes(sealed)
    monkeypatch.setenv("PORTFOLIO_CENTRE_PKCS12_PASSPHRASE", "their passphrase")
    call_command("make_centre_seal", centre.code, "--pkcs12", str(tmp_path / "own.p12"),
                 stdout=io.StringIO(), stderr=io.StringIO())
    status = _validate(render_unit_pdf(unit["enrolment"]), root_pem.encode())
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert "Common Name: EC seal" in status.signing_cert.subject.human_friendly
    assert "ecdsa" in status.pkcs7_signature_mechanism


def test_a_wrong_passphrase_for_a_centres_pkcs12_is_one_clear_line(unit, tmp_path, monkeypatch):
    from django.core.management import CommandError

    material = seal_keys.make_seal("Somewhere else", b"right")
    (tmp_path / "own.p12").write_bytes(material.pkcs12)
    monkeypatch.setenv("PORTFOLIO_CENTRE_PKCS12_PASSPHRASE", "wrong")
    with pytest.raises(CommandError, match="wrong passphrase"):
        call_command("make_centre_seal", unit["enrolment"].centre.code, "--pkcs12", str(tmp_path / "own.p12"))
    assert not CentreSeal.objects.exists()


def test_the_root_certificate_is_a_pem_file_pyhanko_reads(unit, tmp_path):
    def _pem_file(pem):
        (tmp_path / "root.pem").write_bytes(pem)
        return str(tmp_path / "root.pem")

    root = _make_seal(unit["enrolment"].centre)
    assert load_cert_from_pemder(_pem_file(root)).subject.human_friendly.endswith("Harbour Housing Academy root")


def test_a_pdf_is_sealed_and_checked_inside_a_running_event_loop(tmp_path):
    """pyHanko's own asyncio.run() refuses to start inside a loop (an async caller, Playwright's sync
    API in the browser tests); a bulk export built there failed three times before this."""
    import asyncio

    from weasyprint import HTML

    from exports.seal import read_sealed_pdf, seal_pdf

    plain = HTML(string="<p>Sealed inside a loop.</p>").write_pdf()
    seal = seal_keys.installation_seal()

    async def inside():
        sealed = io.BytesIO()
        seal_pdf(plain, seal, sealed, reason="test")
        return read_sealed_pdf(sealed.getvalue(), read_roots(seal.root_pem.encode()))

    report = asyncio.run(inside())
    assert report.sealed_by.startswith("Evidence portfolio at") and report.problems == [f"it carries no embedded manifest ({MANIFEST_NAME})"]


def test_an_installation_seal_under_another_passphrase_is_a_clear_message(settings, tmp_path):
    settings.PORTFOLIO_SEAL_PKCS12 = tmp_path / "installation.p12"
    seal_keys.installation_seal()
    settings.PORTFOLIO_SEAL_PASSPHRASE = "not the one it was made with"
    seal_keys._signers.clear()
    try:
        with pytest.raises(PortfolioError, match="PORTFOLIO_SEAL_PASSPHRASE"):
            seal_keys.installation_seal()
    finally:
        seal_keys._signers.clear()
