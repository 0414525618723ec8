"""An evidence item moved to another candidate, or a file to another item, in the database (an outside
trial: Dave and his assessor then read Alice's item and photo). Each item's candidate and centre and
each file's item are sealed as the portfolio saved them (`portfolio.row_sealing`); where a person is
let in to one, and in the fixity check, one found moved is put back and the administrators told.

Alice and Dave are candidates at Riverside; Bob assesses Alice, Erin Dave; Grace runs it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portfolio import row_seals
from portfolio.models import AuditEvent, Evidence, EvidenceFile, Notification
from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(alice, hsc331, daves_unit):
    return submitted(alice, hsc331, title="Supporting a visit", criteria=("HSC331a.1",))


def test_an_item_moved_to_another_candidate_is_put_back_before_they_read_it(client, grace, alice, dave, erin, alices):
    Evidence.objects.filter(pk=alices.pk).update(candidate=dave, number=99)
    client.force_login(erin)

    assert client.get(reverse("assessments:evidence_detail", args=[alices.pk])).status_code == 404

    assert Evidence.objects.get(pk=alices.pk).candidate_id == alice.pk
    told = Notification.objects.get(recipient=grace, message__contains="had been moved in the database")
    assert "(candidate_id and number changed), not by the portfolio: it is put back." in told.message
    assert Evidence.objects.get(pk=alices.pk).number == alices.number
    assert AuditEvent.objects.filter(action="portfolio.evidence.put_right", evidence=alices).count() == 1


def test_a_file_moved_to_another_candidates_item_is_put_back_before_it_is_served(client, alice, dave, erin, alices, daves_unit):
    from tests.assessments.judging_people import submitted as made

    daves = made(dave, daves_unit, title="A visit of Dave's", criteria=("HSC331a.1",))
    photo = EvidenceFile.objects.create(
        evidence=alices, file=f"evidence/{alice.pk}/abc", storage_key="abc", original_name="network-map.jpg",
        content_type="image/jpeg", size=3, sha256="0" * 64, added_in_version=1, uploaded_by=alice,
    )
    EvidenceFile.objects.filter(pk=photo.pk).update(evidence=daves)
    client.force_login(erin)

    assert client.get(reverse("portfolio:evidence_file", args=[photo.pk])).status_code == 404
    assert EvidenceFile.objects.get(pk=photo.pk).evidence_id == alices.pk


def test_the_fixity_check_puts_back_every_item_moved_and_fails(alice, dave, alices):
    Evidence.objects.filter(pk=alices.pk).update(candidate=dave, number=99)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 row that lets people in .* was changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert "EVIDENCE PUT BACK: E" in out.getvalue() and "of Alice Adams had been moved in the database" in out.getvalue()
    assert Evidence.objects.get(pk=alices.pk).candidate_id == alice.pk


def test_one_moved_in_two_ways_is_opened_to_nobody_and_reported(client, bob, dave, other_centre, alices):
    Evidence.objects.filter(pk=alices.pk).update(candidate=dave, centre=other_centre, number=99)
    client.force_login(bob)
    assert client.get(reverse("assessments:evidence_detail", args=[alices.pk])).status_code == 404
    assert row_seals.check_every_row()[1] == [
        f"evidence {alices.pk} was changed in the database and cannot be put back by its seal: opened to nobody until it is."
    ]


def test_items_and_files_the_portfolio_saves_hold(alice, alices):
    alices.title = "Supporting a family visit"
    alices.save()
    assert row_seals.check_every_row() == ([], [])


def test_an_item_renumbered_by_hand_is_put_back(client, bob, alices):
    Evidence.objects.filter(pk=alices.pk).update(number=98)
    client.force_login(bob)
    assert client.get(reverse("assessments:evidence_detail", args=[alices.pk])).status_code == 200
    assert Evidence.objects.get(pk=alices.pk).number == alices.number
