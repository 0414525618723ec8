"""The answer to a link followed to an address that takes only a form's button (a view behind
`require_POST`, opened from a bookmark, the history or a pasted address). Django answers that 405
with an empty body, which a browser shows as a blank page; this shows, in the product's look, what
happened and the way home, keeping the status and the Allow header, so a program reads the same
answer. Methods the site never speaks are refused before any view (config/methods.py) and keep
their bare answer."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class NotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405 or request.method != "GET" or response.streaming or response.content
            or "text/html" not in request.headers.get("Accept", "")  # a browser says so; a program asking for nothing gets the bare answer
        ):
            return response
        page = HttpResponse(render_to_string("405.html", request=request), status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
