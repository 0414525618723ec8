"""The enrolment's sealed record of its sign-offs (`Enrolment.sign_off_seal`), found broken: a
sign-off deleted in the database with its checks and reviews (an outside trial: the unit then read as
never signed off, on every page and list), one copied in, or the record itself cleared.

Pages verify the seal (`record_seals.sign_off_seal_problems`); lists cannot verify an HMAC in SQL,
so they read what SQL can tell (a count of sign-offs that differs from the count the portfolio
made, a seal cleared) and the mark the first page or check to find the seal broken leaves
(`sign_off_seal_broken_at`), as the fixity check leaves its result for them. Whoever marks it first
tells the people on the case; the scheduled check (`manage.py check_fixity`) looks at every
enrolment, marks those found broken and clears the mark of those put right (by a restore)."""

from collections import defaultdict

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from portfolio import audit
from portfolio.models import AuditEvent, Enrolment
from portfolio.notifications import NotificationKind, notify

from . import fixity, record_seals
from .audit_actions import AssessmentAction
from .models import SignOff


def sign_offs_changed() -> Q:
    """Enrolments whose sign-offs are known not to be those the portfolio made, as far as SQL can
    tell: for every list that marks a unit "Changed since sign-off"."""
    count = (SignOff.objects.filter(enrolment=OuterRef("pk")).order_by().values("enrolment")
             .annotate(n=Count("pk")).values("n"))
    made_now = Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    return Q(sign_off_seal_broken_at__isnull=False) | Q(sign_off_seal="") | ~Q(sign_offs_made=made_now)


def record_changed() -> Q:
    """Enrolments whose signed record is known changed since sign-off, as every list marks it: the
    standing sign-off's last check found it changed (or it was voided by hand), or a sign-off of the
    unit is not in the database as the portfolio made it."""
    standing = SignOff.objects.standing().filter(enrolment=OuterRef("pk")).filter(fixity.found_changed_since_sign_off())
    return Q(Exists(standing)) | sign_offs_changed()


def found(enrolment: Enrolment) -> list[str]:
    """What the seal says of the enrolment's sign-offs now, for its unit page; marked and told the
    first time it is found broken."""
    problems = record_seals.sign_off_seal_problems(enrolment)
    if problems:
        mark(enrolment, problems)
    return problems


def mark(enrolment: Enrolment, problems: list[str]) -> bool:
    """Marks the seal broken for the lists, and tells the assessor, the IQA and the centre's
    administrators, once (until a check finds it whole again). True if this call marked it."""
    now = timezone.now()
    if not Enrolment.objects.filter(pk=enrolment.pk, sign_off_seal_broken_at__isnull=True).update(
        sign_off_seal_broken_at=now
    ):
        return False
    enrolment = Enrolment.objects.select_related("unit", "candidate", "assessor", "iqa", "centre").get(pk=enrolment.pk)
    unit, candidate = enrolment.unit.code, enrolment.candidate
    audit.record(
        AssessmentAction.FIXITY_FAILED, actor=None, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{unit} of {candidate}: the record of its sign-offs has changed, found on {fixity.moment(now)}: {problems[0]}",
        after={"sign_offs_made": enrolment.sign_offs_made, "problems": problems},
    )
    notify(
        fixity.people_told(enrolment),
        f"The record of the sign-offs of {unit} for {candidate} has changed outside the portfolio: {problems[0]}",
        subject=f"Sign-off record of {unit} for {candidate} has changed",
        centre=enrolment.centre_id, kind=NotificationKind.INTEGRITY_FAILURE,
        link=reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#signoff-heading",
    )
    return True


def check_every_enrolment() -> list[tuple[Enrolment, list[str]]]:
    """Every enrolment's seal verified (one query of the sign-offs, one of the enrolments, an HMAC
    each): those broken are marked (and told, if new); a mark on one whole again is cleared."""
    made: dict[int, list[list]] = defaultdict(list)
    for enrolment_id, pk, signature in SignOff.objects.order_by("enrolment_id", "pk").values_list(
        "enrolment_id", "pk", "signature"
    ):
        made[enrolment_id].append([pk, signature])
    audited = dict(
        AuditEvent.objects.filter(action=AssessmentAction.UNIT_SIGNED_OFF, enrolment__isnull=False)
        .values("enrolment_id").annotate(n=Count("pk")).values_list("enrolment_id", "n").order_by()
    )
    broken, whole_again = [], []
    for enrolment in Enrolment.objects.only(
        "pk", "sign_offs_made", "sign_off_seal", "sign_off_seal_broken_at"
    ).order_by("pk").iterator():
        rows = made.get(enrolment.pk, [])
        if audited.get(enrolment.pk, 0) <= len(rows) and record_seals.seal_holds(enrolment, rows):
            if enrolment.sign_off_seal_broken_at is not None:
                whole_again.append(enrolment.pk)
        else:
            broken.append(enrolment.pk)
    Enrolment.objects.filter(pk__in=whole_again).update(sign_off_seal_broken_at=None)
    found_broken = []
    for enrolment in Enrolment.objects.filter(pk__in=broken).select_related("unit", "candidate").order_by("pk"):
        problems = record_seals.sign_off_seal_problems(enrolment)
        mark(enrolment, problems)
        found_broken.append((enrolment, problems))
    return found_broken
