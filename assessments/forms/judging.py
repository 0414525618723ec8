"""Forms for judging evidence and for the assessor's own evidence."""

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.forms.boundfield import BoundWidget
from django.utils import timezone

from portfolio.forms.evidence import MultipleFileField
from portfolio.ids import RecordsChoiceField
from portfolio.models import AssessmentMethod
from portfolio.text_input import LineField, ParagraphsField
from standards.models import Criterion, KnowledgeItem, ScopeCategory, ScopeItem
from standards.templatetags.standard_text import plain_text

from ..judging_items import OfferedItem, OfferedUnit, item_key
from ..models import ReferralNote
from ..services.judging import VACS
from ..services.judging_round import Round

ACCEPT, REFER = "accept", "refer"

VACS_HINTS = {
    "valid": "It proves the criteria it is mapped to, by a method the unit allows.",
    "authentic": "It is the candidate’s own work.",
    "current": "It shows what the candidate can do now.",
    "sufficient": "There is enough of it to prove competence across the criteria and scope.",
}


SCOPE_HINT = (
    "Tick each situation this evidence shows the candidate working in. The candidate’s own mapping is "
    "ticked to start with; your record is what counts at sign-off."
)


@dataclass
class ScopeChoice:
    item: ScopeItem
    box: BoundWidget


@dataclass
class ScopeGroup:
    """One scope category's boxes, to be shown under its own legend."""

    category: ScopeCategory
    choices: list[ScopeChoice]


class ScopeChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: ScopeItem) -> str:
        return f"{obj.reference} {obj.text}"


def _scope_field() -> ScopeChoiceField:
    return ScopeChoiceField(
        queryset=ScopeItem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Scope it covers", help_text=SCOPE_HINT,
    )


def scope_groups(field: BoundField) -> list[ScopeGroup]:
    """The field's boxes by scope category, in the standard's order."""
    offered = cast(ScopeChoiceField, field.field).queryset
    assert offered is not None, "set by the form"
    items = {str(item.pk): item for item in offered}
    groups: dict[int, ScopeGroup] = {}
    for box in field.subwidgets:
        item = items[str(box.data["value"])]
        group = groups.setdefault(item.category_id, ScopeGroup(category=item.category, choices=[]))
        group.choices.append(ScopeChoice(item=item, box=box))
    return list(groups.values())


@dataclass
class ProofChoice:
    """One criterion or knowledge item on the judge form: its box (met, if accepted) and, for an
    item the candidate mapped, the note the candidate gets if the evidence is referred back."""

    offered: OfferedItem
    checked: bool
    note: BoundField | None

    @property
    def box_id(self) -> str:
        return f"id_proves_{self.offered.key}"


@dataclass
class ProofGroup:
    unit: OfferedUnit
    mapped: list[ProofChoice]
    others: list[ProofChoice]  # the items the candidate did not map, which the assessor may add

    @property
    def others_ticked(self) -> bool:
        return any(choice.checked for choice in self.others)

    @property
    def notes_given(self) -> bool:
        return any(choice.note is not None and (choice.note.value() or choice.note.errors) for choice in self.mapped)


def _note_name(key: str) -> str:
    return f"note_{key}"


STALE_FORM = "This form does not say which version of the evidence it judges: reload the page and judge it again."


class JudgementForm(forms.Form):
    """Accept (all four VACS boxes ticked, with the scope the evidence covers and the criteria and
    knowledge items it proves) or refer back (feedback written, a note on any item mapped): which
    button was pressed decides which rule applies."""

    valid = forms.BooleanField(required=False, label="Valid", help_text=VACS_HINTS["valid"])
    authentic = forms.BooleanField(required=False, label="Authentic", help_text=VACS_HINTS["authentic"])
    current = forms.BooleanField(required=False, label="Current", help_text=VACS_HINTS["current"])
    sufficient = forms.BooleanField(required=False, label="Sufficient", help_text=VACS_HINTS["sufficient"])
    feedback = ParagraphsField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Feedback to the candidate",
        help_text="Required when you refer the evidence back: say what to change or add.",
    )
    decision = forms.ChoiceField(choices=[(ACCEPT, "Accept"), (REFER, "Refer back")], widget=forms.HiddenInput)
    scope_items = _scope_field()
    proves = forms.MultipleChoiceField(required=False, choices=[], label="Met, citing this evidence")
    decided_on = forms.DateField(
        required=False, label="Date of the decisions", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # The submission the page showed (`judging_round`): a form left open while the evidence was
    # referred back, changed and submitted again is refused, not recorded against the new version.
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE_FORM})
    submitted = LineField(max_length=64, widget=forms.HiddenInput, error_messages={"required": STALE_FORM})

    def __init__(
        self, *args: Any, scope_items: QuerySet[ScopeItem], offered: list[OfferedUnit] | None = None, **kwargs: Any
    ) -> None:
        self.offered = offered or []
        rows = [row for unit in self.offered for row in unit.items]
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "proves": [row.key for row in rows if row.mapped and not row.after_the_decision], "decided_on": timezone.localdate(), **kwargs["initial"]
        }
        super().__init__(*args, **kwargs)
        cast(ScopeChoiceField, self.fields["scope_items"]).queryset = scope_items
        cast(forms.MultipleChoiceField, self.fields["proves"]).choices = [(row.key, row.item.reference) for row in rows]
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self._items = {row.key: row.item for row in rows}
        for row in rows:
            if row.mapped:
                self.fields[_note_name(row.key)] = ParagraphsField(
                    required=False, max_length=ReferralNote.MAX_CHARS, label=f"Note on {row.item.reference}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    @property
    def scope_groups(self) -> list[ScopeGroup]:
        return scope_groups(self["scope_items"])

    @property
    def proof_groups(self) -> list[ProofGroup]:
        ticked = {str(key) for key in self["proves"].value() or []}

        def choice(row: OfferedItem) -> ProofChoice:
            note = self[_note_name(row.key)] if row.mapped else None
            return ProofChoice(offered=row, checked=row.key in ticked, note=note)

        return [
            ProofGroup(unit=unit, mapped=[choice(r) for r in unit.mapped], others=[choice(r) for r in unit.others])
            for unit in self.offered
        ]

    @property
    def note_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name.startswith("note_")]

    def clean_decided_on(self) -> datetime.date:
        value = self.cleaned_data.get("decided_on") or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the decisions cannot be in the future.")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean() gives back cleaned_data
        decision = cleaned.get("decision")
        if decision == ACCEPT:
            for name in VACS:
                if not cleaned.get(name):
                    self.add_error(name, f"Confirm the evidence is {name}, or refer it back.")
        elif decision == REFER and not cleaned.get("feedback", "").strip():
            self.add_error("feedback", "Write what the candidate should change before referring it back.")
        return cleaned

    @property
    def seen(self) -> Round:
        """The submission the form was rendered for (of a valid form)."""
        return Round(version=self.cleaned_data["version"], submitted=self.cleaned_data["submitted"])

    @property
    def vacs_fields(self) -> list[BoundField]:
        return [self[name] for name in VACS]

    @property
    def items_proved(self) -> list[Criterion | KnowledgeItem]:
        """The items ticked as met, in the standard's order (of a valid form)."""
        ticked = set(self.cleaned_data.get("proves") or [])
        return [item for key, item in self._items.items() if key in ticked]

    @property
    def notes(self) -> dict[Criterion | KnowledgeItem, str]:
        """The note written on each mapped item (of a valid form)."""
        found = {}
        for key, item in self._items.items():
            text = (self.cleaned_data.get(_note_name(key)) or "").strip()
            if text:
                found[item] = text
        return found


class ItemChoiceField(RecordsChoiceField):
    # Items met already, by `judging_items.item_key`, with the evidence their decisions cite.
    met: dict[str, str] = {}

    def label_from_instance(self, obj: Criterion | KnowledgeItem) -> str:
        label = f"{obj.reference} {plain_text(obj.text)}"
        cited = self.met.get(item_key(obj))
        if cited is None:
            return label
        return f"{label} (met already, citing {cited}: ticking it adds this record to its evidence)"


class AssessorEvidenceForm(forms.Form):
    method = forms.ChoiceField(
        label="What you are recording",
        choices=[
            (AssessmentMethod.DIRECT_OBSERVATION.value, "An observation of the candidate at work"),
            (AssessmentMethod.QUESTIONING.value, "Questions you asked and the candidate’s answers"),
        ],
        widget=forms.RadioSelect,
    )
    title = LineField(max_length=200, help_text="A short name, e.g. “Observation: planning a family visit”.")
    activity_date = forms.DateField(
        label="When", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    location = LineField(
        label="Where", max_length=200, required=False,
        help_text="The setting, e.g. “Day centre” — not a person’s home address.",
    )
    account = ParagraphsField(
        label="What you saw",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What the candidate did, how and why; do not name the people they support.",
    )
    # The form's metaclass takes declared fields out of the class, so self.files stays the request's files.
    files = MultipleFileField(required=False, label="Files", help_text="Optional: notes, photos, recordings.")  # type: ignore[assignment]
    criteria = ItemChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Performance criteria"
    )
    knowledge_items = ItemChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Knowledge items"
    )
    scope_items = _scope_field()

    def __init__(
        self, *args: Any, criteria: QuerySet[Criterion], knowledge_items: QuerySet[KnowledgeItem],
        scope_items: QuerySet[ScopeItem], met: dict[str, str] | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, items in (("criteria", criteria), ("knowledge_items", knowledge_items)):
            field = cast(ItemChoiceField, self.fields[name])
            field.queryset = items
            field.met = met or {}
        cast(ScopeChoiceField, self.fields["scope_items"]).queryset = scope_items
        self.fields["scope_items"].help_text = "Tick each situation you saw the candidate working in."
        self.fields["activity_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if self.chosen_method == AssessmentMethod.QUESTIONING:
            self.fields["account"].label = "Questions and answers"
            self.fields["account"].help_text = "Each question you asked and the answer the candidate gave."

    @property
    def scope_groups(self) -> list[ScopeGroup]:
        return scope_groups(self["scope_items"])

    @property
    def chosen_method(self) -> str:
        return (self.data.get("method") if self.is_bound else None) or self.initial.get("method", "")

    def clean_activity_date(self) -> datetime.date:
        value = self.cleaned_data["activity_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean() gives back cleaned_data
        if not cleaned.get("criteria") and not cleaned.get("knowledge_items"):
            raise forms.ValidationError("Tick at least one criterion or knowledge item this evidence proves.")
        return cleaned
