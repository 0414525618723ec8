"""A newer version of a shipped unit, for the tests of versions: the same references, with the words
of some items changed and some items left out, made by copying the shipped version row for row
through its natural keys (as a fixture of the new version would load)."""

from django.core import serializers

from standards.models import (
    AwardingBodyCode,
    Criterion,
    CriterionPoint,
    Element,
    Footnote,
    KeyTerm,
    KeyTermPoint,
    KnowledgeItem,
    KnowledgePoint,
    KnowledgeSection,
    ScopeCategory,
    ScopeItem,
    Unit,
    Validity,
)


def _unit_rows(unit: Unit) -> list:
    return [
        unit, *AwardingBodyCode.objects.filter(unit=unit), *Element.objects.filter(unit=unit),
        *KnowledgeSection.objects.filter(unit=unit), *ScopeCategory.objects.filter(unit=unit),
        *Criterion.objects.filter(unit=unit), *CriterionPoint.objects.filter(criterion__unit=unit),
        *KnowledgeItem.objects.filter(unit=unit), *KnowledgePoint.objects.filter(item__unit=unit),
        *ScopeItem.objects.filter(category__unit=unit), *KeyTerm.objects.filter(unit=unit),
        *KeyTermPoint.objects.filter(key_term__unit=unit), *Footnote.objects.filter(unit=unit),
    ]


def _renamed(value: object, code: str, old: str, new: str) -> object:
    if isinstance(value, list | tuple) and list(value[:2]) == [code, old]:
        return [code, new, *value[2:]]
    return value


def new_version(
    code: str, version: str, *, words: dict[str, str] | None = None, dropped: tuple[str, ...] = (),
    legacy_before: bool = True,
) -> Unit:
    """Version `version` of the shipped unit `code`: the criteria or knowledge items in `words` with
    new text, those in `dropped` left out. The shipped version is marked Legacy, as the UK Standards
    site marks a superseded one."""
    shipped = Unit.objects.get_by_natural_key(code, "1")
    rows = serializers.serialize("python", _unit_rows(shipped), use_natural_foreign_keys=True,
                                 use_natural_primary_keys=True)
    for row in rows:
        fields = row["fields"]
        for name, value in list(fields.items()):
            fields[name] = _renamed(value, code, "1", version)
        if row["model"] == "standards.unit":
            fields["version"], fields["slug"] = version, f"{shipped.slug}-v{version}"
        if fields.get("reference") in (words or {}):
            fields["text"] = (words or {})[fields["reference"]]
    kept = [r for r in rows if r["fields"].get("reference") not in dropped
            and not (isinstance(r["fields"].get("criterion"), list) and r["fields"]["criterion"][-2] in dropped)
            and not (isinstance(r["fields"].get("item"), list) and r["fields"]["item"][-2] in dropped)]
    for loaded in serializers.deserialize("python", kept, handle_forward_references=True):
        loaded.object.pk = None
        loaded.save()
    if legacy_before:
        Unit.objects.filter(pk=shipped.pk).update(validity=Validity.LEGACY)
    return Unit.objects.get_by_natural_key(code, version)
