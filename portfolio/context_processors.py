"""Values every page's layout needs."""

import functools

from django.http import HttpRequest

from .models import Notification


def notifications(request: HttpRequest) -> dict:
    """How many unread notifications the signed-in person has, for the badge in the menu. Lazy, so
    a page that never shows the menu never counts."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def unread() -> int:
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_notifications": unread}
