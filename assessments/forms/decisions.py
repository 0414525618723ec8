"""The decisions page's forms: the whole unit in one submit, and a decision withdrawn."""

import datetime
import re
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils import timezone

from portfolio.ids import NotAChoice, as_id, ids_from
from portfolio.text_input import ParagraphsField

# A box on the decisions page: "cite-criterion-12" holds the ids of the evidence ticked for that
# item; "seen-criterion-12" the standing decision the page showed on it (empty: none).
_CITE = re.compile(r"^cite-((criterion|knowledge)-\d+)$")


@dataclass(frozen=True)
class Ticked:
    """One item's evidence ticked, as posted: the service decides what may be cited."""

    key: str  # "criterion-12"
    kind: str  # "criterion" or "knowledge"
    item_id: int
    evidence_ids: list[int]
    seen: int | None  # the standing decision the page showed on the item


class DecisionsForm(forms.Form):
    """Every item ticked on the decisions page: recorded as met, or its evidence added to the
    decision standing on it. The evidence ticked is read as plain ids; the service decides what may
    be cited and says why not in the domain's own words."""

    decided_on = forms.DateField(
        label="Date of the new decisions", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_decided_on(self) -> datetime.date:
        value = cast(datetime.date, self.cleaned_data["decided_on"])
        if value > timezone.localdate():
            raise forms.ValidationError("The date of a decision cannot be in the future.")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean() gives back cleaned_data
        ticked = []
        for name in sorted(self.data):
            found = _CITE.match(name)
            if found is None:
                continue
            key, kind = found.group(1), found.group(2)
            try:
                evidence_ids = ids_from(self.data.getlist(name))  # type: ignore[attr-defined]  # a QueryDict
                item_id = ids_from([key.rsplit("-", 1)[1]])[0]
            except NotAChoice as error:
                raise forms.ValidationError(str(error)) from None
            if evidence_ids:
                ticked.append(Ticked(
                    key=key, kind=kind, item_id=item_id, evidence_ids=evidence_ids,
                    seen=as_id(self.data.get(f"seen-{key}", "")),
                ))
        if not ticked:
            raise forms.ValidationError("Tick the evidence that proves at least one criterion or knowledge item.")
        cleaned["ticked"] = ticked
        return cleaned

    def posted(self) -> dict[str, list[int]]:
        """The evidence ids ticked for each item, to tick them again on a page shown again."""
        found = {}
        for name in self.data:
            match = _CITE.match(name)
            if match is not None:
                found[match.group(1)] = [n for n in map(as_id, self.data.getlist(name)) if n]  # type: ignore[attr-defined]
        return found


class WithdrawForm(forms.Form):
    reason = ParagraphsField(
        label="Why is this decision withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the decision and shown in the audit trail.",
        max_length=2000,
        error_messages={"required": "Say why the decision is withdrawn: the reason is kept with it."},
    )
