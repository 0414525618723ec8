"""Logs are JSON lines on standard output: one per request, with who asked, the status and the time
taken; one per audit event once it is committed, naming ids but no personal data."""

import datetime
import json
import logging

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from config.json_log import JsonLineFormatter
from config.request_log import RequestLogMiddleware
from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent
from tests.assessments.unit_case import build_case, photo

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
