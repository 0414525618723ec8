"""Logs on standard output, one line per record (config/json_log.py): JSON lines in production, for
the process manager or container runtime to collect, and plain text in development, for a person to
read. PORTFOLIO_LOG_FORMAT (`json` or `text`) chooses; unset, it is text when debug is on. One line
per request (config/request_log.py) and one per audit event (portfolio/signals.py), besides Django's
own warnings and errors."""

from django.core.exceptions import ImproperlyConfigured

from . import DEBUG as _DEBUG
from .environment import env_str

__all__ = ["LOGGING", "LOG_FORMAT"]

_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
_level = env_str("PORTFOLIO_LOG_LEVEL", "INFO").strip().upper()
if _level not in _LEVELS:
    raise ImproperlyConfigured(f"PORTFOLIO_LOG_LEVEL={_level!r} is not one of {', '.join(sorted(_LEVELS))}.")

_FORMATTERS = {"json": "config.json_log.JsonLineFormatter", "text": "config.json_log.PlainLineFormatter"}
LOG_FORMAT = env_str("PORTFOLIO_LOG_FORMAT", "text" if _DEBUG else "json").strip().lower()
if LOG_FORMAT not in _FORMATTERS:
    raise ImproperlyConfigured(f"PORTFOLIO_LOG_FORMAT={LOG_FORMAT!r} is not one of json, text.")


def logging_settings(log_format: str) -> dict:
    """Django's LOGGING for lines in `log_format` ("json" or "text")."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"lines": {"()": _FORMATTERS[log_format]}},
        "handlers": {"stdout": {"class": "config.json_log.StdoutHandler", "formatter": "lines"}},
        "root": {"handlers": ["stdout"], "level": _level},
        "loggers": {
            # Django's own lines go through the handler above instead of its plain console one
            # (which would print each of them twice); `runserver` keeps its own request lines.
            "django": {"handlers": [], "level": _level, "propagate": True},
            "portfolio.requests": {"level": "INFO"},
            "portfolio.audit": {"level": "INFO"},
            # A line per page laid out and per font subset made, for every PDF: not worth keeping.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


LOGGING = logging_settings(LOG_FORMAT)
