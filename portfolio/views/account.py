"""A person's own account page: the name they are known by, which they alone change. A centre that
would record it otherwise asks them (`services_people.name_suggest`), and the link in that
notification opens this page with the suggested name filled in, to confirm or to ignore."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from portfolio.http import AuthenticatedHttpRequest

from .. import services_account
from ..forms.account import OwnNameForm
from ..models import NameSuggestion
from ..services_centre import Refused


def _suggestion(request: AuthenticatedHttpRequest) -> NameSuggestion | None:
    """The suggestion the notification's link names, if it is this person's (anyone else's is ignored)."""
    number = request.GET.get("suggestion", "")
    if not number.isdigit() or len(number) > 18:
        return None
    return NameSuggestion.objects.filter(pk=int(number), person=request.user).select_related("centre", "suggested_by").first()


def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = request.user
    suggestion = _suggestion(request)
    if suggestion is not None and (suggestion.first_name, suggestion.last_name) == (person.first_name, person.last_name):
        suggestion = None  # already their name: nothing to confirm
    source = suggestion or person
    form = OwnNameForm(request.POST or None, initial={"first_name": source.first_name, "last_name": source.last_name})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services_account.own_name_change(person=person, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            person.refresh_from_db()
            messages.success(request, f"Your name is now {person}." if changed else f"Your name stays {person}.")
            return redirect("portfolio:account")
    context = {"form": form, "suggestion": suggestion}
    return render(request, "portfolio/account.html", context, status=400 if form.is_bound else 200)
