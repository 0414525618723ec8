"""A centre administrator's page of one enrolment (who is on the case, its standing, what the centre
changed on it and why) and the forms that change it: the assessor or the IQA, the target date,
withdrawing, transferring and reinstating. Everyone else on the case reads the unit's own page and
finds these refused (403); anyone else finds nothing (404)."""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from .. import access, dates, enrolment_rules, selectors, services_enrolments
from ..errors import PortfolioError
from ..forms.enrolments import (
    EnrolmentReassignForm,
    EnrolmentReinstateForm,
    EnrolmentTargetDateForm,
    EnrolmentTransferForm,
    EnrolmentWithdrawForm,
)
from ..forms.refusals import refusal_on
from ..http import AuthenticatedHttpRequest
from ..models import Enrolment, EnrolmentStatus, Person
from ..notifications import still_at
from ..unit_standing import unit_state


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Enrolment:
    enrolment = access.enrolment_for_user(request.user, pk)
    access.require(
        access.administers(request.user, enrolment.centre),
        "Only a centre administrator changes an enrolment's assessor, IQA, target date or standing.",
    )
    return enrolment


def enrolment_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _managed(request, pk)
    may, not_offered = enrolment_rules.offered(enrolment)
    active = enrolment.status == EnrolmentStatus.ACTIVE
    context = {
        "enrolment": enrolment,
        "active": active,
        "closure": selectors.closure_of(enrolment),
        "history": selectors.enrolment_history(enrolment),
        # Only what may be done is offered, and why the rest is not (a signed-off unit offered
        # Withdraw and changed its assessor: an outside trial).
        "may": may,
        "not_offered": not_offered,
        # Its standing with where the unit stands, as the centre page says it ("Active" of a finished unit read wrongly).
        "state": unit_state(enrolment) if active else None,
        "deactivated": selectors.deactivated_at(
            enrolment.centre, among=[enrolment.candidate_id, enrolment.assessor_id, enrolment.iqa_id]
        ),
    }
    return render(request, "portfolio/enrolment_manage.html", context)


def _change_page(
    request: AuthenticatedHttpRequest,
    enrolment: Enrolment,
    form: forms.Form,
    change: Callable[[dict[str, Any]], object],
    *,
    name: str,
    page: dict[str, str],
    done: str | Callable[[], str],
) -> HttpResponse:
    """The form, and on a valid POST the service: refused, the form comes back with the reason
    beside its field (400); done, back to the enrolment's page saying so. A change the enrolment as
    it stands refuses (`enrolment_rules`: a withdrawn unit's assessor, say) shows why, with the way
    back, instead of the form, whether asked for or sent."""
    posted = request.method == "POST"
    if refused := enrolment_rules.refusal(enrolment, name):
        context = {"enrolment": enrolment, "refused": refused, "title": page["title"]}
        return render(request, "portfolio/enrolment_change.html", context, status=400 if posted else 200)
    if posted and form.is_valid():
        try:
            change(form.cleaned_data)
        except PortfolioError as refused_now:
            refusal_on(form, refused_now)
        else:
            messages.success(request, done if isinstance(done, str) else done())
            return redirect("portfolio:enrolment_manage", pk=enrolment.pk)
    context = {"enrolment": enrolment, "form": form, **page}
    return render(request, "portfolio/enrolment_change.html", context, status=400 if posted else 200)


def enrolment_reassign(request: AuthenticatedHttpRequest, pk: int, role: str) -> HttpResponse:
    if role not in services_enrolments.ROLES:
        raise Http404("No such role on a case.")
    enrolment = _managed(request, pk)
    word, current = services_enrolments.ROLES[role][1], getattr(enrolment, role)
    form = EnrolmentReassignForm(request.POST or None, enrolment=enrolment, role=role)
    choosable = form.fields["person"].queryset.exists()  # type: ignore[attr-defined]
    # Not "the new IQA, Carol Singh and Dan Okafor are told", which read as "the new IQA is Carol
    # Singh" (an outside trial); and, with nobody to choose, no word of changing it.
    lead = f"{current} is the {word} now."
    if choosable:
        lead += f" {_who_is_told(enrolment, current)}; what {current} recorded keeps their name."
    told: list[Person] = []

    def change(data: dict[str, Any]) -> None:
        services_enrolments.enrolment_reassign(
            enrolment=enrolment, role=role, person=data["person"], reason=data["reason"], changed_by=request.user
        )
        told.extend(still_at([data["person"], current, enrolment.candidate], enrolment.centre_id))

    return _change_page(
        request, enrolment, form, change, name=role,
        page={"title": f"Change the {word}", "button": f"Change the {word}",
              "lead": lead,
              # Nobody to offer: said, with where to find one, not an empty list (an outside trial).
              "nobody": "" if choosable else word},
        # Who was told, by name, as a withdrawal says (not "Everyone concerned": an outside trial).
        done=lambda: f"{form.cleaned_data['person']} is now the {word} of {enrolment.candidate}’s "
        f"{enrolment.unit.code}, in place of {current}. {_told_words(told)}",
    )


def _who_is_told(enrolment: Enrolment, current: Person) -> str:
    """Whoever is chosen is told, and of the others nobody deactivated here, said by name (a
    deactivated candidate's unit may change hands too: Dan dropped from the sentence unexplained
    read as a mistake, an outside trial)."""
    others = [current, enrolment.candidate]
    told = still_at(others, enrolment.centre_id)
    passed = [person for person in dict.fromkeys(others) if person not in told]
    words = "Whoever you choose is told"
    if told:
        words += f", and so {'is' if len(told) == 1 else 'are'} {_names(told)}"
    if passed:
        deactivated = "is deactivated here, so is not told" if len(passed) == 1 else "are deactivated here, so are not told"
        words += f" ({_names(passed)} {deactivated})"
    return words


def enrolment_target_date(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _managed(request, pk)
    form = EnrolmentTargetDateForm(request.POST or None, initial={"target_date": enrolment.target_date})
    return _change_page(
        request, enrolment, form, name="target_date", change=
        lambda data: services_enrolments.enrolment_target_date_change(
            enrolment=enrolment, target_date=data["target_date"], reason=data["reason"], changed_by=request.user
        ),
        page={"title": "Change the target date", "button": "Change the target date",
              "lead": f"The target date is now {dates.day(enrolment.target_date)}. {enrolment.candidate} and "
                      f"{enrolment.assessor} are told of the new date and the reason."},
        done=lambda: f"The target date of {enrolment.candidate}’s {enrolment.unit.code} is changed. "
        f"{_told_words(still_at([enrolment.candidate, enrolment.assessor], enrolment.centre_id))}",
    )


def enrolment_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _managed(request, pk)
    form = EnrolmentWithdrawForm(request.POST or None)
    return _change_page(
        request, enrolment, form, name="withdraw", change=
        lambda data: services_enrolments.enrolment_withdraw(
            enrolment=enrolment, effective_date=data["effective_date"], reason=data["reason"], changed_by=request.user
        ),
        page={"title": "Withdraw from the unit", "button": "Withdraw", "danger": "yes",
              "lead": "The enrolment and everything on it are kept as they stand, shown as withdrawn: nothing more "
                      "is submitted, judged or signed on it, and it leaves the assessor's and IQA's lists. "
                      "You can reinstate it later."},
        done=lambda: f"{enrolment.candidate}’s {enrolment.unit.code} is withdrawn. {_told(enrolment)}",
    )


def enrolment_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _managed(request, pk)
    form = EnrolmentTransferForm(request.POST or None)
    return _change_page(
        request, enrolment, form, name="transfer", change=
        lambda data: services_enrolments.enrolment_transfer(
            enrolment=enrolment, to_centre=data["to_centre"], effective_date=data["effective_date"],
            reason=data["reason"], changed_by=request.user,
        ),
        page={"title": "Record a transfer to another centre", "button": "Record the transfer", "danger": "yes",
              "lead": "The enrolment is kept here as it stands, shown as transferred and read-only. Nothing is "
                      "sent to the other centre: it registers the candidate itself."},
        done=lambda: f"{enrolment.candidate}’s {enrolment.unit.code} is recorded as transferred. {_told(enrolment)}",
    )


def enrolment_reinstate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _managed(request, pk)
    form = EnrolmentReinstateForm(request.POST or None, enrolment=enrolment)
    told: list[Person] = []
    return _change_page(
        request, enrolment, form, name="reinstate", change=
        lambda data: told.extend(services_enrolments.enrolment_reinstate(
            enrolment=enrolment, reason=data["reason"], assessor=data["assessor"], iqa=data["iqa"],
            target_date=data["target_date"], changed_by=request.user,
        )),
        page={"title": "Reinstate the enrolment", "button": "Reinstate",
              "lead": "The candidate carries on with the unit here, from where it was left, with the assessor, "
                      "IQA and target date you choose."},
        # Those on it still at the centre, as `notify` told them: a deactivated candidate is not.
        done=lambda: f"{enrolment.candidate}’s {enrolment.unit.code} is active again, with the target date "
        f"{dates.day(form.cleaned_data['target_date'])}. {_told_words(still_at(told, enrolment.centre_id))}",
    )


def _told(enrolment: Enrolment) -> str:
    """Who a closing told, in words: the candidate, assessor and IQA still at the centre (someone
    deactivated there is not told, so the page does not say they were)."""
    return _told_words(still_at([enrolment.candidate, enrolment.assessor, enrolment.iqa], enrolment.centre_id))


def _told_words(told: Sequence[Person]) -> str:
    return f"{_names(told)} {'has' if len(told) == 1 else 'have'} been told." if told else "Nobody else was told."


def _names(people: Sequence[Person | str]) -> str:
    names = [str(person) for person in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
