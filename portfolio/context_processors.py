"""Values every page's layout needs."""

import functools

from django.http import HttpRequest

from .notifications import shown_to


def notifications(request: HttpRequest) -> dict:
    """How many unread notifications the signed-in person has, for the badge in the menu. Lazy, so
    a page that never shows the menu never counts."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def unread() -> int:
        return shown_to(user).filter(read_at__isnull=True).count()

    return {"unread_notifications": unread}
