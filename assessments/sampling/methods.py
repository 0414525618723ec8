"""The assessment methods of the evidence that bears on an enrolment, worked out in SQL as a bit mask
(bit n: METHOD_VALUES[n]): the evidence its standing decisions cite, and the candidate's accepted
evidence mapped to one of its unit's criteria or knowledge items.

Written as SQL rather than ORM subqueries, which Django took longer to build and compile on every
request than the database took to answer. Only names from the models' own metadata go into the
text; the values are parameters. "Standing" is written out here as the models' own rule says
(`standing_decision`: not withdrawn; `standing_sign_off`: not voided)."""

import functools

from django.db import connection
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from portfolio.models import AssessmentMethod, Enrolment, Evidence, EvidenceState, EvidenceUnit

from ..models import Decision, QualityReview, SignOff

METHOD_VALUES = tuple(AssessmentMethod.values)
METHOD_ORDER = {value: position for position, value in enumerate(METHOD_VALUES)}
_METHOD_BITS = {value: 1 << position for position, value in enumerate(METHOD_VALUES)}


def _enrolments_table() -> str:
    return connection.ops.quote_name(Enrolment._meta.db_table)


def _cited() -> str:
    """FROM and WHERE for the evidence the enrolment's standing decisions cite: a correlated
    subquery that reads the enrolment's few decisions through an index."""
    q, table = connection.ops.quote_name, _enrolments_table()
    cited = Decision.evidence.field
    return (
        f" FROM {q(Decision._meta.db_table)} d"
        f" INNER JOIN {q(cited.m2m_db_table())} c ON c.{q(cited.m2m_column_name())} = d.{q('id')}"
        f" INNER JOIN {q(Evidence._meta.db_table)} e ON e.{q('id')} = c.{q(cited.m2m_reverse_name())}"
        f" WHERE d.{q('enrolment_id')} = {table}.{q('id')} AND d.{q('withdrawn_at')} IS NULL"
    )


def _mapped(also: str = "") -> str:
    """FROM and WHERE for the candidate's accepted evidence at the enrolment's centre (the rule of
    `portfolio.case_evidence`: never another centre's) mapped to the unit by a criterion or a
    knowledge item (one parameter: the accepted state, after any of `also`). Read from
    `portfolio.EvidenceUnit`, which the database keeps of which units each item bears on, with its
    state and method: one index range an enrolment, where the evidence and its two mapping tables
    cost a probe of each of the candidate's accepted items through each mapping."""
    q, table = connection.ops.quote_name, _enrolments_table()
    return (
        f" FROM {q(EvidenceUnit._meta.db_table)} e"
        f" WHERE e.{q('candidate_id')} = {table}.{q('candidate_id')} AND e.{q('centre_id')} = {table}.{q('centre_id')}"
        f" AND e.{q('unit_id')} = {table}.{q('unit_id')} AND e.{q('state')} = %s{also}"
    )


def _methods_sql(*, only_where_sampling_looks: bool = False) -> tuple[str, list]:
    """SQL for the bit mask of the methods that bear on the enrolment, for a query of enrolments.

    The cited methods are the distinct bits of the evidence the decisions cite, added up; the
    mapped ones the distinct bits of the accepted evidence mapped to the unit, added up.

    `only_where_sampling_looks`: 0 for an enrolment with no standing decision, no standing sign-off
    and no review, which the suggestion and the coverage never look at."""
    q = connection.ops.quote_name
    bits = "CASE e.{} {} ELSE 0 END".format(
        q("method"), " ".join(f"WHEN %s THEN {bit}" for bit in _METHOD_BITS.values())
    )
    masks = [f"(SELECT SUM(DISTINCT {bits}){_cited()})", f"(SELECT SUM(DISTINCT {bits}){_mapped()})"]
    params: list = [*_METHOD_BITS, *_METHOD_BITS, EvidenceState.ACCEPTED.value]
    mask = " | ".join(f"COALESCE({m}, 0)" for m in masks)
    if not only_where_sampling_looks:
        return mask, params
    return f"CASE WHEN {_where_sampling_looks()} THEN {mask} ELSE 0 END", params


def _where_sampling_looks() -> str:
    """True for an enrolment with a standing decision, a standing sign-off or a review."""
    q, table = connection.ops.quote_name, _enrolments_table()
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {q(model._meta.db_table)} x WHERE x.{q('enrolment_id')} = {table}.{q('id')}{also})"  # noqa: S608
        for model, also in (
            (Decision, f" AND x.{q('withdrawn_at')} IS NULL"),
            (SignOff, f" AND x.{q('voided_at')} IS NULL"),
            (QualityReview, ""),
        )
    )


def methods_probe_sql(methods: list[str]) -> tuple[str, list]:
    """SQL for a bit mask of which of `methods` bear on the enrolment (as _methods_sql), asked as
    one EXISTS per method and kind of link, each an index lookup that stops at the first row found:
    `portfolio.EvidenceUnit`'s index for the mapped evidence, the enrolment's decisions for the cited. Cheap for a method the candidate has little or none of, which is what the
    suggestion asks about: the methods the current sample does not cover yet."""
    if not methods:
        return "0", []
    q = connection.ops.quote_name
    accepted = EvidenceState.ACCEPTED.value
    of_the_method = f" AND e.{q('method')} = %s"
    parts, params = [], []
    for method in methods:
        tests = [f"EXISTS (SELECT 1{_cited()}{of_the_method})", f"EXISTS (SELECT 1{_mapped(of_the_method)})"]
        params += [method, accepted, method]
        parts.append(f"(CASE WHEN {' OR '.join(tests)} THEN {_METHOD_BITS[method]} ELSE 0 END)")
    return " + ".join(parts), params


def with_methods(enrolments: QuerySet, *, only_where_sampling_looks: bool = False) -> QuerySet:
    """Annotates `methods`, the bit mask of _methods_sql. The enrolments' table must be the
    query's own (not joined under another alias)."""
    sql, params = _methods_sql(only_where_sampling_looks=only_where_sampling_looks)
    return enrolments.annotate(methods=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611


@functools.cache
def methods_of(mask: int) -> tuple[str, ...]:
    """The methods of a bit mask, in the order of the list of methods."""
    return tuple(method for method, bit in _METHOD_BITS.items() if mask & bit)
