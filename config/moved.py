"""Redirects from the addresses pages had before they moved, for links in emails already sent."""

from collections.abc import Callable

from django.http import HttpResponse
from django.views.generic import RedirectView


def moved(to: str) -> Callable[..., HttpResponse]:
    """A permanent redirect to `to`, a path with %(name)s for the old path's captured parts. Public:
    the page it leads to asks for sign-in itself, and the old address alone reveals nothing."""
    view = RedirectView.as_view(url=to, permanent=True, query_string=True)
    view.login_required = False  # what django.contrib.auth.decorators.login_not_required sets
    view.moved_to = to  # tells the access matrix this is an old address, not a page
    return view


