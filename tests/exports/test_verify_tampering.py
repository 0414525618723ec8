"""What an outside tester, as an EQA and as a tampering insider, did to a visit pack and a bulk
export, and what `verify_export` must say: a ZIP holding a file twice, a manifest re-sealed by a
certificate made with the installation's names, the manifest seal's time, and a report that is only
the report.

The people are the shared cast: Alice on HSC331 and H3 25 (Bob her assessor, Carol her IQA);
Grace administers Riverside."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from exports import manifest_seal
from exports.seal_keys import _loaded, make_seal
from tests.exports.test_manifest_seal import (
    CSV_NAME,
    _bulk_zip,
    _csv_edited_and_both_manifests_recomputed,
    _members,
    _pack_zip,
    _root,
    _verify,
    _zip,
    centre,  # noqa: F401 - the bulk export's fixture
    signed,  # noqa: F401 - the visit pack's fixture
)

pytestmark = pytest.mark.django_db


def _with_a_copy_first(members: dict[str, bytes], name: str, data: bytes, path: Path, written_as: str = "") -> Path:
    """The tampered copy written first, then every original entry, the genuine copy too: `unzip`
    extracts the first, Python's zipfile reads the last."""
    import warnings
    import zipfile

    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
        archive.writestr(written_as or name, data)
        for member, content in members.items():
            archive.writestr(member, content)
    return path


def test_a_pack_holding_a_file_twice_fails_whole(signed, tmp_path):  # noqa: F811
    members = _members(_pack_zip(signed, tmp_path))
    tampered = members[CSV_NAME].replace(b"Sound decisions.", b"Weak decisions.")
    path = _with_a_copy_first(members, CSV_NAME, tampered, tmp_path / "twice.zip")
    unzipped = subprocess.run(["unzip", "-p", str(path), CSV_NAME], capture_output=True, timeout=60)
    assert b"Weak decisions." in unzipped.stdout  # what a person opening it reads
    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert f"NOT VALID  {CSV_NAME} is in the ZIP twice" in output
    assert "Everything holds" not in output and "VALID      " not in output


def test_a_name_twice_as_unzip_tools_may_read_it_fails_too(signed, tmp_path):  # noqa: F811
    members = _members(_pack_zip(signed, tmp_path))
    path = _with_a_copy_first(members, CSV_NAME, b"forged", tmp_path / "case.zip", written_as="IQA\\iqa-reviews.csv")
    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path)))
    assert status == 1 and "is in the ZIP twice" in output, output


def test_a_bulk_export_holding_a_file_twice_fails_whole(centre, tmp_path):  # noqa: F811
    members = _members(_bulk_zip(centre, tmp_path))
    evidence = next(name for name in members if "/evidence/" in name)
    path = _with_a_copy_first(members, evidence, b"not the photo", tmp_path / "twice.zip")
    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert f"NOT VALID  {evidence} is in the ZIP twice" in output


def _lookalike_resealed(signed, tmp_path: Path) -> tuple[Path, Path]:  # noqa: F811
    """A root and seal certificate of the tester's own with exactly the installation's names,
    sealing an edited manifest; the unit PDFs are still the installation's."""
    members = _members(_pack_zip(signed, tmp_path))
    _csv_edited_and_both_manifests_recomputed(members)
    material = make_seal(f"Evidence portfolio at {settings.PORTFOLIO_SITE_URL}", b"theirs")
    theirs = _loaded(material.pkcs12, b"theirs", material.root_pem, "lookalike")
    members["manifest.json.p7s"] = manifest_seal.seal_manifest(members["manifest.json"], theirs)
    root = tmp_path / "theirs.pem"
    root.write_text(material.root_pem)
    return _zip(members, tmp_path / "lookalike.zip"), root


def test_a_manifest_sealed_by_a_lookalike_certificate_fails_though_its_root_is_given(signed, tmp_path):  # noqa: F811
    path, theirs = _lookalike_resealed(signed, tmp_path)
    status, output = _verify(path, "--offline", "--root", str(theirs), "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert "Everything holds" not in output
    line = next(line for line in output.splitlines() if "was not sealed by the certificate that sealed" in line)
    assert line.startswith("NOT VALID  manifest.json was not sealed by the certificate that sealed units/")
    # both certificates named by their fingerprints, which differ though the names are the same
    fingerprints = re.findall(r"(?:[0-9A-F]{2}:){7}[0-9A-F]{2}", line)
    assert len(fingerprints) == 2 and fingerprints[0] != fingerprints[1], line
    # each of the two unit PDFs named, and the summary counts what failed
    assert sum(line.startswith("NOT VALID  ") for line in output.splitlines()) == 2
    assert "; 2 failing, named above." in output


def test_the_report_is_only_the_report_and_names_the_roots_used(signed, tmp_path, capfd):  # noqa: F811
    path, _ = _lookalike_resealed(signed, tmp_path)
    capfd.readouterr()
    status, output = _verify(path)  # with the database and no --root
    printed = capfd.readouterr()
    assert status == 1, output
    for noise in ("Traceback", "RuntimeError", "PathBuildingError", "WARNING"):
        assert noise not in output + printed.out + printed.err
    assert ("NOT VALID  manifest.json's seal was not made by a certificate under the roots of the centre's seals "
            "in this database or the installation's") in output
    assert "; 1 failing, named above." in output


def test_the_manifest_seal_carries_its_signing_time(signed, tmp_path):  # noqa: F811
    members = _members(_pack_zip(signed, tmp_path))
    (tmp_path / "manifest.json.p7s").write_bytes(members["manifest.json.p7s"])
    printed = subprocess.run(
        ["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", str(tmp_path / "manifest.json.p7s")],
        capture_output=True, text=True, timeout=60,
    )
    assert "signingTime" in printed.stdout, printed.stderr
    status, output = _verify(_pack_zip(signed, tmp_path), "--offline", "--root", str(_root(tmp_path)))
    assert status == 0, output
    assert re.search(r"VALID      manifest\.json: .*; sealed by .+ at 20\d\d-\d\d-\d\d", output), output


def _deflate_broken(path: Path, name: str) -> None:
    """The member's compressed bytes made unreadable where they start (a deflate block of the reserved
    type), its CRC left as it was: what one byte changed inside a compressed file can do."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    data[info.header_offset + 30 + name_length + extra_length] = 0xFF
    path.write_bytes(bytes(data))


def test_a_file_whose_compressed_bytes_changed_is_named_not_a_traceback(centre, tmp_path):  # noqa: F811
    """An outside trial: one byte flipped inside a compressed evidence file gave a zlib traceback on
    the command line and a server error on the checking page."""
    import zipfile

    path = _bulk_zip(centre, tmp_path)
    with zipfile.ZipFile(path) as archive:
        deflated = [i.filename for i in archive.infolist() if i.compress_type == zipfile.ZIP_DEFLATED]
    name = next(n for n in deflated if "/evidence/" in n or n.endswith(".pdf"))
    _deflate_broken(path, name)

    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path)))

    assert status == 1, output
    assert "Traceback" not in output
    assert re.search(rf"NOT VALID  {re.escape(name)} cannot be read back from the ZIP: its bytes have changed", output)
