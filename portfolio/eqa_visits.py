"""What an external quality assurer opened during one request, noted by `portfolio.access` as it
lets them in, and written to the centre's log (`EqaVisit`) by `portfolio.eqa_middleware` once the
page or file has been answered.

A request of someone with no grant open notes nothing: the middleware does not start a reading for
them, so the access functions' notes go nowhere and cost nothing."""

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Reading:
    """The centres whose records the person reads under a grant now, and what they opened there."""

    centres: frozenset[int]
    opened: list[tuple[int, str]] = field(default_factory=list)


_current: ContextVar[Reading | None] = ContextVar("eqa_reading", default=None)


def begin(centres: frozenset[int]) -> object:
    return _current.set(Reading(centres=centres))


def end(token: object) -> Reading | None:
    reading = _current.get()
    _current.reset(token)  # type: ignore[arg-type]  # the token `begin` returned
    return reading


def opened(centre_id: int, what: str) -> None:
    """The access functions' note: something of this centre was found for the person asking."""
    reading = _current.get()
    if reading is not None and centre_id in reading.centres:
        reading.opened.append((centre_id, what))
