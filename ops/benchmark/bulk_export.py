"""A bulk export of N units: time and peak memory."""

import time
from typing import cast

from django.db.models import Count

from .memory import MB, peak_mb, reset_peak, resident_mb
from .personas import personas


def bulk(sign_in: dict, units: int) -> dict:
    """A bulk export of `units` units, signed-off ones first, built the way the worker builds it."""
    from exports import bulk as bulk_export
    from exports.models import BulkExport
    from portfolio.models import Enrolment

    people = personas(sign_in)
    chosen = list(
        Enrolment.objects.filter(centre=people["centre"])
        .exclude(pk=getattr(people["showcase"], "pk", None))  # type: ignore[misc]  # None: no showcase, nothing left out
        .annotate(signed=Count("sign_offs"))
        .order_by("-signed", "pk")[:units]
    )
    export = BulkExport.objects.create(
        centre=people["centre"], requested_by=people["administrator"], description=f"Benchmark: {units} units"
    )
    export.enrolments.set(chosen)
    before = resident_mb()
    reset_peak()
    started, started_cpu = time.perf_counter(), time.process_time()
    bulk_export.build(export)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = peak_mb()
    export.refresh_from_db()
    return {
        "bulk": {
            "units": len(chosen), "signed_off": sum(1 for e in chosen if e.signed), "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "per_unit_s": round(seconds / max(1, len(chosen)), 2), "zip_mb": round(cast(int, export.size) / MB, 1),
            "resident_before_mb": round(before, 1), "peak_mb": round(peak, 1), "added_mb": round(peak - before, 1),
        }
    }
