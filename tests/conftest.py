"""Fixtures for every test, and the cast of named people (tests/cast.py says who is who).

The cast, each built only when a test asks for them (`people` asks for everyone):
    centre, other_centre        Riverside Training; Hillside College
    alice                       a candidate at Riverside, on HSC331 and H3 25
    bob, carol                  her assessor and her IQA
    grace, heidi                Riverside's centre administrator and its EQA
    dave, erin, ivan            strangers to Alice's case at Riverside: another candidate,
                                another assessor (Dave's), another IQA
    frank                       Hillside's administrator
    hsc331, h3_25               Alice's enrolments (assessed by Bob, sampled by Carol)
    daves_unit                  Dave on HSC331, assessed by Erin, sampled by Carol
A module may extend one by asking for it under its own name (`def dave(dave, ...)`).
"""

import shutil
import tempfile
from pathlib import Path

import factory.random
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage, storages
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.utils.functional import empty

from tests import cast
from tests.factories import load_standards


def _forget_cached_storages() -> None:
    """Make the next use of a storage build it again from the current settings.STORAGES."""
    storages.__dict__.pop("backends", None)  # a cached_property over settings.STORAGES
    # Django's private caches (no stubs describe them), reset as Django's own setting_changed does.
    storages._backends = None  # type: ignore[attr-defined]
    storages._storages = {}  # type: ignore[attr-defined]
    default_storage._wrapped = empty  # type: ignore[attr-defined]


# The fixtures that do slow, real work, and the marker each gives the tests asking for it (directly
# or through another fixture), so the marker cannot be forgotten on a new test.
MARKED_BY_FIXTURE = {"gunicorn": "gunicorn", "production": "collectstatic"}


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


@pytest.fixture(autouse=True)
def names_fixed_per_test(request):
    """The names the factories make up (Faker's) are the same each time a test runs, whatever ran
    before it on its worker: a test that passes passes every time. Left to chance, one run in a
    hundred drew "Rosie O'Donnell" (escaped in a page as O&#x27;Donnell) or a second "Frank" where a
    test looked for a name's absence, and failed where it had passed. The whole suite was run once
    with an apostrophe in every made-up surname, and the tests that broke now read names as pages
    escape them."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def cache_cleared():
    """Each test starts with an empty cache: what one test remembered (a check a page queued, say)
    must not change what the next one sees."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def streamed_responses_closed(monkeypatch):
    """Close every streamed response a test received, read or not, before its database goes.

    Django's test client closes a streamed response only when a test reads it to the end; a test
    that checks only the status of a CSV download leaves the download's rows (a server-side cursor
    on PostgreSQL) to garbage collection, after the test's transaction, where closing them fails
    as a warning. A server closes every response it sends; so does this, as the client does after
    the last byte: with Django's end-of-request connection closing held off, as the test's
    connection is still in use.
    """
    streamed = []
    request = Client.request

    def request_keeping_streams(self, **kwargs):
        response = request(self, **kwargs)
        if getattr(response, "streaming", False):
            streamed.append(response)
        return response

    monkeypatch.setattr(Client, "request", request_keeping_streams)
    yield
    request_finished.disconnect(close_old_connections)
    try:
        for response in streamed:
            response.close()
    finally:
        request_finished.connect(close_old_connections)


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


@pytest.fixture(autouse=True)
def audit_heads_path(settings, tmp_path):
    """Each test keeps its own record of the audit trails' latest events (check_fixity writes one),
    so no test's check compares with another's trail."""
    settings.PORTFOLIO_AUDIT_HEADS_PATH = tmp_path / "audit-heads.json"
    return settings.PORTFOLIO_AUDIT_HEADS_PATH


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


# The cast ---------------------------------------------------------------------------------------


@pytest.fixture
def centre(db):
    # Browser tests empty the database; loading is skipped when the standards are there.
    load_standards()
    return cast.riverside()


@pytest.fixture
def other_centre(db):
    return cast.hillside()


@pytest.fixture
def alice(centre):
    return cast.person("alice", centre)


@pytest.fixture
def bob(centre):
    return cast.person("bob", centre)


@pytest.fixture
def carol(centre):
    return cast.person("carol", centre)


@pytest.fixture
def grace(centre):
    return cast.person("grace", centre)


@pytest.fixture
def heidi(centre):
    return cast.person("heidi", centre)


@pytest.fixture
def dave(centre):
    return cast.person("dave", centre)


@pytest.fixture
def erin(centre):
    return cast.person("erin", centre)


@pytest.fixture
def ivan(centre):
    return cast.person("ivan", centre)


@pytest.fixture
def frank(other_centre):
    return cast.person("frank", other_centre)


@pytest.fixture
def people(alice, bob, carol, grace, heidi, dave, erin, ivan, frank):
    """Everyone in the cast by name, for tests that want the whole world present (so that what
    a stranger must not see exists to be hidden)."""
    return {
        "alice": alice, "bob": bob, "carol": carol, "grace": grace, "heidi": heidi,
        "dave": dave, "erin": erin, "ivan": ivan, "frank": frank,
    }


@pytest.fixture
def hsc331(alice, bob, carol, centre):
    return cast.alices_unit(alice, "HSC331", bob=bob, carol=carol, centre=centre)


@pytest.fixture
def h3_25(alice, bob, carol, centre):
    return cast.alices_unit(alice, "H3 25", bob=bob, carol=carol, centre=centre)


@pytest.fixture
def daves_unit(dave, erin, carol, centre):
    return cast.daves_unit(dave, erin=erin, carol=carol, centre=centre)
