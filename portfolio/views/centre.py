"""A centre administrator's pages: the centre's people and enrolments, adding a person, and
registering a candidate on a unit. Anyone but an administrator of that centre finds nothing (404)."""

import logging
import smtplib
from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from portfolio.http import AuthenticatedHttpRequest

from .. import (
    access,
    enrolment_counts,
    name_order,
    registration_filter,
    selectors,
    services_centre,
    services_registration,
)
from ..counted_pages import KnownCountPaginator
from ..errors import PortfolioError
from ..forms.people import EnrolmentRegisterForm, PersonAddForm
from ..forms.refusals import refusal_on
from ..forms.registration import CandidateFindForm
from ..models import (
    Centre,
    DeactivatedMembership,
    Enrolment,
    Invitation,
    Membership,
    Person,
    PreparedEnrolment,
    PreparedRegistration,
    Role,
)
from ..services_centre import CENTRE_ROLES, with_article

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
# The people filter's choice of those deactivated here, listed apart from the roles held now.
DEACTIVATED = "deactivated"
NOBODY_REGISTERED = "Nobody is registered yet: untick those refused, or correct what they are refused for, and register again."

# The enrolment field a role filter narrows the name search to.
_ENROLMENT_ROLE_FIELDS: dict[str, str] = {Role.CANDIDATE: "candidate", Role.ASSESSOR: "assessor", Role.IQA: "iqa"}


def _name_matches(words: list[str], prefix: str = "") -> Q:
    """Every word found in the first name, last name or email address of the person at `prefix`."""
    matches = Q()
    for word in words:
        matches &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
        )
    return matches


def _listed(centre: Centre, *, role: str, words: list[str]) -> QuerySet[Person]:
    """The people the centre page lists: with no role chosen, everyone with a role here and everyone
    deactivated here (to be found and reactivated); with a role, those holding it now; with
    "deactivated", the deactivated only."""
    memberships = Membership.objects.filter(person=OuterRef("pk"), centre=centre)
    deactivated = DeactivatedMembership.objects.filter(person=OuterRef("pk"), centre=centre)
    if role == DEACTIVATED:
        listed = Q(Exists(deactivated))
    elif role:
        listed = Q(Exists(memberships.filter(role=role)))
    else:
        listed = Q(Exists(memberships)) | Q(Exists(deactivated))
    return Person.objects.filter(listed).filter(_name_matches(words))


def _people_at(centre: Centre, *, role: str, words: list[str]) -> QuerySet[Person]:
    return (
        _listed(centre, role=role, words=words)
        .annotate(deactivated_here=_deactivated_here(centre))
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(centre=centre), to_attr="roles_here")
        )
        .order_by(*name_order.by_name(), "pk")
    )


def _deactivated_here(centre: Centre) -> Exists:
    return Exists(DeactivatedMembership.objects.filter(person=OuterRef("pk"), centre=centre))


def _counted(people: QuerySet[Person], centre: Centre) -> dict[str, int]:
    """How many people, and how many of them deactivated here: one query."""
    return people.aggregate(people=Count("pk"), deactivated=Count("pk", filter=Q(_deactivated_here(centre))))


def _with_units(people: Page, centre: Centre) -> None:
    """Each person of the page gains `units_here`: their enrolments at the centre as a candidate,
    counted as every figure of the centre counts them (`enrolment_counts`), for the page's rows only,
    in two small queries once the page is taken (grouping every candidate's enrolments before taking
    the first fifty counted them all)."""
    people.object_list = list(people.object_list)
    units = enrolment_counts.counted_by(Enrolment.objects.filter(centre=centre), "candidate", (p.pk for p in people))
    for person in people.object_list:
        person.units_here = units[person.pk]


def _enrolments_at(centre: Centre, *, role: str, words: list[str]) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(centre=centre).select_related(
        "candidate", "unit", "assessor", "iqa"
    )
    if words:
        fields = (
            [_ENROLMENT_ROLE_FIELDS[role]]
            if role in _ENROLMENT_ROLE_FIELDS
            else _ENROLMENT_ROLE_FIELDS.values()
        )
        matches = Q()
        for field in fields:
            matches |= _name_matches(words, f"{field}__")
        enrolments = enrolments.filter(matches)
    if role == DEACTIVATED:
        enrolments = enrolments.filter(_anyone_deactivated(centre, ("candidate", "assessor", "iqa")))
    return enrolments.order_by(*name_order.by_name("candidate__"), "candidate_id", "unit__code")


def _anyone_deactivated(centre: Centre, fields: tuple[str, ...]) -> Q:
    """Rows where the person in any of `fields` is deactivated at the centre."""
    deactivated = DeactivatedMembership.objects.filter(centre=centre).values("person")
    anyone = Q()
    for field in fields:
        anyone |= Q(**{f"{field}__in": deactivated})
    return anyone


def _invitations_at(centre: Centre, *, role: str, words: list[str]) -> QuerySet[Invitation]:
    """Invitations not yet accepted nor withdrawn, found by the name the centre typed (paged in the
    order of people by `name_order.page_by_typed_name`): that is all it knows of them until they
    accept, whether or not the address has an account anywhere."""
    invitations = selectors.invitations_waiting(centre).prefetch_related(
        Prefetch("prepared_enrolments", queryset=PreparedEnrolment.objects.select_related("unit")),
        Prefetch("prepared_registrations", queryset=PreparedRegistration.objects.select_related("qualification")),
    )
    if role:
        invitations = invitations.filter(role=role)
    for word in words:
        invitations = invitations.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return invitations


def _prepared_at(
    centre: Centre, *, role: str, words: list[str], on: type[PreparedEnrolment | PreparedRegistration] = PreparedEnrolment
) -> QuerySet:
    """Registrations of invited candidates (`on` units, or on qualifications), waiting for them to
    accept, and those kept when they accepted, waiting for the centre to choose an assessor or IQA
    (`services_prepared_held`). Paged by the invited candidate's name and then the unit's or
    qualification's code (`_prepared_page`)."""
    held = Q(invitation__centre=centre, invitation__accepted_at__isnull=False, invitation__cancelled_at__isnull=True)
    registered_on = "qualification" if on is PreparedRegistration else "unit"
    prepared = on.objects.filter(
        Q(invitation__in=selectors.invitations_waiting(centre)) | held
    ).select_related("invitation", registered_on, "assessor", "iqa")
    if words:
        invited = Q()
        for word in words:
            invited &= Q(invitation__name__icontains=word) | Q(invitation__email__icontains=word)
        by_role: dict[str, Q] = {Role.CANDIDATE: invited, Role.ASSESSOR: _name_matches(words, "assessor__"),
                   Role.IQA: _name_matches(words, "iqa__")}
        prepared = prepared.filter(by_role.get(role) or (invited | by_role[Role.ASSESSOR] | by_role[Role.IQA]))
    if role == DEACTIVATED:
        # The invited are nobody here yet: only their assessor or IQA can have been deactivated.
        prepared = prepared.filter(_anyone_deactivated(centre, ("assessor", "iqa")))
    return prepared


def _prepared_page(prepared: QuerySet, registered_on: str, number: str | None) -> Page:
    return name_order.page_by_typed_name(
        prepared, number, per_page=PAGE_SIZE, prefix="invitation__", then=("invitation_id", f"{registered_on}__code")
    )


def _role_counts(centre: Centre) -> dict[str, int]:
    counts = dict(
        Membership.objects.filter(centre=centre).order_by().values_list("role").annotate(n=Count("pk"))
    )
    counts["all"] = Membership.objects.filter(centre=centre).values("person").distinct().count()
    return counts


def _role_choices(counts: dict[str, int], everyone: int, deactivated: set[int]) -> list[tuple[str, str, int]]:
    """The role filter's choices, each with the number of people it lists: everyone (active and
    deactivated, as the list shows them unfiltered), each role's holders now, and the deactivated
    apart. The numbers agree with the list's own count under each choice."""
    return [
        ("", "Everyone, deactivated too", everyone),
        # External quality assurers are listed too: the awarding body gives them their role here.
        *((value, Role(value).label, counts.get(value, 0)) for value in Role.values if value in CENTRE_ROLES or counts.get(value)),
        *([(DEACTIVATED, "Deactivated", len(deactivated))] if deactivated else []),
    ]


def _everyone(centre: Centre, counts: dict[str, int], deactivated: set[int]) -> int:
    """How many the unfiltered people list holds: those with a role here and those deactivated here
    (who keep no role here, unless given one since), each once."""
    if not deactivated:
        return counts["all"]
    also_holding = Membership.objects.filter(centre=centre, person_id__in=deactivated).values("person").distinct()
    return counts["all"] + len(deactivated) - also_holding.count()


def _people_counted(
    centre: Centre, *, role: str, words: list[str], counts: dict[str, int], everyone: int, deactivated: set[int]
) -> dict[str, int]:
    """How many people the list holds, and how many of them are deactivated here. Without a name
    search both are known from the role counts (memberships, one per person and role) and the few
    people deactivated here: counting the people again walked every person at the centre."""
    if words:
        return _counted(_listed(centre, role=role, words=words), centre)
    if role == DEACTIVATED:
        return {"people": len(deactivated), "deactivated": len(deactivated)}
    if role:
        # Someone deactivated here may have been given a role again since.
        again = Membership.objects.filter(centre=centre, role=role, person_id__in=deactivated).count() if deactivated else 0
        return {"people": counts.get(role, 0), "deactivated": again}
    return {"people": everyone, "deactivated": len(deactivated)}


def centre_detail_context(request: AuthenticatedHttpRequest, centre: Centre) -> dict[str, Any]:
    """The centre page's people and enrolments, a page of each. The page itself is drawn by
    assessments, which adds where each unit stands (as assessments/views/home.py does for the home
    page): portfolio knows nothing of sign-offs."""
    role = request.GET.get("role", "")
    if role not in Role.values and role != DEACTIVATED:
        role = ""
    query = request.GET.get("q", "").strip()
    words = query.split()
    counts = _role_counts(centre)
    deactivated = selectors.deactivated_at(centre)
    everyone = _everyone(centre, counts, deactivated)
    people_counted = _people_counted(centre, role=role, words=words, counts=counts, everyone=everyone, deactivated=deactivated)
    people = KnownCountPaginator(_people_at(centre, role=role, words=words), PAGE_SIZE, people_counted["people"]).get_page(
        request.GET.get("people_page")
    )
    _with_units(people, centre)
    # Every enrolment is listed; those of deactivated candidates and those withdrawn or transferred
    # are said apart in the count (`enrolment_counts`), which also gives the pages' count.
    found = _enrolments_at(centre, role=role, words=words)
    tally = enrolment_counts.counted(found)
    enrolments = KnownCountPaginator(found, PAGE_SIZE, tally.total).get_page(request.GET.get("enrolments_page"))
    invitations = name_order.page_by_typed_name(
        _invitations_at(centre, role=role, words=words), request.GET.get("invitations_page"), per_page=PAGE_SIZE
    )
    prepared = _prepared_page(_prepared_at(centre, role=role, words=words), "unit", request.GET.get("prepared_page"))
    prepared_qualifications = _prepared_page(
        _prepared_at(centre, role=role, words=words, on=PreparedRegistration), "qualification",
        request.GET.get("prepared_qualifications_page"),
    )
    now = timezone.now()
    for invitation in invitations:
        invitation.status_now = invitation.status(now)
    return {
        "centre": centre,
        "people": people,
        "enrolments": enrolments,
        "enrolments_counted": tally,
        "invitations": invitations,
        "prepared": prepared,
        "prepared_qualifications": prepared_qualifications,
        "role": role,
        "role_label": Role(role).label if role in Role.values else "",
        "people_deactivated": people_counted["deactivated"],
        "people_active": people_counted["people"] - people_counted["deactivated"],
        "query": query,
        "role_choices": _role_choices(counts, everyone, deactivated),
        "filtered": bool(role or query),
        "deactivated": deactivated,
    }


def person_create(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    form = PersonAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services_centre.person_add(centre=centre, added_by=request.user, **form.cleaned_data)
        except PortfolioError as error:
            form.add_error(getattr(error, "field", None), str(error))
        except (smtplib.SMTPException, OSError):
            logger.exception("The invitation email could not be sent")
            form.add_error(None, "The invitation email could not be sent, so nothing was saved. Try again later.")
        else:
            # The same words whether or not the address has an account: the centre learns nothing of it.
            role_name = Role(invitation.role).label.lower()
            # Another waiting invitation here is the centre's own knowledge: said, so two are not sent by mistake.
            also = services_centre.waiting_in_other_roles(centre, [invitation.email], invitation.role)
            messages.success(
                request,
                f"We have emailed {invitation.name} ({invitation.email}) an invitation to join {centre} as "
                f"{with_article(role_name)}. They are listed as invited until they accept. "
                f"{also.get(invitation.email, '')}".strip(),
            )
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    return render(request, "portfolio/person_create.html", {"centre": centre, "form": form})


def enrolment_create(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """One candidate or a whole class on a unit, with one assessor, one IQA and the same dates. The
    candidates offered may be narrowed (by name, import or day invited: the address's query, which
    the form's post keeps) and all those found ticked at once ("tick=all")."""
    centre = access.administered_centre_for_user(request.user, centre_id)
    finder = CandidateFindForm(request.GET if _FIND_FIELDS & set(request.GET) else None, centre=centre)
    chosen = finder.chosen()
    offered = registration_filter.narrowed(centre, selectors.candidates_to_register(centre, invited=True), chosen)
    if request.method == "POST":
        form = EnrolmentRegisterForm(request.POST, centre=centre, candidates=offered)
    else:
        initial = {"start_date": timezone.localdate(), "candidate": request.GET.getlist("candidate")}
        form = EnrolmentRegisterForm(initial=initial, centre=centre, candidates=offered)
        if request.GET.get("tick") == "all":
            form.initial["candidate"] = form.every_candidate()
    if request.method == "POST" and form.is_valid():
        chosen_fields = dict(form.cleaned_data)
        try:
            registered = services_registration.enrolments_register(
                centre=centre, registered_by=request.user, candidates=chosen_fields.pop("candidate"), **chosen_fields
            )
        except services_registration.CandidatesRefused as refused:
            form.add_error("candidate", [*refused.refusals, NOBODY_REGISTERED])
        except PortfolioError as error:
            refusal_on(form, error)
        else:
            messages.success(request, _registered(registered, chosen_fields))
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    context = {
        "centre": centre, "form": form, "short_of": form.short_of(), "finder": finder, "narrowed": bool(chosen),
        "staff_invited": selectors.invitations_waiting(centre).filter(role__in=[Role.ASSESSOR, Role.IQA]),
    }
    # A refused post answers 400, as every form of the project does (the qualification's among them).
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "portfolio/enrolment_create.html", context, status=status)


_FIND_FIELDS = {"words", "batch", "invited_on"}


def _registered(registered: list[Enrolment | PreparedEnrolment], chosen: dict[str, Any]) -> str:
    """What was done, in one sentence or two: who is registered, and who will be when they accept."""
    now = [str(e.candidate) for e in registered if isinstance(e, Enrolment)]
    waiting = [e.invitation.name for e in registered if isinstance(e, PreparedEnrolment)]
    team = f"with {chosen['assessor']} as assessor and {chosen['iqa']} as IQA"
    unit = chosen["unit"].code
    said = []
    if now:
        said.append(f"{_names(now)} {'is' if len(now) == 1 else 'are'} registered on {unit}, {team}.")
    if waiting:
        said.append(f"{_names(waiting)} will be registered on {unit}, {team}, when they accept the invitation.")
    return " ".join(said)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
