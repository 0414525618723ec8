"""The bulk export chooser builds only what it showed: "All N matching units" is confirmed on a page
that counts them and carries their fingerprint, and a set that changed before the confirmation was
pressed is refused with nothing exported and the new number to confirm; a ticked list holding
anything but this centre's units is refused whole."""

import re

from django.utils import timezone
from django.utils.html import escape

from exports.models import BulkExport
from portfolio.models import Role
from portfolio.services_enrolments import enrolment_withdraw
from portfolio.services_people import membership_deactivate
from tests.factories import CentreFactory, enrol, member

from .confirming import confirmation
from .test_bulk_export import centre  # noqa: F401  (the fixture)

REFUSED = "There is a problem"


def _url(case) -> str:
    return f"/exports/centres/{case['centre'].pk}/"


def _newcomer(case, assessor, first="Nia"):
    """Another candidate of the centre registered on a unit with this assessor."""
    bob_case = case["enrolments"][0]
    candidate = member(case["centre"], Role.CANDIDATE, email=f"{first.lower()}@example.org", first_name=first, last_name="Evans")
    return enrol(candidate, "HSC331", assessor=assessor, iqa=bob_case.iqa, centre=case["centre"])


def test_all_matching_is_confirmed_on_a_page_saying_how_many_and_which(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    bob = centre["enrolments"][0].assessor
    page = client.get(_url(centre), {"assessor": bob.pk}).content.decode()
    assert "All 4 matching units" in page and 'name="shown"' not in page  # counted, not fingerprinted

    response, shown = confirmation(client, _url(centre), {"choice": "matching", "assessor": bob.pk})

    confirm = response.content.decode()
    assert response.status_code == 200 and shown and not BulkExport.objects.exists()
    assert "Export all 4 matching units" in confirm and f"4 units match: assessed by {escape(bob.get_full_name())}." in confirm
    assert "Build the export of 4 units" in confirm
    assert f'href="{_url(centre)}?assessor={bob.pk}"' in confirm  # back to the list as it was filtered
    built = client.post(_url(centre), {"choice": "matching", "assessor": bob.pk, "shown": shown})
    assert built.status_code == 302
    assert BulkExport.objects.get().description == f"All 4 units: assessed by {bob.get_full_name()}"


def test_units_matching_that_changed_after_the_confirmation_was_shown_are_not_exported(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    bob = centre["enrolments"][0].assessor
    _, shown = confirmation(client, _url(centre), {"choice": "matching", "assessor": bob.pk})
    _newcomer(centre, bob)  # registered while the administrator read the confirmation

    response = client.post(_url(centre), {"choice": "matching", "assessor": bob.pk, "shown": shown})

    again = response.content.decode()
    assert response.status_code == 400 and REFUSED in again
    assert "5 units match now" in again and "Nothing was exported" in again
    assert not BulkExport.objects.exists()
    # The confirmation shows the filter as it was and what matches now, to be confirmed anew.
    assert f"assessed by {escape(bob.get_full_name())}" in again and "Export all 5 matching units" in again
    shown_again = re.search(r'name="shown" value="([0-9a-f]+)"', again).group(1)
    confirmed = client.post(_url(centre), {"choice": "matching", "assessor": bob.pk, "shown": shown_again})
    assert confirmed.status_code == 302
    assert BulkExport.objects.get().units_total == 5


def test_one_unit_changed_is_said_in_the_singular(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    olga = member(centre["centre"], Role.ASSESSOR, email="olga@example.org", first_name="Olga")
    nias = _newcomer(centre, olga)
    _newcomer(centre, olga, first="Ola")
    _, shown = confirmation(client, _url(centre), {"choice": "matching", "assessor": olga.pk})
    enrolment_withdraw(enrolment=nias, effective_date=timezone.localdate(), reason="Left the course.", changed_by=centre["grace"])
    response = client.post(_url(centre), {"choice": "matching", "assessor": olga.pk, "shown": shown})
    page = response.content.decode()
    assert response.status_code == 400 and "1 unit matches now" in page and "Export the 1 matching unit" in page


def test_a_unit_withdrawn_and_another_registered_meanwhile_is_still_a_change(client, centre):  # noqa: F811
    """As many units match as the confirmation said, but not the same ones: its fingerprint of the
    units (counted by the database) tells them apart, and nothing is exported."""
    client.force_login(centre["grace"])
    bob = centre["enrolments"][0].assessor
    response, shown = confirmation(client, _url(centre), {"choice": "matching", "assessor": bob.pk})
    assert "Export all 4 matching units" in response.content.decode()
    enrolment_withdraw(
        enrolment=centre["enrolments"][0], effective_date=timezone.localdate(), reason="Left the course.",
        changed_by=centre["grace"],
    )
    _newcomer(centre, bob)

    response = client.post(_url(centre), {"choice": "matching", "assessor": bob.pk, "shown": shown, "count": "4"})
    assert response.status_code == 400
    assert "4 units match now, as many as before but not the same ones" in response.content.decode()
    assert not BulkExport.objects.exists()


def test_a_confirmation_sent_twice_builds_one_export(client, centre):  # noqa: F811
    """A double click, or the form sent again: the export still being built is the one asked for."""
    client.force_login(centre["grace"])
    bob = centre["enrolments"][0].assessor
    asked = {"choice": "matching", "assessor": bob.pk}
    _, shown = confirmation(client, _url(centre), asked)

    first = client.post(_url(centre), {**asked, "shown": shown})
    again = client.post(_url(centre), {**asked, "shown": shown}, follow=True)

    export = BulkExport.objects.get()
    assert first.url == again.redirect_chain[-1][0] == f"/exports/{export.pk}/"
    assert f"Export {export.pk} was asked for already and is still being built: it is not built twice." in again.content.decode()
    # Once it is built, the same units may be exported again (the record may have moved on).
    BulkExport.objects.update(status=BulkExport.Status.DONE)
    client.post(_url(centre), {**asked, "shown": shown})
    assert BulkExport.objects.count() == 2


def test_matching_units_posted_with_no_confirmation_are_only_counted(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    response = client.post(_url(centre), {"choice": "matching"})
    page = response.content.decode()
    assert response.status_code == 200 and "Every unit at Harbour Housing Academy: 4 units." in page
    assert not BulkExport.objects.exists()


def test_a_refused_filter_shows_the_refusal_not_an_empty_set(client, centre):  # noqa: F811
    client.force_login(centre["grace"])
    olga = member(centre["centre"], Role.ASSESSOR, email="olga@example.org", first_name="Olga", last_name="Novak")
    membership_deactivate(centre=centre["centre"], person=olga, deactivated_by=centre["grace"],
                          reason="Left the centre.")

    # The list was read, and "All matching" asked for, before Olga was deactivated.
    response = client.post(_url(centre), {"choice": "matching", "assessor": olga.pk})

    refused = response.content.decode()
    assert response.status_code == 400 and not BulkExport.objects.exists()
    assert "Assessor: Olga Novak has been deactivated at this centre." in refused
    assert "0 units" not in refused and "match: every unit" not in refused and "All 0" not in refused
    assert re.search(r'<option value="\d+" selected>Olga Novak \(deactivated\)</option>', refused)
    assert "No units are listed until the filter is chosen again" in refused


def test_another_centres_deactivated_assessor_is_not_named(client, centre):  # noqa: F811
    other = CentreFactory(name="Elsewhere College", code="elsewhere")
    frank = member(other, Role.ASSESSOR, email="frank@example.org", first_name="Frank", last_name="Hale")
    membership_deactivate(centre=other, person=frank, deactivated_by=member(other, Role.ADMINISTRATOR, email="e@example.org"),
                          reason="Left the centre.")
    client.force_login(centre["grace"])
    response = client.post(_url(centre), {"choice": "matching", "assessor": frank.pk})
    page = response.content.decode()
    assert response.status_code == 400 and "the assessor chosen is not one of this centre’s assessors" in page
    assert "Frank" not in page and "deactivated at this centre" not in page


def test_a_ticked_unit_of_another_centre_refuses_the_whole_export(client, centre):  # noqa: F811
    other = CentreFactory(name="Elsewhere College", code="elsewhere")
    frank = member(other, Role.ASSESSOR, email="frank@example.org")
    erin = member(other, Role.CANDIDATE, email="erin@example.org", first_name="Erin", last_name="Quist")
    elsewhere = enrol(erin, "H3 25", assessor=frank, iqa=member(other, Role.IQA, email="i@example.org"), centre=other)
    client.force_login(centre["grace"])
    own = centre["enrolments"][0]

    response = client.post(_url(centre), {"choice": "chosen", "enrolments": [own.pk, elsewhere.pk]})

    page = response.content.decode()
    assert response.status_code == 400 and not BulkExport.objects.exists()
    assert "Some of the units ticked are not this centre’s units to export. Nothing was exported." in page
    assert "Quist" not in page and "Elsewhere" not in page


def test_a_deactivated_candidate_is_marked_in_the_list(client, centre):  # noqa: F811
    alice = centre["enrolments"][0].candidate
    membership_deactivate(centre=centre["centre"], person=alice, deactivated_by=centre["grace"],
                          reason="Left the centre.")
    client.force_login(centre["grace"])
    page = client.get(_url(centre)).content.decode()
    assert page.count("Alice Morgan (deactivated)") == 2 and "Dan Morgan (deactivated)" not in page
