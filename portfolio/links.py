"""Links that leave the site, in emails: all built from one setting, PORTFOLIO_SITE_URL, never from
the Host header of whichever request happened to send them (a request can name any host it likes,
and a worker sending a digest has no request at all)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The address of one of the site's pages (`path` as `reverse` gives it) for an email."""
    return settings.PORTFOLIO_SITE_URL.rstrip("/") + path
