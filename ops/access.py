"""Who may read the centre's reports: the one place ops answers it.

The reports are the administrators' way of running the centre: every report, of every candidate's
unit. The product has no "lead assessor" role; the IQAs, whose work is to watch over the assessors'
decisions (the "A" of CAMERA) and who already read every quality-assurance record of the centre,
read the three reports about the staff (caseloads and waiting times, decisions per month, sampling
coverage). The two that list candidates by name (progress, overdue units) stay the administrators':
an IQA is on the case of their own candidates only. Anyone else finds nothing (404), as for every
centre page."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from portfolio.access import roles_at
from portfolio.models import Centre, Person, Role


def report_centre_for_user(person: Person, centre_id: int, *, about_staff: bool) -> Centre:
    """The centre whose report is asked for: its administrators, and its IQAs for a report
    `about_staff`; 404 for anyone else."""
    roles = roles_at(person, centre_id)
    allowed = {Role.ADMINISTRATOR, Role.IQA} if about_staff else {Role.ADMINISTRATOR}
    if not roles & allowed:
        raise Http404("Not a centre whose reports this person reads.")
    return get_object_or_404(Centre, pk=centre_id)
