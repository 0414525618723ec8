"""Fixtures for every test."""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage, storages
from django.utils.functional import empty

from tests.factories import load_standards


def _forget_cached_storages() -> None:
    """Make the next use of a storage build it again from the current settings.STORAGES."""
    storages.__dict__.pop("backends", None)  # a cached_property over settings.STORAGES
    # Django's private caches (no stubs describe them), reset as Django's own setting_changed does.
    storages._backends = None  # type: ignore[attr-defined]
    storages._storages = {}  # type: ignore[attr-defined]
    default_storage._wrapped = empty  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Each test gets its own empty evidence folder, so no test sees another's files."""
    root = tmp_path / "evidence"
    root.mkdir()
    default = settings.STORAGES["default"]
    # New dictionaries, not changes in place: the settings fixture puts back only what was
    # assigned, and in-place changes would leak into every later test.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default.get("OPTIONS", {}), "location": root}},
    }
    settings.EVIDENCE_ROOT = root
    _forget_cached_storages()
    yield root
    _forget_cached_storages()


@pytest.fixture(autouse=True, scope="session")
def _remove_the_settings_evidence_folder():
    """config.settings.test makes an evidence folder with mkdtemp at import; delete it at the end.

    Every test uses its own folder instead (above), so this one stays empty.
    """
    yield
    root = Path(django_settings.EVIDENCE_ROOT)
    if root.parent == Path(tempfile.gettempdir()) and root.name.startswith("portfolio-test-evidence-"):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The standards are reference data every portfolio stands on: load them once, with the
    test database, rather than in every test."""

    with django_db_blocker.unblock():
        load_standards()
