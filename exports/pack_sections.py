"""The sections of an EQA's visit pack: each writes some of the ZIP's files, and the pack
(exports/visit_pack.py) writes them in the order they were registered, hashes every byte and lists
every file in its manifest.

A section is a name and a builder:

    register("IQA records", iqa_records)

    def iqa_records(centre: Centre, enrolments: Sample) -> Iterable[PackFile]:
        yield "iqa/iqa-reviews.csv", csv_bytes, "text/csv"

The builder is given the centre and the units of the sample whose record holds (a `Sample`: a
list of `Enrolment`, in candidate and unit order; a unit whose record has changed since sign-off
was left out before any section runs, and the pack says why). It yields, for each file, its path
in the ZIP, its content (bytes, or a binary file-like object, read to its end before the next file
is asked for, so a generator may yield a temporary file from inside its `with`), and its content
type (`SEALED_PDF` for a PDF sealed by the centre, exports/seal.py, whose seal `verify_export`
must check, as the unit portfolios are). Paths are relative, with forward slashes, and unique in the pack; `manifest.json`,
`manifest.json.p7s`, `manifest.csv`, `left-out.txt` and `left-out.json` are the pack's own. A builder that raises
stops the try, which the worker runs again (exports/tasks.py).

Registered today, in this order (exports/pack_contents.py, imported by `ExportsConfig.ready`):
"Unit portfolios (PDF)", "IQA records", "Audit trails". Sections for the IQA sampling plan,
standardisation records, assessors' competence and CPD, and witness lists are registered by their
own apps' `ready` when those land; nothing here needs changing for them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from portfolio.models import Centre, Enrolment, Person

from .checks import RecordCheck

# A file of the pack: its path in the ZIP, its content, its content type.
PackFile = tuple[str, bytes | IO[bytes], str]
# The content type of a PDF carrying the centre's seal: `verify_export` checks the seal of each.
SEALED_PDF = "application/pdf; seal=centre"


class Sample(list[Enrolment]):
    """The units a pack's sections write about: those asked for whose record holds, each with the
    check of its record the pack made, for a section that vouches for the record (the unit PDF
    says what the check found, and is not checked a second time)."""

    def __init__(self, enrolments: Iterable[Enrolment] = (), records: dict[int, RecordCheck] | None = None,
                 reader: Person | None = None) -> None:
        # Takes a plain iterable of enrolments too: Django copies a list it is given to filter on
        # (`enrolment__in=sample`) by calling its type.
        super().__init__(enrolments)
        self.records: dict[int, RecordCheck] = dict(records or {})
        # Who the pack is for (who asked for it): an EQA's pack carries what that EQA may read and
        # no other EQA's work; None for a pack read as the awarding body reads it.
        self.reader = reader

    def record_of(self, enrolment: Enrolment) -> RecordCheck | None:
        return self.records.get(enrolment.pk)


Builder = Callable[[Centre, Sample], Iterable[PackFile]]


@dataclass(frozen=True)
class PackSection:
    name: str  # in words, shown on the pack's page as it is built and in the manifest
    builder: Builder


_sections: dict[str, PackSection] = {}


def register(name: str, builder: Builder) -> None:
    """Adds a section to every pack built from now on, after those registered before it. The
    same name registered again with the same builder is ignored (an app made ready twice in
    tests); with another builder it is an error, so two sections never fight over a name."""
    known = _sections.get(name)
    if known is not None and known.builder is not builder:
        raise ValueError(f"A visit pack section called {name!r} is registered already.")
    _sections[name] = PackSection(name, builder)


def unregister(name: str) -> None:
    """Takes a section out (for tests that add one of their own)."""
    _sections.pop(name, None)


def sections() -> list[PackSection]:
    """The sections, in the order they were registered."""
    return list(_sections.values())
