"""manage.py make_centre_seal CENTRE_CODE: gives a centre its own seal (docs/exports.md)."""

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.seal_keys import SEAL_YEARS, centre_passphrase, centre_seal_save, make_seal, read_pkcs12
from portfolio import dates
from portfolio.errors import PortfolioError
from portfolio.models import Centre


class Command(BaseCommand):
    help = (
        "Makes a centre a root and a signing certificate for the seal on its PDFs, or takes the "
        "centre's own PKCS#12 (--pkcs12). The centre's seal before it is retired, not deleted. "
        "Prints the root certificate to give to whoever checks the PDFs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("centre_code", help="The centre's code, e.g. its approval number.")
        parser.add_argument("--years", type=int, default=SEAL_YEARS, help=f"How long it is valid (default {SEAL_YEARS}).")
        parser.add_argument("--pkcs12", type=Path, help="The centre's own PKCS#12 (.p12/.pfx) instead of a made one.")
        parser.add_argument(
            "--passphrase-env", default="PORTFOLIO_CENTRE_PKCS12_PASSPHRASE",
            help="The environment variable holding the PKCS#12's passphrase (never an argument: "
            "arguments show in the process list).",
        )
        parser.add_argument("--root", type=Path, help="The PEM root certificate of the centre's own PKCS#12.")

    def handle(self, *args: Any, centre_code: str, years: int, pkcs12: Path | None, passphrase_env: str,
               root: Path | None, **options: Any) -> None:
        centre = Centre.objects.filter(code=centre_code).first()
        if centre is None:
            raise CommandError(f"No centre has the code {centre_code!r}.")
        if years < 4:
            raise CommandError("A seal must outlast the records' retention period: --years 4 or more.")
        try:
            if pkcs12 is None:
                material = make_seal(centre.name, centre_passphrase(centre), years=years)
            else:
                material = read_pkcs12(
                    _read(pkcs12), centre_passphrase(centre), os.environ.get(passphrase_env, "").encode() or None,
                    _read(root).decode() if root else None,
                )
        except PortfolioError as error:
            raise CommandError(str(error)) from None
        seal = centre_seal_save(centre, material, uploaded=pkcs12 is not None)
        self.stderr.write(
            f"{centre} now seals its PDFs as {seal.subject}, valid until {dates.day(seal.valid_until)}. "
            "Its root certificate (give it to anyone who checks the PDFs; "
            f"`manage.py centre_seal_root {centre.code}` prints it again):"
        )
        self.stdout.write(seal.root_pem, ending="")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path} could not be read: {error.strerror}.") from None
