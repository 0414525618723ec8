"""The external quality assurer's home page (the units in their scope, where each stands and its
sampling history, to filter, read and tick) and their samples (made, changed and deleted by them)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from portfolio import access as portfolio_access
from portfolio import selectors as portfolio_selectors
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import ids_in
from portfolio.models import Enrolment, Person
from portfolio.paging import Pages

from .. import access, eqa_units
from ..eqa_models import EqaSample
from ..forms.eqa import EqaSampleForm, EqaUnitFilterForm
from ..selectors import unit_states
from ..services import eqa_samples

UNITS_PER_PAGE = 50


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _require_eqa(person: Person) -> None:
    """The EQA's pages are found only by someone who is an EQA somewhere now."""
    if not portfolio_access.eqa_centres(person).exists():
        raise Http404("Only an external quality assurer has these pages.")


@require_safe
def units_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every unit in the EQA's scope, by centre: where it stands, its assessor and IQA, when the IQA
    and this EQA sampled it; filtered, a page at a time, each to tick for a sample."""
    _require_eqa(request.user)
    filters = EqaUnitFilterForm(request.GET, choices=eqa_units.filter_choices(request.user))
    chosen = filters.chosen
    listed = eqa_units.listed(request.user, chosen).select_related("candidate", "unit", "assessor", "iqa", "centre")
    page = Pages(listed, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    rows = eqa_units.unit_rows(request.user, page.object_list)
    portfolio_selectors.mark_deactivated([row.enrolment for row in rows], "candidate", "assessor", "iqa")
    context = {
        "filters": filters,
        "filtered": bool(chosen),
        "page": page,
        "rows": rows,
        "open_samples": list(eqa_units.open_samples(request.user)),
        "centres": list(portfolio_access.eqa_centres(request.user).order_by("name")),
    }
    return render(request, "assessments/eqa_units.html", context)


def _offered(eqa: Person, ids: list[int], sample: EqaSample | None = None) -> list[Enrolment]:
    """The units the sample form shows with a tick box: those in the sample and those ticked on the
    list (the form accepts any in the EQA's scope)."""
    chosen = set(ids) | (set(sample.enrolments.values_list("pk", flat=True)) if sample else set())
    return list(
        portfolio_access.eqa_enrolments(eqa).filter(pk__in=chosen)
        .select_related("candidate", "unit", "centre", "assessor")
        .order_by(*eqa_units.LIST_ORDER)
    )


def _ticked(request: HttpRequest, form: EqaSampleForm, default: set[int]) -> set[int]:
    if form.is_bound:
        return set(ids_in(request.POST.getlist("enrolments")))
    return default


@require_http_methods(["GET", "HEAD", "POST"])
def sample_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new sample: the units ticked on the list (sent here by GET), a name, a date, remote or on site."""
    _require_eqa(request.user)
    form = EqaSampleForm(_posted(request), eqa=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sample = eqa_samples.sample_create(eqa=request.user, **form.cleaned_data)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your sample {eqa_samples.planned_words(sample)} is saved.")
            return redirect("assessments:eqa_sample_detail", pk=sample.pk)
    asked = ids_in(request.GET.getlist("enrolments"))
    offered = _offered(request.user, ids_in(request.POST.getlist("enrolments")) if form.is_bound else asked)
    context = {"form": form, "offered": offered, "ticked": _ticked(request, form, {e.pk for e in offered})}
    return render(request, "assessments/eqa_sample_form.html", context, status=400 if form.is_bound else 200)


@require_safe
def sample_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sample = access.eqa_sample_for_user(request.user, pk)
    units = list(
        portfolio_access.eqa_enrolments(request.user).filter(eqa_samples=sample)
        .select_related("candidate", "unit", "assessor", "iqa").order_by(*eqa_units.LIST_ORDER)
    )
    context = {
        "sample": sample,
        "units": units,
        "states": unit_states(units),
        "eqa_marks": eqa_units.eqa_marks((e.pk for e in units), viewer=request.user),
        # Units sampled while in scope that are no longer (access ended for them): counted, not shown.
        "out_of_scope": sample.enrolments.count() - len(units),
        "reports": list(sample.reports.order_by("-visited_on", "-pk")),
        "is_open": not sample.reports.filter(submitted_at__isnull=False).exists(),
    }
    return render(request, "assessments/eqa_sample_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def sample_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The sample's name, date and way, and its units: those in it, and those ticked on the list to
    add (sent here by GET); untick one to take it out."""
    sample = access.eqa_sample_for_user(request.user, pk)
    initial = {"name": sample.name, "planned_on": sample.planned_on, "mode": sample.mode}
    form = EqaSampleForm(_posted(request), eqa=request.user, centre=sample.centre, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            eqa_samples.sample_change(sample=sample, eqa=request.user, **form.cleaned_data)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your sample {eqa_samples.planned_words(sample)} is saved.")
            return redirect("assessments:eqa_sample_detail", pk=sample.pk)
    added = ids_in(request.GET.getlist("enrolments"))
    offered = _offered(request.user, ids_in(request.POST.getlist("enrolments")) if form.is_bound else added, sample)
    context = {
        "form": form, "sample": sample, "offered": offered,
        "ticked": _ticked(request, form, {e.pk for e in offered}),
        "is_open": not sample.reports.filter(submitted_at__isnull=False).exists(),
    }
    return render(request, "assessments/eqa_sample_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def sample_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sample = access.eqa_sample_for_user(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            eqa_samples.sample_delete(sample=sample, eqa=request.user)
        except PortfolioError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Your sample “{sample.name}” is deleted.")
            return redirect(reverse("assessments:eqa_units"))
    context = {"sample": sample, "error": error, "drafts": sample.reports.filter(submitted_at__isnull=True).count()}
    return render(request, "assessments/eqa_sample_delete.html", context, status=400 if error else 200)
