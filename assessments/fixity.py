"""Fixity: whether the files a unit was signed off on are still the bytes that were signed.

Reading and hashing every signed file costs what the files weigh (twenty videos are two gigabytes),
so no page does it. The files are read by the fixity job on the background worker
(`tasks.check_sign_off_files`): on a schedule (`manage.py check_fixity`, from cron or a systemd
timer, as django-tasks has no periodic jobs), after a restore, and when someone on the case asks
("Check the files now"); and where the record is signed again or leaves: the sign-off itself, the
candidate's countersignature, the IQA's review, the unit PDF and the bulk export. Each check is
recorded (`FixityCheck`) with its time. A page makes the database-side check on every view (a few
queries: the signatures, the decisions digest, the evidence and file rows) and adds what the last
check found in storage, with its time (`page_report`).

A check that finds something the one before it did not tells the assessor, the IQA and the centre's
administrators, and records an audit event; the next scheduled run finding the same says nothing.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from portfolio import audit, dates
from portfolio.models import Enrolment, Evidence, EvidenceFile, Person, Role
from portfolio.notifications import NotificationKind, notify
from portfolio.signed_files import SignedFileChange

from . import integrity, record_seals
from .audit_actions import AssessmentAction
from .check_rows import UNTRUSTED_CHECKS as UNTRUSTED_CHECKS
from .check_rows import Checks as Checks
from .check_rows import checks_of as checks_of
from .check_rows import latest_check as latest_check
from .integrity import IntegrityReport
from .models import FixityCheck, SignOff
from .voids import void_is_signed

Boundary = FixityCheck.Boundary


@dataclass(frozen=True)
class PageReport:
    """What a page says of a standing sign-off without reading a file: the database-side check made
    now, with what the last check of the files found and when."""

    file_count: int
    decision_count: int
    problems: list[str]
    files_last_verified: datetime.datetime | None  # None: never since sign-off
    verified_by: str  # that check, in words: "scheduled check", "sign-off"
    files_changed: bool  # the last check found a signed file changed or missing

    @property
    def intact(self) -> bool:
        return not self.problems


# A page that finds the record changed where the last check did not queues one check of it, and no
# more for this long, however often the page is read before the worker gets to it.
PAGE_CHECK_EVERY = 600  # seconds


def page_report(sign_off: SignOff) -> PageReport:
    """The record as a page shows it: the database checked now, the files as the last check found
    them. What the database shows that the last check did not (a row changed by hand since) is
    queued for a check (`PAGE_CHECK_EVERY`), so that the people on the case are told, and every
    list and the claims page, which go by the last check, mark the unit within minutes rather than
    after the night's checks (an outside trial: the unit page said CHANGED, the lists said nothing)."""
    now = integrity.check(sign_off, read_files=False)
    checks = checks_of(sign_off)
    last = checks.latest
    found_in_storage = [p for p in (last.file_problems if last else []) if p not in now.problems]
    problems = now.problems + record_seals.record_problems(sign_off) + checks.problem() + found_in_storage
    if any(p not in (last.problems if last else []) for p in problems) and cache.add(
        f"fixity-page-check-{sign_off.pk}", True, PAGE_CHECK_EVERY
    ):
        _queue_a_check(sign_off, Boundary.PAGE)
    return PageReport(
        file_count=now.file_count,
        decision_count=now.decision_count,
        problems=problems,
        files_last_verified=last.checked_at if last else None,
        verified_by=_described(last) if last else "",
        files_changed=bool(found_in_storage),
    )


def _described(check: FixityCheck) -> str:
    words = check.get_boundary_display()
    if check.boundary == Boundary.ON_DEMAND and check.requested_by:
        words += f" by {check.requested_by.get_full_name() or check.requested_by.email}"
    return words


def check_and_record(sign_off: SignOff, *, boundary: str, by: Person | None = None) -> IntegrityReport:
    """The full check, every signed file read from storage and hashed, recorded."""
    report = _checked_now(sign_off)
    record(sign_off, report, boundary=boundary, by=by)
    return report


def _checked_now(sign_off: SignOff) -> IntegrityReport:
    """Every signed file read and hashed, the database checked, the IQA's signed reviews, and the
    record of the checks before (`Checks.problem`): a check row altered or dated in the future is
    tampering with the record's history, so the check that finds it is not intact either, and says
    so to the people on the case (an outside trial: `check_fixity` printed "Intact" above the
    altered row, and every list and the claims page took the unit as intact)."""
    report = integrity.check(sign_off)
    report.problems += record_seals.record_problems(sign_off) + checks_of(sign_off).problem()
    return report


def judged(sign_off: SignOff, *, boundary: str | None = None, by: Person | None = None) -> IntegrityReport:
    """The record judged as the unit page judges it (`page_report`), with every signed file read now:
    the full check (recorded as a check at `boundary`, if given) and the record's file checks as far
    as they can be believed (`Checks.problem`). A record of a file check altered or dated in the
    future means someone tampered with the record's history, so the record is not vouched for: it
    counts as changed at every boundary alike (the unit page, the unit PDF, the bulk export, the
    visit pack, the checking page) until the centre has looked into it."""
    return check_and_record(sign_off, boundary=boundary, by=by) if boundary else _checked_now(sign_off)


def record(sign_off: SignOff, report: IntegrityReport, *, boundary: str, by: Person | None = None) -> FixityCheck:
    """Records a check already made (by `check_and_record`, or by the unit PDF or the bulk export,
    which hash each file as they read it: `IntegrityReport.note_stored`). What it finds that the
    check before did not is told to the people on the case and written to the audit trail."""
    file_problems = list(report.storage_problems)
    if not report.files_read and report.problems:
        # A report whose files were hashed without `note_stored`: what the database-side check does
        # not find is what storage showed.
        in_database = (integrity.check(sign_off, read_files=False).problems
                       + record_seals.record_problems(sign_off) + checks_of(sign_off).problem())
        file_problems = [p for p in report.problems if p not in in_database]
    with transaction.atomic():
        # One check at a time per sign-off decides what is new, so two at once alarm only once.
        locked = SignOff.objects.select_for_update().get(pk=sign_off.pk)
        previous = latest_check(sign_off)
        check = FixityCheck(
            sign_off=sign_off, checked_at=timezone.now(), boundary=boundary, intact=report.intact,
            problems=report.problems, file_problems=file_problems,
            changed_files=[
                {"file_id": file_id, "problem": problem}
                for file_id, problem in zip(report.changed_files, report.storage_problems, strict=False)
            ],
            files_checked=report.files_read, requested_by=by,
            void_not_believed=sign_off.voided_at is not None and not void_is_signed(sign_off),
        )
        check.signature = record_seals.check_signature(check)
        check.full_clean()
        check.save()
        _counted(locked)
        # The caller's sign-off read as it stands now, so what it is shown next is not taken for a change.
        sign_off.after_signature, sign_off.checks_made = locked.after_signature, locked.checks_made + 1
        known = set(previous.problems) if previous else set()
        new = [p for p in report.problems if p not in known]
        if new:
            _raise_the_alarm(sign_off, check, new)
        elif report.intact and previous is not None and not previous.intact:
            _all_clear(sign_off, check)
    return check


def _counted(locked: SignOff) -> None:
    """One more check of the sign-off, counted under its `after_signature`, re-signed only if it held
    before: a check must not make good what was changed by hand (`record_seals.after_is_signed`)."""
    held = record_seals.after_is_signed(locked)
    SignOff.objects.filter(pk=locked.pk).update(checks_made=F("checks_made") + 1)
    if held:
        record_seals.reseal_after(locked)


def _raise_the_alarm(sign_off: SignOff, check: FixityCheck, new: list[str]) -> None:
    enrolment = _people_on(sign_off)
    unit, candidate = enrolment.unit.code, enrolment.candidate
    found = f"found by the {_described(check)} on {moment(check.checked_at)}"
    more = f" (and {len(new) - 1} more)" if len(new) > 1 else ""
    audit.record(
        AssessmentAction.FIXITY_FAILED,
        actor=check.requested_by,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=f"{unit} of {candidate}: the signed record has changed since sign-off, {found}: {new[0]}{more}",
        after={"sign_off": sign_off.pk, "check": check.pk, "boundary": check.boundary,
               "files_checked": check.files_checked, "problems": new},
    )
    notify(
        people_told(enrolment),
        f"The signed-off record of {unit} for {candidate} has changed since it was signed, {found}: {new[0]}{more}",
        subject=f"Signed record of {unit} for {candidate} has changed",
        centre=enrolment.centre_id, kind=NotificationKind.INTEGRITY_FAILURE,
        link=reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#signoff-heading",
    )


def _all_clear(sign_off: SignOff, check: FixityCheck) -> None:
    """Those told of the change are told it holds again, so that nobody goes on looking into a
    record that has been put right (an outside trial: nothing said so but the unit page)."""
    enrolment = _people_on(sign_off)
    unit, candidate = enrolment.unit.code, enrolment.candidate
    found = f"found by the {_described(check)} on {moment(check.checked_at)}"
    audit.record(
        AssessmentAction.FIXITY_INTACT_AGAIN, actor=check.requested_by, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{unit} of {candidate}: the signed record is as it was signed again, {found}",
        after={"sign_off": sign_off.pk, "check": check.pk, "boundary": check.boundary, "files_checked": check.files_checked},
    )
    notify(
        people_told(enrolment),
        f"The signed-off record of {unit} for {candidate} is as it was signed again, {found}: every file and "
        "decision matches what the assessor signed.",
        subject=f"Signed record of {unit} for {candidate} is intact again",
        centre=enrolment.centre_id, kind=NotificationKind.INTEGRITY_FAILURE,
        link=reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#signoff-heading",
    )


def _people_on(sign_off: SignOff) -> Enrolment:
    return Enrolment.objects.select_related("unit", "candidate", "assessor", "iqa", "centre").get(pk=sign_off.enrolment_id)


def people_told(enrolment: Enrolment) -> list[Person]:
    """The assessor, the IQA and the centre's administrators: those a check's findings are for."""
    administrators = Person.objects.filter(
        memberships__centre=enrolment.centre, memberships__role=Role.ADMINISTRATOR
    ).distinct()
    return [enrolment.assessor, enrolment.iqa, *administrators]


def moment(at: datetime.datetime) -> str:
    """“4 March 2026, 02:00”, in the centre's time zone, as every page words a time."""
    return dates.day_time(at)


# Which sign-offs to check, and which rest on a given evidence item or file.


def found_changed_since_sign_off() -> Q:
    """The sign-off's latest check of its record found it changed since sign-off, or the sign-off is
    marked void though it stands (voided by hand: `models.standing_sign_off`): never ready to claim
    (an outside trial claimed one, and sent it to the awarding body). A record changed since that
    check is found at the claim itself (`services.claims`)."""
    latest = FixityCheck.objects.filter(sign_off=OuterRef(OuterRef("pk"))).order_by("-checked_at", "-pk").values("pk")[:1]
    return Q(voided_at__isnull=False) | Q(
        Exists(FixityCheck.objects.filter(sign_off=OuterRef("pk"), intact=False, pk=Subquery(latest)))
    )


def due_for_a_check(*, older_than: datetime.timedelta | None = None) -> QuerySet[SignOff]:
    """Every standing sign-off, or those whose files were last checked longer ago than `older_than`
    (or never). Only checks that can be believed count (`record_seals`): a forged row, or one dated
    in the future, does not excuse a sign-off from its check."""
    sign_offs = SignOff.objects.standing().order_by("pk")
    if older_than is None:
        return sign_offs
    now = timezone.now()
    recent = FixityCheck.objects.filter(
        sign_off__in=sign_offs, checked_at__gte=now - older_than, checked_at__lte=now
    ).order_by("sign_off_id")
    checked = {c.sign_off_id for c in recent if record_seals.check_is_believed(c)}
    return sign_offs.exclude(pk__in=checked)


def _standing_for(evidence: Evidence) -> Iterable[SignOff]:
    """The standing sign-offs of the candidate's units at the evidence's centre (a handful)."""
    return SignOff.objects.standing().filter(
        enrolment__candidate_id=evidence.candidate_id, enrolment__centre_id=evidence.centre_id
    ).select_related("enrolment__unit", "assessor").order_by("assessor_signed_at")


@dataclass(frozen=True)
class SignedUnit:
    sign_off: SignOff
    report: PageReport


def signed_units_resting_on(evidence: Evidence) -> list[SignedUnit]:
    """The standing sign-offs whose signed record names this evidence, each with its page report."""
    return [
        SignedUnit(sign_off=s, report=page_report(s))
        for s in _standing_for(evidence)
        if any(row.get("id") == evidence.pk for row in _manifest(s).get("evidence") or [])
    ]


def changes_since_signed(evidence_file: EvidenceFile) -> list[SignedFileChange]:
    """portfolio's question before a download or a file opened as a page (`portfolio.signed_files`):
    each standing sign-off that signed this file and whose record of it differs in the database now,
    whose bytes in storage now differ from the SHA-256 signed, or whose last check found it changed
    or missing. The file is hashed here, as it is served: a file changed since the last check is
    warned about at once, and a check of the sign-off is queued so the people on the case are told."""
    changes: list[SignedFileChange] = []
    stored: list[str | None] = []  # hashed once, and only when a sign-off signed the file
    for sign_off in _standing_for(evidence_file.evidence):
        entry = next((e for e in _manifest(sign_off).get("files") or [] if e.get("file_id") == evidence_file.pk), None)
        if entry is None:
            continue
        unit, signed_at = sign_off.enrolment.unit.code, sign_off.assessor_signed_at
        if (evidence_file.sha256, evidence_file.size) != (entry.get("sha256"), entry.get("size")):
            problem = f"{integrity.file_label(entry)}: its recorded digest or size was changed in the database after sign-off."
            changes.append(SignedFileChange(unit_code=unit, signed_at=signed_at, checked_at=None, problem=problem))
        last = latest_check(sign_off)
        known = [c for c in (last.changed_files if last else []) if c.get("file_id") == evidence_file.pk]
        for changed in known:
            changes.append(SignedFileChange(
                unit_code=unit, signed_at=signed_at, checked_at=last.checked_at if last else None,
                problem=changed.get("problem", ""),
            ))
        if known:
            continue  # already found and told; no need to read the file again
        if not stored:
            stored.append(integrity.stored_sha256(evidence_file))
        if stored[0] != entry.get("sha256"):
            changes.append(SignedFileChange(
                unit_code=unit, signed_at=signed_at, checked_at=timezone.now(), problem=_stored_now(entry, stored[0])
            ))
            _queue_a_check(sign_off)
        elif not any(c.unit_code == unit for c in changes):
            changes += _record_changed(sign_off, unit)
    return changes


def _record_changed(sign_off: SignOff, unit: str) -> list[SignedFileChange]:
    """The file is as signed, but the record it belongs to is not in the database (a decision, the
    sign-off itself, a review, the record of its checks: as the unit page judges it): said before the
    file is served too, since what it was signed as part of no longer holds (an outside trial: a
    download after a hand-written void said nothing). Another file of the unit changed in storage
    is that file's own warning, not this one's."""
    problems = integrity.check(sign_off, read_files=False).problems + record_seals.record_problems(sign_off)
    problems += checks_of(sign_off).problem()  # the database side, as the page has it (not other files)
    if not problems:
        return []
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return [SignedFileChange(
        unit_code=unit, signed_at=sign_off.assessor_signed_at, checked_at=None,
        problem=f"The signed record of {unit} has changed since sign-off: {problems[0]}{more}", file_changed=False,
    )]


def _stored_now(entry: dict, digest: str | None) -> str:
    label = integrity.file_label(entry)
    if digest is None:
        return f"{label} is missing from storage."
    return (
        f"{label} has changed since the unit was signed off: its SHA-256 is now {digest[:12]}…, "
        f"{str(entry.get('sha256'))[:12]}… was signed."
    )


def _queue_a_check(sign_off: SignOff, boundary: str = Boundary.DOWNLOAD) -> None:
    from .tasks import check_sign_off_files  # the task module imports this one

    sign_off_id, value = sign_off.pk, str(boundary)
    transaction.on_commit(lambda: check_sign_off_files.enqueue(sign_off_id, value))


def _manifest(sign_off: SignOff) -> dict:
    return sign_off.manifest if isinstance(sign_off.manifest, dict) else {}
