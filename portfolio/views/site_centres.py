"""The site administrator's centres: every centre with its administrators and its figures, and one
centre's page where they follow up its administrators' invitations (send again, withdraw, invite
another) and rename it. Superusers only; for anyone else the pages do not exist (404). Nothing here
opens a centre's candidates or their evidence."""

import logging
import smtplib

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolio.http import AuthenticatedHttpRequest

from .. import access, access_site, enrolment_counts, selectors_site, services_site
from ..errors import PortfolioError
from ..forms.centres import AdministratorInviteForm, CentreRenameForm
from ..models import Centre
from .centre_invitations import send_again_and_say

logger = logging.getLogger(__name__)

MAIL_FAILED = "The invitation email could not be sent, so nothing was saved. Try again later."


def site_centre_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_site_administrator(request.user)
    centres = enrolment_counts.of_centres(selectors_site.centres_with_administrators())
    return render(request, "portfolio/site_centre_list.html", {"centres": centres})


def site_centre(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access_site.site_centre_for_user(request.user, centre_id)
    return _centre_page(request, centre)


def _centre_page(
    request: AuthenticatedHttpRequest, centre: Centre, *, rename_form: CentreRenameForm | None = None,
    invite_form: AdministratorInviteForm | None = None,
) -> HttpResponse:
    context = {
        "centre": selectors_site.centre_with_administrators(centre),
        "rename_form": rename_form or CentreRenameForm(initial={"name": centre.name}),
        "invite_form": invite_form or AdministratorInviteForm(),
    }
    return render(request, "portfolio/site_centre.html", context, status=400 if rename_form or invite_form else 200)


def _refused(form: Form, error: PortfolioError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@require_POST
def site_centre_rename(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access_site.site_centre_for_user(request.user, centre_id)
    form = CentreRenameForm(request.POST)
    if form.is_valid():
        try:
            services_site.centre_rename(centre=centre, renamed_by=request.user, name=form.cleaned_data["name"])
        except PortfolioError as error:
            _refused(form, error)
        else:
            messages.success(request, f"The centre is now called {centre.name}.")
            return redirect("portfolio:site_centre", centre_id=centre.pk)
    return _centre_page(request, centre, rename_form=form)


@require_POST
def site_administrator_invite(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access_site.site_centre_for_user(request.user, centre_id)
    form = AdministratorInviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services_site.administrator_invite(
                centre=centre, invited_by=request.user, first_name=data["first_name"], last_name=data["last_name"],
                email=data["email"],
            )
        except PortfolioError as error:
            _refused(form, error)
        except (smtplib.SMTPException, OSError):
            logger.exception("An administrator's invitation could not be sent")
            form.add_error(None, MAIL_FAILED)
        else:
            messages.success(
                request, f"We have emailed {invitation.name} ({invitation.email}) an invitation to administer "
                f"{centre.name}.",
            )
            return redirect("portfolio:site_centre", centre_id=centre.pk)
    return _centre_page(request, centre, invite_form=form)


@require_POST
def site_invitation_resend(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, invitation = access_site.site_invitation_for_user(request.user, centre_id, pk)
    send_again_and_say(request, invitation, services_site.administrator_invitation_resend)
    return redirect("portfolio:site_centre", centre_id=centre.pk)


@require_POST
def site_invitation_withdraw(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, invitation = access_site.site_invitation_for_user(request.user, centre_id, pk)
    try:
        services_site.administrator_invitation_withdraw(invitation=invitation, withdrawn_by=request.user)
    except PortfolioError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The invitation of {invitation.name} ({invitation.email}) is withdrawn: its link no longer "
            "works. To invite the right address, use “Invite an administrator” below.",
        )
    return redirect("portfolio:site_centre", centre_id=centre.pk)
