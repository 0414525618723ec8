"""A ULN identifies one learner, so a centre records it for one candidate (outside tester, issue
16: a CSV file with two rows of one ULN, and the identifiers form, both gave it to two people).
The clash is named from this centre's own records only: another centre's use of the same ULN is
its own business and is never consulted nor shown.

Grace administers Riverside, where Alice and Dave are candidates; Frank administers Hillside."""

# The import's fixtures (confirm, imported) are borrowed from its main test file, so each test's
# arguments name them again: ruff reads that as a redefinition.
# ruff: noqa: F811

import re

import pytest
from django.db import IntegrityError, transaction

from portfolio.identifier_models import identifiers_at
from portfolio.models import CandidateIdentifiers, Invitation, Membership, Person, Role
from portfolio.services_invitations import _uln_recorded
from tests.portfolio.test_people_import import _preview, confirm, imported  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ULN, OTHER_ULN = "3000000029", "9276308686"


def _identifiers_url(centre, candidate) -> str:
    return f"/portfolio/centres/{centre.pk}/candidates/{candidate.pk}/identifiers/"


def _record(candidate, centre, uln: str) -> None:
    CandidateIdentifiers.objects.create(candidate=candidate, centre=centre, uln=uln)


def test_two_rows_of_one_file_with_one_uln_the_second_is_not_imported(client, confirm, imported, grace, centre):
    rows = f"First name,Last name,Email,ULN\nNia,Nash,nia@example.org,{ULN}\nOwen,Osei,owen@example.org,{ULN}\n"

    _url, page = _preview(client, grace, centre, rows)

    assert "The same ULN is on row 2: a ULN belongs to one learner." in page
    assert "Invite 1 candidate" in page
    imported(grace, centre, rows)
    assert set(Invitation.objects.values_list("email", "uln")) == {("nia@example.org", ULN)}


def test_a_uln_the_centre_holds_for_another_candidate_is_refused_on_the_row_naming_them(
    client, grace, centre, alice
):
    _record(alice, centre, ULN)

    _url, page = _preview(client, grace, centre, f"First name,Last name,Email,ULN\nNia,Nash,nia@example.org,{ULN}\n")

    assert "This ULN is already recorded at this centre for Alice Adams (alice@example.org)" in page
    assert "Not imported" in page and "Invite 1 candidate" not in page


def test_a_uln_on_a_waiting_invitation_is_refused_for_another_address(client, imported, grace, centre):
    imported(grace, centre, f"First name,Last name,Email,ULN\nNia,Nash,nia@example.org,{ULN}\n")

    _url, page = _preview(client, grace, centre, f"First name,Last name,Email,ULN\nOwen,Osei,owen@example.org,{ULN}\n")

    assert "This ULN is already recorded at this centre for Nia Nash (nia@example.org), invited and not yet accepted" in page


def test_the_same_person_again_with_their_own_uln_is_no_clash(client, grace, centre, alice):
    _record(alice, centre, ULN)

    _url, page = _preview(client, grace, centre, f"First name,Last name,Email,ULN\nAlice,Adams,ALICE@example.org,{ULN}\n")

    assert "Already a candidate at this centre." in page and "a ULN belongs to one learner" not in page


def test_another_centres_candidate_with_the_uln_is_neither_consulted_nor_named(
    client, grace, centre, frank, other_centre
):
    hilda = Person.objects.create(email="hilda@example.org", first_name="Hilda", last_name="Hill")
    Membership.objects.create(person=hilda, centre=other_centre, role=Role.CANDIDATE)
    _record(hilda, other_centre, ULN)

    _url, page = _preview(client, grace, centre, f"First name,Last name,Email,ULN\nNia,Nash,nia@example.org,{ULN}\n")

    assert "Invite 1 candidate" in page and "Hilda" not in page and "hilda@" not in page


def test_the_identifiers_form_refuses_a_uln_another_candidate_here_has(client, grace, centre, alice, dave):
    _record(alice, centre, ULN)
    client.force_login(grace)

    response = client.post(_identifiers_url(centre, dave), {"uln": ULN, "scn": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "This ULN is already recorded at this centre for Alice Adams (alice@example.org)" in page
    assert "identifiers are saved" not in page
    assert identifiers_at(dave.pk, centre.pk).uln == ""


def test_the_identifiers_form_keeps_a_candidates_own_uln_and_takes_a_free_one(client, grace, centre, alice):
    _record(alice, centre, ULN)
    client.force_login(grace)

    assert client.post(_identifiers_url(centre, alice), {"uln": ULN, "scn": "123456789"}).status_code == 302
    assert client.post(_identifiers_url(centre, alice), {"uln": OTHER_ULN, "scn": ""}).status_code == 302
    assert identifiers_at(alice.pk, centre.pk).uln == OTHER_ULN


def test_the_database_refuses_one_uln_for_two_candidates_of_a_centre_but_not_across_centres(
    centre, other_centre, alice, dave
):
    _record(alice, centre, ULN)
    _record(alice, other_centre, ULN)  # Hillside's own record of the same learner
    _record(dave, other_centre, "")
    _record(dave, centre, "")  # blank ULNs are many
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateIdentifiers.objects.filter(candidate=dave, centre=centre).update(uln=ULN)


def test_an_invitations_uln_taken_since_is_not_recorded_when_they_accept(client, imported, grace, centre, alice):
    imported(grace, centre, f"First name,Last name,Email,ULN\nNia,Nash,nia@example.org,{ULN}\n")
    _record(alice, centre, ULN)  # recorded for Alice by hand after Nia was invited
    invitation = Invitation.objects.get(email="nia@example.org")
    nia = Person.objects.create(email="nia@example.org", first_name="Nia", last_name="Nash")

    _uln_recorded(invitation, nia)

    assert identifiers_at(nia.pk, centre.pk).uln == "" and identifiers_at(alice.pk, centre.pk).uln == ULN


def test_a_row_refused_for_anothers_uln_does_not_make_the_holders_own_later_row_clash(client, imported, grace, centre):
    # Outside tester: an invited candidate's ULN on row 2 for someone else is rightly refused, but
    # row 3, the invited candidate themselves, was refused too for "the same ULN on row 2".
    imported(grace, centre, f"First name,Last name,Email,ULN\nOther,Person,other@x.example,{ULN}\n")
    rows = (f"First name,Last name,Email,ULN\nTwin,One,twin1@x.example,{ULN}\n"
            f"Other,Persson,other@x.example,{ULN}\n")

    _url, page = _preview(client, grace, centre, rows)

    assert "This ULN is already recorded at this centre for Other Person (other@x.example)" in page
    assert "The same ULN is on row 2" not in page
    assert "Already invited as a candidate; the invitation is waiting." in page
    counted = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Already here, skipped 1" in counted and "Not imported: something to fix 1" in counted
    # As when the holder's row is imported alone.
    _url, alone = _preview(client, grace, centre, f"First name,Last name,Email,ULN\nOther,Persson,other@x.example,{ULN}\n")
    assert "Already invited as a candidate; the invitation is waiting." in alone


def test_the_holders_row_first_then_anothers_row_with_their_uln(client, imported, grace, centre):
    imported(grace, centre, f"First name,Last name,Email,ULN\nOther,Person,other@x.example,{ULN}\n")
    rows = (f"First name,Last name,Email,ULN\nOther,Person,other@x.example,{ULN}\n"
            f"Twin,One,twin1@x.example,{ULN}\n")

    _url, page = _preview(client, grace, centre, rows)

    counted = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Already here, skipped 1" in counted and "Not imported: something to fix 1" in counted
    assert "This ULN is already recorded at this centre for Other Person (other@x.example)" in page
