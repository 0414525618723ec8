"""Every audit event also goes to the log as a JSON line, once its transaction has committed (an
event rolled back with its change never happened). The line names the action and the ids of who
and what it concerns, never the summary or the before and after: those hold names, file names and
evidence words, which are personal data and stay in the database."""

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import AuditEvent

logger = logging.getLogger("portfolio.audit")


@receiver(post_save, sender=AuditEvent, dispatch_uid="portfolio.audit_event_logged")
def audit_event_logged(
    sender: type[AuditEvent], instance: AuditEvent, created: bool, raw: bool, **kwargs: Any
) -> None:
    if not created or raw:  # raw: loaded from a fixture or a backup, not a new event
        return
    fields = {
        "event": "audit",
        "audit_event_id": instance.pk,
        "action": instance.action,
        "at": instance.at.isoformat(),
        "actor_id": instance.actor_id,
        "centre_id": instance.centre_id,
        "candidate_id": instance.candidate_id,
        "enrolment_id": instance.enrolment_id,
        "evidence_id": instance.evidence_id,
    }
    transaction.on_commit(
        lambda: logger.info("audit %s", fields["action"], extra={"fields": fields}), robust=True
    )
