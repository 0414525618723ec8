"""The words of the unit an assessor signed against, kept in the signed manifest as one SHA-256 per
item (the unit's code, title and version, each criterion, knowledge item and scope item, and the name of each scope category), so that
a criterion reworded in the database afterwards is found: the location sheet and the PDF print the
wording as it is now, beside the decisions signed against the old (an outside trial rewrote a
criterion and nothing said so). A unit's published wording never changes in the product: a new
wording is a new version of the unit (`standards`), and an enrolment moves to it only unlocked.

Manifests signed before the wording was kept (format 3 and older) are checked without it."""

from standards.models import Criterion, KnowledgeItem, ScopeCategory, ScopeItem, Unit

from .models import SignOff
from .signing import sha256_of

WORDING = "wording"
WORDING_SINCE_FORMAT = 4


def manifest_part(unit_id: int) -> dict[str, str]:
    """Each item's reference, with the SHA-256 of its words."""
    return {reference: sha256_of(text) for reference, text in _words(unit_id)}


def _words(unit_id: int) -> list[tuple[str, str]]:
    # The unit itself too: its code, title and version name what was signed (an outside trial renamed it).
    unit = list(Unit.objects.filter(pk=unit_id).values_list("code", "title", "version"))
    criteria = Criterion.objects.filter(unit_id=unit_id).values_list("reference", "text")
    knowledge = KnowledgeItem.objects.filter(unit_id=unit_id).values_list("reference", "text")
    scope = ScopeItem.objects.filter(category__unit_id=unit_id).values_list("reference", "text")
    categories = ScopeCategory.objects.filter(unit_id=unit_id).values_list("name", flat=True)
    named = [("the unit’s code, title and version", " · ".join(row)) for row in unit]
    return [*named, *criteria, *knowledge, *scope, *((f"scope category {name}", name) for name in categories)]


def problems(sign_off: SignOff, manifest: dict) -> list[str]:
    """The items whose words differ from those signed against, by reference; one missing or added."""
    form = manifest.get("format")
    if not isinstance(form, int) or form < WORDING_SINCE_FORMAT:
        return []
    signed = manifest.get(WORDING)
    if not isinstance(signed, dict):
        return ["The signed record has lost the wording of the unit it was signed against."]
    now = manifest_part(sign_off.enrolment.unit_id)
    changed = sorted(ref for ref in signed.keys() | now.keys() if signed.get(ref) != now.get(ref))
    if not changed:
        return []
    named = ", ".join(changed[:6]) + (f" and {len(changed) - 6} more" if len(changed) > 6 else "")
    return [
        f"The wording of the unit has changed in the database since it was signed off ({named}): the "
        "standard no longer reads as it did when the assessor signed against it."
    ]
