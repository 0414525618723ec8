"""Each page's median and 95th percentile time with the Django test client, and an evidence upload
of a phone photo, as each kind of user opens them."""

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
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .memory import MB
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


def pages(sign_in: dict, requests: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portfolio.models import AssessmentMethod

    people = personas(sign_in)
    client = Client()
    timings = []
    visits = [
        (people["candidate"], "candidate: unit page", reverse("assessments:enrolment_detail", args=[people["enrolment"].pk])),
        (people["candidate"], "candidate: evidence mapping", reverse("portfolio:evidence_map", args=[people["evidence"].pk])),
        (people["candidate"], "candidate: home", reverse("home")),
        (people["candidate"], "candidate: evidence list", reverse("portfolio:evidence_list")),
        (people["assessor"], "assessor: home", reverse("home")),
        (people["assessor"], "assessor: queue", reverse("assessments:queue")),
        (people["assessor"], "assessor: candidates' units", reverse("assessments:candidate_units")),
        *([(people["assessor"], "assessor: evidence to judge", reverse("assessments:evidence_detail", args=[people["waiting"].pk]))]
          if people["waiting"] is not None else []),
        (people["assessor"], "assessor: notifications", reverse("portfolio:notification_list")),
        (people["iqa"], "IQA: sample", reverse("assessments:iqa_sample")),
        (people["administrator"], "administrator: centre page", reverse("assessments:centre_detail", args=[people["centre"].pk])),
        (people["administrator"], "administrator: home", reverse("home")),
    ]
    # Every page once, then what is loaded is frozen out of the cycle collector's way, as each
    # gunicorn worker does after loading the app (config/gunicorn.conf.py): otherwise every so often
    # a request pays for a full collection over all of Django's and the app's own objects.
    for person, _name, url in visits:
        client.force_login(person)
        client.get(url)
    gc.collect()
    gc.freeze()

    for person, name, url in visits:
        client.force_login(person)
        timings.append(_time(client, name, url, requests))

    photo = _photo(MB)
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    def upload() -> dict[str, object]:
        return {
            "title": "Photo of the noticeboard I made", "method": AssessmentMethod.PRODUCT, "activity_date": day,
            "location": "Day centre", "account": "A noticeboard of local groups for the people I support.",
            "files": SimpleUploadedFile("noticeboard.jpg", photo, content_type="image/jpeg"),
        }

    client.force_login(people["candidate"])
    timing = _time(client, f"candidate: evidence upload ({len(photo) / MB:.1f} MB photo)", reverse("portfolio:evidence_create"),
                   requests, post=upload)
    timings.append(timing)
    return {"pages": [asdict(t) for t in timings]}
