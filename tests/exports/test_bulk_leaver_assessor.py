"""A leaver's units in the bulk export, as an outside tester found it: the export refused to filter by
an assessor the centre had deactivated, while the reports list them after today's assessors, marked.
The units a leaver signed off before leaving stay theirs, and are what a centre exports for the
awarding body: the export's Assessor filter offers them as the reports do (`assessments.assessors`),
and exports their units."""

import html
import re

import pytest

from exports.bulk import candidate_folder
from exports.models import BulkExport
from portfolio.models import Role
from portfolio.services_people import membership_deactivate, roles_set
from tests.assessments.quality_records import signed_off_through_the_services
from tests.factories import CentreFactory, enrol, member

from .confirming import confirmed
from .test_bulk_export import _zip, centre  # noqa: F401  (centre: the fixture)

REFUSED = "There is a problem"


def _url(case) -> str:
    return f"/exports/centres/{case['centre'].pk}/"


def _assessor_options(page: str) -> list[str]:
    select = re.search(r'<select id="filter-assessor".*?</select>', page, re.S)
    assert select is not None
    return [html.unescape(" ".join(o.split())) for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)]


@pytest.fixture
def leavers(centre):  # noqa: F811
    """Olga signed off Nia's HSC331, then was deactivated; Erin signed off Nia's H3 25, then moved to
    quality assurance; Paul was deactivated having assessed nothing here."""
    grace, carol = centre["grace"], centre["enrolments"][0].iqa
    here = centre["centre"]
    olga = member(here, Role.ASSESSOR, email="olga@example.org", first_name="Olga", last_name="Novak")
    erin = member(here, Role.ASSESSOR, email="erin@example.org", first_name="Erin", last_name="Evans")
    paul = member(here, Role.ASSESSOR, email="paul@example.org", first_name="Paul", last_name="Adams")
    nia = member(here, Role.CANDIDATE, email="nia@example.org", first_name="Nia", last_name="Jones")
    olgas = enrol(nia, "HSC331", assessor=olga, iqa=carol, centre=here)
    erins = enrol(nia, "H3 25", assessor=erin, iqa=carol, centre=here)
    signed_off_through_the_services(olgas)
    signed_off_through_the_services(erins)
    membership_deactivate(centre=here, person=olga, deactivated_by=grace, reason="Left the centre.")
    roles_set(centre=here, person=erin, changed_by=grace, roles={Role.IQA})
    membership_deactivate(centre=here, person=paul, deactivated_by=grace, reason="Left the centre.")
    return {"olga": olga, "erin": erin, "paul": paul, "olgas": olgas, "erins": erins}


def test_leavers_with_units_here_are_offered_after_todays_assessors_marked(client, centre, leavers):  # noqa: F811
    client.force_login(centre["grace"])
    page = client.get(_url(centre)).content.decode()
    bob = centre["enrolments"][0].assessor.get_full_name()
    # Today's assessor, then the leavers with units here by surname; Paul, with none, is not offered.
    assert _assessor_options(page) == [
        "Any assessor", bob, "Erin Evans (no longer an assessor)", "Olga Novak (deactivated)",
    ]


def test_a_bulk_export_filtered_by_a_deactivated_assessor_takes_their_units(client, centre, leavers, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(centre["grace"])
    olga = leavers["olga"]
    page = client.get(_url(centre), {"assessor": olga.pk}).content.decode()
    assert REFUSED not in page
    assert re.search(rf'<option value="{olga.pk}" selected>Olga Novak \(deactivated\)</option>', page)
    assert "1 unit</strong> matches: assessed by Olga Novak (deactivated)." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = confirmed(client, _url(centre), {"choice": "matching", "assessor": olga.pk})

    assert response.status_code == 302
    export = BulkExport.objects.get()
    assert list(export.enrolments.all()) == [leavers["olgas"]]
    assert export.description == "The 1 unit: assessed by Olga Novak (deactivated)"
    assert export.status == BulkExport.Status.DONE and export.units_done == 1 and not export.left_out
    names = _zip(client, export).namelist()
    unit = leavers["olgas"]
    assert f"{candidate_folder(unit)}/{unit.unit.slug}-portfolio.pdf" in names
    assert not any(n.endswith("-portfolio.pdf") and n != f"{candidate_folder(unit)}/{unit.unit.slug}-portfolio.pdf" for n in names)


def test_one_who_is_no_longer_an_assessor_is_chosen_by_the_same_way(client, centre, leavers):  # noqa: F811
    client.force_login(centre["grace"])
    page = client.get(_url(centre), {"assessor": leavers["erin"].pk}).content.decode()
    assert REFUSED not in page
    assert "1 unit</strong> matches: assessed by Erin Evans (no longer an assessor)." in page
    assert "H3 25" in page


def test_a_deactivated_assessor_with_no_unit_here_is_refused_by_name(client, centre, leavers):  # noqa: F811
    client.force_login(centre["grace"])
    response = client.post(_url(centre), {"choice": "matching", "assessor": leavers["paul"].pk})
    page = response.content.decode()
    assert response.status_code == 400 and not BulkExport.objects.exists()
    assert "Assessor: Paul Adams has been deactivated at this centre. No unit here has them as its assessor" in page


def test_another_centres_leaver_with_units_there_is_refused_naming_nobody(client, centre, leavers):  # noqa: F811
    other = CentreFactory(name="Elsewhere College", code="elsewhere")
    frank = member(other, Role.ASSESSOR, email="frank@example.org", first_name="Frank", last_name="Hale")
    admin = member(other, Role.ADMINISTRATOR, email="e@example.org")
    unit = enrol(member(other, Role.CANDIDATE, email="quist@example.org", last_name="Quist"), "HSC331",
                 assessor=frank, iqa=member(other, Role.IQA, email="i@example.org"), centre=other)
    signed_off_through_the_services(unit)
    membership_deactivate(centre=other, person=frank, deactivated_by=admin, reason="Left the centre.")
    client.force_login(centre["grace"])

    response = client.post(_url(centre), {"choice": "matching", "assessor": frank.pk})

    page = response.content.decode()
    assert response.status_code == 400 and not BulkExport.objects.exists()
    assert "Assessor: the assessor chosen is not one of this centre’s assessors. Choose again." in page
    assert "Frank Hale" not in page and "Quist" not in page and "deactivated at this centre" not in page
    listed = client.get(_url(centre), {"assessor": frank.pk}).content.decode()
    assert "Frank Hale" not in listed and "No units are listed until the filter is chosen again" in listed
