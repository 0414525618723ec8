"""The form on the evidence page with which the assessor of another unit records the scope of their
unit that holistic evidence, accepted by its judge, covers (`services/unit_scope.py`)."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from standards.models import ScopeItem

from .judging import ScopeChoiceField, ScopeGroup, scope_groups

UNIT_SCOPE_HINT = (
    "Tick each situation this evidence shows the candidate working in. Your record is what counts "
    "towards this unit’s scope at sign-off; with none ticked, it covers none of it."
)


class UnitScopeForm(forms.Form):
    scope_items = ScopeChoiceField(
        queryset=ScopeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Scope it covers",
        help_text=UNIT_SCOPE_HINT,
    )

    def __init__(self, *args: Any, scope_items: QuerySet[ScopeItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ScopeChoiceField, self.fields["scope_items"]).queryset = scope_items

    @property
    def scope_groups(self) -> list[ScopeGroup]:
        return scope_groups(self["scope_items"])
