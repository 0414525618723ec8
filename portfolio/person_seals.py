"""A person's installation-wide rights and their sign-in, found not as the portfolio gave them.

Rights (superuser: the site administrator's pages; staff: Django's admin, which reads every record):
an outside trial made a candidate a superuser in SQL and read every record. Sign-in (the address and
the password's hash): another replaced Bob's hash with one of its own making, or his address with its
own and reset the password by email, and signed in as him. Both are sealed with the person as the
portfolio saves them (a password set or re-hashed, an address changed, through the product).

Checked for the person on every request, from the row already read to sign them in (no query), and
for everyone by `manage.py check_fixity`. Rights changed by hand are put back where the seal says,
before the request goes on. A sign-in changed by hand cannot be put back (the seal does not hold the
hash), so the account is shut: signed out, refused at sign-in and by the password reset, its rights
taken away, until the site administrator opens it again from the command line (`manage.py
open_account`, which sets a new password). Logged and told to the site administrators."""

import logging

from django.contrib.auth.base_user import AbstractBaseUser

from .models import Notification, Person
from .notifications import NotificationKind, notify
from .row_sealing import row_holds, seal_of

logger = logging.getLogger("portfolio.security")
KIND = Person._meta.label_lower
SHUT = "was changed in the database, not by the portfolio: the account is shut"


def _row(person: Person) -> dict:
    return {column: getattr(person, column) for column in Person.SEALED} | {"access_seal": person.access_seal}


def holds(person: AbstractBaseUser) -> bool:
    return isinstance(person, Person) and row_holds(KIND, person.pk, Person.SEALED, _row(person))


def vouched(person: Person) -> bool:
    """True when the person's rights and sign-in are as given (rights changed by hand are put back,
    in memory too, first); False when their sign-in was changed by hand: the account is shut."""
    if holds(person) or put_right(person) is not None:
        return True
    shut(person)
    return False


def put_right(person: Person) -> str | None:
    """Rights changed by hand put back where the seal says; the words, or None when no rights
    explain the seal (the sign-in was changed)."""
    held = _row(person)
    for superuser in (False, True):
        for staff in (False, True):
            given = {"is_superuser": superuser, "is_staff": staff}
            if held["access_seal"] and seal_of(KIND, person.pk, Person.SEALED, held | given) == held["access_seal"]:
                Person.objects.filter(pk=person.pk).update(**given)
                person.is_superuser, person.is_staff = superuser, staff
                words = (f"{person} ({person.email}) had the installation's rights changed in the database (superuser "
                         f"{held['is_superuser']}, staff {held['is_staff']}); put back to superuser {superuser}, staff {staff}.")
                _tell(person, words)
                return words
    return None


def shut(person: Person) -> str:
    """The account whose sign-in was changed by hand: rights taken away, told once; the words."""
    Person.objects.filter(pk=person.pk).update(is_superuser=False, is_staff=False)
    person.is_superuser = person.is_staff = False
    words = (f"The sign-in of {person} (account {person.pk}, now {person.email}: its address, password or rights) {SHUT}. "
             f"Find out who changed it; then open it again with `manage.py open_account {person.pk}`.")
    if not Notification.objects.filter(message__contains=f"(account {person.pk}, now {person.email}:").exists():
        _tell(person, words)
    return words


def _tell(person: Person, words: str) -> None:
    logger.warning(words, extra={"event": "person_seal_broken", "person_id": person.pk})
    others = Person.objects.filter(is_superuser=True, is_active=True).exclude(pk=person.pk)
    notify(list(others), f"{words} Find out who changed it.", subject="An account changed outside the portfolio",
           kind=NotificationKind.INTEGRITY_FAILURE)


def check_everyone() -> list[str]:
    """Every person checked (one query, an HMAC each): rights put right, sign-ins changed shut."""
    wrong = [person for person in Person.objects.iterator(chunk_size=2000) if not holds(person)]
    return [put_right(person) or shut(person) for person in wrong]


def open_again(person: Person, password: str | None) -> None:
    """The site administrator's way back for a shut account (`manage.py open_account`): a new password
    (or none, so that only a reset by email opens it), no installation rights, sealed as given."""
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.is_superuser = person.is_staff = False
    Person.objects.filter(pk=person.pk).update(password=person.password, is_superuser=False, is_staff=False)
    person.access_seal = seal_of(KIND, person.pk, Person.SEALED, _row(person))
    Person.objects.filter(pk=person.pk).update(access_seal=person.access_seal)
