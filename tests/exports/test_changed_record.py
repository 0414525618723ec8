"""The unit PDF of a signed-off unit whose record was changed behind the product's back: a byte of
a signed file, a decision's date in the database, text appended to a signed written account. The
PDF says CHANGED SINCE SIGN-OFF on its cover and every page, names each change, carries it in its
sealed manifest and its seal's reason; verify_export reports a valid seal on a changed record."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from exports.seal import MANIFEST_NAME
from exports.unit_pdf import render_unit_pdf
from tests.exports.signed_case import TAMPERING, signed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed():
    return signed_case()


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def embedded_manifest(pdf: bytes) -> dict:
    return json.loads(PdfReader(io.BytesIO(pdf)).attachments[MANIFEST_NAME][0])


def seal_reason(pdf: bytes) -> str:
    return str(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[-1].sig_object["/Reason"])


def verify(path, tmp_path, *args) -> tuple[int, str]:
    """verify_export as an awarding body runs it: offline, with the installation seal's root."""
    root = io.StringIO()
    call_command("centre_seal_root", "--installation", stdout=root)
    (tmp_path / "root.pem").write_text(root.getvalue())
    out = io.StringIO()
    try:
        call_command("verify_export", str(path), "--root", str(tmp_path / "root.pem"), *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_a_changed_record_says_so_on_the_cover_every_page_its_manifest_and_seal(signed, tampering, tmp_path):
    enrolment = signed.case.h3_25
    change = TAMPERING[tampering](signed, enrolment)
    pdf = render_unit_pdf(enrolment)

    pages = pages_of(pdf)
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert "CHANGED SINCE SIGN-OFF: 1 change, see the cover" in page, f"page {number} lacks the mark"
    cover = pages[0]
    assert "This unit was signed off by Bob Baker on" in cover and "but its record no longer matches what was signed" in cover
    assert change in cover
    assert "The signatures in this PDF are on the record as it was signed, not as it is now." in cover
    signatures = next(page for page in pages if "Declarations and signatures" in page and "Assessor: Bob Baker" in page)
    assert "these signatures are on the record as it was signed on" in signatures
    assert "so they do not vouch for the record as it is now" in signatures

    record = embedded_manifest(pdf)["record"]
    assert record["state"] == "changed since sign-off" and record["checked_at"]
    assert len(record["changes"]) == 1 and record["changes"][0].startswith(change)
    assert "(signed-off, CHANGED SINCE SIGN-OFF)" in seal_reason(pdf)

    path = tmp_path / "unit.pdf"
    path.write_bytes(pdf)
    status, output = verify(path, tmp_path, "--offline")
    assert status == 1
    assert "CHANGED    unit.pdf: H3 25 of Alice Adams, signed off, CHANGED SINCE SIGN-OFF; sealed by" in output
    assert "The seal is valid, but the signatures it carries are on a record that had changed since sign-off" in output
    assert f"- changed since sign-off: {change}" in output
    # a PDF holds no evidence file, so no count of them (an outside trial: "1 evidence file(s) checked")
    assert "NOT VALID: 1 unit PDF(s); 1 failing, named above." in output


def test_every_change_is_listed_and_counted(signed):
    enrolment = signed.case.h3_25
    changes = [tamper(signed, enrolment) for tamper in TAMPERING.values()]
    pages = pages_of(render_unit_pdf(enrolment))
    assert all(f"CHANGED SINCE SIGN-OFF: {len(TAMPERING)} changes, see the cover" in page for page in pages)
    for change in changes:
        assert change in pages[0]


def test_an_intact_record_and_the_other_units_carry_no_warning(signed, tmp_path):
    TAMPERING["a byte of a signed file"](signed, signed.case.h3_25)
    pdf = render_unit_pdf(signed.case.hsc331)  # Alice's other unit, signed on evidence of its own
    text = " ".join(pages_of(pdf))
    assert "CHANGED SINCE SIGN-OFF" not in text and "NOT SIGNED OFF" not in text
    assert "Signed off by Bob Baker" in text
    assert embedded_manifest(pdf)["record"]["state"] == "intact"
    assert "(signed-off)" in seal_reason(pdf)
    path = tmp_path / "unit.pdf"
    path.write_bytes(pdf)
    status, output = verify(path, tmp_path, "--offline")
    assert status == 0, output
    assert "VALID      unit.pdf: HSC331 of Alice Adams, signed off; sealed by" in output


def test_the_downloaded_pdf_and_the_checking_page_name_the_change(client, signed):
    enrolment = signed.case.h3_25
    change = TAMPERING["text appended to a written account"](signed, enrolment)
    client.force_login(signed.case.carol)
    response = client.get(f"/exports/units/{enrolment.pk}/portfolio.pdf")
    assert response.status_code == 200
    pdf = response.content
    assert change in pages_of(pdf)[0]

    upload = SimpleUploadedFile("h3-25.pdf", pdf, content_type="application/pdf")
    page = " ".join(client.post("/exports/verify/", {"pdf": upload}, follow=True).content.decode().split())
    assert "Not valid</h2>" in page
    # The live record has changed too, so the page says more than that the seal holds.
    assert "<strong>CHANGED SINCE SIGN-OFF.</strong> The signatures in this PDF are on a record that had " \
        "changed since sign-off when the PDF was produced" in page
    assert f"<li class=\"text-danger\">{change}</li>" in page
    assert "The live record: E2: its title, method, date, place or written account has changed since sign-off." in page


def test_a_written_account_changed_since_sign_off_is_marked_where_it_is_printed(signed):
    """An outside trial: the PDF printed an appended sentence under "Declared by ... Accepted by ...",
    as if it were what was declared and accepted; only the cover said so."""
    enrolment = signed.case.h3_25
    TAMPERING["text appended to a written account"](signed, enrolment)

    pages = pages_of(render_unit_pdf(enrolment))

    index = next(page for page in pages[1:] if "Evidence index" in page and "And I did it all again" in page)
    mark = "CHANGED SINCE SIGN-OFF: this item’s title, method, date, place or written account is not what was signed"
    assert mark in index
    assert index.index(mark) < index.index("And I did it all again the next day.")
    untouched = render_unit_pdf(signed.case.hsc331)
    assert mark not in " ".join(pages_of(untouched))


def test_an_audit_event_rewritten_in_the_database_is_said_above_the_pdfs_audit_appendix(signed):
    """An outside trial rewrote a unit's event; the sealed PDF carried it, unmarked, in its appendix."""
    from portfolio.models import AuditEvent
    from tests.portfolio import audit_tampering

    enrolment = signed.case.h3_25
    event = AuditEvent.objects.filter(enrolment=enrolment).order_by("pk")[2]
    assert "CHANGED OUTSIDE THE PORTFOLIO" not in " ".join(pages_of(render_unit_pdf(enrolment)))
    audit_tampering.rewrite_summary(event, "The IQA referred the unit back")

    text = " ".join(pages_of(render_unit_pdf(enrolment)))

    assert "THIS AUDIT TRAIL HAS BEEN CHANGED OUTSIDE THE PORTFOLIO." in text
    assert f"(event {event.pk}, “The IQA referred the unit back”) does not match its seal" in text
