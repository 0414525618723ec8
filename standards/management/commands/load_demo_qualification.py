"""manage.py load_demo_qualification: adds the demonstration qualification made of the shipped units
(HSC331 mandatory, H3 25 optional), once; `setup_demo` calls it too."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from standards.demo_qualification import demo_qualification


class Command(BaseCommand):
    help = "Adds the demonstration qualification made of the two shipped units (HSC331 and H3 25)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            qualification = demo_qualification()
        except LookupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{qualification} ({qualification.awarding_body}, {qualification.credits} credits) is in the catalogue.")
