"""Serving in production: gunicorn with config/gunicorn.conf.py, static files collected and served by
whitenoise, and private files handed to nginx with X-Accel-Redirect after the permission check.

Alice is the candidate, Bob her assessor. The gunicorn test starts a real server on a free
loopback port with production settings, asks it for pages as nginx would, and stops it.
"""

import datetime
import http.client
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent, Person, Role
from portfolio.views.files import FILE_RESPONSE_HEADERS
from standards.models import Criterion
from tests.factories import CentreFactory, enrol, member
from tests.ops.production import BASE_DIR, production_env, run_python
from tests.portfolio import hostile_files
from tests.portfolio.evidence_files import download

PHOTO = hostile_files.jpeg_photo((64, 48))
HOST = "portfolio.example.org"


# Private files: X-Accel-Redirect, or streamed.


@pytest.fixture
def photo(db):
    call_command("loaddata", "standards", verbosity=0)
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence = services.evidence_create(
        candidate=alice,
        centre=centre,
        author=alice,
        title="Planning a visit",
        method=AssessmentMethod.PRODUCT,
        activity_date=timezone.localdate() - datetime.timedelta(days=1),
        uploads=[SimpleUploadedFile("visit photo.jpg", PHOTO, content_type="image/jpeg")],
    )
    # Submitted: a draft is the candidate's alone, and Bob must find it to download it.
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    return evidence.files.get()


def test_with_a_prefix_it_leaves_sending_the_file_to_nginx(client, settings, photo, evidence_root):
    settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX = "/_protected/"

    response = download(client, photo.evidence.candidate, photo)

    assert response.status_code == 200
    assert not response.streaming
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{photo.file.name}"
    # nginx's internal location is an alias of the evidence folder: the name leads to the bytes.
    assert (evidence_root / response["X-Accel-Redirect"].removeprefix("/_protected/")).read_bytes() == PHOTO


def test_with_a_prefix_it_still_sends_the_files_own_headers(client, settings, photo):
    settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX = "/_protected/"

    response = download(client, photo.evidence.candidate, photo, "?download=1")

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="visit photo.jpg"'
    for header, value in FILE_RESPONSE_HEADERS.items():
        assert response[header] == value


def test_with_a_prefix_a_photo_shows_inline(client, settings, photo):
    settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX = "/_protected/"

    response = download(client, photo.evidence.candidate, photo, url_name="portfolio:evidence_file_view")

    assert response["Content-Disposition"] == 'inline; filename="visit photo.jpg"'
    assert response["X-Accel-Redirect"] == f"/_protected/{photo.file.name}"
    # nginx answers a Range request on the internal location itself: the view sends no part.
    assert "Content-Range" not in response


def test_with_a_prefix_the_permission_check_and_the_audit_trail_still_come_first(client, settings, photo):
    settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX = "/_protected/"
    bob = Person.objects.get(email="bob@example.org")
    stranger = member(CentreFactory(), Role.CANDIDATE, email="stranger@example.org")

    assert download(client, bob, photo)["X-Accel-Redirect"] == f"/_protected/{photo.file.name}"
    assert AuditEvent.objects.filter(action="portfolio.file.downloaded", actor=bob).count() == 1
    refused = download(client, stranger, photo)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


def test_without_a_prefix_it_streams_the_file_itself(client, photo):
    response = download(client, photo.evidence.candidate, photo)

    assert response.streaming
    assert response.content_bytes == PHOTO
    assert "X-Accel-Redirect" not in response


def test_the_site_policy_does_not_replace_the_files_stricter_one(client, photo):
    response = download(client, photo.evidence.candidate, photo)

    assert response["Content-Security-Policy"] == FILE_RESPONSE_HEADERS["Content-Security-Policy"]


# Static files and gunicorn, in production.


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A production environment whose static files have been collected, as a deployment does."""
    var_dir = tmp_path_factory.mktemp("production")
    env = production_env(var_dir, DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    result = run_python(env, "manage.py", "collectstatic", "--noinput")
    assert result.returncode == 0, result.stdout + result.stderr
    return env, var_dir / "staticfiles"


def test_collectstatic_writes_hashed_compressed_files_and_a_manifest(production):
    _, static_root = production
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]

    css = manifest["vendor/bootstrap/bootstrap.min.css"]
    assert re.fullmatch(r"vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css", css)
    assert (static_root / f"{css}.gz").exists()
    assert manifest["js/portfolio.js"] != "js/portfolio.js"


def test_collectstatic_rewrites_bootstraps_source_map_references(production):
    _, static_root = production
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]

    for source, source_map in (
        ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.min.css.map"),
        ("vendor/bootstrap/bootstrap.bundle.min.js", "vendor/bootstrap/bootstrap.bundle.min.js.map"),
    ):
        hashed_map = Path(manifest[source_map]).name
        assert f"sourceMappingURL={hashed_map}" in (static_root / manifest[source]).read_text()
        assert (static_root / manifest[source_map]).exists()


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]  # read before the connection closes
    connection.close()
    return response


@pytest.fixture
def gunicorn(production, tmp_path):
    """gunicorn with config/gunicorn.conf.py on a free loopback port; yields the port."""
    env, _ = production
    port = free_loopback_port()
    log = tmp_path / "gunicorn.log"
    server_env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "2"}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
            cwd=BASE_DIR, env=server_env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not listen within 60 s:\n{log.read_text()}"
                time.sleep(0.2)
        yield port, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_gunicorn_serves_the_sign_in_page_with_the_production_headers(gunicorn):
    port, log = gunicorn

    response = ask(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})

    assert response.status == 200, log.read_text()
    assert b"<h1" in response.body and b"Sign in" in response.body
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert "Secure" in response.getheader("Set-Cookie")
    assert "no-store" in response.getheader("Cache-Control")


def test_gunicorn_serves_the_hashed_static_files_through_whitenoise(gunicorn):
    port, _ = gunicorn
    page = ask(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"}).body.decode()
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page).group(1)

    response = ask(port, stylesheet, **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("Content-Encoding") == "gzip"
    # A hashed name never changes its content, so browsers may keep it for ever.
    assert "immutable" in response.getheader("Cache-Control")


def test_gunicorn_sends_plain_http_to_https(gunicorn):
    port, _ = gunicorn

    response = ask(port, "/accounts/login/")

    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_gunicorn_runs_threaded_workers_and_logs_no_access_lines_of_its_own(gunicorn):
    port, log = gunicorn
    ask(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})

    said = log.read_text()
    assert "Using worker: gthread" in said
    assert '"GET /accounts/login/ HTTP/1.1" 200' not in said
