"""A bulk export whose worker is killed is noticed by `manage.py exports_watch` (run every minute
by cron): restarted while it has attempts left, then failed with a message the administrator sees."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from exports import bulk, services
from exports.models import BulkExport
from exports.watch import restart_stalled
from portfolio.models import AuditEvent, Role
from tests.factories import CentreFactory, enrol, load_standards, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(db):
    """An export a worker started and was killed in: running, one unit of two done, silent since."""
    load_standards()
    centre = CentreFactory(name="Harbour Housing Academy", code="harbour")
    grace = member(centre, Role.ADMINISTRATOR, email="grace@example.org")
    bob = member(centre, Role.ASSESSOR, email="bob@example.org")
    carol = member(centre, Role.IQA, email="carol@example.org")
    alice = member(centre, Role.CANDIDATE, email="alice@example.org", first_name="Alice", last_name="Morgan")
    enrolments = [enrol(alice, unit, assessor=bob, iqa=carol, centre=centre) for unit in ("HSC331", "H3 25")]
    export, _ = services.bulk_export_request(
        centre=centre, administrator=grace, enrolments=enrolments, description="Alice's units"
    )  # its task is enqueued on commit, which a test's transaction never reaches: the worker "died"
    BulkExport.objects.filter(pk=export.pk).update(
        status=BulkExport.Status.RUNNING, attempts=1, units_done=1,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    export.refresh_from_db()
    return export


def _page(client, export) -> str:
    client.force_login(export.requested_by)
    return client.get(f"/exports/{export.pk}/").content.decode()


def test_a_killed_workers_export_is_restarted_and_built(client, export, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as restarts:
        call_command("exports_watch")
    export.refresh_from_db()
    assert export.status == BulkExport.Status.QUEUED
    page = _page(client, export)
    assert "Stalled, restarting:" in page and "stopped at unit 2 of 2" in page and "attempt 2 of 3" in page

    for restart in restarts:  # the worker picks the export up again
        restart()
    export.refresh_from_db()
    assert export.status == BulkExport.Status.DONE and export.attempts == 2 and export.error == ""
    assert "Download the ZIP" in _page(client, export)
    assert AuditEvent.objects.filter(action="exports.export.restarted").count() == 1


def test_after_its_last_attempt_a_stalled_export_fails_with_a_message(client, export):
    BulkExport.objects.filter(pk=export.pk).update(attempts=3)
    call_command("exports_watch")
    export.refresh_from_db()
    assert export.status == BulkExport.Status.FAILED and export.finished_at is not None
    page = _page(client, export)
    assert "The export failed after 3 attempts: the background worker building it stopped each time" in page
    assert AuditEvent.objects.filter(action="exports.export.failed").count() == 1


def test_an_export_with_a_recent_heartbeat_is_left_alone(export):
    BulkExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=9))
    assert restart_stalled() == []
    export.refresh_from_db()
    assert export.status == BulkExport.Status.RUNNING and export.error == ""


def test_a_slow_try_taken_for_stalled_stops_and_the_restart_builds_it(
    export, monkeypatch, django_capture_on_commit_callbacks
):
    """The watcher may be wrong about a worker that is only slow: that try then finds the export no
    longer its own at its next heartbeat and stops, so only the restart finishes it."""
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.QUEUED, attempts=0)
    render = bulk.render_unit_pdf
    captured = []

    def slow_render(enrolment, target=None, **kwargs):
        if not captured:  # the watcher runs while the first unit of the first try renders
            with django_capture_on_commit_callbacks() as restarts:
                assert [s.restarted for s in restart_stalled(stale_after=datetime.timedelta(0))] == [True]
            captured.extend(restarts)
        return render(enrolment, target=target, **kwargs)

    monkeypatch.setattr(bulk, "render_unit_pdf", slow_render)
    from exports.tasks import build_bulk_export

    build_bulk_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == BulkExport.Status.QUEUED and export.attempts == 1 and not export.file
    captured[0]()
    export.refresh_from_db()
    assert export.status == BulkExport.Status.DONE and export.attempts == 2 and export.units_done == 2
