"""An assessor's or IQA's own record of occupational competence: the qualifications they hold (with
certificates), their occupational experience and their CPD (with files). Each person keeps their
own; the centre's IQAs, administrators and EQAs read it (`access.keeper_for_user`).

Files are checked by the one upload checker (`portfolio.uploads.check_uploads`, with
`COMPETENCE_UPLOADS`) and stored under a name of our own making, never under a public address."""

import datetime
import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from portfolio import access as portfolio_access
from portfolio import audit
from portfolio.errors import PortfolioError
from portfolio.models import Centre, Person, Role
from portfolio.uploads import COMPETENCE_UPLOADS, CheckedUpload, check_uploads

from ..audit_actions import AssessmentAction
from ..models import CompetenceFile, CpdEntry, HeldQualification, OccupationalExperience


def _require_keeper(person: Person, centre: Centre) -> None:
    if not {Role.ASSESSOR, Role.IQA} & portfolio_access.roles_at(person, centre.pk):
        raise PortfolioError("Only the centre's assessors and IQAs keep a competence record here.")


def _require_past(on: datetime.date, what: str) -> None:
    if on > timezone.localdate():
        raise PortfolioError(f"The {what} cannot be in the future.")


def _store(
    checked: Sequence[CheckedUpload], *, person: Person, now: datetime.datetime,
    qualification: HeldQualification | None = None, cpd_entry: CpdEntry | None = None,
) -> list[str]:
    """Each checked file saved and recorded; the names written, so a failure can remove them."""
    written: list[str] = []
    try:
        for upload in checked:
            kept = CompetenceFile(
                person=person, qualification=qualification, cpd_entry=cpd_entry, storage_key=uuid.uuid4().hex,
                original_name=upload.label, content_type=upload.content_type, size=upload.size,
                sha256=upload.sha256, uploaded_at=now,
            )
            kept.file.save(kept.storage_key, upload.file, save=False)
            written.append(kept.file.name or "")
            kept.full_clean()
            kept.save()
    except BaseException:
        _remove_stored(written)
        raise
    return written


def _remove_stored(names: Sequence[str]) -> None:
    storage = CompetenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def qualification_held_add(
    *, person: Person, centre: Centre, kind: str, title: str, awarding_body: str, achieved_on: datetime.date,
    certificates: Sequence[UploadedFile] = (),
) -> HeldQualification:
    """A qualification the person holds, with its certificate. A refused file refuses it all
    (`UploadRejected`), so the person can choose another file and send the same form again."""
    _require_keeper(person, centre)
    _require_past(achieved_on, "date achieved")
    checked = check_uploads(certificates, COMPETENCE_UPLOADS)
    now = timezone.now()
    written: list[str] = []
    try:
        with transaction.atomic():
            held = _qualification_written(
                person=person, centre=centre, kind=kind, title=title, awarding_body=awarding_body,
                achieved_on=achieved_on, now=now,
            )
            written = _store(checked, person=person, now=now, qualification=held)
            audit.record(
                AssessmentAction.QUALIFICATION_HELD_ADDED, actor=person, centre=centre,
                summary=f"{person} added the qualification {title} ({awarding_body}, {achieved_on.isoformat()})",
                after={
                    "qualification": held.pk, "kind": kind, "title": title, "awarding_body": awarding_body,
                    "achieved_on": achieved_on.isoformat(), "files": [c.label for c in checked],
                    "sha256": [c.sha256 for c in checked],
                },
            )
    except BaseException:
        _remove_stored(written)
        raise
    return held


def _qualification_written(
    *, person: Person, centre: Centre, kind: str, title: str, awarding_body: str, achieved_on: datetime.date,
    now: datetime.datetime,
) -> HeldQualification:
    held = HeldQualification(
        person=person, centre=centre, kind=kind, title=title, awarding_body=awarding_body,
        achieved_on=achieved_on, added_at=now,
    )
    held.full_clean()
    held.save()
    return held


def experience_add(
    *, person: Person, centre: Centre, role: str, setting: str, started_on: datetime.date,
    ended_on: datetime.date | None, summary: str,
) -> OccupationalExperience:
    _require_keeper(person, centre)
    _require_past(started_on, "start date")
    if ended_on is not None and ended_on < started_on:
        raise PortfolioError("The end date cannot be before the start date.")
    with transaction.atomic():
        experience = OccupationalExperience(
            person=person, centre=centre, role=role, setting=setting, started_on=started_on, ended_on=ended_on,
            summary=summary, added_at=timezone.now(),
        )
        experience.full_clean()
        experience.save()
        audit.record(
            AssessmentAction.EXPERIENCE_ADDED, actor=person, centre=centre,
            summary=f"{person} added occupational experience: {role}, {setting}",
            after={
                "experience": experience.pk, "role": role, "setting": setting, "started_on": started_on.isoformat(),
                "ended_on": ended_on.isoformat() if ended_on else None,
            },
        )
    return experience


def cpd_record(
    *, person: Person, centre: Centre, activity: str, done_on: datetime.date, hours: Decimal, reflection: str,
    files: Sequence[UploadedFile] = (),
) -> CpdEntry:
    _require_keeper(person, centre)
    _require_past(done_on, "date of the activity")
    if hours <= 0:
        raise PortfolioError("Give the hours the activity took: more than 0.")
    checked = check_uploads(files, COMPETENCE_UPLOADS)
    now = timezone.now()
    written: list[str] = []
    try:
        with transaction.atomic():
            entry = CpdEntry(
                person=person, centre=centre, activity=activity, done_on=done_on, hours=hours,
                reflection=reflection, added_at=now,
            )
            entry.full_clean()
            entry.save()
            written = _store(checked, person=person, now=now, cpd_entry=entry)
            audit.record(
                AssessmentAction.CPD_RECORDED, actor=person, centre=centre,
                summary=f"{person} recorded {hours} hours of CPD: {activity}",
                after={
                    "cpd_entry": entry.pk, "activity": activity, "done_on": done_on.isoformat(),
                    "hours": str(hours), "files": [c.label for c in checked], "sha256": [c.sha256 for c in checked],
                },
            )
    except BaseException:
        _remove_stored(written)
        raise
    return entry
