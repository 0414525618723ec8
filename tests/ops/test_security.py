"""What every response tells the browser (the Content-Security-Policy and the other protective
headers), the deployment checklist, and sign-in rate limiting.

Alice is a candidate; Bob, her assessor, signs in from the same address. The production checks run
`config.settings` in a new Python with a production environment, as a server would start it.
"""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import SetPasswordForm
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.ops.production import production_env, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOCKED_OUT = "Too many failed sign-ins. Try again in 15 minutes, or reset your password."


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# The policy and the other headers, on every page.


def test_it_allows_scripts_only_from_the_site_itself(client):
    directives = policy(client.get(reverse("login")))

    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert not any("'unsafe-eval'" in sources for sources in directives.values())


def test_it_allows_no_inline_style_sheets(client):
    directives = policy(client.get(reverse("login")))

    assert directives["style-src"] == ["'self'"]


def test_it_allows_images_from_the_site_and_bootstraps_data_icons_only(client):
    assert policy(client.get(reverse("login")))["img-src"] == ["'self'", "data:"]


def test_it_lets_pages_play_media_and_frame_pdfs_from_the_site_only(client):
    directives = policy(client.get(reverse("login")))

    assert directives["media-src"] == ["'self'"]
    assert directives["frame-src"] == ["'self'"]


def test_it_refuses_plugins_framing_other_bases_and_posting_elsewhere(client):
    directives = policy(client.get(reverse("login")))

    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_it_sends_the_policy_on_signed_in_pages_too(client, alice):
    client.force_login(alice)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]


def test_it_sends_the_protective_headers(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_sends_no_hsts_in_a_debug_run(client):
    # A debug run on http://127.0.0.1 must not make the browser insist on HTTPS there for a year.
    assert "Strict-Transport-Security" not in client.get(reverse("login"), secure=True)


# Production.

HEADERS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="portfolio.example.org")
plain = client.get("/accounts/logout/")
secure = client.get("/accounts/logout/", secure=True)
proxied = client.get("/accounts/logout/", HTTP_X_FORWARDED_PROTO="https")
health = client.get("/health/")
print("RESULT " + json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "secure_hsts": secure.get("Strict-Transport-Security"),
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "health_status": health.status_code,
}))
"""


def production_answers(tmp_path, **extra) -> dict:
    result = run_python(production_env(tmp_path, **extra), "-c", HEADERS_SCRIPT)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_production_sends_plain_http_to_https_and_https_gets_hsts_for_a_year(tmp_path):
    answers = production_answers(tmp_path)

    assert answers["plain"] == [301, "https://portfolio.example.org/accounts/logout/"]
    assert answers["secure_hsts"] == "max-age=31536000; includeSubDomains"
    assert answers["cookies_secure"] == [True, True]


def test_production_answers_a_load_balancers_health_check_over_plain_http(tmp_path):
    # Answered, healthy or not (this database has no tables), rather than redirected.
    assert production_answers(tmp_path)["health_status"] in (200, 503)


def test_production_behind_a_proxy_trusts_the_scheme_it_names(tmp_path):
    answers = production_answers(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")

    # Not redirected again (which would loop behind nginx), and told to stay on HTTPS.
    assert answers["proxied"] == [405, "max-age=31536000; includeSubDomains"]


def test_production_hsts_can_be_changed_and_preloaded_from_the_environment(tmp_path):
    answers = production_answers(
        tmp_path, DJANGO_SECURE_HSTS_SECONDS="63072000", DJANGO_SECURE_HSTS_PRELOAD="true"
    )

    assert answers["secure_hsts"] == "max-age=63072000; includeSubDomains; preload"


def test_check_deploy_reports_nothing_in_production(tmp_path):
    # The PostgreSQL address is never connected to: check --deploy does not open the database.
    env = production_env(
        tmp_path, DATABASE_URL="postgres://portfolio:secret@db.example.org:5432/portfolio"
    )

    result = run_python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    # Everything but the structured log lines (one JSON object each) is what the check said.
    said = [line for line in result.stdout.splitlines() if line.strip() and not line.startswith("{")]
    # security.W021 (HSTS preload) is the one silenced, with its reason, in config/settings/security.py.
    assert said == ["System check identified no issues (1 silenced)."], result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
        ("PORTFOLIO_CLIENT_IP_HEADER", "X Real IP"),
        ("PORTFOLIO_ACCEL_REDIRECT_PREFIX", "_protected"),
        ("PORTFOLIO_LOGIN_COOLOFF_MINUTES", "0"),
        ("DJANGO_SECURE_HSTS_SECONDS", "a year"),
        ("DJANGO_SECURE_SSL_REDIRECT", "sometimes"),
    ],
)
def test_a_bad_security_setting_stops_start_up_and_names_the_variable(tmp_path, variable, value):
    result = run_python(production_env(tmp_path, **{variable: value}), "-c", "import django; django.setup()")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert variable in result.stderr, result.stderr


# Sign-in rate limiting.


def sign_in(client, email: str, password: str, **request_headers):
    return client.post(reverse("login"), {"username": email, "password": password}, **request_headers)


def fail_five_times(client, email: str = "alice@example.org", **request_headers):
    for _ in range(5):
        response = sign_in(client, email, "not the password", **request_headers)
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def cool_off_passes(minutes: int = 16) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=minutes))


def test_it_tells_four_failures_only_that_the_password_did_not_match(client, alice):
    for _ in range(4):
        response = sign_in(client, alice.email, "not the password")

        assert response.status_code == 200
        assert "did not match" in response.content.decode()
        assert LOCKED_OUT not in response.content.decode()


def test_it_locks_out_at_the_fifth_failure_and_says_for_how_long(client, alice):
    response = fail_five_times(client)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_OUT in page
    assert response["Retry-After"] == "900"
    # The sign-in page itself, with the reset link, the address kept and the password not.
    assert reverse("password_reset") in page
    assert 'value="alice@example.org"' in page
    assert "not the password" not in page


def test_it_refuses_the_right_password_during_the_cool_off(client, alice):
    fail_five_times(client)

    response = sign_in(client, alice.email, PASSWORD)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert not signed_in(client)


def test_it_accepts_the_right_password_after_the_cool_off(client, alice):
    fail_five_times(client)
    cool_off_passes()

    response = sign_in(client, alice.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_a_try_during_the_lock_out_neither_counts_nor_extends_it(client, alice):
    fail_five_times(client)
    cool_off_passes(minutes=10)

    response = sign_in(client, alice.email, "another guess")

    assert response.status_code == 429
    assert "Try again in 5 minutes" in response.content.decode()
    cool_off_passes(minutes=16)
    assert sign_in(client, alice.email, PASSWORD).status_code == 302


def test_capital_letters_in_the_address_give_no_more_tries(client, alice):
    for email in ("alice@example.org", "Alice@example.org", "ALICE@EXAMPLE.ORG", " alice@example.org", "aLiCe@example.org"):
        response = sign_in(client, email, "not the password")

    assert response.status_code == 429


def test_it_does_not_lock_out_the_same_person_at_another_address(client, alice):
    fail_five_times(client, REMOTE_ADDR="192.0.2.10")

    response = sign_in(client, alice.email, PASSWORD, REMOTE_ADDR="192.0.2.11")

    assert response.status_code == 302


def test_it_does_not_lock_out_someone_else_at_the_same_address(client, alice, bob):
    fail_five_times(client)

    response = sign_in(client, bob.email, PASSWORD)

    assert response.status_code == 302


def test_behind_a_proxy_it_counts_the_address_the_proxy_names(client, settings, alice):
    settings.PORTFOLIO_CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    fail_five_times(client, HTTP_X_REAL_IP="198.51.100.7")

    assert sign_in(client, alice.email, PASSWORD, HTTP_X_REAL_IP="198.51.100.7").status_code == 429
    assert sign_in(client, alice.email, PASSWORD, HTTP_X_REAL_IP="198.51.100.8").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_the_password_reset_still_works_during_a_lock_out(client, alice):
    fail_five_times(client)

    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": alice.email})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_a_new_password_ends_the_lock_out(client, alice):
    fail_five_times(client)
    form = SetPasswordForm(alice, {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"})
    assert form.is_valid(), form.errors
    form.save()

    response = sign_in(client, alice.email, "a new long passphrase")

    assert response.status_code == 302
    assert signed_in(client)


def test_a_success_clears_earlier_failures(client, alice):
    for _ in range(4):
        sign_in(client, alice.email, "not the password")
    assert sign_in(client, alice.email, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        response = sign_in(client, alice.email, "not the password")

    assert response.status_code == 200


def test_the_test_clients_login_still_works(client, alice):
    # Code that signs someone in without a request (the test client, a shell) is not a visitor.
    assert client.login(username=alice.email, password=PASSWORD)
