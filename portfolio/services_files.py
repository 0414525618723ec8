"""Who has looked at a candidate's evidence files: the audit trail says who viewed one (a picture, a
PDF or a recording shown in the app) and who downloaded one, apart.

A page shows a picture again at every visit and a player fetches a recording in many parts, so each
person is recorded at most once an hour for each file and each of the two, which is all the trail
needs without burying the decisions in repeats. The candidate's own looks at their own files are
not recorded: the trail is there for what others do with their personal data."""

import datetime

from django.db import transaction
from django.utils import timezone

from . import audit
from .audit import PortfolioAction
from .models import AuditEvent, EvidenceFile, Person

_ONCE_EVERY = datetime.timedelta(hours=1)


def file_read(*, person: Person, evidence_file: EvidenceFile, downloaded: bool) -> AuditEvent | None:
    """Records that the person viewed (or downloaded) the file, unless they are its candidate or
    were recorded doing the same within the hour. Returns the event written, if any."""
    evidence = evidence_file.evidence
    if person.pk == evidence.candidate_id:
        return None
    action = PortfolioAction.FILE_DOWNLOADED if downloaded else PortfolioAction.FILE_VIEWED
    with transaction.atomic():
        # Requests for one file come together (a page's pictures, a player's parts): the lock on
        # the file's row makes the second wait until the first has written its event, then see it.
        EvidenceFile.objects.select_for_update().filter(pk=evidence_file.pk).first()
        recorded = AuditEvent.objects.filter(
            action=action,
            actor=person,
            evidence_id=evidence_file.evidence_id,
            after__file_id=evidence_file.pk,
            at__gte=timezone.now() - _ONCE_EVERY,
        )
        if recorded.exists():
            return None
        verb = "downloaded" if downloaded else "viewed"
        return audit.record(
            action,
            actor=person,
            centre=evidence.centre,
            evidence=evidence,
            summary=f"{evidence.reference} file “{evidence_file.original_name}” {verb} by {person}",
            after={"file": evidence_file.original_name, "sha256": evidence_file.sha256, "file_id": evidence_file.pk},
        )
