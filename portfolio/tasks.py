"""Work portfolio leaves to the background worker (`manage.py db_worker`)."""

import logging

from django_tasks import task

from . import digest, document_text, thumbnails
from .models import EvidenceFile

logger = logging.getLogger(__name__)


@task()
def make_evidence_thumbnail(evidence_file_id: int) -> None:
    """Makes an evidence picture's thumbnail, once: running it again changes nothing. A picture
    that cannot be decoded is logged and left without one (its PDF says it is being prepared)."""
    evidence_file = EvidenceFile.objects.filter(pk=evidence_file_id).first()
    if evidence_file is None:  # a draft deleted before the worker came to it
        return
    try:
        thumbnails.make_thumbnail(evidence_file)
    except FileNotFoundError:
        logger.warning("Evidence file %s is not in storage; no thumbnail made", evidence_file_id)
    except Exception:  # Pillow raises many kinds of error for a damaged picture
        logger.exception("Could not make the thumbnail of evidence file %s", evidence_file_id)


@task()
def read_evidence_document_text(evidence_file_id: int) -> None:
    """Reads an Office or OpenDocument evidence file's text, once, in a child process with limits
    (portfolio/document_text.py); a file it cannot read is kept as unreadable, and the page says so."""
    evidence_file = EvidenceFile.objects.filter(pk=evidence_file_id).first()
    if evidence_file is None:  # a draft deleted before the worker came to it
        return
    try:
        document_text.read_document_text(evidence_file)
    except FileNotFoundError:
        logger.warning("Evidence file %s is not in storage; its text was not read", evidence_file_id)


@task()
def send_notification_digests() -> int:
    """Sends the day's digest emails (`digest.py`); returns how many went. Queued once a day by
    `manage.py notification_digests`; a second run the same day sends only what came since."""
    sent = digest.send_digests()
    logger.info("Daily digests sent: %s", sent)
    return sent


@task()
def run_people_import(import_id: int) -> None:
    """Invites the candidates of a confirmed CSV import (portfolio/services_people_import.py)."""
    from .services_people_import import people_import_run  # which enqueues this task

    people_import_run(import_id)
