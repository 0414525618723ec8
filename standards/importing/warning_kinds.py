"""What kind of doubt a warning is: words may be missing, or something to check.

A warning that says published words may be missing (a required section, the text cut short, a
numbering gap, a number repeated and its words left out, lines placed nowhere) makes the unit
incomplete: it is imported only when the person confirms. Such a warning is a `Gap`: a string,
so it reads, compares and prints as its words (`--json` "warnings" stays a list of strings),
that carries its kind, so nothing has to be told from its wording.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

WORDS_MISSING = "words may be missing"
TO_CHECK = "to check"

P = ParamSpec("P")


class ImportWarning(str):
    """A warning's words, with its kind."""

    kind: str = TO_CHECK

    def __new__(cls, text: str, kind: str = TO_CHECK) -> ImportWarning:
        made = super().__new__(cls, text)
        made.kind = kind
        return made


def gap(text: str) -> ImportWarning:
    """A warning that published words may be missing."""
    return ImportWarning(text, WORDS_MISSING)


def words_missing(say: Callable[P, str]) -> Callable[P, ImportWarning]:
    """The warning a function words is a gap."""

    @wraps(say)
    def worded(*args: P.args, **kwargs: P.kwargs) -> ImportWarning:
        return gap(say(*args, **kwargs))

    return worded


def is_gap(warning: str) -> bool:
    return getattr(warning, "kind", TO_CHECK) == WORDS_MISSING
