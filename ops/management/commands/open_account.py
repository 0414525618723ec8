"""manage.py open_account PERSON_ID: opens again an account the portfolio shut because its sign-in (its
address, password or rights) was changed in the database (`portfolio.person_seals`). For the site
administrator, from the command line, once they have found out who changed it and put the address
back if it was changed:

    manage.py open_account 42                 # asks for a new password, twice
    manage.py open_account 42 --no-password   # none: the person sets one through "Forgotten your password?"

The account keeps no installation rights (give them again as they were given: `createsuperuser` or
the admin), and is sealed as it stands."""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portfolio import person_seals
from portfolio.models import Person


class Command(BaseCommand):
    help = "Opens again an account shut because its sign-in was changed in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person_id", type=int)
        parser.add_argument("--no-password", action="store_true", help="Set no password: the person resets it by email.")

    def handle(self, *args: object, person_id: int, no_password: bool, **options: object) -> None:
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No account {person_id}.")
        if person_seals.holds(person):
            self.stdout.write(f"{person} ({person.email}) is not shut: nothing to do.")
            return
        password = None
        if not no_password:
            password = getpass.getpass(f"New password for {person.email}: ")
            if password != getpass.getpass("Again: "):
                raise CommandError("The two passwords differ: nothing was changed.")
            try:
                validate_password(password, person)
            except ValidationError as refused:
                raise CommandError(" ".join(refused.messages) + " Nothing was changed.") from refused
        person_seals.open_again(person, password)
        self.stdout.write(f"{person} ({person.email}) is open again, with no installation rights"
                          + (", and no password: they set one through “Forgotten your password?”." if no_password else "."))
