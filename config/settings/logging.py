"""Logs: JSON lines on standard output (config/json_log.py), for the process manager or container
runtime to collect. One line per request (config/request_log.py) and one per audit event
(portfolio/signals.py), besides Django's own warnings and errors."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env_str

__all__ = ["LOGGING"]

_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
_level = env_str("PORTFOLIO_LOG_LEVEL", "INFO").strip().upper()
if _level not in _LEVELS:
    raise ImproperlyConfigured(f"PORTFOLIO_LOG_LEVEL={_level!r} is not one of {', '.join(sorted(_LEVELS))}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.json_log.JsonLineFormatter"}},
    "handlers": {"stdout": {"class": "config.json_log.StdoutHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": _level},
    "loggers": {
        # Django's own lines go through the JSON handler above instead of its plain console one
        # (which would print each of them twice); `runserver` keeps its own request lines.
        "django": {"handlers": [], "level": _level, "propagate": True},
        "portfolio.requests": {"level": "INFO"},
        "portfolio.audit": {"level": "INFO"},
        # A line per page laid out and per font subset made, for every PDF: not worth keeping.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
