"""manage.py check_fixity: the scheduled fixity check. Queues, for the background worker, a check of
every standing sign-off's files (each read from storage and hashed against what was signed, and the
result recorded: `assessments.fixity`). Run it nightly from cron or a systemd timer
(docs/production.md); django-tasks has no periodic jobs of its own.

    manage.py check_fixity                    # every standing sign-off, on the worker
    manage.py check_fixity --older-than 20    # only those not checked in the last 20 hours
    manage.py check_fixity --now              # here and now, one line each; exit status 1 if any has changed

Either way it also reports any sign-off voided outside the product (a void whose signature does
not verify: `assessments.record_seals`), which it checks too, and every unit whose sign-offs are not
those the portfolio made (one deleted or copied in: `assessments.sign_off_seals`, which marks it for
the lists and tells the people on the case), every unit whose people (centre, candidate, unit,
assessor, IQA) are not those the portfolio put on it (`portfolio.case_seals`, which marks it so that
only the centre's administrators are let in, and tells them), and every centre's audit trail whose
events are not as the portfolio wrote them (one changed, put in or deleted in the database:
`portfolio.audit_chain`; and, against each centre's latest event as the last run recorded it outside
the database, its newest events deleted: `ops.audit_trail.heads`, whose record it then writes again),
and every row that lets someone in (a person's rights, a role, an evidence
item or file, an EQA's grant) not as the portfolio made it, put right where its seal says how (a
grant opens nothing), and every bulk export, visit pack and witness testimony link not as the
portfolio made it (serving or opening nothing), and exits with status 1 if there is one.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from assessments import fixity, record_seals, sign_off_seals, testimony_seals
from assessments.models import SignOff
from assessments.tasks import check_sign_off_files
from exports import zip_seals
from ops.audit_trail import findings as audit_findings
from ops.audit_trail import heads as audit_heads
from portfolio import (
    audit_chain,
    case_seals,
    dates,
    grant_seals,
    membership_seals,
    pending_seals,
    person_seals,
    registration_seals,
    row_seals,
)
from portfolio.models import Membership


class FixityFailed(CommandError):
    """The check found something changed: its last line, said as it is (Django prefixes a
    CommandError's words with "CommandError: " on the command line), and exit status 1."""


class Command(BaseCommand):
    help = "Checks every standing sign-off's files against what was signed (on the background worker, or --now)."

    on_command_line = False

    def run_from_argv(self, argv: list[str]) -> None:
        self.on_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except FixityFailed as failed:
            # `call_command` (the tests, a caller in Python) gets the error to catch.
            if not self.on_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(failed))
            raise SystemExit(1) from None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=float, metavar="HOURS",
            help="Only sign-offs whose files were last checked more than HOURS ago (or never).",
        )
        parser.add_argument(
            "--now", action="store_true",
            help="Check here and now instead of queuing for the worker; print each result, and exit with "
            "status 1 if any signed record has changed.",
        )

    def handle(self, *args: Any, older_than: float | None, now: bool, **options: Any) -> None:
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than takes a number of hours, 0 or more.")
        due = fixity.due_for_a_check(
            older_than=datetime.timedelta(hours=older_than) if older_than is not None else None
        ).select_related("enrolment__unit", "enrolment__candidate")
        standing = SignOff.objects.standing().count()
        # Emails (the console backend in development) and log lines may be written while the checks
        # run; the command's own lines are kept and written last, in plain words.
        lines: list[str] = []
        changed: list[str] = []
        if not now:
            count = 0
            for sign_off_id in due.values_list("pk", flat=True):
                check_sign_off_files.enqueue(sign_off_id, fixity.Boundary.SCHEDULE.value)
                count += 1
            lines.append(f"Queued a fixity check of {_sign_offs(count)}.")
        else:
            count = 0
            for sign_off in due.iterator():
                count += 1
                report = fixity.check_and_record(sign_off, boundary=fixity.Boundary.COMMAND)
                what = _what(sign_off)
                if report.intact:
                    lines.append(f"Intact: {what}: {report.files_read} file{'s' if report.files_read != 1 else ''} read, "
                                 f"{report.decision_count} decision{'s' if report.decision_count != 1 else ''}.")
                else:
                    changed.append(what)
                    lines.append(f"CHANGED: {what}:")
                    lines.extend(f"  - {problem}" for problem in report.problems)
        if older_than is not None and standing > count:
            lines.append(f"{_sign_offs(standing - count, 'other')} had {'their' if standing - count != 1 else 'its'} "
                         f"files checked within the last {older_than:g} hours, and {'were' if standing - count != 1 else 'was'} left alone.")
        altered = [s for s in SignOff.objects.standing().select_related("enrolment__unit", "enrolment__candidate")
                   .order_by("pk") if fixity.checks_of(s).untrusted]
        for sign_off in altered:
            lines.append(f"ALTERED CHECK RECORD: {_what(sign_off)} has a record of a file check that does not "
                         "verify or is dated in the future; it is ignored.")
        forged, sealed_wrong = _found_outside(due, now=now, lines=lines)
        cases = case_seals.check_every_enrolment()
        for e in cases:
            fix = case_seals.put_back(e)
            lines.append(f"CASE CHANGED: {e.unit.code} of {e.candidate} (enrolment {e.pk}): {case_seals.what_changed(e)}"
                         + (f" To put it back: {fix}" if fix else ""))
        trails_changed, heads_record = _trails_changed(lines)
        roles, served = _rows_put_right(lines)
        for line in lines:
            self.stdout.write(line)
        failures = _failures(changed=changed, altered=altered, forged=forged, sealed_wrong=sealed_wrong, cases=cases,
                             trails_changed=trails_changed, roles=roles, served=served) + heads_record
        if failures:
            raise FixityFailed("; ".join(failures) + ".")
        if now:
            self.stdout.write(f"Checked {_sign_offs(count)}: every one is intact." if count
                              else "Checked no sign-off.")


def _rows_put_right(lines: list[str]) -> tuple[list[str], list[str]]:
    """Every row that lets someone in (rights, roles, evidence and files, EQA grants) checked, each
    not as the portfolio made it put right where its seal says how (a grant: opening nothing), and
    said in `lines`; so is every row that decides what is served or written to whom (bulk exports and
    visit packs, witnesses' testimony links: serving and opening nothing). The words of each, of
    the first kind and of the second."""
    roles = person_seals.check_everyone() + membership_seals.settle(Membership.objects.all())
    lines += [f"ROLE PUT RIGHT: {words}" for words in roles]
    moved, stuck = row_seals.check_every_row()
    lines += [f"EVIDENCE PUT BACK: {words}" for words in moved] + [f"EVIDENCE CHANGED: {words}" for words in stuck]
    grants = [grant_seals.said(grant) for grant in grant_seals.check_every_grant()]
    lines += [f"EQA ACCESS CHANGED: {words}" for words in grants]
    pending = pending_seals.check_every_row() + registration_seals.check_every_registration()
    lines += [f"INVITATION OR REGISTRATION CHANGED: {words}" for words in pending]
    exports = zip_seals.check_every_row()
    lines += [f"EXPORT CHANGED: {words}" for words in exports]
    links = testimony_seals.check_every_request()
    lines += [f"WITNESS REQUEST CHANGED: {words}" for words in links]
    return roles + moved + stuck + grants + pending, exports + links


def _failures(
    *, changed: list, altered: list, forged: list, sealed_wrong: list, cases: list, trails_changed: list, roles: list,
    served: list,
) -> list[str]:
    """What failed, in words, for the command's last line (and its exit status)."""
    failures = []
    if changed:
        failures.append(f"{len(changed)} signed record{'s have' if len(changed) != 1 else ' has'} changed since sign-off")
    if altered:
        failures.append(f"{len(altered)} sign-off{'s have' if len(altered) != 1 else ' has'} an altered check record")
    if forged:
        failures.append(f"{len(forged)} sign-off{'s were' if len(forged) != 1 else ' was'} voided outside the product")
    if sealed_wrong:
        failures.append(f"{len(sealed_wrong)} unit{'s have' if len(sealed_wrong) != 1 else ' has'} sign-offs "
                        "not as the portfolio made them")
    if cases:
        failures.append(f"{len(cases)} unit{'s have' if len(cases) != 1 else ' has'} people on "
                        f"{'them' if len(cases) != 1 else 'it'} not as the portfolio "
                        "put them (nobody but the centre's administrators is let in)")
    if trails_changed:
        failures.append(f"{len(trails_changed)} centre{'s have' if len(trails_changed) != 1 else ' has'} an audit "
                        "trail changed outside the portfolio")
    if roles:
        many = len(roles) != 1
        failures.append(f"{len(roles)} row{'s' if many else ''} that let{'' if many else 's'} people in (an account, a role, "
                        f"evidence, EQA access, an invitation or registration) {'were' if many else 'was'} changed outside "
                        "the portfolio (put right where the seal says how; else it opens nothing)")
    if served:
        many = len(served) != 1
        failures.append(f"{len(served)} export{'s' if many else ''}, visit pack{'s' if many else ''} or witness "
                        f"link{'s were' if many else ' was'} changed outside the portfolio (serving or opening nothing)")
    return failures


def _found_outside(due: QuerySet[SignOff], *, now: bool, lines: list[str]) -> tuple[list[SignOff], list]:
    """Sign-offs voided outside the product, and units whose sign-offs are not those the portfolio
    made, each said in `lines`."""
    forged = record_seals.voids_not_believed()
    for sign_off in forged:
        lines.append(f"VOIDED OUTSIDE THE PRODUCT: {_what(sign_off)} is marked voided, but no unlock in the "
                     "portfolio did it: not a real unlock.")
        # Checked too, as it still stands: the check records that the void is not believed, and
        # every list reads that (`models.standing_sign_off`).
        latest = SignOff.objects.filter(enrolment_id=sign_off.enrolment_id).order_by("-pk").values_list("pk", flat=True)
        if latest.first() == sign_off.pk and not due.filter(pk=sign_off.pk).exists():
            if now:
                fixity.check_and_record(sign_off, boundary=fixity.Boundary.COMMAND)
            else:
                check_sign_off_files.enqueue(sign_off.pk, fixity.Boundary.SCHEDULE.value)
    sealed_wrong = sign_off_seals.check_every_enrolment()
    for enrolment, problems in sealed_wrong:
        lines.append(f"SIGN-OFFS CHANGED: {enrolment.unit.code} of {enrolment.candidate} (enrolment "
                     f"{enrolment.pk}): {' '.join(problems)}")
    return forged, sealed_wrong


def _trails_changed(lines: list[str]) -> tuple[list[int], list[str]]:
    """Every centre's whole audit trail checked against its seals (`portfolio.audit_chain`), and each
    centre's latest events against those the last check recorded outside the database
    (`ops.audit_trail.heads`), which are then written as found now. Each centre changed is said in
    `lines`; returned: those centres, and what went wrong with the record itself."""
    found = audit_chain.every_centre()
    last = audit_heads.recorded()  # read before anything is told: telling writes an event
    record_failures = []
    if last.untrusted:
        record_failures.append(f"the record of each centre's latest audit event at the last check "
                               f"({audit_heads.path()}) is not believed: {last.untrusted}")
        lines.append(f"AUDIT TRAIL RECORD NOT BELIEVED: {audit_heads.path()}: {last.untrusted}. Nothing is "
                     "compared with it; it is written again from this check.")
    elif last.first_run:
        lines.append(f"Audit trails: no record of each centre's latest event from an earlier check "
                     f"({audit_heads.path()}): this is the first; the next check compares with what this one leaves.")
    changed = [findings.centre.pk for findings in found if _said(findings, lines)]
    for centre, words in audit_heads.tails_deleted(last, found):
        what = f"{centre.name} (centre {centre.pk})" if centre is not None else "a centre no longer there"
        lines.append(f"AUDIT TRAIL CHANGED: {what}: {words}")
        if centre is not None:
            audit_findings.tell_tail(centre, audit_chain.Problem(_deleted_event(last, centre.pk), words))
        changed.append(centre.pk if centre is not None else 0)
    try:
        audit_heads.write()
    except OSError as error:
        record_failures.append(f"the latest audit events could not be recorded at {audit_heads.path()} ({error})")
        lines.append(f"AUDIT TRAIL RECORD NOT WRITTEN: {audit_heads.path()}: {error}. The next check cannot "
                     "find the newest events deleted since this one.")
    return sorted(set(changed)), record_failures


def _deleted_event(last: audit_heads.LastCheck, centre_id: int) -> int:
    return last.heads[centre_id].event or 0


def _said(findings: audit_chain.CentreFindings, lines: list[str]) -> bool:
    """One centre's trail said in `lines`: intact, with its latest event; changed but known to the
    centre; or changed (its administrators told). True if changed and not known."""
    centre, latest = findings.centre, findings.latest
    last = f"the latest event {latest.pk} of {dates.day_time_zoned(latest.at)}" if latest else "no event yet"
    if not findings.count:
        lines.append(f"Audit trail intact: {centre.name} (centre {centre.pk}): {findings.events} events, {last}.")
        return False
    known = audit_findings.acknowledged(findings)
    if known is not None:  # dealt with by the centre, and nothing changed since: said, not failed
        lines.append(f"Audit trail changed, known to the centre: {centre.name} (centre {centre.pk}): the "
                     f"{findings.count} problem{'s' if findings.count != 1 else ''} found were recorded as dealt with "
                     f"by {known.actor_name or known.actor} on {dates.day_time_zoned(known.at)} ({known.after.get('note', '')}); "
                     f"nothing else has changed ({findings.events} events, {last}).")
        return False
    audit_findings.tell(findings)
    lines.append(f"AUDIT TRAIL CHANGED: {centre.name} (centre {centre.pk}): its events are not as the "
                 f"portfolio wrote them ({findings.events} events, {last}):")
    lines.extend(f"  - {line}" for line in findings.lines())
    return True


def _sign_offs(count: int, other: str = "") -> str:
    words = f"{count} {other + ' ' if other else ''}standing sign-off{'s' if count != 1 else ''}"
    return words[0].upper() + words[1:] if other else words


def _what(sign_off: SignOff) -> str:
    return f"{sign_off.enrolment.unit.code} of {sign_off.enrolment.candidate} (sign-off {sign_off.pk})"
