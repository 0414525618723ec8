"""The bulk export chooser refuses a filter that names something the centre does not offer
(another centre's, made up, or a person deactivated since the page was loaded): it says so and
exports nothing, rather than reading the choice as "any" and exporting the whole centre."""


import pytest

from exports.models import BulkExport
from portfolio.models import Role
from portfolio.services_people import membership_deactivate
from standards.demo_qualification import demo_qualification
from standards.models import Suite, Unit
from tests.factories import CentreFactory, enrol, member

from .confirming import confirmed
from .test_bulk_export import centre  # noqa: F401  (the fixture)

REFUSED = "There is a problem"


def _other_centres(case) -> dict[str, str]:
    other = CentreFactory(name="Elsewhere College", code="elsewhere")
    frank = member(other, Role.ASSESSOR, email="frank@example.org")
    iqa = member(other, Role.IQA, email="ivan@example.org")
    elsewhere = Unit.objects.create(suite=Suite.objects.all()[0], code="ELSE1", slug="else1", title="Elsewhere's unit")
    enrol(member(other, Role.CANDIDATE, email="erin@example.org"), "ELSE1", assessor=frank, iqa=iqa, centre=other)
    # The demo qualification: a qualification, but nobody at this centre is registered on it.
    return {"assessor": str(frank.pk), "unit": str(elsewhere.pk), "qualification": str(demo_qualification().pk)}


@pytest.mark.parametrize("field", ["assessor", "unit", "qualification"])
@pytest.mark.parametrize("whose", ["made-up", "another-centre"])
def test_a_choice_the_centre_does_not_offer_exports_nothing(client, centre, field, whose):  # noqa: F811
    value = "99999" if whose == "made-up" else _other_centres(centre)[field]
    client.force_login(centre["grace"])
    url = f"/exports/centres/{centre['centre'].pk}/"
    response = client.post(url, {"choice": "matching", field: value})
    page = response.content.decode()
    assert response.status_code == 400 and REFUSED in page
    assert f"{field.title()}: the {field} chosen is not one of this centre’s {field}s. Choose again." in page
    assert "All 4 units" not in page and not BulkExport.objects.exists()
    listed = client.get(url, {field: value}).content.decode()
    assert REFUSED in listed and "Choose again." in listed and "No units are listed until the filter is chosen again" in listed
    assert "Alice Morgan" not in listed


def test_a_wrong_sign_off_state_is_refused(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    url = f"/exports/centres/{centre['centre'].pk}/"
    response = client.post(url, {"choice": "matching", "state": "purple"})
    assert response.status_code == 400 and "Sign-off: choose signed off" in response.content.decode()
    assert not BulkExport.objects.exists()
    assert REFUSED in client.get(url, {"state": "purple"}).content.decode()


def test_an_assessor_deactivated_after_the_page_loaded_is_refused(client, centre):  # noqa: F811
    case = centre
    client.force_login(case["grace"])
    url = f"/exports/centres/{case['centre'].pk}/"
    other = member(case["centre"], Role.ASSESSOR, email="olga@example.org", first_name="Olga", last_name="Novak")
    assert "Olga" in client.get(url).content.decode()
    membership_deactivate(centre=case["centre"], person=other, deactivated_by=case["grace"],
                          reason="Left the centre.")
    response = client.post(url, {"choice": "matching", "assessor": str(other.pk)})
    # She was this centre's own: its administrator is told why, by name.
    assert response.status_code == 400 and "Assessor: Olga Novak has been deactivated at this centre." in response.content.decode()
    assert not BulkExport.objects.exists()


def test_a_right_filter_still_exports_what_it_matches(client, centre, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(centre["grace"])
    unit = centre["enrolments"][0].unit
    url = f"/exports/centres/{centre['centre'].pk}/"
    with django_capture_on_commit_callbacks():
        response = confirmed(client, url, {"choice": "matching", "unit": str(unit.pk)})
    assert response.status_code == 302
    assert BulkExport.objects.get().description == f"All 2 units: {unit.code}"
