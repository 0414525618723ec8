"""What a report is narrowed to: a qualification, a unit, an assessor (an IQA too, on the sampling
report) and dates, read from the address (a GET form). A choice that is not one of the centre's, or
a date that is no date, is shown as an error and otherwise ignored: the report shows everything it
would without it."""

import datetime
from collections.abc import Callable, Iterator

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator

from assessments import assessors as report_assessors
from assessments.caseload import Narrowed, Rag
from ops.reports import iqas as report_iqas
from portfolio import dates
from portfolio.models import Centre, Enrolment, Person
from standards.models import Qualification, Unit


class _ReadOnce(ModelChoiceIterator):
    """The choices read in one query: the page's select asks how many there are before listing them,
    which Django's iterator answers with a COUNT of the whole query, itself a search of the centre's
    staff for leavers (`portfolio.role_holders`)."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        self._read: list | None = None

    def _choices(self) -> list:
        if self._read is None:
            self._read = list(super().__iter__())
        return self._read

    def __iter__(self) -> Iterator:
        return iter(self._choices())

    def __len__(self) -> int:
        return len(self._choices())

    def __bool__(self) -> bool:
        return bool(self._choices())


class _PersonChoiceField(forms.ModelChoiceField):
    """A person among those the report names, labelled as it names them (a leaver marked)."""

    iterator = _ReadOnce

    def __init__(self, people: QuerySet[Person], name: Callable[[Person], str], **kwargs: object) -> None:
        super().__init__(queryset=people, required=False, empty_label="All", **kwargs)  # type: ignore[arg-type]
        self.name = name

    def label_from_instance(self, obj: Person) -> str:
        return self.name(obj)


def _not_listed(what: str, whose: str, by: str) -> dict[str, str]:
    """A choice that is not one of the list's (a changed or old address), said with which filter
    and what to do, not Django's "Select a valid choice. That choice is not one of the available
    choices." (an outside trial)."""
    return {"invalid_choice": f"Choose {what} from the list: the one asked for is not {whose}, so the report is "
                              f"not narrowed by {by}."}


def _status_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Status", choices=[("", "All"), *Rag.choices], required=False,
        error_messages=_not_listed("a status", "one of on track, at risk, overdue or signed off", "status"),
    )


def date_input() -> forms.DateInput:
    # type="date" needs ISO dates whatever the site's language shows elsewhere.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


# Said with a refused date: the report is not narrowed by either date until it is put right.
NO_DATES_APPLIED = "No dates were applied: the report covers every date until this is corrected."


def check_date_range(form: forms.Form, cleaned: dict, none_applied: str) -> None:
    """The From and To dates of a filter form (`date_from`, `date_to`): a date outside the span every
    filter keeps (`dates.span_problem`) is refused like a date that is no date, and a range ending
    before it starts too; when either is refused, `none_applied` says that neither date applies (an
    outside trial found "From: Enter a valid date." beside "Filter · To 30 November 2026", the To date
    applied). It is said within the refused date's own message, not as a second one: each message
    of a field is shown under the same id, and two elements with one id broke the page."""
    for name in ("date_from", "date_to"):
        if problem := dates.span_problem(cleaned.get(name)):
            form.add_error(name, problem)
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    if start and end and end < start:
        form.add_error("date_to", f"The end date must be on or after the start date. {none_applied}")
    elif refused := [name for name in ("date_from", "date_to") if name in form.errors]:
        name = refused[-1]
        said = " ".join(str(message) for message in form.errors[name])
        form.errors[name] = form.error_class([f"{said} {none_applied}"], renderer=form.renderer)


class ReportFilterForm(forms.Form):
    qualification = forms.ModelChoiceField(
        queryset=Qualification.objects.none(), required=False, empty_label="All",
        error_messages=_not_listed("a qualification", "one anyone is registered on at this centre", "qualification"),
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, empty_label="All",
        error_messages=_not_listed("a unit", "one of this centre's units", "unit"),
    )
    assessor = _PersonChoiceField(
        Person.objects.none(), report_assessors.name,
        error_messages=_not_listed("an assessor", "one of this centre's assessors", "assessor"),
    )
    date_from = forms.DateField(label="From", required=False, widget=date_input(),
                                error_messages={"invalid": dates.NOT_A_DATE})
    date_to = forms.DateField(label="To", required=False, widget=date_input(),
                              error_messages={"invalid": dates.NOT_A_DATE})

    def __init__(
        self, *args: object, centre: Centre, with_status: bool = False, with_iqa: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if with_iqa:
            # The sampling report lists IQAs: one can be chosen, beside the assessor.
            # Today's IQAs, then former ones who sampled here, marked: a leaver's sampling is reported.
            self.fields["iqa"] = _PersonChoiceField(
                report_iqas.with_records(centre), report_iqas.name, label="IQA",
                error_messages=_not_listed("an IQA", "one of this centre's IQAs", "IQA"),
            )
            self.order_fields(["qualification", "unit", "assessor", "iqa"])
        if with_status:
            # The progress report's RAG status is a filter like the others: a wrong one is shown on
            # the page, said in the error summary and refused by the CSV, in the same words.
            self.fields["status"] = _status_field()
        units = Unit.objects.filter(pk__in=Enrolment.objects.filter(centre=centre).values("unit"))
        self.fields["unit"].queryset = units.order_by("code", "version")  # type: ignore[attr-defined]
        # The qualifications someone is registered on here: the filter narrows to those registered.
        self.fields["qualification"].queryset = Qualification.objects.filter(  # type: ignore[attr-defined]
            registrations__centre=centre
        ).distinct().order_by("code")
        # Today's assessors, then former ones with records here, marked: a leaver's history is reported.
        self.fields["assessor"].queryset = report_assessors.with_records(centre)  # type: ignore[attr-defined]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        check_date_range(self, cleaned, NO_DATES_APPLIED)
        return cleaned

    def _applied_day(self, name: str) -> datetime.date | None:
        """The date `name` as applied: none when either date is refused (a date that is no date,
        out of the span, or a range ending before it starts), on the page as in the CSV."""
        self.is_valid()
        if "date_from" in self.errors or "date_to" in self.errors:
            return None
        return getattr(self, "cleaned_data", {}).get(name)

    def narrowed(self) -> Narrowed:
        """What the report is narrowed to: every field that is right (the others are ignored)."""
        self.is_valid()
        found = getattr(self, "cleaned_data", {})

        def pk(name: str) -> int | None:
            chosen = found.get(name)
            return chosen.pk if chosen is not None else None

        return Narrowed(
            qualification_id=pk("qualification"), unit_id=pk("unit"), assessor_id=pk("assessor"), iqa_id=pk("iqa"),
            date_from=self._applied_day("date_from"), date_to=self._applied_day("date_to"),
        )

    def problems(self) -> list[str]:
        """What is wrong with the filters, in the page's words ("Unit: Choose a unit from the list …"),
        for a CSV download, which refuses rather than quietly give every row."""
        self.is_valid()
        return [f"{_label(self, name)}: {message}" for name, messages in self.errors.items() for message in messages]

    def chosen_words(self) -> list[str]:
        """What the report is narrowed to, in words ("Unit: HSC331", "From 1 March 2026"), for the
        line that stands for the filters while they are folded away on a phone."""
        self.is_valid()
        found = getattr(self, "cleaned_data", {})
        words = [f"{self.fields[name].label or name.title()}: {found[name]}"
                 for name in ("qualification", "unit") if found.get(name) is not None]
        if found.get("assessor") is not None:
            words.append(f"Assessor: {report_assessors.name(found['assessor'])}")
        if found.get("iqa") is not None:
            words.append(f"IQA: {report_iqas.name(found['iqa'])}")
        for name in ("date_from", "date_to"):
            if (day := self._applied_day(name)) is not None:
                words.append(f"{self.fields[name].label} {dates.day(day)}")
        if found.get("status"):
            words.append(f"Status: {Rag(found['status']).label}")
        return words


def _label(form: forms.Form, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label or name.title()) if field is not None else "Filters"


class RagFilterForm(forms.Form):
    """The progress report's own choice, one RAG status, read by the report's figures; the page and
    the CSV check it as one of the filters (`ReportFilterForm(with_status=True)`)."""

    status = _status_field()

    def chosen(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""
