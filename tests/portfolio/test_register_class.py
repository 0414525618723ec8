"""Registering a class on a unit in one form (issue 16, tester's findings): several candidates, the
centre's people and those invited alike, with one assessor, one IQA and the same dates; all or
nothing, each refusal named. Also: a target date already passed is refused on a new registration,
the "add a person first" warning shows only when someone is lacking, and both registration forms
offer the candidates in the same order."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Enrolment, Invitation, Membership, PreparedEnrolment, Role
from portfolio.services_centre import Refused
from portfolio.services_centre_invitations import enrolment_prepare
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"').replace("&#x27;", "'")


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def nia(centre, grace):
    now = timezone.now()
    return Invitation.objects.create(
        centre=centre, name="Nia Newton", email="nia@example.org", role=Role.CANDIDATE, token_digest="n" * 64,
        invited_by=grace, sent_at=now, expires_at=now + datetime.timedelta(days=14),
    )


def register(client, centre, candidates, *, unit="HSC331", assessor, iqa, **changes):
    return client.post(reverse("portfolio:enrolment_create", args=[centre.pk]), {
        "candidate": candidates, "unit": Unit.objects.get(code=unit, version=1).pk, "assessor": assessor.pk,
        "iqa": iqa.pk, "start_date": days(0), "target_date": days(120), "registration_number": "", **changes,
    })


def test_a_class_of_candidates_and_invited_candidates_is_registered_in_one_form(
    client, grace, centre, alice, dave, nia, bob, carol
):
    client.force_login(grace)

    response = register(client, centre, [alice.pk, dave.pk, f"invited-{nia.pk}"], assessor=bob, iqa=carol)

    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "Alice Adams and Dave Davies are registered on HSC331, with Bob Baker as assessor and Carol Clark as IQA." in page
    assert "Nia Newton will be registered on HSC331, with Bob Baker as assessor and Carol Clark as IQA, when they " \
           "accept the invitation." in page
    enrolments = Enrolment.objects.filter(unit__code="HSC331").order_by("candidate__last_name")
    assert [(e.candidate, e.assessor, e.iqa, e.target_date.isoformat()) for e in enrolments] == [
        (alice, bob, carol, days(120)), (dave, bob, carol, days(120)),
    ]
    assert PreparedEnrolment.objects.get().invitation == nia
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_REGISTERED).count() == 2
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_PREPARED).count() == 1


def test_one_refused_candidate_registers_nobody_and_every_refusal_is_named(
    client, grace, centre, alice, dave, nia, bob, carol
):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    Membership.objects.create(person=dave, centre=centre, role=Role.ASSESSOR)
    client.force_login(grace)

    response = register(client, centre, [alice.pk, dave.pk, f"invited-{nia.pk}"], assessor=dave, iqa=carol)

    page = text_of(response)
    assert response.status_code == 400
    assert "Alice Adams is already registered on HSC331 (version 1)." in page
    assert "Dave Davies: a candidate cannot be their own assessor." in page
    assert "Nobody is registered yet: untick those refused, or correct what they are refused for" in page
    assert 'id="error_1_id_candidate"' in page
    assert Enrolment.objects.count() == 1  # Alice's own, from before
    assert not PreparedEnrolment.objects.exists()
    assert not AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_PREPARED).exists()
    # The ticks are kept, to untick the refused and send again.
    assert re.search(rf'name="candidate" value="invited-{nia.pk}"[^>]* checked>', page)


def test_a_rule_of_the_whole_team_is_said_once_beside_its_field(client, grace, centre, alice, dave, bob):
    Membership.objects.create(person=bob, centre=centre, role=Role.IQA)
    client.force_login(grace)

    page = text_of(register(client, centre, [alice.pk, dave.pk], assessor=bob, iqa=bob))

    assert page.count("the assessor cannot quality-assure their own assessment decisions") == 2  # summary, field
    assert 'id="error_1_id_iqa"' in page
    assert not Enrolment.objects.exists()


def test_a_registration_number_is_refused_for_several_candidates(client, grace, centre, alice, dave, bob, carol):
    client.force_login(grace)

    page = text_of(register(client, centre, [alice.pk, dave.pk], assessor=bob, iqa=carol, registration_number="R1"))

    assert "A registration number is one candidate's: leave it empty when registering several." in page
    assert not Enrolment.objects.exists()


def test_no_candidate_ticked_is_refused(client, grace, centre, alice, bob, carol):
    client.force_login(grace)

    page = text_of(register(client, centre, [], assessor=bob, iqa=carol))

    assert "Tick at least one candidate." in page
    assert not Enrolment.objects.exists()


# A target date already passed


def test_a_target_date_already_passed_is_refused_on_a_new_registration(client, grace, centre, alice, nia, bob, carol):
    client.force_login(grace)

    for candidates in ([alice.pk], [alice.pk, f"invited-{nia.pk}"]):
        page = text_of(register(
            client, centre, candidates, assessor=bob, iqa=carol, start_date=days(-200), target_date=days(-1)
        ))
        assert "The target date has passed: choose today or a later date, one the candidate can still meet." in page
        assert 'id="error_1_id_target_date"' in page
    assert not Enrolment.objects.exists()
    assert not PreparedEnrolment.objects.exists()
    assert register(client, centre, [alice.pk], assessor=bob, iqa=carol, target_date=days(0)).status_code == 302


def test_a_target_date_already_passed_is_refused_on_a_qualification_and_an_invited_candidates_registration(
    client, grace, centre, alice, nia, bob, carol
):
    client.force_login(grace)
    qualification = demo_qualification()
    response = client.post(reverse("portfolio:qualification_register", args=[centre.pk, qualification.pk]), {
        "candidate": alice.pk, "optional_units": [Unit.objects.get(code="H3 25").pk], "assessor": bob.pk,
        "iqa": carol.pk, "start_date": days(-300), "target_date": days(-3),
    })
    assert "The target date has passed" in text_of(response)
    assert not Enrolment.objects.exists()

    with pytest.raises(Refused, match="The target date has passed"):
        enrolment_prepare(
            invitation=nia, prepared_by=grace, unit=Unit.objects.get(code="HSC331"), assessor=bob, iqa=carol,
            start_date=timezone.localdate() - datetime.timedelta(days=30),
            target_date=timezone.localdate() - datetime.timedelta(days=1),
        )


# The warning that someone is lacking


def test_the_form_warns_only_when_the_centre_lacks_someone_to_register(client, grace, centre, alice, bob, carol):
    client.force_login(grace)
    url = reverse("portfolio:enrolment_create", args=[centre.pk])
    qualification_url = reverse("portfolio:qualification_register", args=[centre.pk, demo_qualification().pk])

    for page in (text_of(client.get(url)), text_of(client.get(qualification_url))):
        assert "Registering needs at least one candidate" not in page

    Membership.objects.filter(person=carol).delete()
    page = text_of(client.get(url))
    assert "Registering needs at least one candidate, one assessor and one IQA, and Riverside" in page
    assert "has no IQA yet." in page


# The order of names


def test_both_registration_forms_offer_candidates_by_surname_the_invited_among_them(
    client, grace, centre, alice, dave, nia, bob, carol
):
    member(centre, Role.CANDIDATE, first_name="Aaron", last_name="Zeal", email="aaron@example.org")
    member(centre, Role.CANDIDATE, first_name="Zara", last_name="Baxter", email="zara@example.org")
    client.force_login(grace)

    unit_form = client.get(reverse("portfolio:enrolment_create", args=[centre.pk])).context["form"]
    qualification_form = client.get(
        reverse("portfolio:qualification_register", args=[centre.pk, demo_qualification().pk])
    ).context["form"]

    def names(form):
        return [label.split(" (")[0] for value, label in form.fields["candidate"].choices if value]

    assert names(unit_form) == ["Alice Adams", "Zara Baxter", "Dave Davies", "Nia Newton", "Aaron Zeal"]
    assert names(qualification_form) == ["Alice Adams", "Zara Baxter", "Dave Davies", "Nia Newton", "Aaron Zeal"]
