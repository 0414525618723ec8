"""Asking for a signed-off unit's files to be checked now, rather than at the next scheduled run:
the assessor, the IQA or a centre administrator, from the unit page. The check itself is the fixity
job's (`assessments.fixity`), queued for the background worker once the request commits."""

from functools import partial

from django.db import transaction

from portfolio import access
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Person, Role

from ..fixity import Boundary
from ..models import SignOff
from ..tasks import check_sign_off_files
from .decisions import standing_sign_off


def files_check_request(*, enrolment: Enrolment, person: Person) -> SignOff:
    sign_off = standing_sign_off(enrolment)
    if sign_off is None:
        raise PortfolioError(f"{enrolment.unit.code} is not signed off, so it has no signed files to check.")
    administers = Role.ADMINISTRATOR in access.roles_at(person, enrolment.centre_id)
    if not (administers or person.pk == enrolment.iqa_id or access.is_assessor_of(person, enrolment)):
        raise PortfolioError(
            f"Only the assessor or IQA of {enrolment.unit.code}, or a centre administrator, can ask for its files "
            "to be checked."
        )
    transaction.on_commit(partial(check_sign_off_files.enqueue, sign_off.pk, Boundary.ON_DEMAND.value, person.pk))
    return sign_off
