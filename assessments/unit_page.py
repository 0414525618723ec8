"""What the unit page's Overview and Evidence tabs show beyond the panels: what this person does
next on this unit, and the unit's evidence as one list. Both are read from what the view already
has (the unit's progress, the person's rights), so they add no query."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portfolio.models import AssessmentMethod, Enrolment, Evidence, EvidenceState
from standards.models import Criterion, KnowledgeItem, ScopeItem

from .access import EnrolmentRights
from .models import QualityReview
from .progress import MetDecision, UnitProgress
from .voids import void_is_signed

# The page's tabs, each a fragment of its address (#criteria opens the criteria): (id, label).
TABS = (("overview", "Overview"), ("criteria", "Criteria"), ("evidence", "Evidence"), ("audit-trail", "Audit trail"))


# Up to this many references are named; past it, they are counted by kind.
NAMED_REFERENCES = 6
_KINDS = {"criteria": ("criterion", "criteria"), "knowledge": ("knowledge item", "knowledge items"),
          "scope": ("scope item", "scope items")}


@dataclass
class UnitEvidence:
    """One evidence item on the unit: what it is mapped to here and what the decisions cite it for."""

    evidence: Evidence
    mapped: dict[str, list[str]] = field(default_factory=dict)  # references by kind, in the standard's order
    cited_for: list[str] = field(default_factory=list)

    @property
    def mapped_references(self) -> list[str]:
        """The references, when there are few enough to name; else nothing (`mapped_counts` says it)."""
        every = [reference for references in self.mapped.values() for reference in references]
        return every if len(every) <= NAMED_REFERENCES else []

    @property
    def mapped_counts(self) -> str:
        """"17 criteria, 17 knowledge items and 20 scope items"."""
        parts = [_counted(len(refs), *_KINDS[kind]) for kind, refs in self.mapped.items() if refs]
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""

    @property
    def cited_references(self) -> list[str]:
        return self.cited_for if len(self.cited_for) <= NAMED_REFERENCES else []


def _items_in_order(progress: UnitProgress) -> list[tuple[str, Criterion | KnowledgeItem | ScopeItem]]:
    structure = progress.structure
    found: list[tuple[str, Criterion | KnowledgeItem | ScopeItem]] = []
    found += [("criteria", c) for c in structure.criteria]
    found += [("knowledge", k) for k in structure.knowledge_items]
    found += [("scope", item) for category in structure.scope_categories for item in category.items.all()]
    return found


def unit_evidence(progress: UnitProgress) -> list[UnitEvidence]:
    """The evidence the page shows beside the unit's items (a signed-off unit's: the evidence
    signed), by number, each with the items it is mapped to and cited for."""
    rows: dict[int, UnitEvidence] = {}
    for kind, item in _items_in_order(progress):
        for evidence in progress.evidence.get(kind, {}).get(item.pk, []):
            rows.setdefault(evidence.pk, UnitEvidence(evidence)).mapped.setdefault(kind, []).append(item.reference)
    met: list[tuple[str, MetDecision]] = [
        *((c.reference, progress.met_criteria[c.pk]) for c in progress.structure.criteria if c.pk in progress.met_criteria),
        *(
            (k.reference, progress.met_knowledge[k.pk])
            for k in progress.structure.knowledge_items
            if k.pk in progress.met_knowledge
        ),
    ]
    for reference, decision in met:
        for cited in decision.cited:
            if cited.pk in rows:
                rows[cited.pk].cited_for.append(reference)
    return sorted(rows.values(), key=lambda row: row.evidence.number)


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    primary: bool = False


@dataclass
class NextSteps:
    """What this person can do next on this unit: a sentence saying where it stands for them, and
    the buttons, the most useful first."""

    says: str
    steps: list[Step] = field(default_factory=list)


def _counted(number: int, noun: str, plural: str) -> str:
    return f"{number} {noun if number == 1 else plural}"


def _missing(progress: UnitProgress) -> str:
    parts = []
    if progress.missing_criteria:
        parts.append(_counted(len(progress.missing_criteria), "criterion", "criteria"))
    if progress.missing_knowledge:
        parts.append(_counted(len(progress.missing_knowledge), "knowledge item", "knowledge items"))
    return " and ".join(parts)


def _with_state(rows: Iterable[UnitEvidence], state: str) -> list[Evidence]:
    return [row.evidence for row in rows if row.evidence.state == state]


def _for_candidate(rights: EnrolmentRights, progress: UnitProgress, rows: list[UnitEvidence]) -> NextSteps:
    enrolment = progress.enrolment
    if rights.may_countersign:
        url = reverse("assessments:countersign", args=[enrolment.pk])
        return NextSteps(
            f"{rights.sign_off.assessor} signed this unit off: read what was signed and countersign it.",  # type: ignore[union-attr]
            [Step("Countersign", url, primary=True)],
        )
    if rights.signed_off:
        return NextSteps("This unit is signed off. There is nothing more for you to do on it.")
    steps = [
        Step(f"Change {e.reference} and submit it again", reverse("assessments:evidence_detail", args=[e.pk]), True)
        for e in _with_state(rows, EvidenceState.REFERRED)
    ] + [
        Step(f"Submit {e.reference}", reverse("portfolio:evidence_submit", args=[e.pk]))
        for e in _with_state(rows, EvidenceState.DRAFT)
    ]
    missing = _missing(progress)
    if missing:
        add = reverse("portfolio:evidence_create") + f"?unit={enrolment.pk}"
        steps.append(Step("Add evidence", add, primary=not steps))
        return NextSteps(f"No evidence yet for {missing}.", steps)
    if steps:
        return NextSteps("Every criterion and knowledge item has evidence mapped to it.", steps)
    return NextSteps(f"Every item has evidence: {enrolment.assessor} judges it and records what is met.")


def _for_assessor(
    rights: EnrolmentRights, progress: UnitProgress, rows: list[UnitEvidence], *, waiting: int, referrals: int
) -> NextSteps:
    enrolment = progress.enrolment
    steps: list[Step] = []
    says: list[str] = []
    if referrals:
        says.append("The IQA referred this unit back to you: their actions are under Quality assurance below.")
        steps.append(Step("Answer the IQA’s referral", "#iqa-heading", primary=True))
    if waiting:
        submitted = sorted(_with_state(rows, EvidenceState.SUBMITTED), key=lambda e: (e.submitted_at is None, e.submitted_at))
        queue = reverse("assessments:queue") + f"?candidate={enrolment.candidate_id}&unit={enrolment.unit_id}"
        # The evidence page's judging form, as the queue links to it (the judge address takes a POST).
        first = reverse("assessments:evidence_detail", args=[submitted[0].pk]) + "#judge" if submitted else queue
        says.append(f"{_counted(waiting, 'piece', 'pieces')} of evidence for {enrolment.unit.code} wait{'s' if waiting == 1 else ''} for your judgement.")
        steps.append(Step(f"Judge {submitted[0].reference}" if submitted else "Judge the evidence", first, not steps))
        if waiting > 1:
            steps.append(Step(f"See all {waiting} waiting", queue))
    if rights.sign_off is not None and rights.sign_off.voided_at is not None:
        says.append("Its sign-off was marked void outside the product: the record has been tampered with, "
                    "so nothing can change on this unit until the centre’s administrator has looked into it.")
        return NextSteps(" ".join(says), steps)
    if rights.signed_off:
        says.append("This unit is signed off; unlock it to add evidence.")
        if waiting:
            says.append("Judging the evidence waiting will not change the unit’s signed record.")
        return NextSteps(" ".join(says), steps)
    met = progress.criteria.met + progress.knowledge.met
    total = progress.criteria.total + progress.knowledge.total
    # Recording decisions and signing off are in the sign-off panel too: offered here only when
    # they are the next thing to do.
    if met == total:
        says.append("Every criterion and knowledge item is met: the unit can be signed off.")
        steps.append(Step("Sign off", reverse("assessments:sign_off", args=[enrolment.pk]), primary=not steps))
    else:
        says.append(f"{met} of {total} criteria and knowledge items are met.")
        if not steps:
            steps.append(Step("Record decisions", reverse("assessments:decisions", args=[enrolment.pk]), primary=True))
    record = reverse("assessments:assessor_evidence_create", args=[enrolment.pk])
    steps += [
        Step("Record an observation", f"{record}?method={AssessmentMethod.DIRECT_OBSERVATION.value}"),
        Step("Record questions and answers", f"{record}?method={AssessmentMethod.QUESTIONING.value}"),
    ]
    return NextSteps(" ".join(says), steps)


def _reviewed_words(review: QualityReview) -> str:
    """"Carol Clark countersigned this unit on 4 December 2026 (final review)"; at an interim review,
    where nothing is signed off to countersign, "Carol Clark reviewed the decisions so far on 4
    December 2026 and agreed with them (interim review)"."""
    stage = "final" if review.stage == QualityReview.Stage.FINAL else "interim"
    on = date_format(timezone.localtime(review.reviewed_at), "j F Y") if review.reviewed_at else ""
    if review.agreed_so_far:
        return f"{review.iqa} reviewed the decisions so far on {on} and agreed with them ({stage} review)"
    done = "countersigned" if review.outcome == QualityReview.Outcome.COUNTERSIGNED else "referred back"
    return f"{review.iqa} {done} this unit on {on} ({stage} review)"


def next_steps(
    rights: EnrolmentRights, progress: UnitProgress, rows: list[UnitEvidence], *,
    waiting: int, referrals: int, in_sample: bool, last_review: QualityReview | None = None,
    sign_offs_changed: bool = False, record_changed: bool = False,
) -> NextSteps:
    enrolment: Enrolment = progress.enrolment
    if rights.closed:
        status = enrolment.get_status_display().lower()
        return NextSteps(f"This unit is {status}: its record is kept as it stands, and nothing more is done on it here.")
    if rights.is_candidate and (record_changed or sign_offs_changed):
        # Not "nothing more for you to do" beside a red box (an outside trial).
        return NextSteps("The signed record of this unit has changed since sign-off, outside the portfolio: your "
                         "assessor, your IQA and the centre have been told, and will look into it. Nothing is "
                         "needed from you.")
    if rights.is_candidate:
        return _for_candidate(rights, progress, rows)
    if rights.is_assessor and rights.deactivated:
        # Said once, and no button: nothing is judged, recorded or decided for them meanwhile.
        return NextSteps(rights.deactivated)
    if rights.is_assessor and sign_offs_changed:
        # A sign-off deleted in the database (`sign_off_seals`): signing off again would hide it.
        return NextSteps("A sign-off the portfolio made of this unit is not in the database as it was made: the "
                         "record has been tampered with, so it cannot be signed off again until the centre’s "
                         "administrator has put it back from the centre’s backups.")
    if rights.is_assessor:
        return _for_assessor(rights, progress, rows, waiting=waiting, referrals=referrals)
    if rights.may_review:
        found = _for_iqa(enrolment, in_sample=in_sample, last_review=last_review)
        # A deactivated candidate: said once, with what the IQA may still do (agree or countersign, not refer back).
        return NextSteps(f"{rights.deactivated_for_iqa} {found.says}".strip(), found.steps)
    if record_changed or sign_offs_changed:
        return NextSteps("Its signed record has changed since sign-off, outside the portfolio (see Sign-off for what "
                         "changed; the audit trail shows what was done through the portfolio). Look into it, and put "
                         "the record back from the centre’s backups; its assessor and IQA have been told.")
    return NextSteps("You can read everything on this unit; nothing on it waits for you.")


def _for_iqa(enrolment: Enrolment, *, in_sample: bool, last_review: QualityReview | None) -> NextSteps:
    review = reverse("assessments:iqa_review", args=[enrolment.pk])
    if in_sample:
        return NextSteps("This unit is in your sample, waiting for your review.", [Step("Review this unit", review, True)])
    reviewed_sign_off = last_review.sign_off if last_review is not None and last_review.sign_off_id else None
    if last_review is not None and last_review.reviewed_at is not None and reviewed_sign_off is not None and (
        void_is_signed(reviewed_sign_off)  # a real unlock; one voided by hand still stands
    ):
        # Its sign-off unlocked since: the countersignature went with it (an outside trial read "nothing waits").
        return NextSteps(f"{_reviewed_words(last_review)}; that sign-off has since been unlocked, and your "
                         "countersignature with it. Review the unit again once it is signed off again.",
                         [Step("Review this unit", review)])
    if last_review is not None and last_review.reviewed_at is not None:
        # Reviewed already: "not in your sample" read as if the review had been lost (outside trial).
        return NextSteps(f"{_reviewed_words(last_review)}; nothing on it waits for you. You can review it again.",
                         [Step("Review this unit", review)])
    return NextSteps("This unit is not in your sample; you can still review it.", [Step("Review this unit", review)])
