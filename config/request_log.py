"""One JSON line per request: method, path (never the query string, which can carry tokens or
search words), status, time taken, who asked and a request id.

The id is the one the front web server sent in X-Request-ID, when it looks like an id, or a new one;
it goes back in the response's X-Request-ID and on every log line written during the request.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .json_log import request_id

logger = logging.getLogger("portfolio.requests")
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        current = offered if _GOOD_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = current  # type: ignore[attr-defined]  # for whatever handles the request below
        token = request_id.set(current)
        status = 500  # what the client gets if a view raises past every handler
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = current
            return response
        finally:
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "fields": {
                        "event": "request",
                        "request_id": current,
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                    }
                },
            )
            request_id.reset(token)


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # the session's database is down: the line is still written
        return None
