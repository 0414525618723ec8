"""A centre administrator's page about one person at the centre: their roles and units here, and
what the administrator may do (change their roles, ask them to correct their name, deactivate or reactivate them, clear a
sign-in lock-out). Anyone but an administrator of that centre finds nothing (404), and nobody
finds a person who has never been at the centre, whatever else they are."""

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolio.http import AuthenticatedHttpRequest

from .. import access_centre, selectors, services_handover, services_people
from ..forms.person_manage import DeactivateForm, DeactivationReasonForm, NameForm, ReactivateForm, RolesForm
from ..models import Centre, Person, Role
from ..paging import Pages
from ..services_centre import Refused
from ..sign_in_limits import is_locked_out

UNITS_PER_PAGE = 50


def _page(
    request: AuthenticatedHttpRequest, centre: Centre, person: Person, *,
    roles_form: RolesForm | None = None, name_form: NameForm | None = None, refused: str = "",
    reason_form: DeactivationReasonForm | None = None, reactivate_form: ReactivateForm | None = None,
) -> HttpResponse:
    here = selectors.person_here(person, centre)
    active = here.deactivation is None
    if active and reason_form is not None:  # reactivated while the correction was being typed
        refused = f"{person} is not deactivated here, so there is no reason to correct."
    if active and reactivate_form is not None:  # reactivated by someone else meanwhile
        refused = f"{person} is not deactivated here."
    context = {
        "centre": centre,
        "person": person,
        "here": here,
        # An IQA of a large centre may be on thousands of units: a page of them at a time.
        "units": Pages(here.enrolments, UNITS_PER_PAGE).get_page(request.GET.get("page")),
        "role_labels": [Role(role).label for role in here.roles],
        "active": active,
        "is_self": person.pk == request.user.pk,
        "locked_out": is_locked_out(person),
        "roles_form": roles_form or RolesForm(initial={"roles": here.roles}),
        "name_questions": selectors.name_questions_here(person, centre),
        "name_form": name_form or NameForm(initial={"first_name": person.first_name, "last_name": person.last_name}),
        "reason_form": None if active else reason_form if reason_form is not None else DeactivationReasonForm(
            initial={"reason": here.deactivation.reason if here.deactivation else ""}
        ),
        "reactivate_form": None if active else reactivate_form or ReactivateForm(),
        "refused": refused,
        "hand_over": bool(refused) and services_people.has_work_to_hand_over(person, centre),
    }
    return render(
        request, "portfolio/person_detail.html", context,
        status=400 if refused or reason_form is not None or reactivate_form is not None else 200,
    )


def _back(centre: Centre, person: Person) -> HttpResponse:
    return redirect("portfolio:person_detail", centre_id=centre.pk, person_id=person.pk)


def person_detail(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    return _page(request, centre, person)


def _refused_on(form: Form, error: Refused) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@require_POST
def person_roles(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            given, taken = services_people.roles_set(
                centre=centre, person=person, changed_by=request.user, roles=set(form.cleaned_data["roles"])
            )
        except Refused as error:
            _refused_on(form, error)
        else:
            changed = [f"now {Role(r).label.lower()}" for r in sorted(given)]
            changed += [f"no longer {Role(r).label.lower()}" for r in sorted(taken)]
            messages.success(request, f"{person} is {' and '.join(changed)}." if changed else "No roles changed.")
            return _back(centre, person)
    return _page(request, centre, person, roles_form=form)


@require_POST
def person_name(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services_people.name_suggest(centre=centre, person=person, suggested_by=request.user, **form.cleaned_data)
        except Refused as error:
            _refused_on(form, error)
        else:
            suggested = f"{form.cleaned_data['first_name']} {form.cleaned_data['last_name']}".strip()
            messages.success(
                request, f"We have asked {person} to check their name and confirm it as {suggested}. Their name "
                "changes when they do.",
            )
            return _back(centre, person)
    return _page(request, centre, person, name_form=form)


def person_deactivate(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    form = DeactivateForm(request.POST if request.method == "POST" else None)
    refused = ""
    if form.is_valid():
        try:
            services_people.membership_deactivate(
                centre=centre, person=person, deactivated_by=request.user, reason=form.cleaned_data["reason"]
            )
        except Refused as error:
            if error.field == "reason":
                _refused_on(form, error)
            else:
                refused = str(error)
        else:
            messages.success(request, f"{person} is deactivated: they can no longer open anything of {centre}. Their records are kept.")
            return _back(centre, person)
    # Posted and not done, this page comes back: with the reason typed and what is wrong with it, or
    # with why they may not be deactivated now (and no form). Nothing has changed.
    refused = refused or services_people.deactivation_refusal(person, centre)
    hand_over = bool(refused) and services_people.has_work_to_hand_over(person, centre)
    # What stays with them, their work on it done (their units still needing them refuse it above).
    kept = [] if refused else [
        services_handover.kept_words(services_people.units_done(person, centre, role), person, role)
        for role in (Role.ASSESSOR, Role.IQA)
    ]
    context = {"centre": centre, "person": person, "refused": refused, "hand_over": hand_over, "form": form,
               "kept": [words for words in kept if words],
               "invitations": [(str(Role(i.role).label).lower(), i) for i in services_people.waiting_invitations(person, centre)]}
    return render(request, "portfolio/person_deactivate.html", context, status=400 if form.is_bound else 200)


@require_POST
def person_reactivate(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    form = ReactivateForm(request.POST)
    if not form.is_valid():  # the page comes back with the reason as typed and what is wrong with it
        return _page(request, centre, person, reactivate_form=form)
    try:
        roles = services_people.membership_reactivate(
            centre=centre, person=person, reactivated_by=request.user, reason=form.cleaned_data["reason"]
        )
    except Refused as error:
        if error.field != "reason":
            return _page(request, centre, person, refused=str(error))
        _refused_on(form, error)
        return _page(request, centre, person, reactivate_form=form)
    labels = " and ".join(str(Role(role).label).lower() for role in roles)
    messages.success(request, f"{person} is reactivated, as {labels}.")
    return _back(centre, person)


@require_POST
def person_deactivation_reason(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    form = DeactivationReasonForm(request.POST)
    if form.is_valid():
        try:
            changed = services_people.deactivation_reason_correct(
                centre=centre, person=person, corrected_by=request.user, reason=form.cleaned_data["reason"]
            )
        except Refused as error:
            if error.field != "reason":
                return _page(request, centre, person, refused=str(error))
            _refused_on(form, error)
        else:
            if changed:
                messages.success(request, f"The reason {person} is deactivated is corrected. The audit trail keeps the old one.")
            else:
                messages.info(request, "That is the reason recorded already, so nothing changed.")
            return _back(centre, person)
    # Not done: the page comes back with the reason as typed and what is wrong with it. Nothing has changed.
    return _page(request, centre, person, reason_form=form)


@require_POST
def person_lock_out_clear(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    if services_people.lock_out_clear(centre=centre, person=person, cleared_by=request.user):
        messages.success(request, f"{person} may sign in again now.")
    else:
        messages.info(request, f"{person} was not locked out, so there was nothing to clear.")
    return _back(centre, person)
