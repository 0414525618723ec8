"""Log records as JSON lines on standard output, one object per line, for a log collector to read.

Every line carries the time, level, logger and message, the request id of the request it was
written in (if any), and the fields a caller passed as `extra={"fields": {...}}`.
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
