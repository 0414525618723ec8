"""Logs are JSON lines on standard output: one per request, with who asked, the status and the time
taken; one per audit event once it is committed, naming ids but no personal data."""

import datetime
import json
import logging
import sys

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from config.json_log import JsonLineFormatter, PlainLineFormatter
from config.request_log import RequestLogMiddleware
from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent
from tests.assessments.unit_case import build_case, photo
from tests.ops.production import production_env, run_python

pytestmark = pytest.mark.django_db


def lines(caplog, logger: str) -> list[dict]:
    formatter = JsonLineFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == logger]


@pytest.fixture(autouse=True)
def info_logs(caplog):
    caplog.set_level(logging.INFO)


def test_it_logs_one_line_per_request_with_the_path_but_not_the_query_string(client, caplog):
    response = client.get("/health/?token=a-secret-in-the-address")

    [line] = lines(caplog, "portfolio.requests")
    assert line["event"] == "request"
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/health/", 200, None)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert "a-secret-in-the-address" not in json.dumps(line)


def test_it_names_the_signed_in_person_by_id(client, caplog):
    case = build_case()
    client.force_login(case.alice)

    client.get("/")
    client.logout()
    client.get("/")

    signed_in, signed_out = lines(caplog, "portfolio.requests")[-2:]
    assert (signed_in["status"], signed_in["user_id"]) == (200, case.alice.pk)
    assert (signed_out["status"], signed_out["user_id"]) == (302, None)


def test_it_keeps_the_front_servers_request_id_only_when_it_looks_like_one(client, caplog):
    kept = client.get("/health/", headers={"X-Request-ID": "nginx-0f3a9c"})
    replaced = client.get("/health/", headers={"X-Request-ID": 'x"\n{"status": 200}'})

    assert kept["X-Request-ID"] == "nginx-0f3a9c"
    assert replaced["X-Request-ID"] != 'x"\n{"status": 200}' and len(replaced["X-Request-ID"]) == 32
    assert [line["request_id"] for line in lines(caplog, "portfolio.requests")] == [
        "nginx-0f3a9c", replaced["X-Request-ID"]
    ]


def test_it_logs_a_request_that_fails_with_status_500(caplog):
    def failing_view(request):
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        RequestLogMiddleware(failing_view)(RequestFactory().post("/portfolio/evidence/new/"))

    [line] = lines(caplog, "portfolio.requests")
    assert (line["method"], line["path"], line["status"]) == ("POST", "/portfolio/evidence/new/", 500)


def test_it_writes_each_line_to_standard_output_as_one_json_object(client, capsys):
    client.get("/health/")

    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    request = next(line for line in printed if line.get("event") == "request")
    assert request["logger"] == "portfolio.requests" and request["level"] == "INFO"
    assert request["path"] == "/health/"


def add_evidence(case, title: str):
    return services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title=title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate() - datetime.timedelta(days=2),
        uploads=[photo("person-a-at-home.png")],
    )


def test_it_logs_every_audit_event_once_committed_with_ids_and_no_personal_data(caplog, django_capture_on_commit_callbacks):
    case = build_case()

    with django_capture_on_commit_callbacks(execute=True):
        evidence = add_evidence(case, "Supporting Mrs Jones to phone her sister")

    event = AuditEvent.objects.get(action="portfolio.evidence.created")
    [line] = lines(caplog, "portfolio.audit")
    assert line["event"] == "audit"
    assert line["action"] == "portfolio.evidence.created"
    assert (line["audit_event_id"], line["actor_id"], line["candidate_id"], line["evidence_id"], line["centre_id"]) == (
        event.pk, case.alice.pk, case.alice.pk, evidence.pk, case.centre.pk,
    )
    assert datetime.datetime.fromisoformat(line["at"]) == event.at
    text = json.dumps(line)
    assert "Mrs Jones" not in text and "person-a-at-home" not in text and "Alice" not in text


def test_it_logs_no_audit_event_that_was_rolled_back(caplog, django_capture_on_commit_callbacks):
    case = build_case()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        add_evidence(case, "Never saved")
        raise RuntimeError("the request failed after the service ran")

    assert lines(caplog, "portfolio.audit") == []


# The format: JSON in production, plain text in development.


def record(message: str, *args, fields: dict | None = None) -> logging.LogRecord:
    made = logging.LogRecord("portfolio.requests", logging.INFO, __file__, 1, message, args, None)
    if fields is not None:
        made.fields = fields
    return made


def test_the_text_format_is_one_readable_line_without_repeating_the_message():
    line = PlainLineFormatter().format(record(
        "%s %s %s", "GET", "/portfolio/evidence/", 200,
        fields={"event": "request", "request_id": "7f0c", "method": "GET", "path": "/portfolio/evidence/",
                "status": 200, "duration_ms": 38.2, "user_id": 17},
    ))

    assert "\n" not in line and not line.startswith("{")
    assert line.endswith(" INFO portfolio.requests: GET /portfolio/evidence/ 200 duration_ms=38.2 user_id=17")
    assert "7f0c" not in line and "event=" not in line


def test_the_text_format_leaves_out_what_is_unknown_and_shows_a_failure_beneath():
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        failed = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (),
                                   sys.exc_info())
    failed.fields = {"user_id": None}

    first, *rest = PlainLineFormatter().format(failed).splitlines()

    assert first.endswith(" ERROR django.request: Internal Server Error: /")
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "RuntimeError: a bug"


def test_the_json_format_is_one_object_with_every_field():
    line = json.loads(JsonLineFormatter().format(record("GET / %s", 302, fields={"status": 302, "user_id": None})))

    assert (line["level"], line["logger"], line["message"], line["status"], line["user_id"]) == (
        "INFO", "portfolio.requests", "GET / 302", 302, None)


def log_format_in(env: dict[str, str]) -> str:
    script = "import django; django.setup(); from django.conf import settings; print(settings.LOG_FORMAT)"
    result = run_python(env, "-c", script)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_logs_json_and_a_development_run_text(tmp_path):
    production = production_env(tmp_path)
    development = {**production, "DJANGO_DEBUG": "true"}

    assert log_format_in(production) == "json"
    assert log_format_in(development) == "text"
    assert log_format_in({**development, "PORTFOLIO_LOG_FORMAT": "json"}) == "json"
    assert log_format_in({**production, "PORTFOLIO_LOG_FORMAT": "text"}) == "text"


def test_an_unknown_log_format_stops_start_up_and_names_the_variable(tmp_path):
    result = run_python(production_env(tmp_path, PORTFOLIO_LOG_FORMAT="xml"), "-c", "import django; django.setup()")

    assert result.returncode != 0 and "PORTFOLIO_LOG_FORMAT" in result.stderr
