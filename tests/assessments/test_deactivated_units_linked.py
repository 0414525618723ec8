"""The units of an assessor's deactivated candidates (an outside trial's finding): the home and the list
of units counted them ("Not counted here: 1 unit of deactivated candidates") but gave no way to open
them, though the assessor may still read them. Now the figure links to their list, "Your candidates'
units" shown "Of deactivated candidates (read only)", each unit linked to its page by the candidate's
name, with where it stands ("In progress, paused"); the list holds as many units as the figure says.

Dave's HSC331 is Erin's (tests/cast.py); Fay, added here, is another candidate of hers."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import integrity
from portfolio.models import Role
from portfolio.services_people import membership_deactivate
from tests.assessments.test_home_caseload import home, words
from tests.assessments.unit_case import build_case
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

LIST = reverse("assessments:candidate_units") + "?show=deactivated"


@pytest.fixture
def case():
    return build_case()


def _fay(case):
    fay = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox", email="fay@example.org")
    return enrol(fay, "H3 25", assessor=case.erin, iqa=case.carol, centre=case.centre)


def _deactivate_dave(case) -> None:
    membership_deactivate(
        centre=case.centre, person=case.dave, deactivated_by=case.grace, reason="Left the course."
    )


def said(page: str) -> str:
    """The words as read: inline tags (a link, a span) join the words around them as the browser does."""
    return words(re.sub(r"</?(?:a|span|strong)\b[^>]*>", "", page))


def _link_around(page: str, words_in_link: str) -> str:
    """The address of the link whose words are these."""
    for href, inner in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, flags=re.S):
        if words(inner) == words_in_link:
            return href.replace("&amp;", "&")
    raise AssertionError(f"no link reading {words_in_link!r}")


def _listed(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_the_homes_figure_links_to_the_list_and_each_unit_opens_read_only(client, case):
    _fay(case)
    dave_h3 = enrol(case.dave, "H3 25", assessor=case.erin, iqa=case.carol, centre=case.centre)
    _deactivate_dave(case)

    page = home(client, case.erin)
    assert "Not counted here: 2 units of deactivated candidates. Their records are kept." in said(page)
    address = _link_around(page, "2 units of deactivated candidates")
    assert address == LIST

    listed = _listed(client, address)
    shown = said(listed)
    assert "2 units of deactivated candidates." in shown
    assert "nobody works on these units until the centre reactivates them" in shown
    table = said(listed[listed.index('id="deactivated-units"') : listed.index("</table>")])
    assert "Dave Davies on HSC331 (deactivated) HSC331" in table and "In progress, paused" in table
    assert "Dave Davies on H3 25 (deactivated) H3 25" in table
    assert "Fay Fox" not in table and "Alice" not in table
    for enrolment in (case.dave_hsc331, dave_h3):
        unit_page = reverse("assessments:enrolment_detail", args=[enrolment.pk])
        assert f'href="{unit_page}"' in listed
        opened = client.get(unit_page)
        assert opened.status_code == 200
        assert "Dave Davies’s unit (candidate deactivated)" in said(opened.content.decode())
        assert "Ask a witness for testimony" not in said(opened.content.decode())


def test_every_candidate_deactivated_the_home_still_links_their_unit(client, case):
    _deactivate_dave(case)

    page = home(client, case.erin)
    start = page.index('id="units-heading"')
    assert "their records are kept. You can still read their unit." in said(
        page[start : page.index("</section>", start)]
    )
    assert _link_around(page, "their unit") == LIST
    assert "Dave Davies on HSC331" in said(_listed(client, LIST))


def test_the_list_of_units_links_its_figure_keeping_the_unit_chosen(client, case):
    _fay(case)
    _deactivate_dave(case)
    client.force_login(case.erin)
    hsc331 = case.dave_hsc331.unit_id

    page = _listed(client, reverse("assessments:candidate_units") + f"?unit={hsc331}")
    assert "Not counted here: 1 unit of deactivated candidates. Their records are kept." in said(page)
    address = _link_around(page, "1 unit of deactivated candidates")
    assert address == f"?unit={hsc331}&show=deactivated"

    listed = said(_listed(client, reverse("assessments:candidate_units") + address))
    assert "1 unit of deactivated candidates matching the filter." in listed
    assert "Dave Davies on HSC331 (deactivated)" in listed


def test_the_list_says_how_many_are_signed_off_as_the_home_does(client, case):
    from tests.assessments.unit_case import signed_as_the_service_signs

    sign_off = signed_as_the_service_signs(case.dave_hsc331, case.erin)
    integrity.countersign(sign_off, signed_at=timezone.now())
    sign_off.save()
    _fay(case)
    _deactivate_dave(case)

    page = said(home(client, case.erin))
    assert "Not counted here: 1 unit of deactivated candidates, 1 of them signed off" in page
    listed = said(_listed(client, LIST))
    assert "1 unit of deactivated candidates, 1 of them signed off" in listed
    assert "Dave Davies on HSC331 (deactivated) HSC331" in listed and "In progress, paused" not in listed


def test_the_list_is_empty_and_says_so_with_no_deactivated_candidate(client, case):
    client.force_login(case.erin)
    listed = said(_listed(client, LIST))
    assert "0 units of deactivated candidates." in listed and "No unit matches." in listed
