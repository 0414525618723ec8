"""A service's refusal shown on the form that asked for it: each message beside the field it is
about (`Refused.by_field`: several at once for `DatesRefused`), or above the form when it is about
none of the form's fields."""

from django import forms

from ..errors import PortfolioError
from ..services_centre import Refused


def refusal_on(form: forms.Form, error: PortfolioError) -> None:
    said = error.by_field() if isinstance(error, Refused) else [(None, str(error))]
    for field, message in said:
        form.add_error(field if field in form.fields else None, message)
