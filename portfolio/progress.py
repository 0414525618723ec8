"""How far a candidate's evidence covers a unit. An item (criterion, knowledge item or scope item)
has evidence when submitted evidence is mapped to it: any of the candidate's evidence but a draft
(`counts_as_evidence`, the one rule for every "with evidence" figure). A draft is the candidate's
work in progress: listed to them on the unit page, counted by nobody, so the candidate's home and
unit page say what their assessor's table says; the home card says how many drafts wait to be
submitted (`drafts_by_case`). The mapping page counts per item what is mapped, drafts too, for
the candidate mapping them; the home page's unit cards and the assessor's table count per unit,
the unit page item by item; all read it here. What is met (the assessor's decisions) is
`assessments.progress`, which builds on this."""

from collections import defaultdict

from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from standards.models import Criterion, KnowledgeItem

from .access import shown_to
from .case_evidence import case_fields, of_case, of_enrolment
from .evidence_unit_models import EvidenceUnit
from .models import Enrolment, Evidence, EvidenceState, Person


def counts_as_evidence(path: str = "") -> Q:
    """The rule for "with evidence", the one place it is stated: an item has evidence when evidence
    that is not a draft is mapped to it (submitted, referred back or accepted), whoever is looking,
    the candidate included. Before, the candidate's home counted their drafts and their assessor's
    table did not, so the two pages disagreed (an outside trial). `path` leads to the evidence."""
    return shown_to(None, path)


def is_counted(evidence: Evidence) -> bool:
    """`counts_as_evidence` for one item already read."""
    return evidence.state != EvidenceState.DRAFT


def drafts_by_case(rows: list[Enrolment]) -> dict[tuple[int, int, int], int]:
    """How many drafts are mapped to each row's unit, by (candidate, centre, unit): what waits to be
    submitted before it counts. One query, read from `EvidenceUnit`."""
    candidates = {row.candidate_id for row in rows} or {0}
    counted = (
        EvidenceUnit.objects.filter(candidate_id__in=candidates, state=EvidenceState.DRAFT)
        .order_by()
        .values_list("candidate_id", "centre_id", "unit_id")
        .annotate(n=Count("evidence_id", distinct=True))
    )
    return {(candidate, centre, unit): n for candidate, centre, unit, n in counted}


def evidence_counts(candidate: Person, centre_id: int, unit_ids: list[int]) -> dict[str, dict[int, int]]:
    """How many of the candidate's evidence items at the centre are mapped to each criterion,
    knowledge item and scope item of these units (items with none are left out): three queries,
    whatever the number of items. Each reads the mapping rows of this candidate's evidence only,
    never every candidate's: counting over the items instead read every mapping in the centre. The
    candidate's own page: their drafts count."""
    mine = of_case(candidate.pk, centre_id, "evidence__")
    tables = {
        "criteria": (Evidence.criteria.through, "criterion_id", {"criterion__unit_id__in": unit_ids}),
        "knowledge": (
            Evidence.knowledge_items.through, "knowledgeitem_id", {"knowledgeitem__unit_id__in": unit_ids}
        ),
        "scope": (Evidence.scope_items.through, "scopeitem_id", {"scopeitem__category__unit_id__in": unit_ids}),
    }
    return {
        kind: dict(
            model._default_manager.filter(mine, **on_units).order_by().values_list(item).annotate(n=Count("evidence_id"))
        )
        for kind, (model, item, on_units) in tables.items()
    }


def evidence_by_item(enrolment: Enrolment, *, viewer: Person | None) -> dict[str, dict[int, list[Evidence]]]:
    """The enrolment's evidence (its candidate's at its centre) mapped to each criterion, knowledge
    item and scope item of its unit, as `viewer` may see it (None: as anyone but the candidate,
    without their drafts)."""
    unit_id = enrolment.unit_id
    through = {
        "criteria": (Evidence.criteria.through, "criterion", {"criterion__unit_id": unit_id}),
        "knowledge": (Evidence.knowledge_items.through, "knowledgeitem", {"knowledgeitem__unit_id": unit_id}),
        "scope": (Evidence.scope_items.through, "scopeitem", {"scopeitem__category__unit_id": unit_id}),
    }
    found: dict[str, dict[int, list[Evidence]]] = {}
    for kind, (model, field, unit_filter) in through.items():
        rows = (
            model._default_manager.filter(of_enrolment(enrolment, "evidence__"), **unit_filter)
            .filter(shown_to(viewer, "evidence__"))
            .select_related("evidence")
            .order_by("evidence__number")
        )
        by_item: dict[int, list[Evidence]] = defaultdict(list)
        for row in rows:
            by_item[getattr(row, f"{field}_id")].append(row.evidence)  # type: ignore[attr-defined]  # every through model has it
        found[kind] = by_item
    return found


def _total(items: QuerySet) -> Coalesce:
    """How many of the unit's items `items` (tied to the outer enrolment's unit) holds."""
    counted = items.order_by().values("unit").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_progress(enrolments: QuerySet[Enrolment]) -> list[Enrolment]:
    """The enrolments, each with how many of its unit's criteria and knowledge items the candidate
    has mapped evidence at its centre to (`counts_as_evidence`: never a draft, whoever looks), of
    how many: the same "with evidence" numbers as the unit page. Three queries, however many rows.

    The numbers mapped are counted by grouped queries over the rows' candidates' own mapping
    rows, not by a subquery per row: PostgreSQL planned that subquery as a scan of every mapping
    of the centre, repeated for each row (a hundred and fifty milliseconds for an assessor's
    hundred rows at a small centre, where its statistics make the scan look cheap)."""
    unit = OuterRef("unit")
    rows: list[Enrolment] = list(
        enrolments.annotate(
            criteria_total=_total(Criterion.objects.filter(unit=unit)),
            knowledge_total=_total(KnowledgeItem.objects.filter(unit=unit)),
        )
    )
    # No id is 0: with no rows the query is still asked, so the count of queries stays the same.
    candidates = {row.candidate_id for row in rows} or {0}

    # Not narrowed to the rows' units as well (a candidate's evidence is mapped to a few units):
    # SQLite, which keeps no statistics, then started from the units' items and read every
    # candidate's mapping rows (half a second at 1,000 candidates).
    def mapped(model: type[Model], item: str) -> QuerySet:
        return (
            model._default_manager.filter(evidence__candidate_id__in=candidates)
            .filter(counts_as_evidence("evidence__"))
            .order_by()
            .values_list(*case_fields("evidence__"), f"{item}__unit_id")
            .annotate(n=Count(item, distinct=True))
        )

    # Two queries, not one UNION ALL of both: PostgreSQL planned the union at 10,000 candidates as a
    # parallel append, whose workers cost more to start than the few milliseconds of work they share.
    numbers = {
        (candidate, centre, unit, kind): n
        for model, item, kind in (
            (Evidence.criteria.through, "criterion", "criteria"),
            (Evidence.knowledge_items.through, "knowledgeitem", "knowledge"),
        )
        for candidate, centre, unit, n in mapped(model, item)
    }
    for row in rows:
        # Figures for the template, on the rows shown only; each of its own centre's evidence.
        case = (row.candidate_id, row.centre_id, row.unit_id)
        row.criteria_evidenced = numbers.get((*case, "criteria"), 0)  # type: ignore[attr-defined]
        row.knowledge_evidenced = numbers.get((*case, "knowledge"), 0)  # type: ignore[attr-defined]
    return rows
