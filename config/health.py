"""/health/ for a load balancer or monitor: no sign-in, no personal data. It runs a trivial query
and writes, reads back and deletes a tiny probe file in the evidence storage, and answers 200 when
both work or 503 naming the check that failed (the reason goes to the log, not to the caller)."""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("portfolio.health")
_PROBE = b"portfolio health probe\n"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def _storage() -> None:
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(_PROBE))
    try:
        with default_storage.open(name, "rb") as probe:
            if probe.read() != _PROBE:
                raise RuntimeError("the probe file read back differs from what was written")
    finally:
        default_storage.delete(name)


CHECKS = {"database": _database, "storage": _storage}


# Load balancers and monitors ask without signing in.
@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name, extra={"fields": {"event": "health", "check": name}})
            results[name] = "failed"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
