"""What building a ZIP on the worker takes, whatever the ZIP: the bulk export (exports/bulk.py) and
the visit pack (exports/visit_pack.py) both start a try, beat as they go, store the finished file
privately and are tried again when a try fails (exports/tasks.py) or its worker is killed
(exports/watch.py).

A try owns its export while the export is "being built" with that try's number: every heartbeat
checks it still does, so a try the watch gave up for dead that is in fact alive stops at its next
heartbeat (`Superseded`), and two builders never finish one export."""

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Callable
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from portfolio import audit
from portfolio.models import Centre, Enrolment

from .audit_actions import ExportAction
from .bulk_staging import LeftOut
from .models import BackgroundZip
from .zip_sealing import sealed_with
from .zip_seals import refused_build

CHUNK = 1024 * 1024
MAX_ATTEMPTS = 3
logger = logging.getLogger(__name__)


class Superseded(Exception):
    """`manage.py exports_watch` took this try for a killed worker's and started another (or gave
    the export up): this one stops, so two builders never race to finish one export."""


def beat(build: BackgroundZip, attempt: int, **fields: object) -> None:
    """Records that this try is alive (with any progress), if the export is still this try's."""
    mine = type(build)._default_manager.filter(pk=build.pk, status=BackgroundZip.Status.RUNNING, attempts=attempt)
    if not mine.update(heartbeat_at=timezone.now(), **fields):
        raise Superseded(f"{build.label.capitalize()} {build.pk}: attempt {attempt} was given up as stalled")


def start(build: BackgroundZip, *, total: int, **fields: object) -> int:
    """Takes the export for a new try: running, progress at nought of `total`. Returns the try's number."""
    build.status = BackgroundZip.Status.RUNNING
    build.units_total = total
    build.units_done = 0
    build.left_out = []
    build.attempts += 1
    build.heartbeat_at = timezone.now()
    for name, value in fields.items():
        setattr(build, name, value)
    build.save(update_fields=["status", "units_total", "units_done", "left_out", "attempts", "heartbeat_at", *fields])
    return build.attempts


def spool_and_store(build: BackgroundZip, attempt: int, write: Callable[[IO[bytes]], dict[str, object]]) -> None:
    """`write` fills a temporary ZIP on disk and returns the fields to set with it (what was left
    out, say); it is then hashed, stored privately (never at a public address: downloads go
    through a view that checks who asks) and the export marked done with its size and SHA-256 and
    those fields, in one update, if it is still this try's."""
    with tempfile.TemporaryFile(suffix=".zip") as spool:
        fields = write(spool)
        spool.seek(0)
        digest, size = hashlib.sha256(), 0
        while chunk := spool.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        spool.seek(0)
        name = default_storage.save(f"exports/{build.centre_id}/{uuid.uuid4().hex}.zip", File(spool))
    build.file.name = name
    build.size = size
    build.sha256 = digest.hexdigest()
    # The file it serves sealed with the row, as a save seals it: only if the row held (`zip_sealing`).
    build.access_seal = sealed_with(build, file=name, sha256=build.sha256)
    build.status = BackgroundZip.Status.DONE
    build.finished_at = timezone.now()
    for field_name, value in fields.items():
        setattr(build, field_name, value)
    try:
        beat(build, attempt, file=name, size=size, sha256=build.sha256, status=build.status,
             finished_at=build.finished_at, error="", access_seal=build.access_seal, **fields)
    except Superseded:
        default_storage.delete(name)
        raise


def run_with_retries(build: BackgroundZip, builder: Callable[[], None], again: Callable[[], object]) -> None:
    """Runs one try of `builder`; a try that fails is queued again (`again`) while the export has
    tries left, and the export failed, with the error's words, after its last."""
    if build.is_finished:  # built already, or given up by exports_watch
        return
    if refused_build(build):  # not as the portfolio made it (its units widened, say): failed, saying why
        return
    try:
        builder()
    except Superseded:
        logger.warning("%s %s: this attempt was given up as stalled and stops", build.label.capitalize(), build.pk)
    except Exception as error:
        logger.exception("%s %s failed on attempt %s", build.label.capitalize(), build.pk, build.attempts)
        build.refresh_from_db()
        if build.attempts < MAX_ATTEMPTS:
            build.status = BackgroundZip.Status.QUEUED
            build.error = (f"attempt {build.attempts} stopped with an error ({type(error).__name__}); "
                           f"attempt {build.attempts + 1} of {MAX_ATTEMPTS} starts when a worker is free")
            build.save(update_fields=["status", "error"])
            again()
        else:
            build.status = BackgroundZip.Status.FAILED
            build.error = f"{type(error).__name__}: {error}"
            build.save(update_fields=["status", "error"])


def record_units_left_out(centre: Centre, left_out: list[LeftOut], action: ExportAction, what: str, key: str,
                          pk: int) -> None:
    """Each unit a ZIP left out, in its own unit's trail, so its assessor and IQA see that it did not
    go, and why. `what` names the ZIP ("bulk export 4"); `key` and `pk` name it in the event."""
    enrolments = Enrolment.objects.in_bulk([unit.enrolment for unit in left_out])
    for unit in left_out:
        audit.record(
            action, actor=None, centre=centre, enrolment=enrolments.get(unit.enrolment),
            summary=f"{unit.unit} of {unit.candidate} left out of {what}: {unit.reason}"[:300],
            after={key: pk, "reason": unit.reason, "problems": unit.problems, "checked_at": unit.checked_at},
        )
