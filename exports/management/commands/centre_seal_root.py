"""manage.py centre_seal_root CENTRE_CODE: the root certificate that checks a centre's seal."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.models import CentreSeal
from exports.seal_keys import believed_seals, installation_seal
from portfolio.models import Centre


class Command(BaseCommand):
    help = (
        "Prints, as PEM, the root certificate of a centre's seal (and with --all, those of its retired "
        "seals, which still check the PDFs they sealed), or with --installation the installation's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("centre_code", nargs="?", help="The centre's code.")
        parser.add_argument("--all", action="store_true", help="Also the roots of the centre's retired seals.")
        parser.add_argument("--installation", action="store_true", help="The installation-wide seal's root.")

    def handle(self, *args: Any, centre_code: str | None, all: bool, installation: bool, **options: Any) -> None:
        if installation:
            self.stdout.write(installation_seal().root_pem, ending="")
            return
        centre = Centre.objects.filter(code=centre_code or "").first()
        if centre is None:
            raise CommandError(f"No centre has the code {centre_code!r} (or use --installation).")
        seals = CentreSeal.objects.filter(centre=centre)
        if not all:
            seals = seals.filter(retired_at__isnull=True)
        roots = list(dict.fromkeys(seal.root_pem for seal in believed_seals(seals)))
        if not roots:
            raise CommandError(
                f"{centre} has no seal of its own: its PDFs carry the installation's "
                "(centre_seal_root --installation), or make one with make_centre_seal."
            )
        self.stdout.write("".join(roots), ending="")
