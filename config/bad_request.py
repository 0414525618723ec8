"""The answer to a request Django refuses before any view sees it (400).

Form fields past DATA_UPLOAD_MAX_MEMORY_SIZE (a very long account pasted in, or a request made by
hand) raise RequestDataTooBig as soon as anything reads the form, which is the CSRF check. Django's
own answer is a bare "Bad Request (400)" page; this one says in the product's look what happened and
what to do. Any other refusal keeps Django's answer."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
        return render(request, "too_long.html", {"limit": limit}, status=400)
    return defaults.bad_request(request, exception)
