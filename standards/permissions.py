"""Who may import units into the catalogue (issue 14 item 5): the catalogue is the installation's, so
the site administrator may, and so may a centre administrator the site administrator has granted
the right to (a flag on their centre membership, `portfolio.models.Membership.may_import_units`, set
on the site administrator's catalogue page, `portfolio:catalogue`). Standards knows nothing of
centres, so portfolio answers that part when the apps load (`PortfolioConfig.ready`), as
assessments answers portfolio's locks. The import pages ask `may_import_units`."""

from collections.abc import Callable
from typing import Any

Granted = Callable[[Any], bool]

_granted: Granted | None = None


def answer_with(granted: Granted) -> None:
    global _granted
    _granted = granted


def is_site_administrator(person: Any) -> bool:
    """The installation's administrator: a superuser, signed in, whose account is not switched off.
    They say who else may import units (`portfolio:catalogue`)."""
    return bool(
        getattr(person, "is_authenticated", False) and getattr(person, "is_active", False)
        and getattr(person, "is_superuser", False)
    )


def may_import_units(person: Any) -> bool:
    """The site administrator, or a centre administrator granted the right; nobody signed out or
    whose account is switched off."""
    if not getattr(person, "is_authenticated", False) or not getattr(person, "is_active", False):
        return False
    if is_site_administrator(person):
        return True
    return _granted is not None and _granted(person)
