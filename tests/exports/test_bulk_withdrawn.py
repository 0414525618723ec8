"""A withdrawn or transferred unit in the bulk export (outside tester: Ben Carter's HSC331, withdrawn
by the administrator, was listed as "In progress (exported marked "not signed off")"). A unit closed
before sign-off is no claim: the page does not offer it, by any filter, and says how many of the units
matching it leaves out for that; an export built from the page has none of them, and a closed unit
ticked by hand is refused, nothing exported."""

import csv
import io
import re

import pytest
from django.utils import timezone

from exports.models import BulkExport
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw

from .confirming import confirmation, confirmed
from .test_bulk_export import _zip, centre  # noqa: F401  (the fixture)


@pytest.fixture
def closed(centre):  # noqa: F811
    """Dan's HSC331 withdrawn today, Alice's H3 25 transferred: Alice's HSC331 and Dan's H3 25 stay open."""
    alice_hsc, alice_h325, dan_hsc, dan_h325 = centre["enrolments"]
    today, grace = timezone.localdate(), centre["grace"]
    enrolment_withdraw(enrolment=dan_hsc, effective_date=today, reason="Left the job.", changed_by=grace)
    enrolment_transfer(enrolment=alice_h325, to_centre="Hillside College", effective_date=today,
                       reason="Moved house.", changed_by=grace)
    return {**centre, "open": [alice_hsc, dan_h325], "closed": [alice_h325, dan_hsc]}


def _url(case) -> str:
    return f"/exports/centres/{case['centre'].pk}/"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).replace("&#x27;", "'").split())


def _listed(response) -> set[str]:
    """The units listed to tick, as a screen reader hears each box: "Dan Morgan on HSC331"."""
    return {" ".join(re.sub(r"<[^>]+>", " ", label).split())
            for label in re.findall(r'<label for="export-\d+">(.*?)</label>', response.content.decode(), re.S)}


def test_the_page_leaves_closed_units_out_and_says_how_many(client, closed):
    client.force_login(closed["grace"])

    response = client.get(_url(closed))

    page = _text(response)
    assert _listed(response) == {"Alice Morgan on HSC331", "Dan Morgan on H3 25"}
    assert "2 units at Harbour Housing Academy." in page
    assert ("2 withdrawn or transferred units are not offered: a unit closed before sign-off is no claim for the "
            "awarding body. Each stays, as it stands, on its unit’s page.") in page
    assert page.count("In progress") == 2  # the two open units, and no closed one


@pytest.mark.parametrize(("asked", "said"), [
    ({"state": "not-signed"}, "2 withdrawn or transferred units matching are not offered"),
    ({"q": "Dan"}, "1 withdrawn or transferred unit matching is not offered"),
])
def test_a_narrowed_list_says_how_many_of_its_matches_are_closed(client, closed, asked, said):
    client.force_login(closed["grace"])
    response = client.get(_url(closed), asked)
    assert said in _text(response)
    assert not _listed(response) & {"Dan Morgan on HSC331", "Alice Morgan on H3 25"}


def test_an_export_of_every_matching_unit_has_no_closed_unit(client, closed):
    client.force_login(closed["grace"])
    response, shown = confirmation(client, _url(closed), {"choice": "matching", "state": ""})
    assert "Every unit at " in response.content.decode() and ": 2 units." in response.content.decode()
    assert "2 withdrawn or transferred units are not included" in response.content.decode()

    response = client.post(_url(closed), {"choice": "matching", "state": "", "shown": shown})

    assert response.status_code == 302
    export = BulkExport.objects.get()
    assert set(export.enrolments.all()) == set(closed["open"])
    assert export.description == "All 2 units: every unit"


def test_the_zip_of_every_matching_unit_carries_no_closed_unit(client, closed, django_capture_on_commit_callbacks):
    client.force_login(closed["grace"])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed(client, _url(closed), {"choice": "matching"})

    archive = _zip(client, BulkExport.objects.get())

    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    units = {(row["candidate"], row["unit"]) for row in rows if row["kind"] == "unit portfolio"}
    assert units == {("Alice Morgan", "HSC331"), ("Dan Morgan", "H3 25")}


def test_a_closed_unit_ticked_refuses_the_export(client, closed):
    client.force_login(closed["grace"])

    response = client.post(_url(closed), {"choice": "chosen", "enrolments": [e.pk for e in closed["enrolments"]]})

    assert response.status_code == 400
    assert ("2 of the units ticked are withdrawn or transferred: a unit closed before sign-off is no claim, so it "
            "is not exported. Nothing was exported. Tick the units again.") in _text(response)
    assert not BulkExport.objects.exists()


def test_a_centre_whose_every_unit_is_closed_says_so(client, closed):
    for enrolment in closed["open"]:
        enrolment_withdraw(enrolment=enrolment, effective_date=timezone.localdate(), reason="Left.",
                           changed_by=closed["grace"])
    client.force_login(closed["grace"])
    page = _text(client.get(_url(closed)))
    assert "4 withdrawn or transferred units are not offered" in page
    assert "No unit here is open or signed off: there is nothing to export." in page
    assert "No candidate is registered on a unit yet." not in page
