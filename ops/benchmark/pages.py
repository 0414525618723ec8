"""Each page's median and 95th percentile time with the Django test client, its median CPU time as a
multiple of the baseline page's, each CSV download's time per thousand rows and the memory it adds,
and an evidence upload of a phone photo, as each kind of user opens them. What is measured is listed
in ops/benchmark/page_list.py, one line per page."""

import datetime
import gc
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from .memory import MB, peak_mb, reset_peak, resident_mb
from .page_list import BASELINE, DOWNLOADS, PAGES
from .personas import personas


@dataclass
class Timing:
    name: str
    url: str
    method: str
    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    cpu_median_ms: float  # the process's own CPU time: what other work on the machine does not inflate
    queries: int
    status: int
    bytes: int
    cpu_ratio: float = 0.0  # median CPU time as a multiple of the baseline page's, in the same run


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of them at or below."""
    ordered = sorted(values)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))
    return ordered[rank - 1]


def _photo(size_bytes: int) -> bytes:
    """A JPEG of about this size, like a photo from a phone's camera."""
    from PIL import Image

    side = 600
    while True:
        image = Image.effect_noise((side, side * 3 // 4), 60).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        if buffer.tell() >= size_bytes:
            return buffer.getvalue()
        side += 200


def _time(
    client: Client, name: str, url: str, requests: int, *, post: Callable[[], dict[str, object]] | None = None
) -> Timing:
    def send() -> HttpResponseBase:
        if post is None:
            return client.get(url)
        return client.post(url, post())

    for _ in range(3):  # warm: templates compiled, connections open, caches filled
        send()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    queries = len(captured)  # now: the log is cleared when the next request starts
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = send()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    expected = 302 if post is not None else 200
    if response.status_code not in (expected, 204):
        raise RuntimeError(f"{name}: {url} answered {response.status_code}")
    return Timing(
        name=name, url=url, method="POST" if post else "GET", requests=requests,
        median_ms=round(statistics.median(times), 1), p95_ms=round(percentile(times, 0.95), 1),
        max_ms=round(max(times), 1), cpu_median_ms=round(statistics.median(cpu), 1), queries=queries, status=response.status_code,
        bytes=len(getattr(response, "content", b"")),
    )


def _download(client: Client, name: str, url: str, requests: int) -> dict:
    """A CSV download: its rows, median time per thousand rows, and the memory it adds at its peak
    (read a chunk at a time, as a browser does, so a streamed download never sits whole in memory)."""
    def fetch() -> tuple[int, int]:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {url} answered {response.status_code}")
        streamed = getattr(response, "streaming_content", None)  # a StreamingHttpResponse's
        chunks = streamed if streamed is not None else [response.content]
        rows = size = 0
        for chunk in chunks:
            rows += chunk.count(b"\n")
            size += len(chunk)
        return rows, size

    fetch()
    times, cpu, added = [], [], []
    for _ in range(requests):
        gc.collect()
        before = resident_mb()
        reset_peak()
        started, started_cpu = time.perf_counter(), time.process_time()
        rows, size = fetch()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        added.append(peak_mb() - before)
    data_rows = max(0, rows - 1)  # less the header

    def per_thousand(ms: list[float]) -> float | None:  # None: no rows to divide by
        return round(statistics.median(ms) * 1000 / data_rows, 1) if data_rows else None

    return {
        "name": name, "url": url, "requests": requests, "rows": data_rows, "bytes": size,
        "median_ms": round(statistics.median(times), 1), "cpu_median_ms": round(statistics.median(cpu), 1),
        "ms_per_thousand_rows": per_thousand(times), "cpu_ms_per_thousand_rows": per_thousand(cpu),
        "added_mb": round(max(added), 1),
    }


def sign_in_cost(email: str, password: str, repeats: int = 5) -> dict:
    """What one sign-in costs the web process: the form posted with the right password (the hash
    checked, the session made), its median wall and CPU time, and the most memory it added at its
    peak (Argon2id holds its memory cost for the length of the hash)."""
    from django.contrib.auth.hashers import get_hasher

    times, cpu, added = [], [], []
    for _ in range(repeats + 1):
        client = Client()
        gc.collect()
        before = resident_mb()
        reset_peak()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post(reverse("login"), {"username": email, "password": password})
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        added.append(peak_mb() - before)
        if response.status_code != 302:
            raise RuntimeError(f"signing in as {email} answered {response.status_code}")
    hasher = get_hasher()
    return {
        "hasher": hasher.algorithm, "parameters": {
            name: getattr(hasher, name) for name in ("time_cost", "memory_cost", "parallelism", "iterations")
            if hasattr(hasher, name)
        },
        "repeats": repeats, "median_ms": round(statistics.median(times[1:]), 1),
        "cpu_median_ms": round(statistics.median(cpu[1:]), 1), "added_mb": round(max(added[1:]), 1),
    }


def _unpaced(name: str) -> None:
    return None


def pages(sign_in: dict, requests: int, *, pace: Callable[[str], None] = _unpaced, upload: bool = True) -> dict:
    """`pace(name)` is called before each timed page, download and sign-in and may wait: run beside
    another centre's measurement, it lets the two take turns page by page (ops/benchmark/lockstep.py).
    `upload=False` leaves out the evidence upload, which adds to the centre (for a centre kept and
    measured again)."""
    from django.conf import settings

    with override_settings(ROOT_URLCONF="ops.benchmark.urls", BENCHMARK_PRODUCT_URLCONF=settings.ROOT_URLCONF):
        return _pages(sign_in, requests, pace, upload)


def _pages(sign_in: dict, requests: int, pace: Callable[[str], None], with_upload: bool) -> dict:
    people = personas(sign_in)
    client = Client()
    timings = []
    visits = [(people[page.who], page.name, url) for page in PAGES if (url := page.address(people)) is not None]
    downloads = [(people[page.who], page.name, url) for page in DOWNLOADS if (url := page.address(people)) is not None]
    # Every page once, then what is loaded is frozen out of the cycle collector's way, as each
    # gunicorn worker does after loading the app (config/gunicorn.conf.py): otherwise every so often
    # a request pays for a full collection over all of Django's and the app's own objects.
    for person, _name, url in visits + downloads:
        client.force_login(person)
        client.get(url)
    gc.collect()
    gc.freeze()

    for person, name, url in visits:
        client.force_login(person)
        pace(name)
        timings.append(_time(client, name, url, requests))
    baseline = timings[0].cpu_median_ms if timings and timings[0].name == BASELINE else 0.0
    for timing in timings:
        timing.cpu_ratio = round(timing.cpu_median_ms / baseline, 2) if baseline else 0.0

    csv = []
    for person, name, url in downloads:
        client.force_login(person)
        pace(name)
        csv.append(_download(client, name, url, min(requests, 10)))
    if with_upload:
        client.force_login(people["candidate"])
        timing = _upload(client, requests)
        timing.cpu_ratio = round(timing.cpu_median_ms / baseline, 2) if baseline else 0.0
        timings.append(timing)
    pace("one sign-in")
    signing_in = sign_in_cost(people["candidate"].email, sign_in["password"])
    return {"pages": [asdict(t) for t in timings], "downloads": csv, "sign_in": signing_in}


def _upload(client: Client, requests: int) -> Timing:
    """A 1 MB phone photo posted as a new evidence item, `requests` times (each adds an item)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portfolio.models import AssessmentMethod

    photo = _photo(MB)
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    def upload() -> dict[str, object]:
        return {
            "title": "Photo of the noticeboard I made", "method": AssessmentMethod.PRODUCT, "activity_date": day,
            "location": "Day centre", "account": "A noticeboard of local groups for the people I support.",
            "files": SimpleUploadedFile("noticeboard.jpg", photo, content_type="image/jpeg"),
        }

    return _time(client, f"candidate: evidence upload ({len(photo) / MB:.1f} MB photo)",
                 reverse("portfolio:evidence_create"), requests, post=upload)
