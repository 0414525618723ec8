"""The request of a signed-in person, for type checks.

Behind @login_required (or LoginRequiredMiddleware) `request.user` is a Person, never
AnonymousUser; those views say so by taking this request type (django-stubs' recipe) instead of
casting `request.user` in each view."""

from django.http import HttpRequest

from .models import Person


class AuthenticatedHttpRequest(HttpRequest):
    user: Person
