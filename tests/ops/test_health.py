"""/health/ tells a load balancer whether this process can reach its database and its storage,
without a sign-in and without saying anything about anyone."""

import json

import pytest
from django.db import connection

from config import health
from tests.conftest import _forget_cached_storages

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_the_database_and_storage_work(client, evidence_root):
    response = client.get("/health/")

    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # The probe file is written, read back and removed again.
    assert list((evidence_root / "health").iterdir()) == []


def test_it_answers_on_object_storage_too(client, object_store):
    response = client.get("/health/")

    assert (response.status_code, json.loads(response.content)) == (200, {"database": "ok", "storage": "ok"})
    assert object_store.keys() == []


def test_it_answers_503_naming_the_storage_when_files_cannot_be_written(client, settings, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the evidence folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": blocked / "evidence"}},
    }
    _forget_cached_storages()

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "storage": "failed"}
    assert str(blocked) not in response.content.decode()
    assert any(record.name == "portfolio.health" and record.exc_info for record in caplog.records)


class UnreachableDatabase:
    def cursor(self):
        raise connection.Database.OperationalError("could not connect to server: Connection refused")


def test_it_answers_503_naming_the_database_when_it_cannot_be_queried(client, monkeypatch):
    monkeypatch.setattr(health, "connection", UnreachableDatabase())

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "failed", "storage": "ok"}


def test_it_needs_no_sign_in_and_takes_only_get(client):
    assert client.get("/health/").status_code == 200
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
