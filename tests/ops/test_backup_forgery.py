"""A backup is signed with PORTFOLIO_BACKUP_KEY, which is kept outside the backups, so a restore
refuses an archive someone has edited, even with its manifest's digests recomputed: Alice's HSC331
moved to Erin (another assessor, who could then read her evidence) with the audit trail rewritten,
one evidence photo swapped for another, a member named outside the archive, a backup made with
another key, a truncated file. Each refusal is one line, exits non-zero, and leaves the database,
the storage and the temporary folder as they were.

The case is tests/ops/test_backup.py's: Alice signed off on HSC331 by Bob, Dave's draft with a file.
"""

import hashlib
import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import SignOff
from ops import backups
from ops.backups.checking import BEFORE_SIGNED_BACKUPS
from portfolio.models import AuditEvent, Enrolment, Person
from tests.ops.production import production_env, run_python
from tests.ops.test_backup import backup, build_portfolio, records_dump, restore, stored_bytes, wipe

pytestmark = pytest.mark.django_db(transaction=True)

Members = list[tuple[str, bytes]]


def members_of(path: Path) -> Members:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def write_members(path: Path, members: Members) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicated name, which one test writes on purpose
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in members:
                archive.writestr(name, content)


def recompute_manifest(members: Members) -> Members:
    """What a forger does after editing members: every digest and size in manifest.json made to
    match again. The signature cannot be remade without the key, so it is left as it was."""
    content = dict(members)
    manifest = json.loads(content["manifest.json"])
    for entry in [*manifest["data"], *manifest["files"]]:
        entry["sha256"] = hashlib.sha256(content[entry["path"]]).hexdigest()
        entry["size"] = len(content[entry["path"]])
    rewritten = json.dumps(manifest, indent=1, sort_keys=True).encode()
    return [(name, rewritten if name == "manifest.json" else data) for name, data in members]


def replace(members: Members, name: str, content: bytes) -> Members:
    assert name in dict(members)
    return [(each, content if each == name else data) for each, data in members]


def move_alices_unit_to_erin(members: Members) -> Members:
    """Alice's HSC331 given to Erin, Dave's assessor, and every audit summary rewritten to hide it."""
    records = json.loads(dict(members)["data/records.json"])
    [signed_off] = [row["fields"]["enrolment"] for row in records if row["model"] == "assessments.signoff"]
    enrolments = {row["pk"]: row["fields"] for row in records if row["model"] == "portfolio.enrolment"}
    bob = enrolments[signed_off]["assessor"]
    erin = next(fields["assessor"] for fields in enrolments.values() if fields["assessor"] != bob)
    enrolments[signed_off]["assessor"] = erin
    for row in records:
        if row["model"] == "portfolio.auditevent":
            row["fields"]["summary"] = "Registered."
    return recompute_manifest(replace(members, "data/records.json", json.dumps(records).encode()))


def swap_two_photos(members: Members) -> Members:
    """Two evidence photos of different sizes (the others are drawn alike) exchange their bytes."""
    content = dict(members)
    photos = [name for name, _ in members if name.startswith("files/evidence/")]
    first = photos[0]
    second = next(name for name in photos if content[name] != content[first])
    swapped = replace(members, first, content[second])
    return recompute_manifest(replace(swapped, second, content[first]))


def photo_grown(members: Members) -> Members:
    """A photo replaced by a much larger member, the manifest left alone: refused before it is read."""
    name = next(name for name, _ in members if name.startswith("files/evidence/"))
    return replace(members, name, dict(members)[name] + bytes(1024 * 1024))


def traversal(members: Members) -> Members:
    return [*members, ("../../portfolio-restore-escape.txt", b"outside")]


def absolute(members: Members) -> Members:
    return [*members, ("/srv/portfolio/restore-escape.txt", b"outside")]


def records_twice(members: Members) -> Members:
    return [*members, ("data/records.json", b"[]")]


def unlisted_file(members: Members) -> Members:
    return [*members, ("files/evidence/extra.png", b"not in the manifest")]


def signature_removed(members: Members) -> Members:
    return [(name, data) for name, data in members if name != "signature.json"]


@pytest.fixture
def made_backup(evidence_root, tmp_path, monkeypatch) -> Path:
    """Alice's portfolio backed up, then an empty installation to restore it onto, with a temporary
    folder of its own to show that a refused restore leaves nothing in it."""
    build_portfolio()
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return archive


def assert_refused_leaving_nothing(archive: Path, message: str, evidence_root: Path, *options: str) -> None:
    before = (backups.row_counts(), records_dump())
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), *options, stdout=io.StringIO())
    line = str(refused.value)
    assert message in line
    assert "\n" not in line and "nothing was restored" in line, line
    assert (backups.row_counts(), records_dump()) == before
    assert Person.objects.count() == AuditEvent.objects.count() == SignOff.objects.count() == 0
    assert [path for path in evidence_root.rglob("*")] == []
    assert list(Path(tempfile.gettempdir()).iterdir()) == []


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        pytest.param(move_alices_unit_to_erin, "manifest.json does not match its signature", id="records-edited"),
        pytest.param(swap_two_photos, "manifest.json does not match its signature", id="photos-swapped"),
        pytest.param(photo_grown, "is not the size the backup's manifest gives", id="photo-grown"),
        pytest.param(traversal, "'../../portfolio-restore-escape.txt'", id="dot-dot-name"),
        pytest.param(absolute, "'/srv/portfolio/restore-escape.txt'", id="absolute-name"),
        pytest.param(records_twice, "more than once", id="duplicated-member"),
        pytest.param(unlisted_file, "does not list; nothing was restored: files/evidence/extra.png", id="unexpected-member"),
        pytest.param(signature_removed, "--accept-unsigned", id="signature-removed"),
    ],
)
def test_it_refuses_a_forged_archive_and_changes_nothing(made_backup, evidence_root, forge, message):
    write_members(made_backup, forge(members_of(made_backup)))

    assert_refused_leaving_nothing(made_backup, message, evidence_root)


def test_it_refuses_a_backup_made_with_another_key_and_names_both(made_backup, evidence_root, settings):
    made_with = json.loads(dict(members_of(made_backup))["signature.json"])["key_fingerprint"]
    settings.PORTFOLIO_BACKUP_KEY = "the backup key of some other installation, 32+"

    assert_refused_leaving_nothing(made_backup, "made with another backup key", evidence_root)
    with pytest.raises(CommandError, match=f"fingerprint {made_with}; this installation's PORTFOLIO_BACKUP_KEY is "):
        call_command("restore", str(made_backup), stdout=io.StringIO())


def test_it_refuses_a_truncated_archive(made_backup, evidence_root):
    whole = made_backup.read_bytes()
    made_backup.write_bytes(whole[: len(whole) // 2])

    assert_refused_leaving_nothing(made_backup, "cannot be read as a backup", evidence_root)


def test_unsigned_is_not_enough_for_a_signed_backup_whose_signature_was_removed(made_backup, evidence_root):
    write_members(made_backup, signature_removed(move_alices_unit_to_erin(members_of(made_backup))))

    assert_refused_leaving_nothing(made_backup, "the signature was removed", evidence_root, "--accept-unsigned")


def set_back_to_format_1(members: Members) -> Members:
    """A signed backup passed off as one made before signing: no signature, no key in the manifest,
    format 1 (the migrations it lists still those of the version that made it)."""
    manifest = json.loads(dict(members)["manifest.json"])
    manifest["format"] = 1
    del manifest["key_fingerprint"]
    unsigned = signature_removed(members)
    return replace(unsigned, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())


def as_made_before_signing(members: Members) -> Members:
    """The same backup as format 1 wrote it: no signature, no key in the manifest, and only the
    migrations a version from before signing had."""
    manifest = json.loads(dict(members)["manifest.json"])
    manifest["format"] = 1
    del manifest["key_fingerprint"]
    manifest["migrations"] = {
        app: [name for name in names if f"{app}.{name}" in BEFORE_SIGNED_BACKUPS]
        for app, names in manifest["migrations"].items()
    }
    unsigned = signature_removed(members)
    return replace(unsigned, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())


def test_a_signed_backup_set_back_to_format_1_is_refused_even_when_unsigned_ones_are_accepted(
    made_backup, evidence_root
):
    write_members(made_backup, set_back_to_format_1(move_alices_unit_to_erin(members_of(made_backup))))

    assert_refused_leaving_nothing(
        made_backup, "made by a version that signs every backup", evidence_root, "--accept-unsigned"
    )


def with_no_migrations(members: Members) -> Members:
    """A signed backup passed off as one made before signing by emptying the migrations it lists (an
    outside trial), so that none of them gives away the version that made it."""
    manifest = json.loads(dict(set_back_to_format_1(members))["manifest.json"])
    manifest["migrations"] = {}
    return replace(set_back_to_format_1(members), "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())


def test_a_signed_backup_listing_no_migrations_is_refused_even_when_unsigned_ones_are_accepted(
    made_backup, evidence_root
):
    write_members(made_backup, with_no_migrations(move_alices_unit_to_erin(members_of(made_backup))))

    assert_refused_leaving_nothing(
        made_backup, "does not list the migrations every backup lists: it was edited", evidence_root, "--accept-unsigned"
    )


def test_a_backup_made_before_signing_restores_only_when_its_risk_is_accepted(made_backup, evidence_root):
    write_members(made_backup, as_made_before_signing(members_of(made_backup)))
    assert_refused_leaving_nothing(made_backup, "it was made before backups were signed", evidence_root)

    printed = io.StringIO()
    call_command("restore", str(made_backup), "--accept-unsigned", stdout=printed)

    assert "WARNING: restoring an unsigned backup" in printed.getvalue()
    assert "every sign-off is intact" in printed.getvalue()
    assert Person.objects.count() == 9


def test_accepting_an_unsigned_backup_restores_whatever_it_says(made_backup):
    """The risk --accept-unsigned names: without a signature an edit cannot be told from a backup."""
    write_members(made_backup, as_made_before_signing(move_alices_unit_to_erin(members_of(made_backup))))

    call_command("restore", str(made_backup), "--accept-unsigned", stdout=io.StringIO())

    assert Enrolment.objects.get(candidate__first_name="Alice", unit__code="HSC331").assessor.first_name == "Erin"


def test_a_good_backup_restores_saying_which_key_signed_it(made_backup):
    fingerprint = json.loads(dict(members_of(made_backup))["signature.json"])["key_fingerprint"]

    printed = restore(made_backup)

    assert f"Signed with this installation's backup key ({fingerprint})" in printed
    assert "every sign-off is intact" in printed
    assert Enrolment.objects.get(candidate__first_name="Alice", unit__code="HSC331").assessor.first_name == "Bob"
    assert len(stored_bytes()) == 4


ForgedArchive = Callable[[Path], None]


def traversal_only(path: Path) -> None:
    write_members(path, [("../../etc/cron.d/portfolio", b"* * * * * root true\n")])


def not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 half of a backup")


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        pytest.param(traversal_only, "'../../etc/cron.d/portfolio'", id="dot-dot-name"),
        pytest.param(not_a_zip, "cannot be read as a backup", id="truncated"),
    ],
)
def test_the_command_refuses_in_one_line_with_no_traceback(tmp_path, forge: ForgedArchive, message):
    archive = tmp_path / "forged.zip"
    forge(archive)

    result = run_python(production_env(tmp_path), "manage.py", "restore", str(archive))

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("CommandError: "), result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "portfolio.sqlite3").exists() or (tmp_path / "portfolio.sqlite3").stat().st_size == 0
