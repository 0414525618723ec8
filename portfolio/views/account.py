"""A person's own account page: the name they are known by, which they alone change. A centre that
would record it otherwise asks them (`services_people.name_suggest`): the page shows each question
waiting for them, who asked and when, until they save a name or keep theirs; the link in the
notification opens it with the suggested name filled in."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from portfolio.http import AuthenticatedHttpRequest

from .. import services_account
from ..forms.account import OwnNameForm
from ..models import NameSuggestion
from ..services_centre import Refused


def _suggestion(request: AuthenticatedHttpRequest, waiting: list[NameSuggestion]) -> NameSuggestion | None:
    """The waiting suggestion the notification's link names, to fill in the form; anyone else's,
    or one answered already, fills in nothing."""
    number = request.GET.get("suggestion", "")
    return next((each for each in waiting if str(each.pk) == number), None)


def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = request.user
    # Shown every time the page opens, not only from the notification's link: a centre's question
    # waits here until the person answers it.
    waiting = services_account.waiting_name_suggestions(person)
    kept = request.POST.get("keep", "") if request.method == "POST" else ""
    if kept.isdigit() and len(kept) <= 18:
        # Someone else's suggestion, or one answered or replaced already, answers nothing: and says
        # so, since "your name stays" would read as an answer to a question still waiting.
        if services_account.name_suggestions_answer(person=person, suggestion_id=int(kept)):
            messages.success(request, f"Your name stays {person}.")
        else:
            messages.info(request, "That question waits no more (answered already, or replaced by a newer one): "
                                   "nothing was answered. Any question still waiting is below.")
        return redirect("portfolio:account")
    suggestion = _suggestion(request, waiting)
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
    context = {"form": form, "suggestion": suggestion, "waiting": waiting}
    return render(request, "portfolio/account.html", context, status=400 if form.is_bound else 200)
