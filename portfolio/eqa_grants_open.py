"""Which of a person's external quality assurance grants open anything now (`portfolio.access`
re-exports these, and says what each opens)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .eqa_models import EqaGrant
from .models import Person

# An EQA reads a centre's records only under a grant the centre gave (EqaGrant): accepted through
# its invitation, the centre's data-protection terms accepted, not ended by the centre, and today
# (the installation's local date, TIME_ZONE) within its start and end dates. Worked out on every
# request, so a grant is over at midnight after its end date with nobody acting; and only as the
# centre gave it (`grant_seals`).


def local_today() -> datetime.date:
    return timezone.localdate()


def eqa_grants_current(person: Person) -> QuerySet[EqaGrant]:
    """The person's accepted grants not ended and within their dates today, terms accepted or not,
    each as the centre gave it (one found changed in the database opens nothing: `grant_seals`)."""
    today = local_today()
    return EqaGrant.objects.filter(
        person=person, ended_at__isnull=True, start_date__lte=today, end_date__gte=today, seal_broken_at__isnull=True
    )


def eqa_grants_open_to(person: Person) -> QuerySet[EqaGrant]:
    """The grants that open records to the person now: current, and the centre's terms accepted."""
    return eqa_grants_current(person).filter(terms_accepted_at__isnull=False)
