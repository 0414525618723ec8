"""The unit page of a unit signed off on twenty 100 MB files in object storage, against the same unit
signed off on twenty small files: no page reads a signed file (the fixity job does, on the worker:
assessments/fixity.py), so the two answer alike, and the figure is the ratio of their medians.

Object storage is a moto S3 server on loopback (moto comes with the test tools: `.ci/setup --test`),
started by the benchmark command around this measurement (`object_store`), whose process is given
the environment production sets for a bucket. The two units are built for the
measurement through the product's services (two new candidates at the generated centre, assessed
by its busiest assessor) and stay in the benchmark's throwaway database. Beside the ratio it reports
what one view of the large unit's page cost before the fixity job: the full check, reading and
hashing every file (`integrity.check`), timed once.
"""

import contextlib
import datetime
import hashlib
import io
import logging
import statistics
import time
import uuid
from collections.abc import Iterator
from typing import Any

from .memory import MB
from .personas import personas

FILES = 20
EVIDENCE_ITEMS = 5  # of four files each; every decision cites all five
LARGE_BYTES = 100 * MB
SMALL_BYTES = 8 * 1024
BUCKET, REGION = "portfolio-benchmark", "eu-west-2"


class _Bytes(io.RawIOBase):
    """`size` bytes made as they are read (never all in memory), different in every mebibyte."""

    def __init__(self, size: int, seed: int) -> None:
        self.left, self.block, self.count = size, hashlib.sha256(str(seed).encode()).digest() * (MB // 32), 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.left, MB)
        if n <= 0:
            return 0
        chunk = self.count.to_bytes(8, "big") + self.block[8:n] if n > 8 else self.block[:n]
        buffer[:n] = chunk
        self.digest.update(chunk)
        self.left -= n
        self.count += 1
        return n


@contextlib.contextmanager
def object_store() -> Iterator[dict[str, str]]:
    """A moto S3 server on loopback with an empty bucket, for as long as the measurement runs: the
    environment that points a process's evidence storage at it, as production's points at a bucket
    (config/settings/storage.py, docs/production.md)."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint, key, secret = f"http://{host}:{port}", "bench-access-key", "bench-secret-key"
        boto3.client(
            "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key, aws_secret_access_key=secret,
        ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield {
            "PORTFOLIO_S3_BUCKET": BUCKET, "PORTFOLIO_S3_ENDPOINT_URL": endpoint, "PORTFOLIO_S3_REGION": REGION,
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
        }
    finally:
        server.stop()


def _signed_unit(people: dict, file_bytes: int, label: str) -> Any:
    """A new candidate at the centre on HSC331, every item met by the busiest assessor citing five
    accepted evidence items of four stored files each, signed off through the service."""
    from django.core.files import File
    from django.utils import timezone

    from assessments.services import decisions, judging, signoff
    from portfolio import services
    from portfolio.models import AssessmentMethod, Enrolment, EvidenceFile, Membership, Person, Role
    from standards.models import SHIPPED_VERSION, Criterion, KnowledgeItem, Unit

    centre, assessor = people["centre"], people["assessor"]
    candidate = Person.objects.create(email=f"fixity-{label}-{uuid.uuid4().hex[:8]}@bench.example", first_name=label.title(),
                                      last_name="Fixity")
    Membership.objects.create(person=candidate, centre=centre, role=Role.CANDIDATE)
    unit, today = Unit.objects.get_by_natural_key("HSC331", SHIPPED_VERSION), timezone.localdate()
    enrolment = Enrolment.objects.create(
        centre=centre, candidate=candidate, unit=unit, assessor=assessor, iqa=people["iqa"], start_date=today,
        target_date=today + datetime.timedelta(days=365), registered_by=people["administrator"],
    )
    criteria, knowledge = list(Criterion.objects.filter(unit=unit)), list(KnowledgeItem.objects.filter(unit=unit))
    items = []
    for number in range(EVIDENCE_ITEMS):
        evidence = services.evidence_create(
            candidate=candidate, centre=centre, author=candidate, title=f"Recorded visit {number + 1}",
            method=AssessmentMethod.PRODUCT, activity_date=today - datetime.timedelta(days=7), uploads=[],
            account="Recordings of a visit I supported, with my notes on each.",
        )
        for part in range(FILES // EVIDENCE_ITEMS):
            content = _Bytes(file_bytes, seed=number * 100 + part)
            evidence_file = EvidenceFile(
                evidence=evidence, storage_key=uuid.uuid4().hex, original_name=f"visit-{number + 1}-{part + 1}.mp4",
                content_type="video/mp4", size=file_bytes, sha256="", added_in_version=evidence.version,
                uploaded_by=candidate,
            )
            stored = File(content, name=evidence_file.storage_key)  # type: ignore[arg-type]  # a readable stream
            stored.size = file_bytes
            evidence_file.file.save(evidence_file.storage_key, stored, save=False)
            evidence_file.sha256 = content.digest.hexdigest()
            evidence_file.save()
        services.evidence_map(evidence=evidence, editor=candidate, criteria=criteria, knowledge_items=knowledge, scope_items=[])
        services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)
        judging.evidence_accept(evidence=evidence, assessor=assessor, valid=True, authentic=True, current=True, sufficient=True)
        items.append(evidence)
    for item in [*criteria, *knowledge]:
        decisions.decision_record(
            enrolment=enrolment, assessor=assessor, evidence=items, decided_on=today,
            criterion=item if isinstance(item, Criterion) else None,
            knowledge_item=item if isinstance(item, KnowledgeItem) else None,
        )
    signoff.unit_sign_off(enrolment=enrolment, assessor=assessor, declared=True)
    return enrolment


def signed_unit_page(sign_in: dict, requests: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from assessments import integrity
    from assessments.models import SignOff

    if "S3Storage" not in settings.STORAGES["default"]["BACKEND"]:
        raise RuntimeError("The evidence storage is not object storage: run it with `object_store()`'s environment.")
    people = personas(sign_in)
    started = time.perf_counter()
    large = _signed_unit(people, LARGE_BYTES, "large")
    small = _signed_unit(people, SMALL_BYTES, "small")
    built_s = time.perf_counter() - started
    client = Client()
    client.force_login(people["assessor"])
    urls = {"large": f"/assessments/units/{large.pk}/", "small": f"/assessments/units/{small.pk}/"}
    times: dict[str, list[float]] = {"large": [], "small": []}
    cpu: dict[str, list[float]] = {"large": [], "small": []}  # what other work on the machine inflates less
    for _ in range(3):  # warm, and make sure both pages answer
        for url in urls.values():
            if client.get(url).status_code != 200:
                raise RuntimeError(f"{url} did not answer 200")
    for _ in range(requests):  # alternated, so drift in the machine's load falls on both alike
        for name, url in urls.items():
            begun, begun_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times[name].append((time.perf_counter() - begun) * 1000)
            cpu[name].append((time.process_time() - begun_cpu) * 1000)
    begun = time.perf_counter()
    report = integrity.check(SignOff.objects.standing().get(enrolment=large))
    full_check_s = time.perf_counter() - begun
    if not report.intact:
        raise RuntimeError("The large unit does not verify: " + "; ".join(report.problems))
    large_ms, small_ms = statistics.median(times["large"]), statistics.median(times["small"])
    return {
        "signed_unit_page": {
            "files": FILES, "large_file_mb": LARGE_BYTES // MB, "small_file_kb": SMALL_BYTES // 1024,
            "storage": "S3 (moto server on loopback)", "requests": requests, "built_s": round(built_s, 1),
            "large_median_ms": round(large_ms, 1), "small_median_ms": round(small_ms, 1),
            "ratio": round(large_ms / small_ms, 2),
            "large_cpu_median_ms": round(statistics.median(cpu["large"]), 1),
            "small_cpu_median_ms": round(statistics.median(cpu["small"]), 1),
            "cpu_ratio": round(statistics.median(cpu["large"]) / statistics.median(cpu["small"]), 2),
            "full_check_large_s": round(full_check_s, 1), "full_check_files_read": report.files_read,
        }
    }
