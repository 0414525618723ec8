"""Log records on standard output, one line each: JSON objects in production, for a log collector to
read, and plain text in development, for a person at a terminal (config/settings/logging.py chooses,
by PORTFOLIO_LOG_FORMAT or, unset, by debug).

Every JSON line carries the time, level, logger and message, the request id of the request it was
written in (if any), and the fields a caller passed as `extra={"fields": {...}}`. A text line carries
the local time, level, logger and message, then those fields the message does not already say.
"""

import contextvars
import datetime
import json
import logging
import sys
from typing import TextIO

# Set by config.request_log for the length of a request, so any line written while handling it
# (an audit event, an error) can be matched to the request's own line.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current is not None:
            line["request_id"] = current
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class PlainLineFormatter(logging.Formatter):
    """`14:03:07 INFO portfolio.requests: GET /portfolio/evidence/ 200 duration_ms=38.2 user_id=17`"""

    # Said by the message already, or only of use to a collector matching lines.
    _UNSAID = {"event", "request_id", "method", "path", "status"}

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        moment = datetime.datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = [
            f"{name}={value}" for name, value in getattr(record, "fields", {}).items()
            if name not in self._UNSAID and value is not None and str(value) not in message
        ]
        line = " ".join([moment, record.levelname, f"{record.name}:", message, *fields])
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the moment of writing, not when logging was configured,
    so a test runner capturing output (or a server swapping the stream) gets the lines."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass
