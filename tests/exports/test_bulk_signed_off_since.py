"""The older "everything signed off since <day>" choice exports the units its page showed or
nothing, as "All N matching" does: a unit signed off between the page being shown and the export
being started is never carried out of the product unseen."""

import datetime
import re

from django.utils import timezone

from exports.models import BulkExport
from tests.assessments.quality_records import sign_off

from .test_bulk_export import centre  # noqa: F401  (the fixture)

REFUSED = "There is a problem"


def _url(case) -> str:
    return f"/exports/centres/{case['centre'].pk}/"


def _shown(page: str) -> str:
    return re.search(r'name="shown" value="([0-9a-f]+)"', page).group(1)


def _since(days_ago: int = 1) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def test_a_unit_signed_off_after_the_page_was_shown_refuses_the_export(client, centre):  # noqa: F811
    alice_hsc, alice_h325, dan_hsc, _ = centre["enrolments"]
    sign_off(alice_hsc)
    sign_off(alice_h325)
    client.force_login(centre["grace"])
    page = client.get(_url(centre), {"signed_off_since": _since()}).content.decode()
    assert "All 2 matching units" in page
    sign_off(dan_hsc)  # signed off while the administrator read the page

    response = client.post(_url(centre), {"choice": "since", "signed_off_since": _since(), "shown": _shown(page)})

    again = response.content.decode()
    assert response.status_code == 400 and REFUSED in again
    assert "3 units match now" in again and "Nothing was exported" in again
    assert not BulkExport.objects.exists()
    # Shown again with the same day and the count as it is now, to be confirmed anew.
    assert "All 3 matching units" in again and "signed off since" in again
    assert f'name="signed_off_since" value="{_since()}"' in again
    confirmed = client.post(_url(centre), {"choice": "since", "signed_off_since": _since(), "shown": _shown(again)})
    assert confirmed.status_code == 302
    export = BulkExport.objects.get()
    assert export.units_total == 3 and export.description.startswith("Everything signed off since ")
    assert set(export.enrolments.all()) == {alice_hsc, alice_h325, dan_hsc}


def test_the_units_the_page_showed_are_exported(client, centre):  # noqa: F811
    alice_hsc = centre["enrolments"][0]
    sign_off(alice_hsc)
    client.force_login(centre["grace"])
    page = client.get(_url(centre), {"signed_off_since": _since()}).content.decode()

    response = client.post(_url(centre), {"choice": "since", "signed_off_since": _since(), "shown": _shown(page)})

    assert response.status_code == 302
    assert list(BulkExport.objects.get().enrolments.all()) == [alice_hsc]


def test_the_old_form_without_the_pages_digest_is_refused_with_the_count_now(client, centre):  # noqa: F811
    sign_off(centre["enrolments"][0])
    client.force_login(centre["grace"])

    response = client.post(_url(centre), {"choice": "since", "signed_off_since": _since()})

    page = response.content.decode()
    assert response.status_code == 400 and "1 unit matches now" in page and "All 1 matching unit<" in page
    assert not BulkExport.objects.exists()


def test_only_the_day_is_read_from_the_old_form(client, centre):  # noqa: F811
    """The old form sent nothing but the day: the page shown again counts every unit signed off
    since then, whatever else was posted with it."""
    for enrolment in centre["enrolments"][:2]:
        sign_off(enrolment)
    client.force_login(centre["grace"])
    unit = centre["enrolments"][0].unit
    response = client.post(_url(centre), {"choice": "since", "signed_off_since": _since(), "unit": unit.pk})
    assert response.status_code == 400 and "2 units match now" in response.content.decode()


def test_the_old_form_without_a_day_asks_for_one(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    response = client.post(_url(centre), {"choice": "since", "signed_off_since": ""})
    assert response.status_code == 400 and "Give the date as day, month and year." in response.content.decode()
    assert not BulkExport.objects.exists()
