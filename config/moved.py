"""Redirects from the addresses pages had before they moved, for links in emails already sent."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBase
from django.views.generic import RedirectView


def moved(to: str) -> Callable[..., HttpResponseBase]:
    """A permanent redirect to `to`, a path with %(name)s for the old path's captured parts. Public:
    the page it leads to asks for sign-in itself, and the old address alone reveals nothing."""
    redirect = RedirectView.as_view(url=to, permanent=True, query_string=True)

    @login_not_required
    def view(request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return redirect(request, *args, **kwargs)

    view.moved_to = to  # type: ignore[attr-defined]  # tells the access matrix this is an old address
    return view
