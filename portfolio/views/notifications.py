"""A person's notifications: what needs them, newest first; reading them all at once; choosing how
to hear of each kind."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import access
from ..forms.notifications import NotificationPreferencesForm
from ..http import AuthenticatedHttpRequest
from ..models import Notification
from ..notification_preferences import choices_of, kinds_for, notification_preferences_save
from ..notification_targets import still_open
from ..notifications import shown_to
from ..paging import Pages

NOTIFICATIONS_PER_PAGE = 50


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Only the person's own (nobody reaches anyone else's by any address), and of those only about
    # centres where they hold a role now.
    notifications = shown_to(request.user).order_by("-created_at", "-id")
    page = Pages(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portfolio/notification_list.html", {"page": page})


def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Follows a notification to what it is about, marking it read on the way."""
    notification = access.notification_for_user(request.user, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    # Links are written by the services as paths on this site; anything else goes nowhere.
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        if not still_open(request.user, notification.link):
            # Their part in it has ended since (taken off the unit, the unit transferred): a plain
            # page saying so, in general terms, rather than the page's bare 404. Nothing of the case.
            return render(request, "portfolio/notification_gone.html", {"notification": notification})
        return redirect(notification.link)
    return redirect("portfolio:notification_list")


@require_POST
def notifications_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    marked = Notification.objects.filter(pk__in=shown_to(request.user).filter(read_at__isnull=True).values("pk")).update(
        read_at=timezone.now()
    )
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked as read.")
    return redirect("portfolio:notification_list")


def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's own choices, per kind of notification: emailed at once, in the daily
    digest, or in the app only. Nobody reaches anyone else's: there is no id in the address."""
    person = request.user
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds_for(person),
        current=choices_of(person),
    )
    if request.method == "POST" and form.is_valid():
        notification_preferences_save(person=person, choices=form.choices())
        messages.success(request, "Your notification settings are saved.")
        return redirect("portfolio:notification_preferences")
    return render(request, "portfolio/notification_preferences.html", {"form": form})
