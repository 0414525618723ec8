"""A person's installation-wide rights (superuser: the site administrator's pages; staff: Django's
admin, which reads every record) found not as the portfolio gave them: set in the database (an
outside trial made a candidate a superuser in SQL, read every record in the admin and gave himself a
centre's administrator role there). Checked for the person on every request, from the row already
read to sign them in (no query), and for everyone by `manage.py check_fixity`: put back where the
seal says, else taken away, before the request goes on; logged and told to the site administrators."""

import logging

from .models import Person
from .notifications import NotificationKind, notify
from .row_sealing import row_holds, seal_of

logger = logging.getLogger("portfolio.security")
KIND = Person._meta.label_lower


def _row(person: Person) -> dict:
    return {"is_superuser": person.is_superuser, "is_staff": person.is_staff, "access_seal": person.access_seal}


def vouched(person: Person) -> bool:
    """True when the person's rights are as given; otherwise they are put right, in memory too."""
    if row_holds(KIND, person.pk, Person.SEALED, _row(person)):
        return True
    put_right(person)
    return False


def put_right(person: Person) -> str:
    held = _row(person)
    given = next(
        (
            {"is_superuser": superuser, "is_staff": staff}
            for superuser in (False, True) for staff in (False, True)
            if held["access_seal"] and seal_of(KIND, person.pk, Person.SEALED, {"is_superuser": superuser, "is_staff": staff})
            == held["access_seal"]
        ),
        {"is_superuser": False, "is_staff": False},  # what was given cannot be told: nothing is kept
    )
    Person.objects.filter(pk=person.pk).update(**given)
    person.is_superuser, person.is_staff = given["is_superuser"], given["is_staff"]
    words = (f"{person} ({person.email}) had the installation's rights changed in the database (superuser "
             f"{held['is_superuser']}, staff {held['is_staff']}); put back to superuser {given['is_superuser']}, staff "
             f"{given['is_staff']}.")
    logger.warning(words, extra={"event": "rights_put_right", "person_id": person.pk})
    others = Person.objects.filter(is_superuser=True, is_active=True).exclude(pk=person.pk)
    notify(list(others), f"{words} Find out who changed it.", subject="Rights changed outside the portfolio",
           kind=NotificationKind.INTEGRITY_FAILURE)
    return words


def check_everyone() -> list[str]:
    """Every person's rights checked (one query, an HMAC each); those set by hand put right."""
    wrong = [
        person for person in Person.objects.only("pk", "email", "first_name", "last_name", *Person.SEALED, "access_seal")
        if not row_holds(KIND, person.pk, Person.SEALED, _row(person))
    ]
    return [put_right(person) for person in wrong]
