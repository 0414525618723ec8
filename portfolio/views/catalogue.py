"""Importing a unit from its published text (issue 14): choose the PDF or paste the text, read the
parsed unit beside its source with every warning, then confirm. Nothing is written until the
confirmation, and then all of it in one transaction. Only people who may add to the catalogue
(`standards.permissions.may_import_units`) find these pages; anyone else finds nothing (404)."""

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from standards import versions
from standards.importing.detect import parse
from standards.importing.parsed import CARE_2004, CARE_2004_SQA, CURRENT, HOUSING, NotAUnit
from standards.models import Suite, Unit
from standards.permissions import may_import_units

from .. import services_catalogue
from ..errors import PortfolioError
from ..forms.catalogue import UnitImportConfirmForm, UnitImportForm
from ..http import AuthenticatedHttpRequest

LAYOUT_WORDS = {
    CARE_2004: "the 2004 care layout, with elements",
    CARE_2004_SQA: "the 2004 care layout as badged by SQA",
    CURRENT: "the current Skills for Care and Skills for Health layout",
    HOUSING: "the housing layout",
}
_DRAFT = "unit-import:"


def _allowed(request: AuthenticatedHttpRequest) -> None:
    if not may_import_units(request.user):
        raise Http404("No such page.")


def unit_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    _allowed(request)
    posted = request.method == "POST"
    form = UnitImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        token = secrets.token_urlsafe(12)
        # The text waits in the person's own session, so the preview is a page they can reload and
        # nothing reaches the catalogue before they confirm.
        request.session[_DRAFT + token] = {
            "text": data["text"], "source": data["source"],
            "suite": data["suite"].pk if data.get("suite") else None,
            "suite_code": data.get("suite_code", ""), "suite_title": data.get("suite_title", ""),
        }
        return redirect("portfolio:unit_import_preview", token=token)
    return render(request, "portfolio/unit_import.html", {"form": form})


def unit_import_preview(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    _allowed(request)
    draft = request.session.get(_DRAFT + token)
    if draft is None:
        raise Http404("This import has been done or has expired: start again.")
    try:
        parsed = parse(draft["text"])
    except NotAUnit:  # the text was checked on the way in; a parser change may still refuse it
        raise Http404("This text is no longer recognised as a unit: start again.") from None
    suite = Suite.objects.filter(pk=draft["suite"]).first() if draft["suite"] else None
    in_catalogue = versions.versions_of(parsed.code)
    superseded = versions.superseded_by(parsed.code, parsed.version)
    # A confirmation may post nothing but its token: an empty form is still a bound one.
    form = UnitImportConfirmForm(
        request.POST if request.method == "POST" else None, parsed=parsed, superseded=superseded
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services_catalogue.import_unit(
                parsed=parsed, suite=suite, suite_code=draft["suite_code"], suite_title=draft["suite_title"],
                actor=request.user, accept_incomplete=form.cleaned_data["accept_incomplete"],
                supersede=bool(form.cleaned_data.get("supersede")),
            )
        except PortfolioError as refused:
            form.add_error(None, str(refused))
        else:
            del request.session[_DRAFT + token]
            messages.success(request, f"{unit.code} {unit.title} is in the catalogue.")
            return redirect("standards:unit_detail", code=unit.slug)
    context: dict[str, Any] = {
        "parsed": parsed, "form": form, "draft": draft, "suite": suite,
        "layout_words": LAYOUT_WORDS.get(parsed.layout, parsed.layout),
        "already": next((unit for unit in in_catalogue if unit.version == parsed.version), None),
        "in_catalogue": in_catalogue, "beside": _beside(parsed, in_catalogue),
        "criteria_by_element": _criteria_by_element(parsed),
        "knowledge_by_section": _knowledge_by_section(parsed),
    }
    return render(request, "portfolio/unit_import_preview.html", context)


def _beside(parsed: Any, in_catalogue: list[Unit]) -> str:
    """What becomes of the versions already in the catalogue, after their names on the page."""
    if not in_catalogue or any(unit.version == parsed.version for unit in in_catalogue):
        return ""
    older = [u for u in in_catalogue if versions.is_newer_version(parsed.version, u.version, imported_later=True)]
    them = "it" if len(in_catalogue) == 1 else "them"
    if len(older) < len(in_catalogue):
        return f"this is version {parsed.version}, older than the newest there: it will sit beside {them}, and no candidate is moved to it."
    stay = f"version {older[0].version}" if len(older) == 1 else "their version"
    return f"this is version {parsed.version}: it will sit beside {them}; candidates stay on {stay} until moved."


def _criteria_by_element(parsed: Any) -> list[tuple[str, list[Any]]]:
    """The criteria under their element's title, or under the current layout's sub-headings."""
    titles = {element.ref: f"{element.ref} {element.title}" for element in parsed.elements}
    groups: list[tuple[str, list[Any]]] = []
    for criterion in parsed.criteria:
        heading = titles.get(criterion.element or "", "") if criterion.element else criterion.group
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(criterion)
    return groups


def _knowledge_by_section(parsed: Any) -> list[tuple[str, list[Any]]]:
    groups: list[tuple[str, list[Any]]] = []
    for item in parsed.knowledge:
        if not groups or groups[-1][0] != item.section:
            groups.append((item.section, []))
        groups[-1][1].append(item)
    return groups
