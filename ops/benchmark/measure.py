"""The measurements the benchmark command makes, each run in a process of its own (`manage.py benchmark
--measure KIND`) against a centre that `generate_centre` has built, so that one measurement's memory
never shows in another's figures.

    pages      median and 95th percentile time of each page, with the Django test client, and an upload
               (alone, or taking turns page by page with another centre's run: lockstep.py)
    pdf        one unit's PDF: time and peak memory (the showcase candidate's signed-off HSC331)
    bulk       a bulk export of N units: time and peak memory
    upload     memory added while a 500 MB upload streams through the upload handlers
    integrity  checking a signed-off unit against storage, as a multiple of reading and hashing its
               files (a baseline measured in the same process, so the figure is a ratio)
    signed_page  the unit page of a unit signed off on twenty 100 MB files in object storage, as a
               multiple of the same page on twenty small files (the page reads no file)

Memory is the process's resident set (what the operating system counts, C libraries included):
the peak (VmHWM, reset before the work starts) less the resident size just before it.
"""

import json
import os

from .bulk_export import bulk
from .integrity import integrity
from .lockstep import Pacer
from .pages import pages
from .signed_unit_page import signed_unit_page
from .unit_pdf import pdf
from .upload import upload


def run(kind: str, sign_in_path: str, *, requests: int, units: int, total_mb: int, pace: str | None = None,
        with_upload: bool = True) -> dict:
    """`pace` (two file descriptors, "R,W"): take turns page by page with another centre's run
    (ops/benchmark/lockstep.py); `with_upload=False`: pages without the evidence upload."""
    with open(sign_in_path, encoding="utf-8") as handle:
        sign_in = json.load(handle)
    if kind == "pages":
        if not pace:
            return pages(sign_in, requests, upload=with_upload)
        pacer = Pacer(pace)
        result = pages(sign_in, requests, pace=pacer, upload=with_upload)
        pacer.end()
        return result
    if kind == "pdf":
        return pdf(sign_in)
    if kind == "bulk":
        return bulk(sign_in, units)
    if kind == "upload":
        return upload(sign_in, total_mb)
    if kind == "integrity":
        return integrity(sign_in)
    if kind == "signed_page":
        return signed_unit_page(sign_in, requests)
    raise ValueError(kind)


def machine() -> dict:
    """What the figures were measured on."""
    import platform
    import sqlite3

    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        # Other work on the machine while measuring (1, 5 and 15 minute averages): above the
        # number of cores, wall-clock times are inflated; the CPU-time figures much less so.
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "cores": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1), "cpu": cpu,
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
    }
