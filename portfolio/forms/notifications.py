from typing import Any

from django import forms

from ..notification_kinds import NotificationDelivery, NotificationKind


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification the person receives, named by the kind."""

    def __init__(
        self,
        *args: Any,
        kinds: list[NotificationKind],
        current: dict[NotificationKind, NotificationDelivery],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationDelivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": f"Choose how to hear of “{kind.label}”."},
            )

    def choices(self) -> dict[NotificationKind, NotificationDelivery]:
        return {NotificationKind(name): NotificationDelivery(value) for name, value in self.cleaned_data.items()}
