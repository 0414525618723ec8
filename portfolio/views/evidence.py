"""A candidate's evidence: add it, change it, map it to the standard, submit it. The page that
shows one item with its assessment is assessments.views.evidence."""

from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Centre
from standards.models import Criterion, KnowledgeItem, ScopeItem

from .. import access, evidence_judges, locks, mapping, progress, referrals, services
from ..errors import PortfolioError, UploadRejected
from ..forms.evidence import EvidenceDeclarationForm, EvidenceEditForm, EvidenceForm
from ..held_roles import as_candidate
from ..ids import NotAChoice, as_id, ids_from, ids_in
from ..models import Declaration, Enrolment, Evidence, EvidenceState
from ..upload_handlers import too_large_files

ItemT = TypeVar("ItemT", bound=Model)


def _evidence_centre(
    request: AuthenticatedHttpRequest, sent: QueryDict
) -> tuple[Centre | None, list[Centre], int | None]:
    """The centre new evidence is for, the candidate's centres, and the centre the form or address
    named (itself, or by one of their units), if any. A candidate at several centres chooses (or
    comes from one of their units, which says): evidence is never put at one of them by guess."""
    chosen: object = sent.get("centre")
    if not chosen and sent.get("unit"):
        own = Enrolment.objects.filter(pk=as_id(sent.get("unit")) or 0, candidate=request.user)
        chosen = own.values_list("centre_id", flat=True).first()
    centre, centres = access.candidate_centre_for_user(request.user, chosen)
    return centre, centres, as_id(chosen) if chosen else None


def _centre_refused(request: AuthenticatedHttpRequest, centres: list[Centre], why: str = "") -> HttpResponse:
    """The form or address named a centre where the candidate can no longer add evidence (deactivated
    there since the form was opened, or never theirs), or a form of several centres' named none:
    nothing is saved, and nothing is put at another of their centres unless they say so. A form sent
    comes back with what they typed, for their one other centre named on it or a choice among
    several; an address opens the choice of centres."""
    if request.method != "POST":
        messages.error(request, "You can no longer add evidence at the centre this address names. Choose one of yours.")
        return render(request, "portfolio/evidence_centre_choose.html", {"centres": centres, "carried": ""})
    form = EvidenceForm(request.POST, request.FILES or None)
    form.is_valid()
    one = centres[0] if len(centres) == 1 else None
    then = (f" It is now for your portfolio at {one.name}: save it again to add it there." if one
            else " Choose which of your centres it is for, and save it again.")
    form.add_error(None, (why or _CENTRE_GONE) + then)
    return render(
        request, "portfolio/evidence_form.html",
        {"form": form, "problems": [], "creating": True, "centre": one, "several_centres": True,
         "centre_choices": [] if one else centres, "max_file_bytes": settings.EVIDENCE_MAX_FILE_BYTES},
        status=400,
    )


_CENTRE_GONE = "You can no longer add evidence at the centre this form was for, so nothing was saved."


def upload_problems(request: HttpRequest, error: Exception | None = None) -> list[tuple[str, str]]:
    problems = [
        (name, f"“{name}” is larger than the limit for one file, so it was not uploaded.")
        for name in too_large_files(request)
    ]
    if isinstance(error, UploadRejected):
        problems += error.problems
    return problems


def moved_on(request: HttpRequest, url: str) -> HttpResponse:
    """Where to go after a saved upload. The page's upload script sends the form itself, and
    XMLHttpRequest follows a redirect on its own: the page it fetched would use up the message
    meant for the candidate before the browser went there. The script is told where to go instead."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return HttpResponse(status=204, headers={"X-Next-Page": url})
    return redirect(url)


def evidence_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _, centres = access.candidate_centre_for_user(request.user)
    mine = Evidence.objects.filter(as_candidate(request.user))
    # Each centre numbers its own (E1 at each): a candidate at two centres sees each centre's apart.
    several_centres = mine.values("centre").distinct().count() > 1
    evidence = (
        mine.select_related("centre")
        # Each with its unit: the list gives them unit by unit (`mapped_items.references`).
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("unit")),
            Prefetch("knowledge_items", queryset=KnowledgeItem.objects.select_related("unit")),
        )
        .order_by("centre__name", "centre_id", "-number")
    )
    state = request.GET.get("state", "")
    if state:
        evidence = evidence.filter(state=state)
    return render(
        request, "portfolio/evidence_list.html",
        {"evidence_list": evidence, "state": state, "states": Evidence._meta.get_field("state").choices,
         "several_centres": several_centres, "no_open_unit": locks.no_open_unit(request.user, centres)},
    )


def _no_open_unit(request: AuthenticatedHttpRequest, centre: Centre | None, centres: list[Centre]) -> HttpResponse | None:
    """Evidence is added only where the candidate has a unit still open: at a centre where every unit
    of theirs is withdrawn or transferred it could never be mapped or submitted, and nobody can
    unlock such a unit. The page says so instead of taking a draft that would go nowhere."""
    reasons = locks.no_open_unit(request.user, [centre] if centre else centres)
    if not reasons:
        return None
    return render(
        request, "portfolio/evidence_no_open_unit.html", {"reasons": reasons},
        status=403 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    sent = request.POST if request.method == "POST" else request.GET
    centre, centres, chosen = _evidence_centre(request, sent)
    refused = _no_open_unit(request, centre, centres)
    if refused:
        return refused
    centres = [c for c in centres if not locks.closed_only(request.user, c.pk)]
    if centre is None and len(centres) == 1:
        centre = centres[0]
    if chosen is not None and (centre is None or centre.pk != chosen):
        return _centre_refused(request, centres)
    if centre is None and request.method == "POST":
        return _centre_refused(request, centres, "Nothing was saved: the form did not say which centre it is for.")
    if centre is None:
        carried = urlencode({k: sent[k] for k in ("for", "unit") if sent.get(k)})
        return render(request, "portfolio/evidence_centre_choose.html", {"centres": centres, "carried": carried})
    form = EvidenceForm(request.POST or None, request.FILES or None)
    # From the unit page's "Add evidence for this": the item goes on to the mapping page, ticked.
    key = sent.get("for")
    added_for = mapping.added_for(key, mapping.open_unit_ids(request.user, centre.pk)) if key else None
    # From a unit's "Add evidence": the mapping page opens with that unit first.
    unit = mapping.unit_added_for(sent.get("unit"), request.user, centre.pk) if sent.get("unit") else None
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        problems = upload_problems(request)
        if form.is_valid() and not problems:
            try:
                evidence = services.evidence_create(
                    candidate=request.user,
                    centre=centre,
                    author=request.user,
                    uploads=form.cleaned_data["files"],
                    **{k: form.cleaned_data[k] for k in ("title", "method", "activity_date", "location", "account")},
                )
            except UploadRejected as error:
                problems = upload_problems(request, error)
            except PortfolioError as error:
                form.add_error(None, str(error))
            except IntegrityError:
                form.add_error(None, "Another upload was saved at the same moment. Please send the form again.")
            else:
                messages.success(
                    request, f"{evidence.reference} “{evidence.title}” is saved as a draft. Now map it to the criteria it proves."
                )
                carried = urlencode({k: v for k, v in (("for", added_for and added_for.key), ("unit", unit and unit.pk)) if v})
                next_page = reverse("portfolio:evidence_map", args=[evidence.pk])
                return moved_on(request, f"{next_page}?{carried}" if carried else next_page)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "portfolio/evidence_form.html",
        {"form": form, "problems": problems, "creating": True, "added_for": added_for, "unit_added_for": unit,
         "centre": centre, "several_centres": len(centres) > 1,
         "max_file_bytes": settings.EVIDENCE_MAX_FILE_BYTES}, status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = access.own_evidence_for_user(request.user, pk)
    if not evidence.candidate_may_change:
        messages.error(request, f"{evidence.reference} is {evidence.get_state_display().lower()}, so it cannot be changed now.")
        return redirect("assessments:evidence_detail", pk=evidence.pk)
    form = EvidenceEditForm(request.POST or None, request.FILES or None, instance=evidence)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        problems = upload_problems(request)
        if form.is_valid() and not problems:
            fields = {k: form.cleaned_data[k] for k in ("title", "method", "activity_date", "location", "account")}
            try:
                services.evidence_update(
                    evidence=Evidence.objects.get(pk=evidence.pk),
                    editor=request.user,
                    uploads=form.cleaned_data["files"],
                    remove_file_ids=[f.pk for f in form.cleaned_data["remove_files"]],
                    **fields,
                )
            except UploadRejected as error:
                problems = upload_problems(request, error)
            except PortfolioError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{evidence.reference} is saved. Its earlier version is kept in its history.")
                return moved_on(request, reverse("assessments:evidence_detail", args=[evidence.pk]))
    status = 400 if request.method == "POST" else 200
    referral = referrals.latest_referral(evidence)
    return render(
        request, "portfolio/evidence_form.html",
        {"form": form, "problems": problems, "evidence": evidence, "creating": False,
         "referral": referral, "judges": evidence_judges.judges_of(evidence) if referral else None,
         "max_file_bytes": settings.EVIDENCE_MAX_FILE_BYTES}, status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_map(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = access.own_evidence_for_user(request.user, pk)
    units = mapping.units_for_mapping(request.user, evidence.centre_id)
    chosen = {
        "criteria": set(evidence.criteria.values_list("pk", flat=True)),
        "knowledge": set(evidence.knowledge_items.values_list("pk", flat=True)),
        "scope": set(evidence.scope_items.values_list("pk", flat=True)),
    }
    error = ""
    added_for = None
    # Every unit locked (signed off, withdrawn or transferred): nothing could be ticked or unticked,
    # so the page offers no Save and says why; a posted form is answered the same way, unread.
    all_locked = mapping.all_locked_words(evidence, units) if evidence.candidate_may_change else ""
    if request.method == "POST" and not all_locked:
        try:
            services.evidence_map(
                evidence=evidence,
                editor=request.user,
                criteria=_chosen(Criterion.objects.all(), request, "criteria"),
                knowledge_items=_chosen(KnowledgeItem.objects.all(), request, "knowledge_items"),
                scope_items=_chosen(ScopeItem.objects.select_related("category"), request, "scope_items"),
            )
        except PortfolioError as error_found:
            error = str(error_found)
            # Refused: the boxes stay as the candidate ticked them, for another try.
            chosen = {kind: set(ids_in(request.POST.getlist(name))) for kind, name in _BOXES.items()}
        else:
            messages.success(request, f"The mapping of {evidence.reference} is saved.")
            return redirect("assessments:evidence_detail", pk=evidence.pk)
    elif evidence.candidate_may_change:
        added_for = mapping.added_for(request.GET.get("for"), [u.enrolment.unit_id for u in units if not u.locked])
        if added_for and added_for.ticked:
            chosen[added_for.kind].add(added_for.pk)
        came_from = mapping.unit_added_for(request.GET.get("unit"), request.user, evidence.centre_id)
        first = came_from.unit_id if came_from else (added_for.unit_id if added_for else None)
        units = mapping.unit_first(units, first)
    counts = progress.evidence_counts(request.user, evidence.centre_id, [u.enrolment.unit_id for u in units])
    context = {
        "evidence": evidence,
        "units": units,
        "counts": counts,
        "chosen": chosen,
        "read_only": not evidence.candidate_may_change or bool(all_locked),
        "all_locked": all_locked,
        "error": error,
        "added_for": added_for,
    }
    refused = request.method == "POST" and bool(all_locked)
    return render(request, "portfolio/evidence_map.html", context, status=403 if refused else 400 if error else 200)


# The mapping page's kinds of box, by the name each is posted under.
_BOXES = {"criteria": "criteria", "knowledge": "knowledge_items", "scope": "scope_items"}


def _chosen(items: QuerySet[ItemT], request: HttpRequest, name: str) -> list[ItemT]:
    """The items ticked under `name`. An id that names no item refuses the whole mapping, so a
    tampered form never quietly saves less than the candidate ticked."""
    ids = set(ids_from(request.POST.getlist(name)))
    found = list(items.filter(pk__in=ids))
    if len(found) != len(ids):
        raise NotAChoice()
    return found


def _judges(evidence: Evidence) -> tuple[str, bool]:
    """Who judges the evidence once submitted, by name (`evidence_judges`: with a candidate's units
    assessed by two people, mapped to both, it is either's), and whether they are several: an
    outside trial found "your assessor" said where two were told."""
    judges = evidence_judges.judges_of(evidence)
    return judges.names, judges.several


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = access.own_evidence_for_user(request.user, pk)
    # Bound on every POST, even one with no fields at all: `request.POST or None` would leave it
    # unbound, and the page would say nothing about the missing tick.
    form = EvidenceDeclarationForm(request.POST if request.method == "POST" else None)
    # None of their units at its centre is open: the page says so instead of the declaration, and
    # a posted one is answered the same way, unread (the service refuses it in the same words).
    no_open_unit = locks.submit_refusal(evidence) if evidence.candidate_may_change else ""
    if no_open_unit:
        return render(
            request, "portfolio/evidence_submit.html", {"evidence": evidence, "form": None, "no_open_unit": no_open_unit},
            status=403 if request.method == "POST" else 200,
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_submit(evidence=evidence, candidate=request.user, declared=True)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            who, several = _judges(evidence)
            told = f"{who[:1].upper()}{who[1:]} {'have' if several else 'has'} been told" if who != evidence_judges.YOUR_ASSESSOR else "Your assessor will be told"
            messages.success(request, f"{evidence.reference} is submitted. {told} it is waiting.")
            return redirect("assessments:evidence_detail", pk=evidence.pk)
    who, several = _judges(evidence)
    return render(
        request, "portfolio/evidence_submit.html",
        {"evidence": evidence, "form": form, "declaration": Declaration.TEXT, "judges": who, "several_judges": several,
         "mapped": evidence.criteria.count() + evidence.knowledge_items.count()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = access.own_evidence_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.evidence_delete_draft(evidence=evidence, candidate=request.user)
        except PortfolioError as error:
            messages.error(request, str(error))
            return redirect("assessments:evidence_detail", pk=evidence.pk)
        messages.success(request, f"Draft {evidence.reference} “{evidence.title}” is deleted.")
        return redirect("portfolio:evidence_list")
    # As the service decides: only a draft never submitted may go.
    deletable = evidence.state == EvidenceState.DRAFT and not evidence.declarations.exists()
    return render(request, "portfolio/evidence_delete.html", {"evidence": evidence, "deletable": deletable})
