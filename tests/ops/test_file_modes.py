"""What the app writes to disk is never readable by every account on the machine: files 0640 and
folders 0750 by default (PORTFOLIO_FILE_MODE, PORTFOLIO_FOLDER_MODE; docs/serving.md), whatever
the process's umask. Checked on real files: an upload, a photo's thumbnail, a bulk export, a
backup (the owner's alone) and a new SQLite database."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import private_sqlite_file
from config.settings.environment import env_mode
from exports import services as exports
from exports.models import BulkExport
from ops import backups
from portfolio.thumbnails import thumbnail_name
from tests.assessments.unit_case import accepted_evidence, build_case, photo


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def careless_umask():
    """The umask of a process started by hand or by systemd lets every account read (022, here
    even 002): the modes must come from the settings, not from it."""
    before = os.umask(0o002)
    yield
    os.umask(before)


def written_under(root: Path) -> tuple[dict[str, int], dict[str, int]]:
    """The modes of every file and folder the app made under root (root itself is the test's)."""
    files: dict[str, int] = {}
    folders: dict[str, int] = {}
    for path in root.rglob("*"):
        (folders if path.is_dir() else files)[str(path.relative_to(root))] = mode(path)
    return files, folders


def test_the_defaults_are_0640_and_0750():
    assert (settings.FILE_UPLOAD_PERMISSIONS, settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS) == (0o640, 0o750)


@pytest.mark.django_db
def test_uploads_thumbnails_and_exports_are_0640_in_0750_folders(evidence_root, django_capture_on_commit_callbacks):
    case = build_case()
    with django_capture_on_commit_callbacks(execute=True):  # the upload's thumbnail, then the export
        evidence = accepted_evidence(case, title="Family visit", uploads=[photo("visit.png")])
        exports.bulk_export_request(
            centre=case.centre, administrator=case.grace, enrolments=[case.hsc331], description="Alice's HSC331"
        )
    export = BulkExport.objects.get()
    assert export.status == BulkExport.Status.DONE

    files, folders = written_under(evidence_root)
    upload = evidence.files.get().file.name
    assert {upload, thumbnail_name(evidence.files.get()), export.file.name} <= set(files)
    assert set(files.values()) == {0o640}, files
    assert folders and set(folders.values()) == {0o750}, folders


@pytest.mark.django_db
def test_a_backup_is_the_owners_alone(tmp_path):
    """Stricter than the file mode: a backup holds every record (password hashes too) and the web
    server never reads it, so not even the group gets in (tests/ops/test_backup.py says why too)."""
    case = build_case()
    accepted_evidence(case, title="Family visit", uploads=[photo("visit.png")])
    archive = tmp_path / "portfolio.zip"

    backups.backup(archive)

    assert mode(archive) == 0o600


def test_the_installation_seal_and_its_folder_are_private(tmp_path, settings):
    """An outside trial found var/seal/ at 0755 (the umask's), the key in it 0600."""
    from exports.seal_keys import _make_installation_seal

    path = tmp_path / "seal" / "installation.p12"
    _make_installation_seal(path)

    assert (mode(path), mode(path.parent)) == (0o600, 0o750)


def test_a_new_sqlite_database_and_its_folder_are_private(tmp_path):
    database = tmp_path / "var" / "portfolio.sqlite3"

    private_sqlite_file(database)
    with sqlite3.connect(database) as connection:  # an empty file is a new database to SQLite
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE evidence (id INTEGER PRIMARY KEY)")

    assert (mode(database), mode(database.parent)) == (0o640, 0o750)
    # SQLite gives its write-ahead log the database's mode.
    assert mode(Path(f"{database}-wal")) == 0o640


def test_an_existing_database_is_left_as_it_is(tmp_path):
    database = tmp_path / "portfolio.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o600)

    private_sqlite_file(database)

    assert mode(database) == 0o600


@pytest.mark.parametrize(
    ("raw", "owner_needs", "expected"),
    [("0640", 0o600, 0o640), ("600", 0o600, 0o600), ("0o2750", 0o700, None), ("0770", 0o700, 0o770)],
)
def test_a_mode_is_read_in_octal(monkeypatch, raw, owner_needs, expected):
    monkeypatch.setenv("PORTFOLIO_FILE_MODE", raw)
    if expected is None:  # setgid and other special bits are not permission modes here
        with pytest.raises(ImproperlyConfigured, match="PORTFOLIO_FILE_MODE"):
            env_mode("PORTFOLIO_FILE_MODE", 0o640, owner_needs=owner_needs)
    else:
        assert env_mode("PORTFOLIO_FILE_MODE", 0o640, owner_needs=owner_needs) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [("0644", "every account"), ("0604", "every account"), ("0440", "owner unable"), ("rw-r-----", "octal"),
     ("0999", "octal")],
)
def test_a_mode_that_opens_evidence_to_everyone_or_shuts_the_app_out_stops_the_start(monkeypatch, raw, why):
    monkeypatch.setenv("PORTFOLIO_FILE_MODE", raw)
    with pytest.raises(ImproperlyConfigured, match=why):
        env_mode("PORTFOLIO_FILE_MODE", 0o640, owner_needs=0o600)
