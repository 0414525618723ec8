"""What people attested about each signed evidence item, kept in the signed manifest so that editing
it afterwards is found: the candidate's declarations that the evidence is their own work, and the
assessor's judgements of it (the VACS checks, the outcome, the feedback).

Each is a digest per evidence item in the manifest's evidence part. Manifests signed before these
digests existed have none, and are checked without them (the digests are compared where present).
The assessor's own declaration at sign-off is in the manifest already (`declaration`); the column
shown on pages is compared with it here too."""

from collections import defaultdict
from collections.abc import Iterable

from portfolio.models import Declaration, Evidence

from .models import Judgement, SignOff

DECLARATIONS = "declarations_sha256"
JUDGEMENTS = "judgements_sha256"
_SAID = {
    DECLARATIONS: "the candidate’s declaration that it is their own work has changed since sign-off",
    JUDGEMENTS: "the assessor’s judgement of it (its checks, outcome or feedback) has changed since sign-off",
}


def digests(evidence_items: Iterable[Evidence]) -> dict[int, dict[str, str]]:
    """Per evidence id, the digests of its declarations and its judgements: two queries in all."""
    from .integrity import sha256_of, utc_iso  # integrity builds the manifest with these

    ids = [e.pk for e in evidence_items]
    declared: dict[int, list] = defaultdict(list)
    for d in Declaration.objects.filter(evidence_id__in=ids).order_by("declared_at", "pk"):
        declared[d.evidence_id].append([d.pk, d.version, d.text, d.declared_by_id, utc_iso(d.declared_at)])
    judged: dict[int, list] = defaultdict(list)
    for j in Judgement.objects.filter(evidence_id__in=ids).order_by("judged_at", "pk"):
        judged[j.evidence_id].append(
            [j.pk, j.version, j.outcome, j.feedback, j.valid, j.authentic, j.current, j.sufficient,
             j.assessor_id, utc_iso(j.judged_at)]
        )
    return {pk: {DECLARATIONS: sha256_of(declared[pk]), JUDGEMENTS: sha256_of(judged[pk])} for pk in ids}


def evidence_problems(reference: str, signed: dict, now: dict) -> list[str]:
    """What changed in what was attested of one signed evidence item, where the manifest says."""
    return [f"{reference}: {_SAID[key]}." for key in (DECLARATIONS, JUDGEMENTS) if key in signed and signed[key] != now.get(key)]


def sign_off_problems(sign_off: SignOff, manifest: dict) -> list[str]:
    signed = manifest.get("declaration")
    if signed is not None and signed != sign_off.assessor_declaration:
        return ["The assessor’s declaration shown with the sign-off is not the one signed."]
    return []
