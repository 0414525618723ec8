"""Occupational competence and CPD: each assessor and IQA keeps their own (qualifications held with
certificates, occupational experience, CPD with files); the centre's IQAs, administrators and EQAs
read everyone's. Certificates and CPD files leave only through `competence_file`, after the same
permission check, with the headers every evidence file carries."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portfolio.errors import PortfolioError, UploadRejected
from portfolio.file_responses import protected
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Role
from portfolio.paging import Pages

from .. import access
from ..forms.quality_records import CpdForm, ExperienceForm, HeldQualificationForm
from ..quality_records import competence_overview, competence_record, keepers_at
from ..services import competence as services

KEEPERS_PER_PAGE = 25  # as the staff reports (ops/reports/staff.py): a centre's assessors and IQAs are a few dozen to a few hundred


@require_safe
def competence_overview_page(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre, rights = access.centre_reader_for_user(request.user, centre_id)
    role, words = request.GET.get("role", ""), request.GET.get("q", "").strip()
    page = Pages(keepers_at(centre, role=role, words=words), KEEPERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "centre": centre, "rights": rights, "page": page, "role": role, "query": words,
        "roles": [(Role.ASSESSOR, "Assessors"), (Role.IQA, "IQAs")],
        "keepers": competence_overview(centre, page.object_list),
    }
    return render(request, "assessments/competence_overview.html", context)


@require_safe
def competence_person(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, keeper, rights = access.keeper_for_user(request.user, centre_id, person_id)
    context = {
        "centre": centre, "keeper": keeper, "rights": rights, "own": keeper.pk == request.user.pk,
        "record": competence_record(centre, keeper),
    }
    return render(request, "assessments/competence_person.html", context)


def _own_form(
    request: AuthenticatedHttpRequest, centre_id: int, form_class: type, heading: str, write: Any, saved: str
) -> HttpResponse:
    """The three forms of a person's own record: checked, written by `write(centre, data)`, then
    back to their page; a refusal shows the form again with what to fix."""
    centre, rights = access.centre_quality_rights(request.user, centre_id)
    rights.require_competence_keeper()
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            write(centre, form.cleaned_data)
        except UploadRejected as rejected:
            field = "certificate" if "certificate" in form.fields else "cpd_file"
            for _, problem in rejected.problems:
                form.add_error(field, problem)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, saved)
            return redirect("assessments:competence_person", centre.pk, request.user.pk)
    context = {"centre": centre, "form": form, "heading": heading}
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/competence_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def held_qualification_add(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    def write(centre: Any, data: dict) -> None:
        services.qualification_held_add(
            person=request.user, centre=centre, kind=data["kind"], title=data["title"],
            awarding_body=data["awarding_body"], achieved_on=data["achieved_on"],
            certificates=[data["certificate"]] if data.get("certificate") else [],
        )

    return _own_form(request, centre_id, HeldQualificationForm, "Add a qualification you hold", write, "The qualification is added to your record.")


@require_http_methods(["GET", "HEAD", "POST"])
def experience_add(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    def write(centre: Any, data: dict) -> None:
        services.experience_add(
            person=request.user, centre=centre, role=data["role"], setting=data["setting"],
            started_on=data["started_on"], ended_on=data.get("ended_on"), summary=data.get("summary", ""),
        )

    return _own_form(request, centre_id, ExperienceForm, "Add occupational experience", write, "The experience is added to your record.")


@require_http_methods(["GET", "HEAD", "POST"])
def cpd_add(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    def write(centre: Any, data: dict) -> None:
        services.cpd_record(
            person=request.user, centre=centre, activity=data["activity"], done_on=data["done_on"],
            hours=data["hours"], reflection=data["reflection"], files=[data["cpd_file"]] if data.get("cpd_file") else [],
        )

    return _own_form(request, centre_id, CpdForm, "Record CPD", write, "The CPD is added to your record.")


@require_safe
def competence_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A certificate or a CPD file, as a download, to those who may read its keeper's record."""
    kept = access.competence_file_for_user(request.user, pk)
    response = FileResponse(
        kept.file.open("rb"), as_attachment=True, filename=kept.original_name, content_type=kept.content_type
    )
    return protected(response)
