"""Every change to a portfolio: checked, audited, and done in one transaction, or not at all."""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from standards.models import Criterion, KnowledgeItem, ScopeItem

from . import access, audit, document_text, locks, mapped_items, thumbnails
from .audit import PortfolioAction
from .errors import PortfolioError
from .models import (
    Centre,
    Declaration,
    Enrolment,
    Evidence,
    EvidenceFile,
    EvidenceRevision,
    EvidenceState,
    Person,
)
from .notifications import NotificationKind, evidence_named, notify
from .tasks import make_evidence_thumbnail, read_evidence_document_text
from .uploads import CheckedUpload, check_uploads

_TEXT_FIELDS = ("title", "method", "activity_date", "location", "account")


def _words(evidence: Evidence) -> dict:
    return {name: str(getattr(evidence, name)) for name in _TEXT_FIELDS}


def _counted(number: int, noun: str) -> str:
    """"1 file", "2 files", "0 items": the words a history summary uses for a number of things."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _store_files(evidence: Evidence, checked: Sequence[CheckedUpload], uploader: Person) -> list[str]:
    """Saves each checked upload under a name of our own making; returns the names written, so a
    failure later in the transaction can remove them again."""
    written: list[str] = []
    try:
        for upload in checked:
            evidence_file = EvidenceFile(
                evidence=evidence,
                storage_key=uuid.uuid4().hex,
                original_name=upload.label,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                added_in_version=evidence.version,
                uploaded_by=uploader,
                carries_location=upload.details.location,
                carries_description=upload.details.description,
            )
            evidence_file.file.save(evidence_file.storage_key, upload.file, save=False)
            written.append(evidence_file.file.name)
            evidence_file.full_clean()
            evidence_file.save()
            if thumbnails.has_thumbnail(evidence_file):
                # Made on the worker, never in the request nor by a PDF (portfolio/thumbnails.py).
                transaction.on_commit(partial(make_evidence_thumbnail.enqueue, evidence_file.pk))
            if document_text.has_document_text(evidence_file):
                # Read on the worker, in a process of its own with limits (portfolio/document_text.py).
                transaction.on_commit(partial(read_evidence_document_text.enqueue, evidence_file.pk))
    except BaseException:
        _remove_stored(written)
        raise
    return written


def _remove_stored(names: Iterable[str]) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _check_date(activity_date: datetime.date) -> None:
    if activity_date > timezone.localdate():
        raise PortfolioError("The date of the activity cannot be in the future.")


def evidence_create(
    *,
    candidate: Person,
    centre: Centre,
    author: Person,
    title: str,
    method: str,
    activity_date: datetime.date,
    location: str = "",
    account: str = "",
    uploads: Sequence[UploadedFile] = (),
    given_by: str = "",
) -> Evidence:
    """A new draft evidence item with its files. A rejected file rejects the whole item: nothing
    of it is saved, so the candidate can fix the file and send the same form again.

    `given_by` names a witness (who has no account) when the evidence is their testimony."""
    if not Enrolment.objects.filter(candidate=candidate, centre=centre).exists():
        raise PortfolioError("Evidence can only be added for a candidate registered on a unit here.")
    closed = locks.closed_only(candidate, centre.pk)
    if closed:
        raise PortfolioError(
            f"{candidate} has no unit open at {centre} ({'; '.join(str(unit) for unit in closed)}), so no evidence "
            "can be added for them there: nothing is submitted or judged on a withdrawn or transferred unit."
        )
    _check_date(activity_date)
    checked = check_uploads(uploads)
    if not checked and not account.strip():
        raise PortfolioError("Add at least one file or write an account of what you did.")
    written: list[str] = []
    try:
        with transaction.atomic():
            evidence = Evidence(
                centre=centre,
                candidate=candidate,
                number=_next_number(candidate, centre),
                title=title,
                method=method,
                activity_date=activity_date,
                location=location,
                account=account,
                created_by=author,
            )
            evidence.full_clean()
            evidence.save()
            written = _store_files(evidence, checked, author)
            # Testimony arrives through a witness's link: the witness, who has no account, gave it,
            # and the trail must not credit the person who asked for it.
            audit.record(
                PortfolioAction.EVIDENCE_CREATED,
                actor=None if given_by else author,
                centre=centre,
                evidence=evidence,
                summary=f"{evidence.reference} “{title}”{f' given by {given_by}' if given_by else ''} added with {_counted(len(checked), 'file')}",
                after={**_words(evidence), "files": [c.label for c in checked]},
            )
    except BaseException:
        _remove_stored(written)
        raise
    return evidence


def _next_number(candidate: Person, centre: Centre) -> int:
    """The next number in the candidate's run at this centre: each centre's run is its own, so the
    number tells one centre nothing of the evidence at another (`case_evidence` says why)."""
    # The unique constraint on (candidate, centre, number) settles two uploads racing for one
    # number: the loser's transaction fails and the candidate is asked to send the form again.
    highest = Evidence.objects.filter(candidate=candidate, centre=centre).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


def _require_author_may_change(evidence: Evidence, person: Person) -> None:
    """The candidate changes their own evidence; evidence an assessor wrote on their portfolio (an
    observation record, say) is changed only by that assessor, never by the candidate."""
    if evidence.is_assessors:
        if evidence.created_by_id != person.pk:
            raise PortfolioError("Only the assessor who recorded this evidence can change it.")
    elif evidence.candidate_id != person.pk:
        raise PortfolioError("Only the candidate can change their own evidence.")
    if not evidence.candidate_may_change:
        raise PortfolioError(
            f"{evidence.reference} is {evidence.get_state_display().lower()} and cannot be changed "
            "unless your assessor refers it back to you."
        )


def _revise(
    evidence: Evidence, editor: Person, new_words: dict[str, object], removing: Sequence[EvidenceFile]
) -> None:
    """Keeps what the evidence said as a revision, then writes the new words as the next version;
    the removed files stay stored, marked as gone from that version on."""
    EvidenceRevision.objects.create(
        evidence=evidence,
        version=evidence.version,
        replaced_by=editor,
        **{name: getattr(evidence, name) for name in _TEXT_FIELDS},
    )
    for name, value in new_words.items():
        setattr(evidence, name, value)
    evidence.version += 1
    evidence.full_clean()
    evidence.save()
    for evidence_file in removing:
        evidence_file.removed_in_version = evidence.version
        evidence_file.save(update_fields=["removed_in_version"])


def _record_evidence_changed(
    evidence: Evidence,
    editor: Person,
    before: dict,
    checked: Sequence[CheckedUpload],
    removing: Sequence[EvidenceFile],
) -> None:
    audit.record(
        PortfolioAction.EVIDENCE_CHANGED,
        actor=editor,
        centre=evidence.centre,
        evidence=evidence,
        summary=f"{evidence.reference} changed to version {evidence.version}",
        before={**before, "version": evidence.version - 1},
        after={
            **_words(evidence),
            "version": evidence.version,
            "files_added": [c.label for c in checked],
            "files_removed": [f.original_name for f in removing],
        },
    )


def evidence_update(
    *,
    evidence: Evidence,
    editor: Person,
    title: str,
    method: str,
    activity_date: datetime.date,
    location: str = "",
    account: str = "",
    uploads: Sequence[UploadedFile] = (),
    remove_file_ids: Iterable[int] = (),
) -> Evidence:
    """Changes an evidence item, keeping what it said before as a revision and every removed file."""
    _check_date(activity_date)
    checked = check_uploads(uploads)
    written: list[str] = []
    try:
        with transaction.atomic():
            evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
            _require_author_may_change(evidence, editor)
            before = _words(evidence)
            removing = list(evidence.files.filter(pk__in=list(remove_file_ids), removed_in_version=None))
            new_words = dict(
                title=title, method=method, activity_date=activity_date, location=location, account=account
            )
            if before == {k: str(v) for k, v in new_words.items()} and not checked and not removing:
                return evidence
            _revise(evidence, editor, new_words, removing)
            written = _store_files(evidence, checked, editor)
            if not evidence.files.filter(removed_in_version=None).exists() and not account.strip():
                raise PortfolioError("Evidence needs at least one file or a written account.")
            _record_evidence_changed(evidence, editor, before, checked, removing)
    except BaseException:
        _remove_stored(written)
        raise
    return evidence


def evidence_map(
    *,
    evidence: Evidence,
    editor: Person,
    criteria: Iterable[Criterion],
    knowledge_items: Iterable[KnowledgeItem],
    scope_items: Iterable[ScopeItem],
) -> Evidence:
    """Sets what the evidence proves, across every unit the candidate is registered on."""
    criteria, knowledge_items, scope_items = list(criteria), list(knowledge_items), list(scope_items)
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        _require_author_may_change(evidence, editor)
        unit_ids = set(
            Enrolment.objects.filter(candidate=evidence.candidate, centre=evidence.centre).values_list(
                "unit_id", flat=True
            )
        )
        chosen_units = {c.unit_id for c in criteria} | {k.unit_id for k in knowledge_items}
        chosen_units |= {s.category.unit_id for s in scope_items}
        if not chosen_units <= unit_ids:
            raise PortfolioError("Evidence can only be mapped to units the candidate is registered on.")
        locks.require_locked_units_unchanged(evidence, [*criteria, *knowledge_items, *scope_items])
        before = mapped_items.audit_facts(evidence)
        evidence.criteria.set(criteria)
        evidence.knowledge_items.set(knowledge_items)
        evidence.scope_items.set(scope_items)
        after = mapped_items.audit_facts(evidence)
        if before != after:
            audit.record(
                PortfolioAction.EVIDENCE_MAPPED,
                actor=editor,
                centre=evidence.centre,
                evidence=evidence,
                summary=f"{evidence.reference} mapped to {_counted(len(after['in_order']), 'item')}",
                before=before,
                after=after,
            )
    return evidence


def evidence_submit(*, evidence: Evidence, candidate: Person, declared: bool) -> Evidence:
    """Sends the evidence for assessment with the candidate's declaration of authenticity."""
    if not declared:
        raise PortfolioError("Confirm the declaration that this is your own work before submitting.")
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        _require_author_may_change(evidence, candidate)
        if not (evidence.criteria.exists() or evidence.knowledge_items.exists() or evidence.scope_items.exists()):
            raise PortfolioError("Map the evidence to at least one criterion or knowledge item first.")
        locks.require_an_open_unit(evidence)
        before_state = evidence.state
        now = timezone.now()
        Declaration.objects.create(
            evidence=evidence, version=evidence.version, text=Declaration.TEXT,
            declared_by=candidate, declared_at=now,
        )
        evidence.state = EvidenceState.SUBMITTED
        evidence.submitted_at = now
        evidence.save(update_fields=["state", "submitted_at", "updated_at"])
        audit.record(
            PortfolioAction.EVIDENCE_SUBMITTED,
            actor=candidate,
            centre=evidence.centre,
            evidence=evidence,
            summary=f"{evidence.reference} submitted for assessment with the declaration of authenticity",
            before={"state": before_state},
            after={"state": evidence.state, "version": evidence.version, "declaration": Declaration.TEXT},
        )
        named = evidence_named(evidence)
        notify(
            access.judges_of(evidence),
            f"{candidate} submitted {named} “{evidence.title}” for assessment.",
            subject=f"{candidate} submitted {named} for assessment",
            centre=evidence.centre_id, kind=NotificationKind.EVIDENCE_SUBMITTED,
            link=reverse("assessments:evidence_detail", args=[evidence.pk]),
        )
    return evidence


def evidence_delete_draft(*, evidence: Evidence, candidate: Person) -> None:
    """Removes a draft that was never submitted, files and all. Submitted evidence stays for good."""
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if evidence.candidate_id != candidate.pk:
            raise PortfolioError("Only the candidate can delete their own draft evidence.")
        if evidence.state != EvidenceState.DRAFT or evidence.declarations.exists():
            raise PortfolioError(f"{evidence.reference} has been submitted, so it is kept and cannot be deleted.")
        files = list(evidence.files.all())
        names = [f.file.name for f in files] + [thumbnails.thumbnail_name(f) for f in files if thumbnails.has_thumbnail(f)]
        audit.record(
            PortfolioAction.EVIDENCE_DELETED,
            actor=candidate,
            centre=evidence.centre,
            evidence=evidence,
            summary=f"Draft {evidence.reference} “{evidence.title}” deleted",
            before={**_words(evidence), "reference": evidence.reference},
        )
        evidence.files.all().delete()
        evidence.revisions.all().delete()
        evidence.criteria.clear()
        evidence.knowledge_items.clear()
        evidence.scope_items.clear()
        evidence.delete()
        transaction.on_commit(lambda: _remove_stored(names))
