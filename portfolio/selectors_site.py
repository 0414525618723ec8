"""What the site administrator reads of centres: each centre's administrators and the invitations
of administrators still waiting, and its figures. Figures only: no candidate is named, and nothing
of anyone's evidence is read (that is for the people on each case). A fixed number of queries
however many centres there are."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import enrolment_counts
from .models import Centre, Invitation, Membership, Role


def _counted(queryset: QuerySet, counted_field: str) -> Coalesce:
    counted = queryset.order_by().values("centre").annotate(n=Count(counted_field, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _members(role: str) -> Coalesce:
    return _counted(Membership.objects.filter(centre=OuterRef("pk"), role=role), "person")


def centres_with_administrators() -> QuerySet[Centre]:
    """Every centre, by name, with `administrators` (memberships, with the person), `waiting` (the
    invitations of administrators neither accepted nor withdrawn, pending or expired) and counts of
    its candidates, assessors and IQAs (their enrolments: `enrolment_counts.of_centres`)."""
    administrators = Membership.objects.filter(role=Role.ADMINISTRATOR).select_related("person").order_by(
        "person__last_name", "person__first_name", "person__email"
    )
    waiting = Invitation.objects.filter(
        role=Role.ADMINISTRATOR, accepted_at__isnull=True, cancelled_at__isnull=True
    ).order_by("sent_at")
    return (
        Centre.objects.order_by("name", "code")
        .annotate(
            candidate_count=_members(Role.CANDIDATE),
            assessor_count=_members(Role.ASSESSOR),
            iqa_count=_members(Role.IQA),
        )
        .prefetch_related(
            Prefetch("memberships", queryset=administrators, to_attr="administrators"),
            Prefetch("invitations", queryset=waiting, to_attr="waiting"),
        )
    )


def centre_with_administrators(centre: Centre) -> Centre:
    return enrolment_counts.of_centres(centres_with_administrators().filter(pk=centre.pk))[0]
