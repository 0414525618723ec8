"""Who may export what. A centre's bulk exports are its administrators' alone: anyone else, on the
case or not, finds nothing (404). A unit's PDF is anyone's on the case: its view fetches the unit
through assessments.access.

A visit pack is for the centre's administrators and its external quality assurers: whoever may
read the centre's portfolios (`portfolio.access.overseen_centre_for_user`) and every unit in the
pack (`portfolio.access.enrolments_visible_to`, which `enrolment_for_user` answers from). The rule
of who reads what stays there: when it narrows (an EQA granted some units only), a pack holding a
unit the person may not read is not found by them, and they cannot build one. An EQA's work is
their own: the administrators see every pack of the centre, an EQA only the packs they asked for
(another EQA's, the administrator's, or one asked for by an EQA whose access has ended, they do not
find)."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from portfolio import access as portfolio_access
from portfolio import eqa_visits
from portfolio.models import Centre, Enrolment, Person, Role

from .models import BulkExport, VisitPack


def exporting_centre_for_user(person: Person, pk: int) -> Centre:
    """A centre whose portfolios the person may export: one they administer (404 for anyone else)."""
    return portfolio_access.administered_centre_for_user(person, pk)


def export_for_user(person: Person, pk: int) -> BulkExport:
    """An export of a centre the person administers; anyone else finds nothing."""
    centres = portfolio_access.centres_where(person, Role.ADMINISTRATOR)
    return get_object_or_404(BulkExport.objects.select_related("centre", "requested_by"), pk=pk, centre__in=centres)


def pack_centre_for_user(person: Person, pk: int) -> Centre:
    """A centre whose visit packs the person may see and build: one whose portfolios they may read."""
    return portfolio_access.overseen_centre_for_user(person, pk)


def pack_units_for_user(person: Person, centre: Centre) -> QuerySet[Enrolment]:
    """The centre's units the person may put in a visit pack: those they may read."""
    return portfolio_access.centre_enrolments_overseen(person, centre)


def visit_packs_for_user(person: Person, centre: Centre) -> QuerySet[VisitPack]:
    """The centre's visit packs whose every unit the person may read: every one for its
    administrators, and for anyone else (its EQAs) those they asked for themselves."""
    unreadable = Enrolment.objects.filter(centre=centre).exclude(pk__in=pack_units_for_user(person, centre).values("pk"))
    packs = VisitPack.objects.filter(centre=centre).exclude(enrolments__in=unreadable)
    if not portfolio_access.administers(person, centre):
        packs = packs.filter(requested_by=person)
    return packs.select_related("centre", "requested_by").prefetch_related("enrolments")


def visit_pack_for_user(person: Person, pk: int) -> VisitPack:
    """A visit pack the person may open: of a centre whose portfolios they read, with no unit they
    may not read. Anyone else finds nothing (404), as for a pack that does not exist."""
    pack = get_object_or_404(VisitPack.objects.select_related("centre", "requested_by"), pk=pk)
    centre = pack_centre_for_user(person, pack.centre_id)
    if not visit_packs_for_user(person, centre).filter(pk=pack.pk).exists():
        raise Http404("No visit pack here.")
    eqa_visits.opened(pack.centre_id, "Visit pack", f"number {pack.pk}, asked for by {pack.requested_by.get_full_name()}")
    return pack
