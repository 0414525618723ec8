"""The invited person's pages: the emailed link (public: the link's secret opens it), and the
centre's data-protection terms an external quality assurer accepts before reading anything."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from portfolio.http import AuthenticatedHttpRequest

from .. import access, eqa_middleware, services_eqa, services_invitations
from ..errors import PortfolioError
from ..forms.eqa import InvitationAccountForm
from ..invitation_models import Invitation
from ..models import Person, Role
from ..services_centre import with_article
from ..services_invitations import InvitationUnavailable


def _after_accepting(invitation: Invitation) -> str:
    if invitation.role == Role.EQA:
        return reverse("portfolio:eqa_terms", args=[invitation.eqa_grant.pk])
    return reverse("home")


def _unavailable(request: HttpRequest, reason: str) -> HttpResponse:
    words = InvitationUnavailable.WORDS[reason]
    context = {"words": words, "reason": reason, "sign_in": reverse("login")}
    return render(request, "portfolio/invitation_unavailable.html", context, status=404 if reason == "unknown" else 410)


def _signed_in_as_someone_else(request: HttpRequest, invitation: Invitation) -> bool:
    """Signed in with another address than the invited one. Asked of the session alone, never of
    whether the invited address has an account, so the page says nothing of that."""
    user = request.user
    return user.is_authenticated and isinstance(user, Person) and user.email.lower() != invitation.email.lower()


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Someone with no account sets their name and password here; someone with one signs in as the
    invited address and accepts. Either way the link works once. Someone signed in as another
    address is asked to sign out first: accepting never switches who is signed in behind their back."""
    invitation, status = services_invitations.invitation_opened(token)
    if invitation is None or status != "pending":
        return _unavailable(request, status)
    if _signed_in_as_someone_else(request, invitation):
        context = {"invitation": invitation, "centre": invitation.centre, "next": request.path}
        return render(request, "portfolio/invitation_other_account.html", context,
                      status=400 if request.method == "POST" else 200)
    account = services_invitations.account_for(invitation)
    signed_in_as_invited = request.user.is_authenticated and account is not None and request.user.pk == account.pk
    form = None
    if account is None:
        # The name the centre typed, for the invited person to keep or correct.
        first, last = invitation.name_parts()
        form = InvitationAccountForm(request.POST or None, email=invitation.email, initial={"first_name": first, "last_name": last})
    error = ""
    if request.method == "POST":
        try:
            person = _accept(request, invitation, token, form, signed_in_as_invited)
        except InvitationUnavailable as unavailable:
            return _unavailable(request, unavailable.reason)
        except PortfolioError as refused:
            error = str(refused)
        else:
            if person is not None:
                eqa_middleware.remember(request, person)
                return redirect(_after_accepting(invitation))
    context = {
        "invitation": invitation, "centre": invitation.centre, "form": form, "error": error,
        "has_account": account is not None, "signed_in_as_invited": signed_in_as_invited,
        "grant": invitation.eqa_grant if invitation.role == Role.EQA else None,
        "as_role": with_article(Role(invitation.role).label.lower()),
        "sign_in": f"{reverse('login')}?next={request.path}",
    }
    return render(request, "portfolio/invitation_accept.html", context, status=400 if request.method == "POST" else 200)


def _accept(
    request: HttpRequest, invitation: Invitation, token: str, form: InvitationAccountForm | None,
    signed_in_as_invited: bool,
) -> Person | None:
    """The person who accepted, or None when the form needs correcting."""
    if form is not None:
        if not form.is_valid():
            return None
        person = services_invitations.invitation_accept_new(
            invitation=invitation, token=token, first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password1"],
        )
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        return person
    if not signed_in_as_invited:
        raise PortfolioError(f"Sign in as {invitation.email} to accept this invitation.")
    signed_in = request.user
    assert isinstance(signed_in, Person)
    services_invitations.invitation_accept(invitation=invitation, token=token, person=signed_in)
    return signed_in


def eqa_terms(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The centre's data-protection terms, which open the grant's records once accepted."""
    grant = access.eqa_grant_for_user(request.user, pk)
    if request.method == "POST":
        services_eqa.eqa_terms_accept(grant=grant, person=request.user)
        return redirect("assessments:centre_portfolios", grant.centre_id)
    return render(request, "portfolio/eqa_terms.html", {"grant": grant, "centre": grant.centre})
