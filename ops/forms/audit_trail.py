"""What the centre's audit trail is narrowed to: a person's name or email words and dates, read from
the address (a GET form). A date that is no date, outside the span or a range ending before it
starts is shown as an error and neither date is applied, as the reports do (`ops.forms.reports`)."""

import datetime

from django import forms

from ops.forms.reports import NO_DATES_APPLIED, check_date_range, date_input
from portfolio import dates
from portfolio.text_input import LineField

_NO_DATES = NO_DATES_APPLIED.replace("the report covers", "the audit trail shows")


class AuditTrailFilterForm(forms.Form):
    person = LineField(label="Person", required=False, max_length=200,
                       help_text="Words of a name or an email address: who acted, or whom it was about.")
    date_from = forms.DateField(label="From", required=False, widget=date_input(),
                                error_messages={"invalid": dates.NOT_A_DATE})
    date_to = forms.DateField(label="To", required=False, widget=date_input(),
                              error_messages={"invalid": dates.NOT_A_DATE})

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        check_date_range(self, cleaned, _NO_DATES)
        return cleaned

    def words(self) -> list[str]:
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("person") or "").split()

    def applied_day(self, name: str) -> datetime.date | None:
        """The date `name` as applied: none when either date is refused."""
        self.is_valid()
        if "date_from" in self.errors or "date_to" in self.errors:
            return None
        return getattr(self, "cleaned_data", {}).get(name)

    def chosen_words(self) -> list[str]:
        """What the trail is narrowed to, in words, for the line standing for the folded filters."""
        words = [f"Person: {' '.join(self.words())}"] if self.words() else []
        for name in ("date_from", "date_to"):
            if (day := self.applied_day(name)) is not None:
                words.append(f"{self.fields[name].label} {dates.day(day)}")
        return words
