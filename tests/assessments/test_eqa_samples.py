"""Issue 15 item 3: the external quality assurer's home (the units in their scope, where each stands,
its assessor and IQA and its sampling history, filtered, a page at a time) and their samples: ticked
on that list, named, dated, remote or on site, theirs to change and delete; every unit in one shows
an "EQA sampled" mark on its page and in the centre's and the IQA's lists.

Heidi is Riverside's EQA; Alice's HSC331 (Bob assesses, Carol quality-assures) and Dave's HSC331
(Erin, Carol) are there. A candidate at Hillside is outside Heidi's scope.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.claim_models import Claim
from assessments.models import EqaSample, QualityReview
from portfolio import services_qualifications
from portfolio.models import AuditEvent, Role
from portfolio.services_eqa import eqa_grant_give
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.factories import PersonFactory, enrol, eqa_grant, member

pytestmark = pytest.mark.django_db

UNITS = reverse("assessments:eqa_units")
NEW_SAMPLE = reverse("assessments:eqa_sample_create")


@pytest.fixture
def hillside_unit(other_centre, frank):
    candidate = member(other_centre, Role.CANDIDATE, first_name="Hana", last_name="Hill")
    assessor = member(other_centre, Role.ASSESSOR, first_name="Hugo", last_name="Hart")
    iqa = member(other_centre, Role.IQA, first_name="Hope", last_name="Hay")
    return enrol(candidate, "HSC331", assessor=assessor, iqa=iqa, centre=other_centre)


def _sample(client, heidi, *enrolments, name="Visit 12 March 2027", planned_on="2027-03-12", mode="on_site"):
    client.force_login(heidi)
    return client.post(
        NEW_SAMPLE, {"name": name, "planned_on": planned_on, "mode": mode, "enrolments": [e.pk for e in enrolments]}
    )


def test_the_eqa_home_lists_the_units_in_scope_with_state_people_and_links(client, heidi, hsc331, daves_unit, hillside_unit):
    client.force_login(heidi)

    page = client.get(UNITS).content.decode()

    assert "Riverside Training" in page
    assert "Alice Adams" in page and "Dave Davies" in page
    assert "Bob Baker" in page and "IQA Carol Clark" in page
    assert "In progress" in page
    assert reverse("assessments:enrolment_detail", args=[hsc331.pk]) in page
    assert "Hana Hill" not in page  # Hillside is not Heidi's


def test_the_home_page_leads_the_eqa_to_their_units_and_reports(client, heidi, hsc331, centre):
    client.force_login(heidi)

    page = client.get(reverse("home")).content.decode()

    assert UNITS in page
    assert reverse("assessments:eqa_report_create", args=[centre.pk]) in page


def test_the_list_narrows_by_assessor_unit_centre_and_state(client, heidi, hsc331, h3_25, daves_unit, erin, grace):
    client.force_login(heidi)
    Claim.objects.create(centre=hsc331.centre, enrolment=h3_25, reference="C-1", claimed_on=timezone.localdate(), claimed_by=grace)

    by_erin = client.get(UNITS, {"assessor": erin.pk}).content.decode()
    by_unit = client.get(UNITS, {"unit": h3_25.unit_id}).content.decode()
    claimed = client.get(UNITS, {"state": "claimed"}).content.decode()
    in_progress = client.get(UNITS, {"state": "in-progress"}).content.decode()
    by_centre = client.get(UNITS, {"centre": hsc331.centre_id}).content.decode()

    assert "Dave Davies" in by_erin and "Alice Adams" not in by_erin
    assert "H3 25" in by_unit and "Dave Davies" not in by_unit
    assert "Showing 1–1 of 1 unit" in claimed and "Claimed" in claimed and "H3 25" in claimed
    assert "Showing 1–2 of 2 units" in in_progress  # the claimed unit is "claimed", not in progress
    assert "Showing 1–3 of 3 units" in by_centre


def test_a_filter_that_names_nothing_in_scope_is_left_out(client, heidi, hsc331, hillside_unit):
    client.force_login(heidi)

    page = client.get(UNITS, {"centre": hillside_unit.centre_id, "assessor": "99999999999999999999"})

    assert page.status_code == 200
    assert "Alice Adams" in page.content.decode()


def test_a_unit_scoped_grant_offers_no_qualification_outside_it(client, centre, alice, bob, carol, grace, hsc331):
    """An outside trial saw a qualification in the filter of an EQA granted one unit only."""
    qualification = demo_qualification()
    services_qualifications.qualification_register(
        centre=centre, registered_by=grace, candidate=alice, qualification=qualification,
        optional_units=[Unit.objects.get(code="H3 25")], assessor=bob, iqa=carol, start_date=timezone.localdate(),
        target_date=timezone.localdate() + datetime.timedelta(days=180),
    )
    eve = PersonFactory(first_name="Eve", last_name="Ellis", email="eve@example.org")
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(eve)

    page = client.get(UNITS).content.decode()
    assert "Alice Adams" in page and qualification.title not in page and "All qualifications" in page

    grant.qualifications.add(qualification)  # granted: offered
    assert f'<option value="{qualification.pk}">{qualification.code} {qualification.title}</option>' in (
        client.get(UNITS).content.decode()
    )


def test_the_list_shows_when_the_iqa_and_this_eqa_sampled_each_unit(client, heidi, carol, hsc331, daves_unit):
    sampled = timezone.make_aware(datetime.datetime(2027, 2, 3, 10, 0))
    QualityReview.objects.create(
        enrolment=hsc331, iqa=carol, stage=QualityReview.Stage.INTERIM, outcome=QualityReview.Outcome.SAMPLED,
        sampled_at=sampled,
    )
    _sample(client, heidi, hsc331)

    page = client.get(UNITS).content.decode()

    assert "By the IQA 3 February 2027" in page
    assert "Visit 12 March 2027</a>, 12 March 2027" in page
    assert page.count("Not by you") == 1  # Dave's unit


def test_the_eqa_ticks_units_and_saves_a_named_sample(client, heidi, hsc331, daves_unit):
    client.force_login(heidi)
    form = client.get(NEW_SAMPLE, {"enrolments": [hsc331.pk]}).content.decode()
    assert f'value="{hsc331.pk}" id="unit-{hsc331.pk}" checked' in form
    assert f'value="{daves_unit.pk}"' not in form  # only what was ticked is offered

    response = _sample(client, heidi, hsc331)

    sample = EqaSample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:eqa_sample_detail", args=[sample.pk])
    assert (sample.name, sample.planned_on, sample.mode, sample.eqa, sample.centre) == (
        "Visit 12 March 2027", datetime.date(2027, 3, 12), "on_site", heidi, hsc331.centre,
    )
    assert list(sample.enrolments.all()) == [hsc331]
    page = client.get(response["Location"]).content.decode()
    assert "Alice Adams" in page and "on site · planned for 12 March 2027" in page


def test_the_eqa_sampled_mark_shows_on_the_unit_page_and_the_centres_and_iqas_lists(client, heidi, grace, carol, hsc331, daves_unit):
    _sample(client, heidi, hsc331)

    for person, address in (
        (grace, reverse("assessments:enrolment_detail", args=[hsc331.pk])),
        (grace, reverse("assessments:centre_detail", args=[hsc331.centre_id])),
        (grace, reverse("assessments:centre_portfolios", args=[hsc331.centre_id])),
        (carol, reverse("assessments:iqa_sample")),
    ):
        client.force_login(person)
        page = client.get(address).content.decode()
        assert page.count("EQA sampled") == 1, address  # Alice's unit, not Dave's
        assert "Heidi Hughes, 12 March 2027" in page, address


def test_sampling_is_in_the_units_audit_trail(client, heidi, grace, hsc331):
    _sample(client, heidi, hsc331)
    client.force_login(grace)

    page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()

    assert "Heidi Hughes, the external quality assurer, took the unit into their sample “Visit 12 March 2027”" in page


def test_a_sample_is_of_one_centres_units(client, heidi, hsc331, hillside_unit):
    # Hillside grants Heidi its unit too: both units are hers to read, at two centres.
    today = timezone.localdate()
    eqa_grant_give(
        centre=hillside_unit.centre, person=heidi, units=[hillside_unit.unit], start_date=today,
        end_date=today + datetime.timedelta(days=30), terms_accepted=True,
    )

    response = _sample(client, heidi, hsc331, hillside_unit)

    assert response.status_code == 400
    assert "A sample is of one centre’s units" in response.content.decode()
    assert not EqaSample.objects.exists()


def test_a_unit_outside_the_eqas_scope_is_not_a_choice(client, heidi, hsc331, hillside_unit):
    response = _sample(client, heidi, hillside_unit)

    assert response.status_code == 400
    assert not EqaSample.objects.exists()


def test_the_eqa_changes_a_sample_and_the_unit_taken_out_loses_its_mark(client, heidi, grace, hsc331, daves_unit):
    _sample(client, heidi, hsc331, daves_unit)
    sample = EqaSample.objects.get()
    edit = reverse("assessments:eqa_sample_edit", args=[sample.pk])

    response = client.post(edit, {"name": "Remote visit", "planned_on": "2027-03-19", "mode": "remote", "enrolments": [hsc331.pk]})

    assert response.status_code == 302
    sample.refresh_from_db()
    assert (sample.name, sample.mode, list(sample.enrolments.all())) == ("Remote visit", "remote", [hsc331])
    client.force_login(grace)
    daves_page = client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk])).content.decode()
    assert "EQA sampled" not in daves_page
    assert "took the unit out of their sample “Remote visit”" in daves_page


def test_units_ticked_on_the_list_are_added_to_a_sample(client, heidi, hsc331, daves_unit):
    _sample(client, heidi, hsc331)
    sample = EqaSample.objects.get()

    form = client.get(reverse("assessments:eqa_sample_edit", args=[sample.pk]), {"enrolments": [daves_unit.pk]})

    text = form.content.decode()
    assert f'value="{hsc331.pk}" id="unit-{hsc331.pk}" checked' in text
    assert f'value="{daves_unit.pk}" id="unit-{daves_unit.pk}" checked' in text


def test_the_eqa_deletes_a_sample_and_its_marks_go(client, heidi, grace, hsc331):
    _sample(client, heidi, hsc331)
    sample = EqaSample.objects.get()

    response = client.post(reverse("assessments:eqa_sample_delete", args=[sample.pk]))

    assert response.status_code == 302
    assert not EqaSample.objects.exists()
    assert AuditEvent.objects.filter(action="assessments.eqa.unsampled", enrolment=hsc331).exists()
    client.force_login(grace)
    assert "EQA sampled" not in client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()


def test_another_eqa_finds_nothing_of_a_sample(client, heidi, hsc331, centre):
    _sample(client, heidi, hsc331)
    sample = EqaSample.objects.get()
    other = member(centre, Role.EQA, first_name="Olga", last_name="Other")
    client.force_login(other)

    for name in ("eqa_sample_detail", "eqa_sample_edit", "eqa_sample_delete"):
        assert client.get(reverse(f"assessments:{name}", args=[sample.pk])).status_code == 404
    assert client.post(reverse("assessments:eqa_sample_delete", args=[sample.pk])).status_code == 404
    assert EqaSample.objects.exists()
