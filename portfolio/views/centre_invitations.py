"""A centre administrator's invitations to the centre's roles: sent again, the typed name corrected,
withdrawn. And the site
administrator's page that creates a centre and invites its first administrator. Anyone else finds
nothing (404)."""

import logging
import smtplib
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolio.http import AuthenticatedHttpRequest

from .. import access, access_centre, services_centre_invitations
from ..errors import PortfolioError
from ..forms.centres import CentreCreateForm
from ..forms.person_manage import NameForm
from ..models import Centre, Invitation, Role
from ..services_centre import with_article

logger = logging.getLogger(__name__)


def _closed(request: AuthenticatedHttpRequest, centre: Centre, invitation: Invitation) -> HttpResponse | None:
    """An invitation accepted or withdrawn has nothing left to correct, send again or withdraw: a page that
    says so (404: the action is not there), never a confirmation, a redirect or a message of success."""
    if invitation.accepted_at is None and invitation.cancelled_at is None:
        return None
    closed = "accepted" if invitation.accepted_at is not None else "withdrawn"
    context = {"centre": centre, "invitation": invitation, "closed": closed}
    return render(request, "portfolio/invitation_closed.html", context, status=404)


@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, invitation = access_centre.administered_invitation_for_user(request.user, centre_id, pk)
    if (closed := _closed(request, centre, invitation)) is not None:
        return closed
    send_again_and_say(request, invitation, services_centre_invitations.invitation_resend)
    return redirect("assessments:centre_detail", centre_id=centre.pk)


def send_again_and_say(request: AuthenticatedHttpRequest, invitation: Invitation, send: Callable[..., object]) -> None:
    """Sends an invitation again through `send` (the centre's or the site administrator's service)
    and tells the person on the page how it went: the same words from either page."""
    try:
        send(invitation=invitation, sent_by=request.user)
    except PortfolioError as error:
        messages.error(request, str(error))
    except (smtplib.SMTPException, OSError):
        logger.exception("The invitation email could not be sent again")
        messages.error(request, "The invitation email could not be sent. Try again later.")
    else:
        messages.success(
            request, f"The invitation was sent again to {invitation.name} ({invitation.email}). The earlier link "
            "no longer works.",
        )


def invitation_name(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    """Corrects the name the centre typed on a waiting invitation."""
    centre, invitation = access_centre.administered_invitation_for_user(request.user, centre_id, pk)
    if (closed := _closed(request, centre, invitation)) is not None:
        return closed
    first, last = invitation.name_parts()
    form = NameForm(request.POST or None, initial={"first_name": first, "last_name": last})
    if request.method == "POST" and form.is_valid():
        try:
            services_centre_invitations.invitation_rename(invitation=invitation, renamed_by=request.user, **form.cleaned_data)
        except PortfolioError as refused:
            form.add_error(None, str(refused))
        else:
            invitation.refresh_from_db()
            messages.success(request, f"The invitation of {invitation.email} now names {invitation.name}.")
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    context = {"centre": centre, "invitation": invitation, "form": form,
               "as_role": with_article(Role(invitation.role).label.lower())}
    return render(request, "portfolio/invitation_name.html", context, status=400 if form.is_bound else 200)


def invitation_cancel(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, invitation = access_centre.administered_invitation_for_user(request.user, centre_id, pk)
    if (closed := _closed(request, centre, invitation)) is not None:
        return closed
    error = ""
    if request.method == "POST":
        try:
            services_centre_invitations.invitation_cancel(invitation=invitation, cancelled_by=request.user)
        except PortfolioError as refused:
            error = str(refused)
        else:
            messages.success(request, f"The invitation of {invitation.name} ({invitation.email}) is withdrawn.")
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    context = {
        "centre": centre, "invitation": invitation, "error": error,
        "as_role": with_article(Role(invitation.role).label.lower()),
        "prepared": invitation.prepared_enrolments.select_related("unit"),
        "prepared_qualifications": invitation.prepared_registrations.select_related("qualification"),
    }
    return render(request, "portfolio/invitation_cancel.html", context, status=400 if error else 200)


def centre_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_site_administrator(request.user)
    form = CentreCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        name = f"{data['administrator_first_name']} {data['administrator_last_name']}"
        try:
            centre = services_centre_invitations.centre_create(
                created_by=request.user, name=data["name"], code=data["code"], administrator_name=name,
                email=data["administrator_email"],
            )
        except PortfolioError as error:
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, str(error))
        except (smtplib.SMTPException, OSError):
            logger.exception("The first administrator's invitation could not be sent")
            form.add_error(None, "The invitation email could not be sent, so nothing was saved. Try again later.")
        else:
            messages.success(
                request, f"{centre.name} is created. We have emailed {name} ({data['administrator_email']}) an "
                "invitation to administer it.",
            )
            return redirect("portfolio:site_centre", centre_id=centre.pk)
    return render(request, "portfolio/centre_create.html", {"form": form}, status=400 if form.is_bound else 200)
