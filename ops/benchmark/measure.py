"""The measurements the benchmark command makes, each run in a process of its own (`manage.py benchmark
--measure KIND`) against a centre that `generate_centre` has built, so that one measurement's memory
never shows in another's figures.

    pages      median and 95th percentile time of each page, with the Django test client, and an upload
    pdf        one unit's PDF: time and peak memory (the showcase candidate's signed-off HSC331)
    bulk       a bulk export of N units: time and peak memory
    upload     memory added while a 500 MB upload streams through the upload handlers
    integrity  checking a signed-off unit against storage, as a multiple of reading and hashing its
               files (a baseline measured in the same process, so the figure is a ratio)

Memory is the process's resident set (what the operating system counts, C libraries included):
the peak (VmHWM, reset before the work starts) less the resident size just before it.
"""

import datetime
import gc
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

from django.db import connection
from django.db.models import Count
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

MB = 1024 * 1024


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} is not in /proc/self/status")


def reset_peak() -> None:
    """Starts a new peak of resident memory for this process (Linux 4.0 and later)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")


def resident_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_mb() -> float:
    return _status_kb("VmHWM") / 1024


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


# Who to measure as: the people with the most behind their pages.


def personas(sign_in: dict) -> dict:
    from portfolio.models import Centre, Enrolment, Evidence, EvidenceState, Person, Role

    centre = Centre.objects.get(pk=sign_in["centre"])
    showcase = [e for e in sign_in[Role.CANDIDATE] if e.startswith("showcase.")]
    typical = (
        Person.objects.filter(email__in=[e for e in sign_in[Role.CANDIDATE] if e not in showcase])
        .annotate(units=Count("enrolments", distinct=True), items=Count("evidence", distinct=True))
        .order_by("-units", "-items", "pk")
        .first()
    )

    def busiest(field: str) -> Person:
        row = (
            Enrolment.objects.filter(centre=centre).values(field).annotate(n=Count("pk")).order_by("-n", field).first()
        )
        return Person.objects.get(pk=row[field])

    assessor, iqa = busiest("assessor"), busiest("iqa")
    enrolment = Enrolment.objects.filter(candidate=typical).order_by("unit__code").first()
    waiting = (
        Evidence.objects.filter(state=EvidenceState.SUBMITTED, candidate__enrolments__assessor=assessor)
        .order_by("submitted_at", "pk")
        .first()
    )
    return {
        "centre": centre,
        "candidate": typical,
        "enrolment": enrolment,
        "evidence": Evidence.objects.filter(candidate=typical).order_by("-number").first(),
        "waiting": waiting,
        "assessor": assessor,
        "iqa": iqa,
        "administrator": Person.objects.get(email=sign_in[Role.ADMINISTRATOR][0]),
        "showcase": Enrolment.objects.filter(candidate__email__in=showcase).first(),
    }


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


def pdf(sign_in: dict) -> dict:
    """The showcase candidate's signed-off HSC331: 40 evidence items, 20 of them camera-size photos."""
    from pypdf import PdfReader

    from exports.fetcher import forget_thumbnails
    from exports.unit_pdf import render_unit_pdf
    from portfolio.models import EvidenceFile

    enrolment = personas(sign_in)["showcase"]
    if enrolment is None:
        raise RuntimeError("The centre has no showcase candidate: generate it with --showcase.")
    # Renders keep the thumbnails they make. The first render is measured as a unit's first export
    # ever, making all twenty from the photos, however often the benchmark has run on this centre;
    # the warm renders then read them back.
    photo_files = EvidenceFile.objects.filter(evidence__candidate=enrolment.candidate)
    forget_thumbnails(photo_files.filter(content_type__startswith="image/"))
    before = resident_mb()
    reset_peak()
    started, started_cpu = time.perf_counter(), time.process_time()
    first = cast(bytes, render_unit_pdf(enrolment))  # with no target it returns the PDF
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = peak_mb()
    warm = []
    for _ in range(2):
        started = time.perf_counter()
        render_unit_pdf(enrolment)
        warm.append(time.perf_counter() - started)
    evidence = enrolment.candidate.evidence.count()
    photos = enrolment.candidate.evidence.filter(files__content_type__startswith="image/").count()
    return {
        "pdf": {
            "unit": enrolment.unit.code, "evidence": evidence, "photos": photos,
            "pages": len(PdfReader(io.BytesIO(first)).pages), "size_kb": round(len(first) / 1024),
            "first_render_s": round(cold, 2), "first_render_cpu_s": round(cold_cpu, 2),
            "first_render_thumbnails": "made from the photos (none kept beforehand)",
            "warm_render_s": round(statistics.median(warm), 2),
            "warm_render_thumbnails": "kept by the first render",
            "resident_before_mb": round(before, 1), "peak_mb": round(peak, 1),
            "added_mb": round(peak - before, 1),
        }
    }


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


def _multipart_body(path: Path, boundary: str, fields: dict, files: list[tuple[str, int]]) -> int:
    """Writes a multipart/form-data body to `path` a megabyte at a time; returns its length. Each
    file starts like an MP4 video, so the upload checks take it for one."""
    head = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00\x00\x00\x08free"
    chunk = bytes(MB)
    with open(path, "wb") as body:
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for label, size in files:
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{label}"\r\n'
                f"Content-Type: video/mp4\r\n\r\n".encode()
            )
            body.write(head)
            left = size - len(head)
            while left > 0:
                body.write(chunk[: min(MB, left)])
                left -= MB
            body.write(b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return body.tell()


def upload(sign_in: dict, total_mb: int) -> dict:
    """A `total_mb` upload of video files (as many as the per-file limit needs) sent through the whole
    stack: the upload handlers, the checks, the storage. The body is read from a file on disk, the way
    a WSGI server hands it over, so the only memory counted is the application's own."""
    from django.conf import settings
    from django.test.client import ClientHandler

    from portfolio.models import AssessmentMethod, Evidence

    people = personas(sign_in)
    # As few files as the limit for one file allows, of equal size (the limit itself is allowed).
    count = -(-total_mb * MB // settings.EVIDENCE_MAX_FILE_BYTES)
    sizes = [total_mb * MB // count] * (count - 1)
    sizes.append(total_mb * MB - sum(sizes))
    files = [(f"visit-{n + 1}.mp4", size) for n, size in enumerate(sizes)]
    client = Client()
    client.force_login(people["candidate"])
    fields = {
        "title": "Video of the residents' meeting", "method": AssessmentMethod.PRODUCT,
        "activity_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "location": "Day centre", "account": "The meeting I chaired, filmed with everyone's agreement.",
    }
    boundary = "portfolio-benchmark-boundary"
    handler = ClientHandler(enforce_csrf_checks=False)
    with tempfile.TemporaryDirectory(prefix="portfolio-upload-") as folder:
        path = Path(folder) / "body"
        length = _multipart_body(path, boundary, fields, files)

        def send(stream, size):
            environ = client._base_environ(
                PATH_INFO=reverse("portfolio:evidence_create"), REQUEST_METHOD="POST",
                CONTENT_TYPE=f"multipart/form-data; boundary={boundary}", CONTENT_LENGTH=str(size),
            )
            environ["wsgi.input"] = stream
            return handler(environ)

        # A small upload first, so libraries loaded on first use are not counted as the upload's.
        small = Path(folder) / "small"
        small_length = _multipart_body(small, boundary, fields, [("small.mp4", 64 * 1024)])
        with open(small, "rb") as stream:
            send(stream, small_length)
        before = resident_mb()
        reset_peak()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            response = send(stream, length)
        seconds = time.perf_counter() - started
        peak = peak_mb()
    if response.status_code != 302:
        raise RuntimeError(f"The {total_mb} MB upload answered {response.status_code}")
    evidence = Evidence.objects.filter(candidate=people["candidate"]).order_by("-number").first()
    assert evidence is not None  # the upload answered with a redirect: it was saved
    stored = [f.size for f in evidence.files.all()]
    if stored != [size for _, size in files]:
        raise RuntimeError(f"The upload stored {stored}, not {files}")
    return {
        "upload": {
            "total_mb": round(length / MB, 1), "files": count, "seconds": round(seconds, 1),
            "mb_per_s": round(length / MB / seconds, 1), "resident_before_mb": round(before, 1),
            "peak_mb": round(peak, 1), "added_mb": round(peak - before, 1),
        }
    }


def integrity(sign_in: dict, repeats: int = 5) -> dict:
    """The showcase candidate's signed-off HSC331 checked against storage (`integrity.check`, what the
    unit page and `verify` do), beside a baseline measured in the same process: reading and hashing
    the same files and nothing else, which no check can avoid. The ratio is what the check adds to
    that (signature, decisions, the database's view of every file); unlike milliseconds it hardly
    depends on the machine. It replaces a test that failed whenever a busy machine took a second."""
    from assessments import integrity as signed_record
    from assessments.models import SignOff
    from portfolio.models import EvidenceFile

    enrolment = personas(sign_in)["showcase"]
    if enrolment is None:
        raise RuntimeError("The centre has no showcase candidate: generate it with --showcase.")
    sign_off = SignOff.objects.filter(enrolment=enrolment, voided_at=None).order_by("-assessor_signed_at").first()
    if sign_off is None:
        raise RuntimeError("The showcase unit has not been signed off.")
    file_ids = [entry["file_id"] for entry in sign_off.manifest.get("files", [])]
    files = list(EvidenceFile.objects.filter(pk__in=file_ids))

    def hash_files() -> None:
        for evidence_file in files:
            signed_record.stored_sha256(evidence_file)

    def check() -> None:
        report = signed_record.check(SignOff.objects.get(pk=sign_off.pk))
        if not report.intact:
            raise RuntimeError("The showcase unit does not verify: " + "; ".join(report.problems))

    # Alternated, after one untimed round of each, so the page cache and any drift in the machine's
    # load fall on both alike; the medians are compared.
    hash_files(), check()
    baseline, checking = [], []
    for _ in range(repeats):
        for work, times in ((hash_files, baseline), (check, checking)):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    baseline_s, check_s = statistics.median(baseline), statistics.median(checking)
    return {
        "integrity": {
            "unit": enrolment.unit.code, "files": len(files),
            "size_mb": round(sum(f.size for f in files) / MB, 1),
            "decisions": len(sign_off.manifest.get("decisions", [])), "repeats": repeats,
            "baseline": "reading and hashing the signed files",
            "baseline_ms": round(baseline_s * 1000, 1), "check_ms": round(check_s * 1000, 1),
            "ratio": round(check_s / baseline_s, 2),
        }
    }


def run(kind: str, sign_in_path: str, *, requests: int, units: int, total_mb: int) -> dict:
    with open(sign_in_path, encoding="utf-8") as handle:
        sign_in = json.load(handle)
    if kind == "pages":
        return pages(sign_in, requests)
    if kind == "pdf":
        return pdf(sign_in)
    if kind == "bulk":
        return bulk(sign_in, units)
    if kind == "upload":
        return upload(sign_in, total_mb)
    if kind == "integrity":
        return integrity(sign_in)
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
