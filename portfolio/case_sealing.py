"""An enrolment's case sealed as the portfolio saves it: who is on it (its centre, candidate, unit,
assessor and IQA) under `signing.case_seal`. Every way in to a candidate's portfolio follows those
five columns, so the seal is what says the portfolio, not a hand in the database, put them there
(`case_seals` checks it where people are let in).

A save re-seals the case only when it held before: a product save of a case changed by hand (its
target date, its status, a new assessor chosen on its page) never makes the hand edit good."""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.crypto import constant_time_compare

from .signing import case_seal

if TYPE_CHECKING:
    from .models import Enrolment

# The columns the seal covers, as the model's attributes name them.
CASE_COLUMNS = ("centre_id", "candidate_id", "unit_id", "assessor_id", "iqa_id")
_CASE_FIELDS = {column for name in CASE_COLUMNS for column in (name, name.removesuffix("_id"))}
# What is sealed, as `values()` reads it: the unit by its code and version, which a restore keeps
# (it loads the standards by their references, and they may take other ids), the rest by id.
SEALED = ("centre_id", "candidate_id", "unit__code", "unit__version", "assessor_id", "iqa_id")


def seal_of(enrolment_id: int, row: Mapping[str, Any]) -> str:
    """The seal over `row`: a mapping (a row's `values()`) holding each of `SEALED`."""
    return case_seal(
        enrolment_id, row["centre_id"], row["candidate_id"], [row["unit__code"], row["unit__version"]],
        row["assessor_id"], row["iqa_id"],
    )


def row_of(enrolment: "Enrolment") -> dict[str, Any]:
    """The case as the enrolment in memory holds it, as `values(*SEALED)` would read it."""
    return {
        "centre_id": enrolment.centre_id, "candidate_id": enrolment.candidate_id, "unit__code": enrolment.unit.code,
        "unit__version": enrolment.unit.version, "assessor_id": enrolment.assessor_id, "iqa_id": enrolment.iqa_id,
    }


def case_seal_of(enrolment: "Enrolment") -> str:
    return seal_of(enrolment.pk, row_of(enrolment))


def row_holds(enrolment_id: int, row: Mapping[str, Any]) -> bool:
    """Is the case the row reads (`SEALED` and its `case_seal`) the one the portfolio sealed?"""
    return bool(row["case_seal"]) and constant_time_compare(row["case_seal"], seal_of(enrolment_id, row))


def holds(enrolment: "Enrolment") -> bool:
    """Is the case as it stands the one the portfolio sealed?"""
    return bool(enrolment.case_seal) and constant_time_compare(enrolment.case_seal, case_seal_of(enrolment))


def sealed_on_save(enrolment: "Enrolment", update_fields: Iterable[str] | None) -> list[str] | None:
    """Sets the seal an update of the enrolment writes, and returns the fields it saves (with the seal
    among them when it names any). A save that changes nobody on the case reads nothing."""
    if update_fields is not None:
        update_fields = list(update_fields)
        if not _CASE_FIELDS & set(update_fields):
            return update_fields
    stored = type(enrolment)._default_manager.filter(pk=enrolment.pk).values(*SEALED, "case_seal").first()
    if stored is None:
        return update_fields
    enrolment.case_seal = case_seal_of(enrolment) if row_holds(enrolment.pk, stored) else stored["case_seal"]
    return None if update_fields is None else [*update_fields, "case_seal"]
