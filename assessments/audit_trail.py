"""Reading a unit's audit trail: the events of the enrolment and of the candidate's evidence that is
mapped to the unit or cited by its decisions, with each change summarised for people."""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Value

from portfolio import dates, spreadsheets
from portfolio.access import shown_to
from portfolio.case_evidence import evidence_of
from portfolio.models import AuditEvent, Enrolment, Evidence, Membership, Person

from .audit_actions import AssessmentAction
from .integrity import utc_iso
from .models import Decision, SignOff

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

MAX_CHANGES = 8
MAX_VALUE_CHARS = 80
# Ids of rows are for the CSV and for machines; a person reads the summary and the values.
_NOT_SHOWN = {"decision", "sign_off", "prepared", "registration"}  # ids, nothing a reader weighs
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# An EQA's own work: another EQA reading the unit does not see it (the centre's staff see all).
EQA_OWN_WORK = (AssessmentAction.EQA_SAMPLED, AssessmentAction.EQA_UNSAMPLED, AssessmentAction.EQA_REPORT_SUBMITTED,
                AssessmentAction.EQA_ACTION_REVIEWED)


def unit_events(enrolment: Enrolment, *, viewer: Person | None) -> QuerySet[AuditEvent]:
    """The events of the enrolment and of the candidate's evidence (at its centre) that is mapped to
    the unit's criteria, knowledge or scope items, or cited by the enrolment's decisions: of the
    evidence `viewer` may see, so a draft's events are the candidate's alone until it is submitted."""
    mine = (
        evidence_of(enrolment)
        .filter(shown_to(viewer))
        .values("pk")
    )
    # Every link of the candidate's evidence, whatever its unit, is read through the link tables'
    # evidence index (a few hundred rows), and the unit's are kept here. Asked for the unit's links
    # only, both databases started from the unit's items instead and read every candidate's links
    # to them (SQLite joining all four link tables at once: 30 ms; PostgreSQL hashing each table).
    links = (
        Evidence.criteria.through.objects.filter(evidence_id__in=mine)
        .values_list("evidence_id", "criterion__unit_id", Value("unit"))
        .union(
            Evidence.knowledge_items.through.objects.filter(evidence_id__in=mine).values_list(
                "evidence_id", "knowledgeitem__unit_id", Value("unit")
            ),
            Evidence.scope_items.through.objects.filter(evidence_id__in=mine).values_list(
                "evidence_id", "scopeitem__category__unit_id", Value("unit")
            ),
            Decision.evidence.through.objects.filter(evidence_id__in=mine).values_list(
                "evidence_id", "decision__enrolment_id", Value("enrolment")
            ),
            all=True,
        )
    )
    wanted = {"unit": enrolment.unit_id, "enrolment": enrolment.pk}
    evidence = sorted({evidence_id for evidence_id, ref, kind in links if ref == wanted[kind]})
    # The ids are read first (one query, a few dozen ids): as a subquery inside the OR, PostgreSQL
    # filtered every audit event of every centre against it, row by row, instead of looking the
    # unit's events up in the enrolment and evidence indexes.
    events = AuditEvent.objects.filter(Q(enrolment=enrolment) | Q(evidence_id__in=evidence))
    if viewer is not None and not Membership.objects.filter(person_id=viewer.pk, centre_id=enrolment.centre_id).exists():
        events = events.exclude(Q(action__in=EQA_OWN_WORK) & ~Q(actor_id=viewer.pk))
    return events.select_related("actor")


@dataclass
class Change:
    name: str
    before: str
    after: str
    added: bool = False  # the event brought this value; there was nothing before


def _shown(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        text = ", ".join(_shown(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    else:
        text = _moment(str(value))
        if _DIGEST.match(text):
            text = text[:12] + "…"
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _moment(text: str) -> str:
    """An ISO time as people read it, in the centre's time zone like the rest of the page."""
    if "T" not in text or not text[:4].isdigit():
        return text
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return dates.day_time(moment)


def changes(event: AuditEvent) -> list[Change]:
    """What the event changed: values that changed first, then values it added, then values it
    removed, each in the order the event lists them."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changed = [k for k in before if k in after and before[k] != after[k]]
    added = [k for k in after if k not in before and after[k] not in (None, "", [], {})]
    removed = [k for k in before if k not in after and before[k] not in (None, "", [], {})]
    found = [
        Change(
            name=key.replace("_", " "),
            before=_shown(before.get(key)),
            after=_shown(after.get(key)),
            added=key in added,
        )
        for key in changed + added + removed
        if key not in _NOT_SHOWN
    ]
    return found[:MAX_CHANGES]


def against_the_record(sign_off: SignOff | None) -> Callable[[AuditEvent], str]:
    """Where an event of the unit's trail stands against its standing sign-off, in words for the CSV
    column and the page: before it, the sign-off itself, or after it (a countersignature, a review,
    a download); and whether the evidence the event concerns is part of the signed record at all
    (its manifest names it). Nothing is left out of the trail: it is the history of how the record
    was reached and of what came after, which the IQA and the EQA follow. Empty when the unit is not
    signed off."""
    if sign_off is None:
        return lambda event: ""
    manifest = sign_off.manifest if isinstance(sign_off.manifest, dict) else {}
    signed = {row.get("id") for row in manifest.get("evidence") or [] if isinstance(row, dict)}
    signed_at = sign_off.assessor_signed_at

    def against(event: AuditEvent) -> str:
        after = event.after if isinstance(event.after, dict) else {}
        if event.action == AssessmentAction.UNIT_SIGNED_OFF and after.get("sign_off") == sign_off.pk:
            return "the sign-off"
        when = "after sign-off" if event.at > signed_at else "before sign-off"
        if event.evidence_id is not None and event.evidence_id not in signed:
            return f"{when}; not part of the signed record"
        return when

    return against


CSV_HEADER = ["at (UTC)", "actor", "action", "summary", "before", "after", "signed record"]
def write_csv(enrolment: Enrolment, target: "SupportsWrite[str]", *, viewer: Person | None, sign_off: SignOff | None) -> None:
    """Every event of the unit's trail (`unit_events`, as `viewer` may see them) as CSV, oldest
    first, each saying where it stands against the sign-off (`against_the_record`): the unit's
    download and the visit pack write the same file."""
    against = against_the_record(sign_off)
    writer = spreadsheets.writer(target)
    writer.writerow(CSV_HEADER)
    for event in unit_events(enrolment, viewer=viewer).order_by("at", "id").iterator():
        # Named as they were when they acted, not as they are called now.
        actor = f"{event.actor_name or event.actor} <{event.actor.email}>" if event.actor else "(the system)"
        writer.writerow(
            [
                utc_iso(event.at),
                actor,
                event.action,
                event.summary,
                json.dumps(event.before, ensure_ascii=False, sort_keys=True),
                json.dumps(event.after, ensure_ascii=False, sort_keys=True),
                against(event),
            ]
        )
