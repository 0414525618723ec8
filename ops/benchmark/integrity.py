"""Checking a signed-off unit against storage, as a multiple of reading and hashing its files."""

import statistics
import time

from .memory import MB
from .personas import personas


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
    hash_files()
    check()
    baseline: list[float] = []
    checking: list[float] = []
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
