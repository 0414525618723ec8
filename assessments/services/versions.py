"""Moving a candidate's enrolment to another version of its unit (issue 14 item 5).

A centre administrator moves it; a signed-off unit cannot be moved (its record was signed against
the version it is on: unlock it first). What carries over is `unit_versions.plan`'s: mappings where
the item's reference is in the new version, standing decisions where its words are unchanged too.
A decision on words that changed is withdrawn with the reason, for the assessor to decide again; a
mapping or decision on an item the new version lacks stays with the old version's item. One
transaction: check, write, audit, notify.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portfolio import access, audit
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Evidence, Person, Role
from portfolio.notifications import NotificationKind, notify
from standards import versions
from standards.models import Unit

from .. import met_counts, unit_versions
from ..audit_actions import AssessmentAction
from ..models import Judgement, ReferralNote, TestimonyRequest, UnitScopeRecord
from .decisions import locked_enrolment, standing_sign_off


def _require_movable(enrolment: Enrolment, to_unit: Unit, administrator: Person) -> None:
    if Role.ADMINISTRATOR not in access.roles_at(administrator, enrolment.centre_id):
        raise PortfolioError(f"Only a centre administrator at {enrolment.centre} moves a unit to another version.")
    if to_unit.code != enrolment.unit.code or to_unit.pk == enrolment.unit_id:
        raise PortfolioError(f"Choose another version of {enrolment.unit.code}.")
    if not versions.is_newer(to_unit, enrolment.unit):
        raise PortfolioError(
            f"Version {to_unit.version} of {to_unit.code} is older than version {enrolment.unit.version}, which "
            f"{enrolment.candidate} is on: a candidate moves only to a newer version, never back."
        )
    if standing_sign_off(enrolment) is not None:
        raise PortfolioError(
            f"{enrolment.unit.code} is signed off on version {enrolment.unit.version}, so it cannot be moved: "
            "its signed record stands on that version's words."
        )


def _withdrawal_reason(move: unit_versions.VersionMove, item: unit_versions.ItemMove) -> str:
    unit = move.to_unit
    if item.fate == "gone":
        return f"{unit.code} moved to version {unit.version}, which has no {item.reference}."
    return f"{unit.code} moved to version {unit.version}, whose words for {item.reference} differ: to be decided again."


# Each kind's mapping table and the column naming the item in it.
_MAPPINGS = {
    "criterion": (Evidence.criteria.through, "criterion_id"),
    "knowledge": (Evidence.knowledge_items.through, "knowledgeitem_id"),
    "scope": (Evidence.scope_items.through, "scopeitem_id"),
}


def _carry(enrolment: Enrolment, move: unit_versions.VersionMove, administrator: Person) -> None:
    now = timezone.now()
    for item in move.items:
        if item.new is not None:
            through, column = _MAPPINGS[item.kind]
            evidence_ids = [e.pk for e in item.evidence]
            through._default_manager.filter(evidence_id__in=evidence_ids, **{column: item.old.pk}).update(**{column: item.new.pk})
            _carry_notes_and_requests(item)
            if item.kind == "scope":
                # The assessor's own record of the scope the evidence covers, as well as the candidate's.
                Judgement.scope_items.through.objects.filter(
                    judgement__evidence_id__in=evidence_ids, scopeitem_id=item.old.pk
                ).update(scopeitem_id=item.new.pk)
                UnitScopeRecord.scope_items.through.objects.filter(
                    unitscoperecord__judgement__evidence_id__in=evidence_ids, scopeitem_id=item.old.pk
                ).update(scopeitem_id=item.new.pk)
        decision = item.decision
        if decision is None:
            continue
        if item.fate == "carried":
            # The same decision on the same words under the same reference: only the version's row changes.
            field = "criterion" if item.kind == "criterion" else "knowledge_item"
            was = decision.criterion_id
            setattr(decision, field, item.new)
            decision.save(update_fields=[field])
            if was is not None and decision.criterion_id is not None:
                met_counts.decision_moved(enrolment=enrolment, from_criterion_id=was, to_criterion_id=decision.criterion_id)
        else:
            decision.withdrawn_by, decision.withdrawn_at = administrator, now
            decision.withdrawal_reason = _withdrawal_reason(move, item)
            decision.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawal_reason"])
            met_counts.decision_counted(enrolment=enrolment, criterion_id=decision.criterion_id, change=-1)


def _carry_notes_and_requests(item: unit_versions.ItemMove) -> None:
    """The assessor's referral notes and the waiting witness links follow the item to its namesake."""
    if item.new is None or not (item.notes or item.requests):
        return
    column = "criterion_id" if item.kind == "criterion" else "knowledge_item_id"
    ReferralNote.objects.filter(pk__in=[n.pk for n in item.notes]).update(**{column: item.new.pk})
    TestimonyRequest.criteria.through.objects.filter(
        testimonyrequest_id__in=[r.pk for r in item.requests], criterion_id=item.old.pk
    ).update(criterion_id=item.new.pk)


def _facts(move: unit_versions.VersionMove, from_unit: Unit) -> dict:
    return {
        "unit": from_unit.code,
        "from_version": from_unit.version,
        "to_version": move.to_unit.version,
        "carried": [i.reference for i in move.carried],
        "changed": [i.reference for i in move.changed],
        "gone": [i.reference for i in move.gone],
        "decisions_withdrawn": [i.reference for i in move.items if i.flagged and i.decision is not None],
        "notes_moved": [i.reference for i in move.items if i.notes and i.new is not None],
        "witness_requests_moved": [i.reference for i in move.items if i.requests and i.new is not None],
        "left_behind": [i.reference for i in move.gone if i.notes or i.requests],
    }


def enrolment_move_version(*, enrolment: Enrolment, to_unit: Unit, administrator: Person) -> unit_versions.VersionMove:
    """Moves the enrolment to `to_unit`, another version of its unit, carrying over what the plan
    says; the candidate and the assessor are told, with the items the assessor must look at again."""
    with transaction.atomic():
        enrolment = locked_enrolment(enrolment)
        _require_movable(enrolment, to_unit, administrator)
        from_unit = enrolment.unit
        move = unit_versions.plan(enrolment, to_unit)
        with met_counts.counting():
            _carry(enrolment, move, administrator)
        enrolment.unit = to_unit
        enrolment.save(update_fields=["unit"])
        facts = _facts(move, from_unit)
        audit.record(
            AssessmentAction.UNIT_VERSION_MOVED, actor=administrator, centre=enrolment.centre, enrolment=enrolment,
            summary=f"{from_unit.code} moved from version {from_unit.version} to version {to_unit.version}",
            before={"unit": from_unit.code, "version": from_unit.version}, after=facts,
        )
        flagged = [i.reference for i in move.items if i.flagged]
        again = f" Look again at {', '.join(flagged)}: the words changed or the item is gone." if flagged else ""
        link = reverse("assessments:enrolment_detail", args=[enrolment.pk])
        notify(
            [enrolment.candidate],
            f"{administrator} moved your unit {from_unit.code} to version {to_unit.version}; "
            f"{len(move.carried)} items carried over unchanged.{again}",
            subject=f"{administrator} moved your unit {from_unit.code} to version {to_unit.version}",
            centre=enrolment.centre_id, kind=NotificationKind.GENERAL, link=link,
        )
        notify(
            [enrolment.assessor],
            f"{administrator} moved {enrolment.candidate}’s {from_unit.code} to version {to_unit.version}; "
            f"{len(move.carried)} items carried over unchanged.{again}",
            subject=f"{administrator} moved {enrolment.candidate}’s {from_unit.code} to version {to_unit.version}",
            centre=enrolment.centre_id, kind=NotificationKind.GENERAL, link=link,
        )
    return move
