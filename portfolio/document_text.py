"""The text of an Office or OpenDocument evidence file (or a plain text file), read once on the worker when the upload
commits (portfolio/tasks.py) and kept (`DocumentText`), so an assessor reads a candidate's Word
document on the evidence page without opening it in an office program.

The reading (portfolio/office_text.py, the standard library's zip and expat, no office suite) runs
in a child process that limits itself to MEMORY_LIMIT of address space and CPU_SECONDS of processor
time before it opens the file, and is killed after WALL_SECONDS: a crafted file (a zip bomb, an
entity bomb, a million cells) costs the worker at most that, and the page then says the text could
not be read. The text stops at TEXT_LIMIT characters; the page says there is more."""

import json
import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import office_text
from .file_types import PLAIN_TEXT, TEXT_SHOWN_TYPES
from .models import DocumentText, EvidenceFile

TEXT_LIMIT = 200_000
MEMORY_LIMIT = 256 * 1024 * 1024
CPU_SECONDS = 20
WALL_SECONDS = 40
_READER = Path(office_text.__file__)
# The worker reads a document within seconds of its upload; one still waiting after this is queued again.
_OVERDUE = timedelta(minutes=10)

logger = logging.getLogger(__name__)


def has_document_text(evidence_file: EvidenceFile) -> bool:
    return evidence_file.content_type in TEXT_SHOWN_TYPES


def read_document_text(evidence_file: EvidenceFile) -> DocumentText | None:
    """Reads and keeps the file's text unless it is kept already (the task may run twice). Returns
    the kept row, or None for a file that has no text to read or is gone."""
    if not has_document_text(evidence_file):
        return None
    kept = DocumentText.objects.filter(evidence_file=evidence_file).first()
    if kept is not None:
        return kept
    with _local_copy(evidence_file) as path:
        if evidence_file.content_type == PLAIN_TEXT:
            answer = _read_plain(path)
        else:
            answer = _read_in_child(path, evidence_file.content_type)
    problem = str(answer.get("unreadable", ""))[:200]
    if problem:
        logger.warning("Could not read the text of evidence file %s: %s", evidence_file.pk, problem)
    try:
        with transaction.atomic():
            return DocumentText.objects.create(
                evidence_file=evidence_file,
                readable=not problem,
                text="" if problem else str(answer.get("text", "")),
                cut_short=bool(answer.get("cut_short")),
                problem=problem,
            )
    except IntegrityError:  # another worker kept it first, or the draft was deleted meanwhile
        return DocumentText.objects.filter(evidence_file_id=evidence_file.pk).first()


def reader_command(path: Path, content_type: str) -> list[str]:
    """The child process that reads the file, with its limits."""
    # -I: none of the environment's or the user's Python settings; -S: not even site-packages, as
    # the reader needs only the standard library; -B: it writes nothing.
    return [
        sys.executable, "-I", "-S", "-B", str(_READER),
        str(path), content_type, str(TEXT_LIMIT), str(MEMORY_LIMIT), str(CPU_SECONDS),
    ]


def _read_plain(path: Path) -> dict:
    """A text file's words, at most TEXT_LIMIT characters: as UTF-8 (a byte that is not shows as a
    replacement mark), or as Windows' Western European if it is not UTF-8 at all (Notepad's old default)."""
    with path.open("rb") as stored:
        head = stored.read(TEXT_LIMIT * 4 + 1)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Cut inside a character at the bound, or not UTF-8 at all.
        text = head.decode("utf-8-sig", errors="replace") if error.start > len(head) - 4 else head.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    return {"text": text[:TEXT_LIMIT], "cut_short": len(text) > TEXT_LIMIT or len(head) > TEXT_LIMIT * 4}


def _read_in_child(path: Path, content_type: str) -> dict:
    try:
        finished = subprocess.run(reader_command(path, content_type), capture_output=True, timeout=WALL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return {"unreadable": f"reading took longer than {WALL_SECONDS} seconds"}
    if finished.returncode != 0:
        # Killed for its processor time (SIGXCPU), or it failed to start or ran out of memory outright.
        return {"unreadable": f"the reader stopped with {finished.returncode}: {finished.stderr[-150:]!r}"}
    try:
        answer = json.loads(finished.stdout)
    except ValueError:
        return {"unreadable": "the reader gave no answer"}
    return answer if isinstance(answer, dict) else {"unreadable": "the reader gave no answer"}


@contextmanager
def _local_copy(evidence_file: EvidenceFile) -> Iterator[Path]:
    """The file on this machine's disk: where it is, for the local folder; a temporary copy, for
    object storage (copied in pieces, never held in memory)."""
    storage = evidence_file.file.storage
    try:
        where: Path | None = Path(storage.path(evidence_file.file.name))
    except NotImplementedError:
        where = None
    if where is not None:
        yield where
        return
    with tempfile.NamedTemporaryFile(suffix=".document") as copy:
        with storage.open(evidence_file.file.name, "rb") as stored:
            shutil.copyfileobj(stored, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)


@dataclass(frozen=True)
class ShownFile:
    """A file as the evidence page shows it: how (file.display) and, for a document, its text."""

    file: EvidenceFile
    text: DocumentText | None  # a document's kept text; None while it is being read, or for other kinds


def shown_files(files: list[EvidenceFile]) -> list[ShownFile]:
    """The files with their documents' texts, in one query. A document still without one long after
    its upload (uploaded before texts were read, or its task was lost) is queued again."""
    documents = [f for f in files if has_document_text(f)]
    # Asked of every file, not only the documents: one query whatever kinds the evidence has.
    kept = {t.evidence_file_id: t for t in DocumentText.objects.filter(evidence_file__in=files)}
    overdue = timezone.now() - _OVERDUE
    for evidence_file in documents:
        if evidence_file.pk not in kept and evidence_file.uploaded_at < overdue:
            from .tasks import read_evidence_document_text  # the task module imports this one

            transaction.on_commit(partial(read_evidence_document_text.enqueue, evidence_file.pk))
    return [ShownFile(file=f, text=kept.get(f.pk)) for f in files]
