"""The audit trail in sentences, as the unit page shows it: "Bob Baker recorded HSC331a.1 as met,
citing E1 and E2". Each app writes the sentences of its own actions (portfolio's here,
`assessments.audit_sentences`, `exports.audit_sentences`, registered when the app is ready), from
what the event recorded: its actor, its evidence and its before and after. An action nobody has
written a sentence for, or an event whose facts are not what its writer expects (an older shape),
reads as its summary: the trail never fails to show an event. The code stays in the CSV download.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import Truncator

from . import dates
from .audit import AuditAction, PortfolioAction
from .models import AuditEvent, Person, Role

Writer = Callable[[AuditEvent], str]

_WRITERS: dict[str, Writer] = {}
QUOTED_CHARS = 120  # a person's words quoted in a sentence: feedback, a reason, a comment
LISTED = 6  # references named in a sentence before "and 4 more"
_REFERENCE = re.compile(r"\bE\d+\b")


def writes(*actions: AuditAction) -> Callable[[Writer], Writer]:
    """Registers the decorated function as the sentence of these actions."""

    def register(writer: Writer) -> Writer:
        for action in actions:
            _WRITERS[action.value] = writer
        return writer

    return register


def has_sentence(action: str) -> bool:
    return action in _WRITERS


def sentence(event: AuditEvent) -> str:
    """The event in one sentence, without a full stop, or its summary when there is none."""
    writer = _WRITERS.get(event.action)
    if writer is None:
        return event.summary
    try:
        return writer(event)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return event.summary


# The pieces every app's sentences are made of. -------------------------------------------------


def facts(event: AuditEvent, side: str = "after") -> dict[str, Any]:
    found = getattr(event, side)
    return found if isinstance(found, dict) else {}


def actor(event: AuditEvent, *, nobody: str = "Someone without an account") -> str:
    """Who acted, named as they were when they did (`AuditEvent.actor_name`), or as a page that
    reads the event says (`actor_shown`: the centre's trail never shows an outsider's address)."""
    person = event.actor
    if person is None:
        return nobody
    if shown := getattr(event, "actor_shown", None):
        return shown
    return event.actor_name or person.get_full_name() or person.email


def evidence_reference(event: AuditEvent) -> str:
    """"E3": from the event's evidence, or, when that is gone (a deleted draft), from what the event
    recorded of it."""
    try:
        evidence = event.evidence
    except ObjectDoesNotExist:
        evidence = None
    if evidence is not None:
        return evidence.reference
    recorded = facts(event, "before").get("reference") or facts(event).get("reference")
    if recorded:
        return str(recorded)
    found = _REFERENCE.search(event.summary)
    return found.group(0) if found else "an evidence item"


_UNREAD = object()


def people_read(events: Iterable[AuditEvent]) -> None:
    """Reads in one query the people that events of the centre's people name by their id alone
    (recorded before their name was kept with the event), for `person_named`."""
    wanted = [(event, facts(event).get("person")) for event in events if not facts(event).get("name")]
    ids = {pk for _, pk in wanted if isinstance(pk, int)}
    found = Person.objects.in_bulk(ids) if ids else {}
    for event, pk in wanted:
        event.person_read = found.get(pk) if isinstance(pk, int) else None  # type: ignore[attr-defined]


def person_named(event: AuditEvent) -> str:
    """The person an event about one of the centre's people names (its facts' "person"), by the
    name the centre knows them by, as `actor` names who acted: the name recorded with the event, or,
    for one recorded with their id and address alone, their name now. Their address only when they
    have no name: these events are recorded only at a centre the person is at, so it is the
    centre's own."""
    after = facts(event)
    if after.get("name"):
        return str(after["name"])
    read = getattr(event, "person_read", _UNREAD)
    if read is _UNREAD:
        pk = after.get("person")
        read = Person.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    person = read if isinstance(read, Person) else None
    if person is not None and person.get_full_name():
        return person.get_full_name()
    return str(after.get("email") or "someone at the centre")


def candidate_name(event: AuditEvent, *, otherwise: str = "the candidate") -> str:
    try:
        person = event.candidate
    except ObjectDoesNotExist:
        person = None
    return (person.get_full_name() or person.email) if person is not None else otherwise


def listed(references: Iterable[Any], *, most: int = LISTED) -> str:
    """"E1", "E1 and E2", "E1, E2 and E3"; past `most`, "E1, E2, … and 4 more"."""
    names = [str(r) for r in references]
    if len(names) > most:
        shown, more = names[: most - 1], len(names) - (most - 1)
        return ", ".join(shown) + f" and {more} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def quoted(text: object) -> str:
    """A person's words in quotation marks, shortened to a line."""
    words = " ".join(str(text or "").split())
    return f"“{Truncator(words).chars(QUOTED_CHARS)}”"


def counted(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def day(value: object) -> str:
    """A date or time an event recorded as ISO text, as its day in words."""
    return dates.day(datetime.datetime.fromisoformat(str(value)))


# Portfolio's actions. ---------------------------------------------------------------------------


@writes(PortfolioAction.EVIDENCE_CREATED)
def _created(event: AuditEvent) -> str:
    after = facts(event)
    title = after.get("title")
    named = f"{evidence_reference(event)} {quoted(title)}" if title else evidence_reference(event)
    files = after.get("files") or []
    with_files = f" with {counted(len(files), 'file')}" if files else ""
    if event.actor is None:
        return f"{named} was added through a witness’s link{with_files}"
    return f"{actor(event)} added {named}{with_files}"


@writes(PortfolioAction.EVIDENCE_CHANGED)
def _changed(event: AuditEvent) -> str:
    after = facts(event)
    parts = []
    if after.get("files_added"):
        parts.append(f"adding {listed(after['files_added'])}")
    if after.get("files_removed"):
        parts.append(f"removing {listed(after['files_removed'])}")
    how = f", {' and '.join(parts)}" if parts else ""
    return f"{actor(event)} changed {evidence_reference(event)} to version {after['version']}{how}"


def _mapped_items(side: dict[str, Any]) -> list[str]:
    """The references mapped, unit by unit in the standard's order (`mapped_items.audit_facts`);
    an event written before it kept that order has only each kind's list, in turn."""
    if "in_order" in side:
        return list(side["in_order"])
    return [*side.get("criteria", []), *side.get("knowledge_items", []), *side.get("scope_items", [])]


def _whole(references: list[str]) -> str:
    # Every reference, however many: the mapping is the record, and a page lists only the latest.
    return listed(references, most=len(references))


@writes(PortfolioAction.EVIDENCE_MAPPED)
def _mapped(event: AuditEvent) -> str:
    before, after = _mapped_items(facts(event, "before")), _mapped_items(facts(event))
    reference = evidence_reference(event)
    if not before:
        return f"{actor(event)} mapped {reference} to {_whole(after)}"
    added = [item for item in after if item not in before]
    removed = [item for item in before if item not in after]
    changes = ([f"adding {_whole(added)}"] if added else []) + ([f"removing {_whole(removed)}"] if removed else [])
    return f"{actor(event)} changed the mapping of {reference}, {' and '.join(changes) or 'keeping the same items'}"


@writes(PortfolioAction.EVIDENCE_SUBMITTED)
def _submitted(event: AuditEvent) -> str:
    return (
        f"{actor(event)} submitted {evidence_reference(event)} for assessment, "
        "declaring it their own work"
    )


@writes(PortfolioAction.EVIDENCE_DELETED)
def _deleted(event: AuditEvent) -> str:
    title = facts(event, "before").get("title")
    return f"{actor(event)} deleted the draft {evidence_reference(event)}" + (f" {quoted(title)}" if title else "")


@writes(PortfolioAction.FILE_DOWNLOADED)
def _downloaded(event: AuditEvent) -> str:
    return f"{actor(event)} downloaded {quoted(facts(event)['file'])} of {evidence_reference(event)}"


@writes(PortfolioAction.FILE_VIEWED)
def _viewed(event: AuditEvent) -> str:
    return f"{actor(event)} viewed {quoted(facts(event)['file'])} of {evidence_reference(event)}"


def role_words(value: object) -> str:
    return str(Role(str(value)).label).lower() if value in Role.values else str(value)


@writes(PortfolioAction.PERSON_ADDED, PortfolioAction.PERSON_ROLE_ADDED)
def _person_added(event: AuditEvent) -> str:
    after = facts(event)
    verb = "added" if event.action == PortfolioAction.PERSON_ADDED else "gave a new role to"
    return f"{actor(event)} {verb} {person_named(event)} as {role_words(after['role'])}"


@writes(PortfolioAction.PERSON_INVITED)
def _invited(event: AuditEvent) -> str:
    return f"{actor(event)} sent {person_named(event)} an email to set their password"


@writes(PortfolioAction.PEOPLE_IMPORTED)
def _people_imported(event: AuditEvent) -> str:
    after = facts(event)
    return (
        f"{actor(event)} imported candidates from {quoted(after['file'])}: {after['invited']} invited, "
        f"{after['already_here']} already here, "
        + (f"{after['ulns_corrected']} ULN{'s' if after['ulns_corrected'] != 1 else ''} corrected, "
           if after.get("ulns_corrected") else "")
        + f"{after['not_imported']} not imported"
    )
@writes(PortfolioAction.PERSON_ROLE_REMOVED)
def _role_removed(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} took the role of {role_words(after['role'])} from {person_named(event)}"


@writes(PortfolioAction.PERSON_RENAMED)
def _renamed(event: AuditEvent) -> str:
    before, after = facts(event, "before")["name"], facts(event)["name"]
    # Their own change names them as the person; an older event (before people owned their names)
    # was the administrator's, and names no person.
    if event.actor_id is not None and facts(event).get("person") == event.actor_id:
        return f"{before} changed their name to {after}"
    return f"{actor(event)} changed the name of {before} to {after}"


@writes(PortfolioAction.PERSON_NAME_SUGGESTED)
def _name_suggested(event: AuditEvent) -> str:
    after = facts(event)
    replaced = after.get("replaces") or []
    in_place = f", replacing the question waiting for {listed(replaced)}" if replaced else ""
    return f"{actor(event)} asked {facts(event, 'before')['name']} to change their name to {after['name']}{in_place}"


@writes(PortfolioAction.PERSON_DEACTIVATED, PortfolioAction.PERSON_REACTIVATED)
def _deactivated(event: AuditEvent) -> str:
    after = facts(event)
    verb = "deactivated" if event.action == PortfolioAction.PERSON_DEACTIVATED else "reactivated"
    said = f"{actor(event)} {verb} {person_named(event)} at the centre, as {listed([role_words(r) for r in after['roles']])}"
    # Asked since migrations 0043 (deactivating) and 0048 (reactivating): an earlier one says it has
    # none rather than nothing.
    return f"{said}: {quoted(after['reason'])}" if after.get("reason") else f"{said} (no reason recorded)"


@writes(PortfolioAction.DEACTIVATION_REASON_CORRECTED)
def _deactivation_reason_corrected(event: AuditEvent) -> str:
    was = facts(event, "before").get("reason")
    return (
        f"{actor(event)} corrected why {person_named(event)} is deactivated at the centre: "
        f"{quoted(was) if was else 'no reason recorded'}, now {quoted(facts(event)['reason'])}"
    )


@writes(PortfolioAction.SIGN_IN_LOCK_CLEARED)
def _lock_cleared(event: AuditEvent) -> str:
    return f"{actor(event)} cleared the sign-in lock-out of {person_named(event)}"


@writes(PortfolioAction.ENROLMENT_REGISTERED)
def _registered(event: AuditEvent) -> str:
    after = facts(event)
    target = f", target date {day(after['target_date'])}" if after.get("target_date") else ""
    return f"{actor(event)} registered {candidate_name(event)} on {after['unit']}{target}"


@writes(PortfolioAction.QUALIFICATION_REGISTERED)
def _qualification_registered(event: AuditEvent) -> str:
    after = facts(event)
    units = after.get("units") or []
    return (
        f"{actor(event)} registered {candidate_name(event)} on the qualification {after['qualification']} "
        f"“{after['title']}”, with {listed(units)}"
    )


_IDENTIFIER_NAMES = {"uln": "ULN", "scn": "Scottish Candidate Number"}


@writes(PortfolioAction.IDENTIFIERS_CHANGED)
def _identifiers_changed(event: AuditEvent) -> str:
    changed = [
        f"the {_IDENTIFIER_NAMES.get(name, name.replace('registration ', 'registration number for '))} "
        f"to {value or 'none'}"
        for name, value in facts(event).items()
    ]
    return f"{actor(event)} recorded {candidate_name(event)}’s identifiers: {listed(changed)}"


@writes(PortfolioAction.IMPORT_RIGHT_GRANTED, PortfolioAction.IMPORT_RIGHT_WITHDRAWN)
def _import_right(event: AuditEvent) -> str:
    if event.action == PortfolioAction.IMPORT_RIGHT_GRANTED:
        return f"{actor(event)} allowed {person_named(event)} to import units into the catalogue"
    return f"{actor(event)} withdrew the right to import units into the catalogue from {person_named(event)}"
