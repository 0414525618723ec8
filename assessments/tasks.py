"""Work assessments leaves to the background worker (`manage.py db_worker`)."""

from django_tasks import task

from portfolio.models import Person

from . import fixity, record_seals
from .models import SignOff


@task()
def check_sign_off_files(sign_off_id: int, boundary: str = fixity.Boundary.SCHEDULE.value,
                         requested_by_id: int | None = None) -> None:
    """Reads and hashes every file of a standing sign-off and records what it found (the fixity
    job). A sign-off unlocked since the check was queued is left alone: nothing stands to check. One
    voided outside the product still stands (`record_seals.of_record`, which SQL alone cannot tell
    when a void's signature is forged): it is checked, and the void is among what the check finds."""
    latest = SignOff.objects.filter(enrolment__sign_offs=sign_off_id).select_related("enrolment").order_by("-pk").first()
    sign_off = record_seals.of_record([latest] if latest else [])
    if sign_off is None or sign_off.pk != sign_off_id:
        return
    by = Person.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    fixity.check_and_record(sign_off, boundary=boundary, by=by)
