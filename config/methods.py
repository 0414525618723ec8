"""The site speaks GET, HEAD and POST only: pages are read with GET (HEAD), forms send POST. Any
other method (PUT, PATCH, DELETE, OPTIONS, TRACE, made-up ones) is answered 405 here, before any
view, so a read-only page written as a plain function view can never treat a DELETE as a GET, and
a new view cannot forget to say so. Views still narrow further (`require_http_methods`)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

ALLOWED_METHODS = ("GET", "HEAD", "POST")


class AllowedMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)
