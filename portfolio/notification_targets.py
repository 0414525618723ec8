"""Whether the page a notification leads to is still open to the person it was sent to.

A notification keeps its link, but the person's part in what it is about may have ended since (they
were taken off the unit, the unit was transferred, their role at the centre changed): the page would
answer 404. Opening the notification asks first, by the page's URL name, the same question the page
asks (`access`, its `..._visible_to` querysets, never the `..._for_user` functions: those record
an EQA's visit), and shows a plain page saying the link is no longer open instead
(`views/notifications.notification_open`). A page with no question registered is opened as before.
Higher apps add their pages' questions with `register`, from their `AppConfig.ready`."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from . import access
from .models import Person, Role

MayOpen = Callable[[Person, dict[str, Any]], bool]

_MAY_OPEN: dict[str, MayOpen] = {}


def register(view_name: str, may_open: MayOpen) -> None:
    """`may_open(person, kwargs)`: whether the page `view_name` (namespaced) with these URL
    arguments would open for the person, without recording that they looked."""
    _MAY_OPEN[view_name] = may_open


def still_open(person: Person, link: str) -> bool:
    """Whether the notification's link (a path on this site) would open for the person now. A path
    that no longer leads anywhere is not open either."""
    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return False
    may_open = _MAY_OPEN.get(match.view_name)
    return may_open is None or may_open(person, match.kwargs)


def _enrolment(person: Person, kwargs: dict[str, Any]) -> bool:
    return access.enrolments_visible_to(person).filter(pk=kwargs["pk"]).exists()


def _evidence(person: Person, kwargs: dict[str, Any]) -> bool:
    return access.evidence_visible_to(person).filter(pk=kwargs["pk"]).exists()


def _registration(person: Person, kwargs: dict[str, Any]) -> bool:
    return access.registrations_visible_to(person).filter(pk=kwargs["pk"]).exists()


def _administered_centre(person: Person, kwargs: dict[str, Any]) -> bool:
    return access.centres_where(person, Role.ADMINISTRATOR).filter(pk=kwargs["centre_id"]).exists()


# The pages the services link notifications to, asked as the pages themselves ask.
register("assessments:enrolment_detail", _enrolment)
register("assessments:countersign", _enrolment)
register("assessments:evidence_detail", _evidence)
register("assessments:registration_detail", _registration)
register("assessments:centre_detail", _administered_centre)
