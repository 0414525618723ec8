"""A centre administrator's pages: who may see them, adding people, and registering candidates."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio.models import AuditEvent, Enrolment, Invitation, Membership, Person, Role
from portfolio.services_centre import Refused, enrolment_register
from standards.models import Criterion, Suite, Unit
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

CENTRE_PAGES = ["assessments:centre_detail", "portfolio:person_create", "portfolio:enrolment_create"]


@pytest.fixture
def hsc331_unit():
    return Unit.objects.get(code="HSC331")


def page_url(name, centre):
    return reverse(name, kwargs={"centre_id": centre.pk})


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# Who may see the centre pages


@pytest.mark.parametrize("name", CENTRE_PAGES)
def test_it_opens_the_centre_pages_to_the_centres_administrator(client, grace, centre, name):
    client.force_login(grace)

    assert client.get(page_url(name, centre)).status_code == 200


@pytest.mark.parametrize("name", CENTRE_PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, centre, name):
    response = client.get(page_url(name, centre))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", CENTRE_PAGES)
def test_it_hides_a_centre_from_another_centres_administrator(client, frank, centre, name):
    client.force_login(frank)

    assert client.get(page_url(name, centre)).status_code == 404


@pytest.mark.parametrize("name", CENTRE_PAGES)
@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_it_hides_the_centre_pages_from_its_candidates_assessors_and_iqas(
    client, request, centre, name, persona
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(page_url(name, centre)).status_code == 404


def test_it_hides_the_centre_pages_from_its_external_quality_assurer(client, centre):
    eve = member(centre, Role.EQA, first_name="Eve", last_name="Ellis")
    client.force_login(eve)

    assert client.get(page_url("assessments:centre_detail", centre)).status_code == 404


def test_it_refuses_another_centres_administrator_adding_people_here(client, frank, centre):
    client.force_login(frank)

    response = client.post(
        page_url("portfolio:person_create", centre),
        {"first_name": "Mal", "last_name": "Lory", "email": "mal@example.org", "role": Role.ADMINISTRATOR},
    )

    assert response.status_code == 404
    assert not Person.objects.filter(email="mal@example.org").exists()
    assert not Membership.objects.filter(centre=centre, person=frank).exists()


def test_it_refuses_another_centres_administrator_registering_candidates_here(
    client, frank, centre, alice, bob, carol, hsc331_unit
):
    client.force_login(frank)

    response = client.post(page_url("portfolio:enrolment_create", centre), enrolment_form(alice, hsc331_unit, bob, carol))

    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_it_answers_404_for_a_centre_that_does_not_exist(client, grace):
    client.force_login(grace)

    assert client.get(reverse("assessments:centre_detail", kwargs={"centre_id": 999_999})).status_code == 404


# The centre page


def test_it_lists_the_centres_people_with_their_roles_and_its_enrolments(
    client, grace, centre, alice, bob, carol
):
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrolment.registration_number = "REG-0042"
    enrolment.save()
    client.force_login(grace)

    page = text_of(client.get(page_url("assessments:centre_detail", centre)))

    assert "<h1" in page and page.count("<h1") == 1
    for name in ("Alice Adams", "Bob Baker", "Carol Clark", "Grace Gordon"):
        assert name in page
    for role in ("Candidate", "Assessor", "Internal quality assurer", "Centre administrator"):
        assert f">{role}</span>" in page
    assert "HSC331" in page
    # Under the candidate's name, so the Unit column has room for its title (an outside trial).
    assert "Registration number: REG-0042</span></th>" in page
    assert enrolment.start_date.strftime("%-d %B %Y") in page
    assert enrolment.target_date.strftime("%-d %B %Y") in page
    assert "Add a person</a>" in page
    assert "Register candidates on a unit</a>" in page


def test_it_does_not_list_another_centres_people_or_enrolments(client, grace, centre, other_centre, frank):
    zoe = member(other_centre, Role.CANDIDATE, first_name="Zoe", last_name="Zimmer")
    yan = member(other_centre, Role.ASSESSOR, first_name="Yan", last_name="Young")
    enrol(zoe, "HSC331", assessor=yan, iqa=frank, centre=other_centre)
    client.force_login(grace)

    page = text_of(client.get(page_url("assessments:centre_detail", centre)))

    assert "Zoe Zimmer" not in page
    assert "Frank Fisher" not in page
    assert "HSC331" not in page


def test_it_counts_each_candidates_units_at_this_centre_only(client, grace, centre, other_centre, alice, bob, carol, frank):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    yan = member(other_centre, Role.ASSESSOR, first_name="Yan", last_name="Young")
    enrol(dave, "H3 25", assessor=yan, iqa=frank, centre=other_centre)
    member(centre, Role.CANDIDATE, first_name="Erin", last_name="Evans")
    client.force_login(grace)

    page = text_of(client.get(page_url("assessments:centre_detail", centre), {"role": Role.CANDIDATE}))

    people = page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]
    units = {
        name: re.search(rf"{name}.*?</th>.*?</td>.*?</td>\s*<td>(\d*)</td>", people, re.S).group(1)
        for name in ("Alice Adams", "Dave Dean", "Erin Evans")
    }
    assert units == {"Alice Adams": "2", "Dave Dean": "1", "Erin Evans": "0"}


def test_it_filters_the_people_by_role(client, grace, centre, alice, bob, carol):
    client.force_login(grace)

    page = text_of(client.get(page_url("assessments:centre_detail", centre), {"role": Role.ASSESSOR}))

    people = page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]
    assert "Bob Baker" in people
    assert "Alice Adams" not in people
    assert "Carol Clark" not in people


def test_it_finds_people_and_their_enrolments_by_name(client, grace, centre, alice, bob, carol):
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(dave, "H3 25", assessor=bob, iqa=carol, centre=centre)
    client.force_login(grace)

    page = text_of(client.get(page_url("assessments:centre_detail", centre), {"q": "adams"}))

    people = page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]
    enrolments = page[page.index('id="enrolments-heading"') :]
    assert "Alice Adams" in people
    assert "Dave Dean" not in people
    assert "HSC331" in enrolments
    assert "H3 25" not in enrolments


def test_it_reads_the_centre_page_in_the_same_number_of_queries_for_one_enrolment_or_five(
    client, grace, centre, alice, bob, carol
):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    client.force_login(grace)
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(page_url("assessments:centre_detail", centre)).status_code == 200

    suite = Suite.objects.first()
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    for n in (1, 2, 3):
        unit = Unit.objects.create(suite=suite, code=f"TEST{n}", slug=f"test{n}", title=f"Test unit {n}")
        Criterion.objects.create(unit=unit, reference=f"TEST{n}.1", number=1, text="Do it.", position=1)
        other = member(centre, Role.CANDIDATE, first_name=f"Other{n}", last_name="Candidate")
        enrol(other, unit.code, assessor=bob, iqa=carol, centre=centre)
    with CaptureQueriesContext(connection) as with_five:
        assert client.get(page_url("assessments:centre_detail", centre)).status_code == 200

    assert Enrolment.objects.count() == 5
    assert len(with_five) == len(with_one)


# Adding a person


def test_it_refuses_a_role_the_person_already_holds_here(client, grace, centre, bob):
    client.force_login(grace)

    response = client.post(
        page_url("portfolio:person_create", centre),
        {"first_name": "Bob", "last_name": "Baker", "email": "bob@example.org", "role": Role.ASSESSOR},
    )

    assert response.status_code == 200
    assert "bob@example.org is already an assessor at Riverside Training." in text_of(response)
    assert 'id="error_1_id_email"' in text_of(response)
    assert Membership.objects.filter(person=bob).count() == 1
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("role", Role.EQA, "Select a valid choice."),
        ("first_name", "", "This field is required."),
    ],
)
def test_it_refuses_an_incomplete_or_wrong_person_with_the_message_beside_the_field(
    client, grace, centre, field, value, message
):
    client.force_login(grace)
    data = {"first_name": "Nia", "last_name": "Newton", "email": "nia@example.org", "role": Role.CANDIDATE}

    response = client.post(page_url("portfolio:person_create", centre), {**data, field: value})

    assert response.status_code == 200
    assert message in text_of(response)
    assert f'id="error_1_id_{field}"' in text_of(response) or f'id="error_1_id_{field}_' in text_of(response)
    assert not Person.objects.filter(email="nia@example.org").exists()
    assert not Invitation.objects.exists()


# Registering a candidate on a unit


def enrolment_form(candidate, unit, assessor, iqa, **changes):
    today = timezone.localdate()
    return {
        "candidate": candidate.pk,
        "unit": unit.pk,
        "assessor": assessor.pk,
        "iqa": iqa.pk,
        "start_date": today.isoformat(),
        "target_date": (today + datetime.timedelta(days=180)).isoformat(),
        "registration_number": "",
        **changes,
    }


def test_it_registers_a_candidate_on_a_unit_with_their_assessor_and_iqa(
    client, grace, centre, alice, bob, carol, hsc331_unit
):
    client.force_login(grace)

    response = client.post(
        page_url("portfolio:enrolment_create", centre),
        enrolment_form(alice, hsc331_unit, bob, carol, registration_number="ABC123"),
        follow=True,
    )

    enrolment = Enrolment.objects.get()
    assert (enrolment.candidate, enrolment.unit, enrolment.assessor, enrolment.iqa) == (
        alice,
        hsc331_unit,
        bob,
        carol,
    )
    assert enrolment.centre == centre
    assert enrolment.registered_by == grace
    assert enrolment.registration_number == "ABC123"
    assert (
        "Alice Adams is registered on HSC331, with Bob Baker as assessor and Carol Clark as IQA."
        in text_of(response)
    )
    assert AuditEvent.objects.filter(action="portfolio.enrolment.registered", enrolment=enrolment).exists()


def test_it_registers_a_candidate_on_several_units(client, grace, centre, alice, bob, carol, hsc331_unit):
    client.force_login(grace)

    client.post(page_url("portfolio:enrolment_create", centre), enrolment_form(alice, hsc331_unit, bob, carol))
    client.post(
        page_url("portfolio:enrolment_create", centre),
        enrolment_form(alice, Unit.objects.get(code="H3 25"), bob, carol),
    )

    assert sorted(Enrolment.objects.filter(candidate=alice).values_list("unit__code", flat=True)) == [
        "H3 25",
        "HSC331",
    ]


def test_it_offers_only_this_centres_people_in_each_list(
    client, grace, centre, other_centre, alice, bob, carol
):
    member(other_centre, Role.CANDIDATE, first_name="Zoe", last_name="Zimmer")
    client.force_login(grace)

    page = text_of(client.get(page_url("portfolio:enrolment_create", centre)))
    form = client.get(page_url("portfolio:enrolment_create", centre)).context["form"]

    assert "Alice Adams (alice@example.org)" in re.sub(r"<[^>]+>", "", page)  # the address wraps at "@", dots
    assert "Zoe Zimmer" not in page
    assert [value for value, _ in form.fields["candidate"].choices] == [str(alice.pk)]
    assert list(form.fields["assessor"].queryset) == [bob]
    assert list(form.fields["iqa"].queryset) == [carol]


def assert_refused(response, message):
    assert response.status_code == 400, "a refused registration shows the form again, as refused"
    assert message in text_of(response)
    assert not Enrolment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_target_date_before_the_start_date(client, grace, centre, alice, bob, carol, hsc331_unit):
    client.force_login(grace)

    response = client.post(
        page_url("portfolio:enrolment_create", centre),
        enrolment_form(alice, hsc331_unit, bob, carol, start_date="2026-05-01", target_date="2026-04-30"),
    )

    assert_refused(response, "The target date cannot be before the start date.")
    assert 'id="error_1_id_target_date"' in text_of(response)


def test_it_refuses_an_iqa_who_is_the_assessor_on_the_same_enrolment(
    client, grace, centre, alice, bob, hsc331_unit
):
    Membership.objects.create(person=bob, centre=centre, role=Role.IQA)
    client.force_login(grace)

    response = client.post(page_url("portfolio:enrolment_create", centre), enrolment_form(alice, hsc331_unit, bob, bob))

    assert_refused(response, "the assessor cannot quality-assure their own assessment decisions")
    assert 'id="error_1_id_iqa"' in text_of(response)


def test_it_refuses_registering_a_candidate_twice_on_one_unit(
    client, grace, centre, alice, bob, carol, hsc331_unit
):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    client.force_login(grace)

    response = client.post(page_url("portfolio:enrolment_create", centre), enrolment_form(alice, hsc331_unit, bob, carol))

    assert response.status_code == 400
    assert "Alice Adams is already registered on HSC331 (version 1)." in text_of(response)
    assert Enrolment.objects.count() == 1


def test_it_refuses_a_candidate_as_their_own_assessor(client, grace, centre, alice, carol, hsc331_unit):
    Membership.objects.create(person=alice, centre=centre, role=Role.ASSESSOR)
    client.force_login(grace)

    response = client.post(
        page_url("portfolio:enrolment_create", centre), enrolment_form(alice, hsc331_unit, alice, carol)
    )

    assert_refused(response, "A candidate cannot be their own assessor.")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("candidate", "Choose one of this centre's candidates."),
        ("assessor", "Choose one of this centre's assessors."),
        ("iqa", "Choose one of this centre's IQAs."),
    ],
)
def test_it_refuses_a_forged_post_naming_someone_from_another_centre(
    client, grace, centre, other_centre, alice, bob, carol, hsc331_unit, field, message
):
    stranger = member(
        other_centre, {"candidate": Role.CANDIDATE, "assessor": Role.ASSESSOR, "iqa": Role.IQA}[field]
    )
    client.force_login(grace)

    response = client.post(
        page_url("portfolio:enrolment_create", centre),
        {**enrolment_form(alice, hsc331_unit, bob, carol), field: stranger.pk},
    )

    assert_refused(response, message)
    assert f'id="error_1_id_{field}"' in text_of(response)


def test_it_refuses_someone_of_this_centre_in_a_role_they_do_not_hold(
    client, grace, centre, alice, bob, hsc331_unit
):
    client.force_login(grace)

    # Alice is a candidate here, not an IQA.
    response = client.post(page_url("portfolio:enrolment_create", centre), enrolment_form(alice, hsc331_unit, bob, alice))

    assert_refused(response, "Choose one of this centre's IQAs.")


def test_the_service_refuses_people_without_the_role_at_the_centre_whatever_the_page_allowed(
    grace, centre, other_centre, alice, carol, hsc331_unit
):
    stranger = member(other_centre, Role.ASSESSOR, first_name="Sam", last_name="Stranger")
    today = timezone.localdate()

    with pytest.raises(Refused) as refusal:
        enrolment_register(
            centre=centre,
            registered_by=grace,
            candidate=alice,
            unit=hsc331_unit,
            assessor=stranger,
            iqa=carol,
            start_date=today,
            target_date=today,
        )

    assert str(refusal.value) == "Sam Stranger is not an assessor at Riverside Training."
    assert refusal.value.field == "assessor"
    assert not Enrolment.objects.exists()


def test_the_service_refuses_a_registration_by_someone_who_is_not_an_administrator_here(
    frank, centre, alice, bob, carol, hsc331_unit
):
    today = timezone.localdate()

    with pytest.raises(Refused, match="Only an administrator of Riverside Training"):
        enrolment_register(
            centre=centre,
            registered_by=frank,
            candidate=alice,
            unit=hsc331_unit,
            assessor=bob,
            iqa=carol,
            start_date=today,
            target_date=today,
        )
    assert not Enrolment.objects.exists()


def test_it_starts_the_registration_form_with_today_and_the_candidate_chosen_on_the_centre_page(
    client, grace, centre, alice
):
    client.force_login(grace)

    page = text_of(client.get(page_url("portfolio:enrolment_create", centre), {"candidate": alice.pk}))

    assert re.search(rf'type="checkbox" name="candidate" value="{alice.pk}"[^>]* checked>', page)
    assert f'type="date" name="start_date" value="{timezone.localdate().isoformat()}"' in page
    assert 'type="date" name="target_date"' in page
    assert re.search(r"<legend[^>]*>\s*Candidates", page)
    for label in (
        "Unit",
        "Assessor",
        "Internal quality assurer (IQA)",
        "Start date",
        "Target date",
    ):
        assert re.search(rf"<label[^>]*>\s*{re.escape(label)}", page), label


def test_it_lists_an_external_quality_assurer_on_the_eqa_page_not_among_the_centre_s_people(client, grace, centre):
    # An EQA holds no role at the centre: the centre grants them access, and lists them with it.
    member(centre, Role.EQA, first_name="Eve", last_name="Ellis")
    client.force_login(grace)

    page = text_of(client.get(page_url("assessments:centre_detail", centre)))
    people = page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]
    assert "Eve Ellis" not in people
    eqa_page = text_of(client.get(page_url("portfolio:eqa_access_list", centre)))
    assert "Eve Ellis" in eqa_page and "Active" in eqa_page
