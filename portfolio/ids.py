"""Ids as the database can hold them, for every form field and query value that names a record.

Every table's key is a 64-bit integer (BigAutoField; SQLite's INTEGER is the same size). A posted
value past that range is not an id of anything, but SQLite cannot even compare with it: Django's
`pk__in` lookups pass it to SQLite, which raises OverflowError, a 500. So a value is checked here,
in Python, before it reaches a query: the form fields below refuse it as "not one of the
choices", like any other id the person was not offered, and the functions below either refuse it
(a form the person posted) or leave it out (a filter in an address).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, QuerySet, Sum

from .errors import PortfolioError

LARGEST_ID = 2**63 - 1


class NotAChoice(PortfolioError):
    """A posted value that names nothing the person could have chosen."""

    def __init__(self) -> None:
        super().__init__("Something you chose is not one of the choices offered. Reload the page and choose again.")


def as_id(value: object) -> int | None:
    """The id the value names, or None if it cannot name a record (text, a sign, past 64 bits)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None


def ids_from(values: Iterable[object]) -> list[int]:
    """Every value as an id; one that cannot be one refuses the lot, so nothing half-chosen is saved."""
    ids = [as_id(value) for value in values]
    if None in ids:
        raise NotAChoice()
    return [number for number in ids if number is not None]


def ids_in(values: Iterable[object]) -> list[int]:
    """The values that can be ids, without the rest: for filters and lists read leniently."""
    return [number for number in map(as_id, values) if number is not None]


def digest_of_ids(ids: Iterable[int]) -> str:
    """Which records these are, in a few characters, whatever their order: a page offering "all N
    matching" carries it, so that acting on them refuses a set that changed since it was shown."""
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:32]


def _refuse_impossible(field: forms.ModelChoiceField, values: Iterable[object]) -> None:
    # Only values that look like numbers and cannot be ids: anything else is left to Django, which
    # already refuses text ("is not a valid value") without a query that could fail.
    for value in values:
        text = str(value).strip()
        if text.lstrip("+-").isdigit() and as_id(text) is None:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class RecordChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses a number no record can have before it asks the database."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _refuse_impossible(self, [value])
        return super().to_python(value)


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses a number no record can have before it asks the database."""

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            _refuse_impossible(self, value)
        return super()._check_values(value)  # type: ignore[misc]  # Django's own, missing from the stubs



# A prime below 2**20: each id's square is taken of the id modulo it, so no term passes 2**40 and a
# sum of them stays within 64 bits for far more rows than any table holds, on either database.
_FINGERPRINT_MODULUS = 1_048_573


def _fingerprint(count: int, total: int, squares: int) -> str:
    return hashlib.sha256(f"{count}:{total}:{squares}".encode()).hexdigest()[:32]


def fingerprint_of_ids(ids: Iterable[int]) -> str:
    """Which records these are, as `fingerprint_counted` says it of a query, from ids already read."""
    ids = list(ids)
    residues = [number % _FINGERPRINT_MODULUS for number in ids]
    return _fingerprint(len(ids), sum(ids), sum(residue * residue for residue in residues))


@dataclass(frozen=True)
class Fingerprinted:
    """Of a query's rows, those `which` takes: how many and their fingerprint; and how many it leaves."""

    count: int
    fingerprint: str
    others: int


def fingerprint_counted(rows: QuerySet[Any], by: str = "", taken: Iterable[object] = ()) -> Fingerprinted:
    """Which of a query's rows are taken (all, or those whose field `by` holds one of `taken`),
    whatever their order, counted by the database without reading them: how many, the sum of their
    ids and the sum of their squares (modulo a prime); and how many rows are left. A page offering "all N matching" of tens of
    thousands carries the fingerprint (`digest_of_ids` would read every id, 15 ms at 10,000
    candidates); acting on them compares `fingerprint_of_ids` of what it reads. Two different sets
    with all three equal need ids added and taken away in exact balance twice over, which
    registering, withdrawing or signing off units does not arrange. One pass over the rows gives the
    confirmation its count too (the bulk export's "All N matching" is confirmed on a page of its own,
    so the list, which only counts, does not take it on every view). Grouped by the field rather than
    filtered in each sum: the (centre, status, id) index hands a centre's units over in groups, 20% quicker."""
    residue = F("pk") % _FINGERPRINT_MODULUS
    sums = {"count": Count("pk"), "total": Sum("pk"), "squares": Sum(residue * residue)}
    groups = rows.order_by().values(by).annotate(**sums) if by else [rows.order_by().aggregate(**sums)]
    chosen = set(taken)
    count = total = squares = others = 0
    for group in groups:
        if by and group[by] not in chosen:
            others += group["count"]
            continue
        count, total, squares = count + group["count"], total + int(group["total"] or 0), squares + int(group["squares"] or 0)
    return Fingerprinted(count=count, fingerprint=_fingerprint(count, total, squares), others=others)
