"""An enrolment's case found changed outside the portfolio: its assessor, IQA, candidate, unit or
centre changed in the database, so that someone the portfolio never put on the case would be let in
to the candidate's evidence (an outside trial moved a unit to another assessor in SQL, who then read
it all).

Every way in follows the five columns `case_sealing` seals, so the seal is verified where people
are let in: the unit, the evidence and its files (`access`), checked in Python, where an HMAC can be.
Lists and SQL cannot verify one, so a case found changed is marked (`case_seal_broken_at`) and every
query of a person's part on a case leaves marked ones out (`held_roles`): nobody but the centre's
administrators, who are told, reaches it until the columns are put back as the portfolio sealed them
(its page says which changed, and to what), when the next check clears the mark. The scheduled
fixity check (`manage.py check_fixity`) verifies every enrolment's case."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from standards.models import Unit

from . import audit
from .case_sealing import CASE_COLUMNS, SEALED, holds, row_holds, seal_of
from .models import Centre, Enrolment, EnrolmentChange, Membership, Person, Role
from .notifications import NotificationKind, notify

_WORDS = {"centre_id": "centre", "candidate_id": "candidate", "unit_id": "unit", "assessor_id": "assessor", "iqa_id": "IQA"}


def vouched(enrolments: Iterable[Enrolment]) -> bool:
    """True when every case holds. Each that does not is marked, and its administrators told, so the
    caller asks again and finds only what the person is rightly let in to; each marked that holds
    again (put back as the portfolio made it) is opened again."""
    return _settled([(e.pk, holds(e), e.case_seal_broken_at is not None) for e in enrolments])


def vouched_rows(enrolments: QuerySet[Enrolment]) -> bool:
    """As `vouched`, reading only what is sealed (one query, no model built)."""
    rows = enrolments.values("pk", *SEALED, "case_seal", "case_seal_broken_at")
    return _settled([(row["pk"], row_holds(row["pk"], row), row["case_seal_broken_at"] is not None) for row in rows])


def _settled(found: list[tuple[int, bool, bool]]) -> bool:
    for enrolment_id, held, marked in found:
        if not held and not marked:
            mark(Enrolment(pk=enrolment_id))
        elif held and marked:
            reopen(enrolment_id)
    return all(held for _, held, _ in found)


def mark(enrolment: Enrolment) -> bool:
    """Marks the case changed, for every list and query, and tells the centre's administrators once
    (never the people the row now names: one of them may be who changed it). True if this marked it."""
    if not Enrolment.objects.filter(pk=enrolment.pk, case_seal_broken_at__isnull=True).update(
        case_seal_broken_at=timezone.now()
    ):
        return False
    enrolment = Enrolment.objects.select_related("unit", "candidate", "centre").get(pk=enrolment.pk)
    changed = what_changed(enrolment)
    audit.record(
        audit.PortfolioAction.ENROLMENT_CASE_CHANGED, actor=None, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{enrolment.unit.code} of {enrolment.candidate}: the people on it changed outside the portfolio",
        after={"unit": enrolment.unit.code, "changed": changed, **{c: getattr(enrolment, c) for c in CASE_COLUMNS}},
    )
    message = (f"The people on {enrolment.unit.code} for {enrolment.candidate} were changed outside the portfolio: "
               f"{changed} Only the centre's administrators can open it until {who_puts_it_back()} puts it back.")
    subject = f"{enrolment.unit.code} for {enrolment.candidate}: changed outside the portfolio"
    # Whoever puts it back is told too, with the statement that does (an outside trial: they never were).
    fix = put_back(enrolment)
    notify(list(Person.objects.filter(is_superuser=True, is_active=True)),
           (f"To put it back: {fix} " if fix else "What it was cannot be told from its seal: restore it from a backup. ")
           + f"The people on {enrolment.unit.code} (enrolment {enrolment.pk}) at {enrolment.centre.name} were changed in "
           f"the database: {changed} Until then only the centre's administrators open it.",
           subject="A unit changed outside the portfolio", kind=NotificationKind.INTEGRITY_FAILURE)
    home_id = moved_from(enrolment)
    if home_id is None:
        _tell_administrators(enrolment, message, subject=subject)
        return True
    # Moved to another centre: the centre it was moved from is told, and opens it; the centre it was
    # moved to, which the portfolio never let in, learns only that a unit not its own is listed there.
    home = Centre.objects.get(pk=home_id)
    audit.record(audit.PortfolioAction.ENROLMENT_CASE_CHANGED, actor=None, centre=home, candidate=enrolment.candidate,
                 summary=f"{enrolment.unit.code} of {enrolment.candidate}: moved to another centre outside the portfolio",
                 after={"unit": enrolment.unit.code, "changed": changed})
    _tell_administrators(enrolment, message, subject=subject, centre_id=home.pk)
    _tell_administrators(
        enrolment, f"A unit ({enrolment.unit.code}) of a candidate at another centre was moved to {enrolment.centre.name} in "
        f"the database, not by the portfolio. It is not this centre's: nobody here can open it, and the centre it "
        f"belongs to has been told. It stays listed here, marked, until {who_puts_it_back()} puts it back.",
        subject=f"A unit of another centre was moved to {enrolment.centre.name} outside the portfolio", link=reverse("home"),
    )
    return True


def reopen(enrolment_id: int) -> bool:
    """A case marked changed found as the portfolio made it again: open again to the people on it, the
    finding recorded and the administrators told. True if this opened it."""
    if not Enrolment.objects.filter(pk=enrolment_id, case_seal_broken_at__isnull=False).update(case_seal_broken_at=None):
        return False
    enrolment = Enrolment.objects.select_related("unit", "candidate", "centre").get(pk=enrolment_id)
    audit.record(
        audit.PortfolioAction.ENROLMENT_CASE_PUT_BACK, actor=None, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{enrolment.unit.code} of {enrolment.candidate}: the people on it are as the portfolio made them again",
        after={"unit": enrolment.unit.code, **{c: getattr(enrolment, c) for c in CASE_COLUMNS}},
    )
    _tell_administrators(
        enrolment, f"The people on {enrolment.unit.code} for {enrolment.candidate} are as the portfolio made them "
        "again: the unit is open to them again.",
        subject=f"{enrolment.unit.code} for {enrolment.candidate}: put back",
    )
    return True


def moved_from(enrolment: Enrolment) -> int | None:
    """The centre a case changed by hand was moved from, when its centre is what changed; else None."""
    found = sealed_column(enrolment) if enrolment.case_seal else None
    return found[1] if found is not None and found[0] == "centre_id" else None


def opened_to_administrator(person: Person, enrolment_id: int) -> Enrolment | None:
    """A case marked changed, for the administrators of the centre its seal says it is at alone: the
    centre it was moved from, when its centre is what changed (never the one it was moved to, whose
    administrators the portfolio never let in), else its own. None for anyone else."""
    marked = (Enrolment.objects.select_related("candidate", "unit", "unit__suite", "assessor", "iqa", "centre")
              .filter(pk=enrolment_id, case_seal_broken_at__isnull=False).first())
    if marked is None or not person.is_authenticated:
        return None
    home = moved_from(marked) or marked.centre_id
    return marked if Membership.objects.filter(person=person.pk, centre=home, role=Role.ADMINISTRATOR).exists() else None


def _tell_administrators(
    enrolment: Enrolment, message: str, *, subject: str, centre_id: int | None = None, link: str | None = None
) -> None:
    centre_id = centre_id or enrolment.centre_id
    administrators = Person.objects.filter(memberships__centre=centre_id, memberships__role=Role.ADMINISTRATOR).distinct()
    notify(
        list(administrators), message, subject=subject, centre=centre_id, kind=NotificationKind.INTEGRITY_FAILURE,
        link=link or reverse("assessments:enrolment_detail", args=[enrolment.pk]),
    )


def who_puts_it_back() -> str:
    """Who can put a row back in the database, named where the installation knows them: its site
    administrators (the centre's administrators work in the product, which never edits by hand)."""
    named = [f"{p.get_full_name() or p.email} ({p.email})" for p in Person.objects.filter(is_superuser=True, is_active=True)[:2]]
    return f"the installation's site administrator, {' or '.join(named)}," if named else "whoever runs the installation"


def what_changed(enrolment: Enrolment) -> str:
    """Which of the five columns differs from the case the portfolio sealed, and what it held, in
    words; a case changed in more than one column is said so."""
    if not enrolment.case_seal:
        return "its seal has been cleared, so who the portfolio put on it cannot be told."
    found = sealed_column(enrolment)
    if found is None:
        return "more than one of its centre, candidate, unit, assessor and IQA differ from what the portfolio made, or its seal was changed."
    column, value = found
    now = getattr(enrolment, column)
    return f"the portfolio made {_named(column, value)} its {_WORDS[column]}; the database now names {_named(column, now)}."


def put_back(enrolment: Enrolment) -> str:
    """The statement that puts the case back, for whoever runs the installation, or "" if unknown."""
    found = sealed_column(enrolment) if enrolment.case_seal else None
    if found is None:
        return ""
    # Printed for a person, never run: every part is a column name, a table name or an integer.
    return f"UPDATE {Enrolment._meta.db_table} SET {found[0]} = {found[1]} WHERE id = {enrolment.pk};"  # noqa: S608


def sealed_column(enrolment: Enrolment) -> tuple[str, int] | None:
    """The one column whose value as the portfolio sealed it differs from the row's, and that value:
    found by trying, one column at a time, everyone who could have held it (an HMAC each:
    milliseconds, even at a large centre). None when no single column explains the seal. Found once
    per enrolment read: its page, refusals and report ask it several times."""
    key = (enrolment.case_seal, *(getattr(enrolment, column) for column in CASE_COLUMNS))
    found = getattr(enrolment, "_sealed_column", None)
    if found is None or found[0] != key:
        found = (key, _search(enrolment))
        enrolment._sealed_column = found  # type: ignore[attr-defined]  # the search's answer, for this row as read
    return found[1]


def _search(enrolment: Enrolment) -> tuple[str, int] | None:
    now = {column: getattr(enrolment, column) for column in CASE_COLUMNS}
    units = {pk: (code, version) for pk, code, version in Unit.objects.values_list("pk", "code", "version")}
    for column, could_have_been in _who_could_have_held(enrolment, units).items():
        for value in sorted(could_have_been - {now[column]}):
            tried = {**now, column: value}
            code, version = units.get(tried["unit_id"], ("", ""))
            if seal_of(enrolment.pk, {**tried, "unit__code": code, "unit__version": version}) == enrolment.case_seal:
                return column, value
    return None


def _who_could_have_held(enrolment: Enrolment, units: dict[int, tuple[str, str]]) -> dict[str, set[int]]:
    staff: dict[str, set[int]] = defaultdict(set)
    for person_id, role in Membership.objects.filter(centre=enrolment.centre_id).values_list("person_id", "role"):
        staff[role].add(person_id)
    history: set[int] = set()  # people since taken off the case, or whose role here was taken from them
    for pair in EnrolmentChange.objects.filter(enrolment=enrolment.pk).values_list("from_person_id", "to_person_id"):
        history.update(p for p in pair if p is not None)
    return {
        "assessor_id": staff[Role.ASSESSOR] | history, "iqa_id": staff[Role.IQA] | history,
        "candidate_id": staff[Role.CANDIDATE], "unit_id": set(units),
        "centre_id": set(Membership.objects.filter(person=enrolment.candidate_id).values_list("centre_id", flat=True)),
    }


def _named(column: str, value: int) -> str:
    if column in ("assessor_id", "iqa_id", "candidate_id"):
        person = Person.objects.filter(pk=value).first()
        return str(person) if person else f"person {value}"
    if column == "unit_id":
        unit = Unit.objects.filter(pk=value).first()
        return unit.code if unit else f"unit {value}"
    centre = Centre.objects.filter(pk=value).first()
    return str(centre) if centre else f"centre {value}"


def check_every_enrolment() -> list[Enrolment]:
    """Every enrolment's case verified (one query, an HMAC each): those changed are marked (and their
    administrators told, if new); a mark on one put back as sealed is cleared. Returns those changed."""
    broken, whole_again = [], []
    for row in Enrolment.objects.values("pk", *SEALED, "case_seal", "case_seal_broken_at").order_by("pk").iterator():
        if not row_holds(row["pk"], row):
            broken.append(row["pk"])
        elif row["case_seal_broken_at"] is not None:
            whole_again.append(row["pk"])
    for enrolment_id in whole_again:
        reopen(enrolment_id)
    changed = list(Enrolment.objects.filter(pk__in=broken).select_related("unit", "candidate", "centre").order_by("pk"))
    for enrolment in changed:
        mark(enrolment)
    return changed
