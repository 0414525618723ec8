"""Internal quality assurance: the IQA's sample, the review of one unit, and the assessor's answer
to a referral back."""

from typing import cast

from django.contrib import messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portfolio import locks, selectors
from portfolio.errors import PortfolioError
from portfolio.held_roles import as_iqa
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment, EnrolmentStatus, Evidence, Person, Role
from portfolio.paging import Pages
from standards.selectors import unit_structure

from .. import access, fixity, record_seals, sampling, sampling_plan, sign_off_seals, since_review
from ..eqa_units import eqa_marks
from ..forms.iqa import ActionsDoneForm, ReviewForm, SampleFilterForm, SampleForm
from ..models import Decision, QualityReview, SignOff
from ..selectors import unit_states
from ..services import iqa as iqa_services
from ..signed_record import signed_record


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data when sent, even if empty (an empty POST still deserves its errors)."""
    return request.POST if request.method == "POST" else None


# The list of the IQA's units on the sample page shows this many at a time; the current sample
# (the reviews waiting) shows its oldest this many, and the list filtered to it shows them all.
# Twenty: the page is the IQA's overview (plan, coverage, suggestions, waiting, all units); the
# oldest twenty are what to take up next, and "List all N" is one click away.
LIST_PAGE_SIZE = 50
WAITING_SHOWN = 20


def _candidate_matches(words: list[str]) -> Q:
    """Every word found in the candidate's first name, last name or email address."""
    matches = Q()
    for word in words:
        matches &= (
            Q(candidate__first_name__icontains=word)
            | Q(candidate__last_name__icontains=word)
            | Q(candidate__email__icontains=word)
        )
    return matches


def _listed(iqa: Person, chosen: dict) -> QuerySet[Enrolment]:
    """The IQA's units the filters chosen leave, in the page's order."""
    enrolments = Enrolment.objects.filter(as_iqa(iqa), status=EnrolmentStatus.ACTIVE)
    if "assessor" in chosen:
        enrolments = enrolments.filter(assessor_id=chosen["assessor"])
    if "unit" in chosen:
        enrolments = enrolments.filter(unit_id=chosen["unit"])
    if "q" in chosen:
        enrolments = enrolments.filter(_candidate_matches(chosen["q"].split()))
    if "state" in chosen:
        enrolments = sampling.with_state(enrolments).filter(state=chosen["state"])
    if chosen.get("sample") == "waiting":
        enrolments = sampling.with_sample_flags(enrolments).filter(review_due=True)
    elif chosen.get("sample") == "not-sampled":
        enrolments = sampling.with_sample_flags(enrolments).filter(in_sample=False)
    return enrolments.order_by(*sampling.LIST_ORDER)


def _this_page(request: HttpRequest) -> str:
    """The sample page's address with the filters and page it was opened with."""
    address = reverse("assessments:iqa_sample")
    return f"{address}?{request.GET.urlencode()}" if request.GET else address


def _named(enrolments: list[Enrolment]) -> str:
    """"Dan Okafor (deactivated), HSC331; Alice Adams, H3 25": each unit, whose it is."""
    selectors.mark_deactivated(enrolments, "candidate")
    return "; ".join(
        f"{e.candidate}{' (deactivated)' if getattr(e, 'candidate_deactivated', False) else ''}, {e.unit.code}"
        for e in enrolments
    )


def _added_message(ticked: list[Enrolment], added: list[QualityReview]) -> str:
    """Which of the units ticked went into the sample, and which were in it already, by name: the
    suggested units come ticked, so a count alone surprised someone who ticked one (outside trial)."""
    new = {review.enrolment_id for review in added}
    named_new = [e for e in ticked if e.pk in new]
    already = [e for e in ticked if e.pk not in new]
    message = f"{len(new)} unit{'s' if len(new) != 1 else ''} added to your sample"
    message += f": {_named(named_new)}." if named_new else "."
    if already:
        message += f" {len(already)} {'was' if len(already) == 1 else 'were'} in it already: {_named(already)}."
    unchanged = set(Enrolment.objects.filter(sampling.agreed_unchanged(), pk__in=new).values_list("pk", flat=True))
    if unchanged:
        one = len(unchanged) == 1
        message += (
            f" You agreed with the decisions so far on {_named([e for e in named_new if e.pk in unchanged])} at an "
            f"interim review, and nothing has changed since: {'it waits' if one else 'they wait'} in your sample, "
            f"not for your review, until a decision on {'it' if one else 'them'} is recorded or withdrawn, or "
            f"{'it is' if one else 'they are'} signed off."
        )
    return message


def _mark_paused(rows: dict[int, sampling.SampleRow], names: sampling.Register) -> None:
    """A deactivated candidate's unit not signed off reads "In progress, paused", as on the centre
    page, the unit page and the assessor's list: their words, asked of those units alone."""
    paused = [rows[s.pk].enrolment for s in names.summaries if s.left_out and s.pk in rows]
    for pk, badge in unit_states(paused).items():
        rows[pk].standing = badge.label


def _sample_context(request: AuthenticatedHttpRequest, iqa: Person, form: SampleForm) -> dict[str, object]:
    """What the sample page shows. The suggestion and the coverage come from compact values of
    every unit; only the units shown are read in full, so the queries are a fixed number however
    many units the IQA has."""
    names = sampling.register(iqa)
    suggestions = sampling.suggest(iqa, names, read=False)
    filters = SampleFilterForm(request.GET, names=names)
    chosen = filters.chosen
    page = Pages(_listed(iqa, chosen).values_list("pk", flat=True), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    waiting = sorted((s for s in names.summaries if s.waiting), key=lambda s: (s.sampled_at, s.pk))
    resting = sorted((s for s in names.summaries if s.nothing_new), key=lambda s: (s.sampled_at, s.pk))
    shown = {
        *page.object_list, *(s.pk for s in [*waiting[:WAITING_SHOWN], *resting[:WAITING_SHOWN]]),
        *(s.row.pk for s in suggestions),
    }
    rows = {
        row.enrolment.pk: row
        for row in sampling.sample_rows(
            iqa, Enrolment.objects.filter(pk__in=shown).order_by(*sampling.LIST_ORDER)
        )
    }
    selectors.mark_deactivated([row.enrolment for row in rows.values()], "candidate")
    _mark_paused(rows, names)
    for suggestion in suggestions:
        suggestion.enrolment = rows[suggestion.row.pk].enrolment
    listed = [rows[pk] for pk in page.object_list]
    page.object_list = listed  # the ids become their rows
    suggested = {s.row.pk for s in suggestions}
    # The part of the page whose button was pressed comes back with its ticks as sent; the other
    # part, whose ticks were not sent (a form each), as it first came: the suggestions ticked.
    ticked = {str(pk) for pk in suggested} if form.part != "suggested" else set()
    if form.is_bound:
        ticked |= {str(pk) for pk in cast(QueryDict, form.data).getlist("enrolments")}
    return {
        "names": names,
        "suggestions": suggestions,
        "suggested": suggested,
        "ticked": ticked,
        "coverage": sampling.coverage(names, suggestions),
        "waiting": [rows[s.pk] for s in waiting[:WAITING_SHOWN]],
        "waiting_count": len(waiting),
        # In the sample, but agreed with at an interim review and unchanged since: not waiting.
        "resting": [rows[s.pk] for s in resting[:WAITING_SHOWN]],
        "resting_count": len(resting),
        "page": page,
        # Some row of this page has a tick (the suggested ones are ticked above): else no Add button.
        "addable": any(row.may_add and row.enrolment.pk not in suggested for row in listed),
        "eqa_marks": eqa_marks(shown, viewer=iqa),
        "filters": filters,
        "filtered": bool(chosen),
        "form": form,
        "posted_part": form.part,
        "action": _this_page(request),
        "plans": sampling_plan.plans_of(iqa),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def sample_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The IQA's sample: what it covers, the suggested units to add, the units waiting for review,
    and a list of all the IQA's units, a page at a time, to filter and add from."""
    if Role.IQA not in selectors.roles_of(request.user):
        raise Http404("Only an IQA has a sample.")
    iqa = request.user
    form = SampleForm(_posted(request), iqa=iqa)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["enrolments"].select_related("candidate", "unit").order_by(*sampling.LIST_ORDER))
        try:
            added = iqa_services.sample_add(iqa=iqa, enrolments=chosen)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _added_message(chosen, added))
            return redirect(_this_page(request))
    return render(
        request,
        "assessments/iqa_sample.html",
        _sample_context(request, iqa, form),
        status=400 if form.is_bound else 200,
    )


def _decisions(enrolment: Enrolment) -> list[Decision]:
    """The unit's decisions in the standard's order: criteria, then knowledge items."""
    decisions = (
        Decision.objects.filter(enrolment=enrolment)
        .select_related("criterion", "knowledge_item", "decided_by", "withdrawn_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("number")))
    )

    def in_the_standard(decision: Decision) -> tuple:
        item = decision.item
        return (decision.criterion_id is None, item.position, decision.decided_at, decision.pk)

    return sorted(decisions, key=in_the_standard)


def _met(enrolment: Enrolment, decisions: list[Decision], standing: SignOff | None) -> list[tuple]:
    """(item, decision) for each item met, in the standard's order. Of a signed-off unit, the
    decisions as signed (its record, from the manifest): the IQA reviews what the assessor signed,
    not what the rows hold now."""
    if standing is None:
        return [(d.item, d) for d in decisions if d.is_standing]
    structure = unit_structure(enrolment.unit)
    record = signed_record(enrolment, standing, structure)
    return [(c, record.met_criteria[c.pk]) for c in structure.criteria if c.pk in record.met_criteria] + [
        (k, record.met_knowledge[k.pk]) for k in structure.knowledge_items if k.pk in record.met_knowledge
    ]


def _closed_words(enrolment: Enrolment) -> str:
    """Why a withdrawn or transferred unit is not reviewed (`locks.require_not_closed`), or ""."""
    try:
        locks.require_not_closed(enrolment, "it is not sampled or reviewed")
    except PortfolioError as refused:
        return str(refused)
    return ""


def _recorded_message(recorded: QualityReview, enrolment: Enrolment) -> str:
    """What the IQA is told of the review just recorded. Only a signed-off unit is countersigned: at
    an interim review the IQA agreed with the decisions so far (outside trial: "You countersigned")."""
    unit = f"{enrolment.unit.code} of {enrolment.candidate}"
    if recorded.agreed_so_far:
        return f"You reviewed the decisions so far on {unit} and agreed with them (interim review)."
    if recorded.outcome == QualityReview.Outcome.COUNTERSIGNED:
        return f"You countersigned {unit}."
    return f"You referred {unit} back to the assessor."


@require_http_methods(["GET", "HEAD", "POST"])
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_iqa()
    sign_offs = list(SignOff.objects.filter(enrolment=enrolment).select_related("assessor", "voided_by"))
    standing = record_seals.of_record(sign_offs)
    countersign_refused = iqa_services.countersign_refusal(enrolment, standing)
    form = ReviewForm(_posted(request), initial={"sign_off": standing.pk if standing else None},
                      may_refer_back=rights.may_refer_back, countersign_refused=countersign_refused,
                      interim=standing is None)
    # A withdrawn or transferred unit is reviewed no more: the page says so instead of a form that
    # could only be refused, and a review posted anyway is refused with that reason.
    closed = _closed_words(enrolment)
    if request.method == "POST" and closed:
        form.is_valid()
        form.errors.clear()
        form.add_error(None, f"{closed} Nothing was recorded.")
    elif request.method == "POST" and form.is_valid():
        try:
            recorded = iqa_services.review_record(
                review_or_enrolment=enrolment,
                iqa=request.user,
                outcome=form.cleaned_data["outcome"],
                comments=form.cleaned_data["comments"],
                actions=form.cleaned_data.get("actions", ""),
                seen_sign_off_id=form.cleaned_data["sign_off"],
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _recorded_message(recorded, enrolment))
            return redirect(reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#iqa-heading")
        # The page shows the unit as it is now, so the form sent again speaks of that sign-off.
        data = cast(QueryDict, form.data).copy()
        data["sign_off"] = str(standing.pk) if standing else ""
        form.data = data
    return _review_page(request, enrolment, rights, form, sign_offs, closed, countersign_refused)


def _review_page(
    request: AuthenticatedHttpRequest, enrolment: Enrolment, rights: access.EnrolmentRights, form: ReviewForm,
    sign_offs: list[SignOff], closed: str, countersign_refused: str,
) -> HttpResponse:
    standing = record_seals.of_record(sign_offs)
    decisions = _decisions(enrolment)
    reviews = list(enrolment.quality_reviews.select_related("iqa").order_by("-sampled_at", "-pk"))
    # What was made since the reader's last review of the unit, each marked, counted at the top.
    marked = since_review.marked_page(
        since_review.NewSince(since_review.last_review_by(reviews, request.user)), standing,
        [s for s in sign_offs if s is not standing], _met(enrolment, decisions, standing),
        [d for d in decisions if not d.is_standing], since_review.judgements_of(enrolment),
    )
    return render(
        request,
        "assessments/iqa_review.html",
        {
            "enrolment": enrolment,
            "form": form,
            "sign_off": standing,
            **marked,
            "report": fixity.page_report(standing) if standing else None,
            # Not signed off, because a sign-off of it was deleted by hand (`sign_off_seals`): said first.
            "sign_offs_changed": sign_off_seals.found(enrolment) if standing is None else [],
            "reviews": [r for r in reviews if r.outcome != QualityReview.Outcome.SAMPLED],
            "in_sample": any(r.outcome == QualityReview.Outcome.SAMPLED for r in reviews),
            "stage": QualityReview.Stage.FINAL if standing else QualityReview.Stage.INTERIM,
            "iqa_is_assessor": rights.is_assessor,
            "closed": closed,
            "deactivated_for_iqa": rights.deactivated_for_iqa,  # said once, above the form
            "countersign_refused": countersign_refused,  # said above the form, which does not offer it
            "deactivated": selectors.deactivated_at(enrolment.centre, among=[enrolment.candidate_id, enrolment.assessor_id]),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def actions_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, rights = access.quality_review_for_user(request.user, pk)
    rights.require_assessor()
    form = ActionsDoneForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            iqa_services.review_actions_done(
                review=referral, assessor=request.user, note=form.cleaned_data["note"]
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The IQA, {referral.iqa}, has been told the actions are done.")
            return redirect(
                reverse("assessments:enrolment_detail", args=[referral.enrolment_id]) + "#iqa-heading"
            )
    return render(
        request,
        "assessments/iqa_actions_done.html",
        {"review": referral, "enrolment": referral.enrolment, "form": form},
        status=400 if form.is_bound else 200,
    )
