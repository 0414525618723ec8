"""Notifications' emails go through the background worker (tester's finding: handing over 11 units
sent about 23 emails inside the request, 1.25 s): the page queues them once its change is
committed, and the worker sends them; a change rolled back queues nothing."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django_tasks import default_task_backend

from portfolio.notifications import NotificationKind, notify
from tests.factories import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """A backend that keeps what is queued and runs nothing, as the worker's queue before it runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_a_handover_queues_its_emails_and_sends_none_inside_the_request(
    client, queued, django_capture_on_commit_callbacks, grace, centre, alice, dave, bob, carol, erin, hsc331, h3_25
):
    enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    client.force_login(grace)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:person_handover", args=[centre.pk, bob.pk]), {
            "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Bob has left the centre.",
        })

    assert response.status_code == 302
    assert mail.outbox == []
    emails = [result for result in queued.results if result.task.name == "send_notification_emails"]
    assert emails, "the notifications' emails are queued for the worker"
    for result in emails:
        result.task.call(*result.args, **result.kwargs)
    assert {"erin@example.org", "bob@example.org"} <= {message.to[0] for message in mail.outbox}
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_a_change_rolled_back_queues_no_email(queued, django_capture_on_commit_callbacks, alice):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify([alice], "Something happened.", kind=NotificationKind.GENERAL)
        raise RuntimeError("the change failed")
    assert queued.results == [] and mail.outbox == []
