"""Which version of a standard is newer (issue 14 item 5): stated once, for moving a candidate to
another version (only ever forwards) and for importing a version beside the ones in the catalogue.

Published versions are numbers ("1", "3", sometimes "1.2"): where both are, the larger number is
the newer, "10" after "9". Otherwise, or where the numbers are equal ("1" and "1.0"), the one
imported later is."""

import functools
import re

from .models import Unit, Validity

_NUMBERED = re.compile(r"\d+(?:\.\d+)*")


def version_number(version: str) -> tuple[int, ...] | None:
    """"2" as (2,), "1.10" as (1, 10); None for a version that is not a number ("A", "2a")."""
    text = version.strip()
    return tuple(int(part) for part in text.split(".")) if _NUMBERED.fullmatch(text) else None


def is_newer_version(version: str, than: str, *, imported_later: bool) -> bool:
    """Whether `version` is newer than `than`: by number where both are numbers and differ, else by
    which was imported later."""
    mine, theirs = version_number(version), version_number(than)
    if mine is not None and theirs is not None and mine != theirs:
        return mine > theirs
    return imported_later


def is_newer(unit: Unit, than: Unit) -> bool:
    """Whether `unit` is a newer version of the same standard than `than`."""
    if unit.code != than.code or unit.pk == than.pk:
        return False
    return is_newer_version(unit.version, than.version, imported_later=unit.pk > than.pk)


def newer_versions(unit: Unit) -> list[Unit]:
    """The catalogue's versions of the unit newer than it, oldest first (the newest last)."""
    others = [u for u in Unit.objects.filter(code=unit.code).exclude(pk=unit.pk) if is_newer(u, unit)]
    return sorted(others, key=functools.cmp_to_key(_oldest_first))


def _oldest_first(one: Unit, other: Unit) -> int:
    return 1 if is_newer(one, other) else -1 if is_newer(other, one) else 0


def versions_of(code: str) -> list[Unit]:
    """The catalogue's versions of a code, oldest first."""
    return sorted(Unit.objects.filter(code=code), key=functools.cmp_to_key(_oldest_first))


def superseded_by(code: str, version: str) -> list[Unit]:
    """The Current versions of `code` that `version`, imported now, would supersede: those older than
    it. The UK Standards site marks a superseded standard Legacy; importing one, the person chooses."""
    return [
        unit for unit in versions_of(code)
        if unit.validity == Validity.CURRENT and unit.version != version
        and is_newer_version(version, unit.version, imported_later=True)
    ]
