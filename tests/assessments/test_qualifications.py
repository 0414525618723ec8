"""Registering a candidate on a qualification, its progress, and certification claims of its units
and of the whole (issue 14, items 6 and 8)."""

import csv
import dataclasses
import io

import pytest
from django.utils import timezone

from assessments.claims import ready_to_claim
from assessments.models import Claim
from assessments.qualification_progress import qualification_progress
from assessments.services.signoff import unit_unlock
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Enrolment, QualificationRegistration
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.assessments.qualification_case import complete, register_alice
from tests.assessments.unit_case import build_case
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _form(case, **fields):
    today = timezone.localdate()
    return {
        "candidate": case.alice.pk, "assessor": case.bob.pk, "iqa": case.carol.pk,
        "start_date": today.isoformat(), "target_date": today.replace(year=today.year + 1).isoformat(), **fields,
    }


def _register_url(case):
    return f"/portfolio/centres/{case.centre.pk}/qualifications/{demo_qualification().pk}/register/"


def test_the_administrator_registers_a_new_candidate_and_their_units_are_opened(client, case):
    nia = member(case.centre, "candidate", first_name="Nia", last_name="Nash", email="nia@example.org")
    client.force_login(case.grace)
    page = client.get(_register_url(case)).content.decode()
    assert "Group B (optional)" in page and "Optional: at least 1 unit and at least 5 credits" in page
    h3_25 = Unit.objects.get(code="H3 25")
    response = client.post(_register_url(case), _form(case, candidate=nia.pk, optional_units=[h3_25.pk]))
    registration = QualificationRegistration.objects.get(candidate=nia)
    assert response.status_code == 302 and response["Location"] == f"/assessments/qualifications/{registration.pk}/"
    opened = Enrolment.objects.filter(candidate=nia)
    assert sorted(opened.values_list("unit__code", flat=True)) == ["H3 25", "HSC331"]
    assert {e.assessor for e in opened} == {case.bob} and {e.iqa for e in opened} == {case.carol}
    event = AuditEvent.objects.get(action="portfolio.qualification.registered")
    assert event.candidate == nia and event.after["opened"] == ["H3 25", "HSC331"]


def test_no_optional_unit_chosen_is_refused_naming_what_is_missing_and_nothing_is_saved(client, case):
    nia = member(case.centre, "candidate", first_name="Nia", last_name="Nash", email="nia@example.org")
    client.force_login(case.grace)
    response = client.post(_register_url(case), _form(case, candidate=nia.pk))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least 1 optional unit from Group B (optional) (0 chosen)." in text
    assert "The units chosen give 9 credits; the qualification needs 14." in text
    assert not QualificationRegistration.objects.exists() and not Enrolment.objects.filter(candidate=nia).exists()


def test_the_same_assessor_and_iqa_are_refused_as_for_one_unit(client, case):
    nia = member(case.centre, "candidate", first_name="Nia", last_name="Nash", email="nia@example.org")
    member(case.centre, "iqa", email="bob@example.org")
    client.force_login(case.grace)
    h3_25 = Unit.objects.get(code="H3 25")
    response = client.post(_register_url(case), _form(case, candidate=nia.pk, iqa=case.bob.pk, optional_units=[h3_25.pk]))
    assert response.status_code == 400
    assert "the assessor cannot quality-assure their own assessment decisions" in response.content.decode()
    assert not QualificationRegistration.objects.exists()


def test_progress_counts_completed_units_their_credits_and_says_what_is_still_needed(client, case):
    registration = register_alice(case)
    progress = qualification_progress(registration)
    assert (progress.units_achieved, progress.credits_achieved, progress.credits_needed) == (0, 0, 14)
    assert progress.groups[0].still_needed == ["HSC331 to be completed"]
    assert progress.groups[1].still_needed == ["1 more unit from Group B (optional) to be completed",
                                               "5 more credits from Group B (optional)"]
    complete(case, case.h3_25)
    progress = qualification_progress(registration)
    assert (progress.units_achieved, progress.credits_achieved, progress.complete) == (1, 5, False)
    assert progress.groups[1].still_needed == []
    client.force_login(case.alice)
    home = client.get("/").content.decode()
    assert "1</strong> of 2 units achieved" in home and "5</strong> of 14 credits achieved" in home
    assert "HSC331 to be completed" in home and "9 more credits for the qualification" in home
    client.force_login(case.bob)
    page = client.get(f"/assessments/qualifications/{registration.pk}/").content.decode()
    assert "HSC331 to be completed" in page and "IQA countersigned" in page


def test_a_unit_signed_off_but_not_countersigned_is_said_to_wait_and_counts_nowhere_as_achieved(client, case):
    """Outside trial: the card said "1 of 2 units signed off · 0 of 14 credits achieved" and still
    asked for "1 more unit from Group B", the very unit signed off. A unit counts once complete (the
    centre claims it only then), so one waiting for the candidate's countersignature is said to wait."""
    from assessments.services import signoff
    from tests.assessments.unit_case import accepted_evidence, meet

    registration = register_alice(case)
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25, title="Boundaries")])
    signoff.unit_sign_off(enrolment=case.h3_25, assessor=case.bob, declared=True)
    progress = qualification_progress(registration)
    assert (progress.units_achieved, progress.credits_achieved) == (0, 0)
    assert [row.place.unit.code for row in progress.awaiting_candidate] == ["H3 25"]

    client.force_login(case.alice)
    home = " ".join(client.get("/").content.decode().split())
    assert "0</strong> of 2 units achieved · <strong>0</strong> of 14 credits achieved" in home
    assert ('Signed off, awaiting your countersignature: <span class="ref">H3 25</span>. It counts as achieved once '
            "countersigned.") in home
    assert "units signed off" not in home

    signoff.unit_countersign(enrolment=case.h3_25, candidate=case.alice, declared=True)
    progress = qualification_progress(registration)
    assert (progress.units_achieved, progress.credits_achieved, progress.awaiting_candidate) == (1, 5, [])


def test_a_complete_qualification_offers_its_summary(client, case):
    registration = register_alice(case)
    complete(case, case.h3_25)
    complete(case, case.hsc331)
    progress = qualification_progress(registration)
    assert progress.complete and progress.credits_achieved == 14
    client.force_login(case.grace)
    page = client.get(f"/assessments/qualifications/{registration.pk}/").content.decode()
    assert "Download the summary of achievement" in page


# Claims.


def test_only_units_countersigned_by_the_iqa_are_ready_where_the_centre_says_so(case):
    register_alice(case)
    complete(case, case.h3_25, iqa_countersigns=False)
    assert ready_to_claim(case.centre) == []
    case.centre.claims_need_iqa = False
    case.centre.save()
    assert [item.key for item in ready_to_claim(case.centre)] == [f"unit-{case.h3_25.pk}"]


def test_the_administrator_marks_units_and_the_qualification_claimed_and_downloads_the_list(client, case):
    registration = register_alice(case)
    complete(case, case.h3_25)
    complete(case, case.hsc331)
    client.force_login(case.grace)
    url = f"/assessments/centres/{case.centre.pk}/claims/"
    page = client.get(url).content.decode()
    for key in (f"unit-{case.h3_25.pk}", f"unit-{case.hsc331.pk}", f"qualification-{registration.pk}"):
        assert f'value="{key}"' in page
    response = client.post(url, {"items": [f"unit-{case.h3_25.pk}", f"qualification-{registration.pk}"],
                                 "reference": "SQA-2026-0042", "claimed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Claim.objects.count() == 2
    after = client.get(url).content.decode()
    assert f'value="unit-{case.hsc331.pk}"' in after and f'value="unit-{case.h3_25.pk}"' not in after
    assert "SQA-2026-0042" in after
    sentence = AuditEvent.objects.filter(action="assessments.claim.made", enrolment=case.h3_25).get()
    assert sentence.after["reference"] == "SQA-2026-0042"

    download = client.get(f"/assessments/centres/{case.centre.pk}/claims.csv?awarding_body=SQA")
    assert download.streaming  # sent a row at a time, however long the list
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark, for Excel on Windows
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Awarding body", "Claim reference", "Date claimed"]
    kinds = sorted((row[3], row[8]) for row in rows[1:])
    assert kinds == [("Qualification", "DEMO 07"), ("Unit", "H3 25")]
    assert all(row[1] == "SQA-2026-0042" and row[7] == "SQA-ALICE-1" for row in rows[1:])
    assert AuditEvent.objects.filter(action="assessments.claims.exported").count() == 1


def test_marking_something_not_ready_is_refused(client, case):
    register_alice(case)
    client.force_login(case.grace)
    response = client.post(f"/assessments/centres/{case.centre.pk}/claims/", {
        "items": [f"unit-{case.h3_25.pk}"], "reference": "X1", "claimed_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 400 and not Claim.objects.exists()


def test_a_claimed_unit_is_unlocked_only_with_a_reason_naming_the_claim(case):
    complete(case, case.h3_25)
    Claim.objects.create(centre=case.centre, enrolment=case.h3_25, reference="SQA-2026-0042",
                         claimed_on=timezone.localdate(), claimed_by=case.grace, awarding_body="SQA")
    with pytest.raises(PortfolioError) as refused:
        unit_unlock(enrolment=case.h3_25, person=case.bob, reason="A date on E1 was wrong.")
    assert "claimed from SQA" in str(refused.value)
    assert "only with a reason that names the claim reference SQA-2026-0042" in str(refused.value)
    assert case.h3_25.sign_offs.filter(voided_at__isnull=True).exists()
    unit_unlock(enrolment=case.h3_25, person=case.bob, reason="A date on E1 was wrong; SQA told of claim sqa-2026-0042.")
    assert not case.h3_25.sign_offs.filter(voided_at__isnull=True).exists()
    assert AuditEvent.objects.get(action="assessments.unit.unlocked").after["claim"] == "SQA-2026-0042"


def test_another_centres_units_neither_show_on_nor_complete_a_qualification_registered_here(client, case):
    """A hostile tester's finding: the candidate registered on the same units at a second centre,
    and once they were signed off there, this centre's qualification page and its summary of
    achievement said "Complete", naming the other centre's assessor and linking to its units."""
    from portfolio.models import Centre, Role
    from tests.factories import enrol

    registration = register_alice(case)
    here = {row.place.unit_id: row.enrolment for group in qualification_progress(registration).groups for row in group.rows}
    elsewhere = Centre.objects.create(name="Hilltop Housing Academy", code="hilltop")
    member(elsewhere, Role.CANDIDATE, email=case.alice.email)
    ivan = member(elsewhere, Role.ASSESSOR, first_name="Ivan", last_name="Cole", email="ivan@example.org")
    ken = member(elsewhere, Role.IQA, first_name="Ken", last_name="Ward", email="ken@example.org")
    there = dataclasses.replace(case, centre=elsewhere, people={**case.people, "bob": ivan})
    for code in ("H3 25", "HSC331"):
        complete(there, enrol(case.alice, code, assessor=ivan, iqa=ken, centre=elsewhere))

    progress = qualification_progress(registration)
    rows = [row for group in progress.groups for row in group.rows]
    assert {row.place.unit_id: row.enrolment for row in rows} == here
    assert all(row.enrolment.centre == case.centre for row in rows)
    assert (progress.units_signed_off, progress.credits_achieved, progress.complete) == (0, 0, False)
    client.force_login(case.grace)
    page = client.get(f"/assessments/qualifications/{registration.pk}/").content.decode()
    assert "Ivan Cole" not in page and "Download the summary of achievement" not in page
    assert "HSC331 to be completed" in page


def test_the_centre_page_says_what_a_registration_still_needs_in_one_line(client, case):
    """An outside trial read "HSC331 to be completed; ; 9 more credits" once the optional group was
    met: a group with nothing left left its separator behind."""
    register_alice(case)
    complete(case, case.h3_25)
    client.force_login(case.grace)
    page = " ".join(client.get(f"/assessments/centres/{case.centre.pk}/").content.decode().split())
    assert "HSC331 to be completed; 9 more credits for the qualification" in page
    assert "; ;" not in page


def test_a_withdrawn_mandatory_unit_is_said_withdrawn_not_to_be_completed(client, case):
    """An outside trial: the candidate's home and the qualification's page said "Still needed:
    HSC331 to be completed" of a unit withdrawn, which nobody can complete."""
    from portfolio import dates
    from portfolio.services_enrolments import enrolment_reinstate, enrolment_transfer, enrolment_withdraw

    registration = register_alice(case)
    today = timezone.localdate()
    enrolment_withdraw(enrolment=case.hsc331, effective_date=today, reason="Left care work.", changed_by=case.grace)
    said = (f"HSC331 was withdrawn on {dates.day(today)}: the qualification cannot be completed unless the centre "
            "reinstates it")

    assert qualification_progress(registration).groups[0].still_needed == [said]
    client.force_login(case.alice)
    home = " ".join(client.get("/").content.decode().split())
    assert said in home and "HSC331 to be completed" not in home
    client.force_login(case.grace)
    page = " ".join(client.get(f"/assessments/qualifications/{registration.pk}/").content.decode().split())
    assert said in page and "HSC331 to be completed" not in page

    enrolment_reinstate(enrolment=case.hsc331, reason="Back at work.", changed_by=case.grace)
    assert qualification_progress(registration).groups[0].still_needed == ["HSC331 to be completed"]
    enrolment_transfer(enrolment=case.hsc331, to_centre="Hillside College", effective_date=today, reason="Moved.",
                       changed_by=case.grace)
    assert qualification_progress(registration).groups[0].still_needed == [
        f"HSC331 was transferred to Hillside College on {dates.day(today)}: the qualification cannot be completed "
        "unless the centre reinstates it"]


def test_a_withdrawn_or_transferred_optional_unit_is_named_with_what_its_group_still_needs(client, case):
    """An outside trial: "1 more unit from Group B (optional) to be completed" beside a table saying
    H3 25 "Transferred", and nothing said of why."""
    from portfolio import dates
    from portfolio.services_enrolments import enrolment_reinstate, enrolment_transfer, enrolment_withdraw

    registration = register_alice(case)
    today = timezone.localdate()
    enrolment_transfer(enrolment=case.h3_25, to_centre="Hillside College", effective_date=today, reason="Moved.",
                       changed_by=case.grace)
    said = f"1 more unit from Group B (optional) to be completed: H3 25 was transferred to Hillside College on {dates.day(today)}"

    assert qualification_progress(registration).groups[1].still_needed == [said, "5 more credits from Group B (optional)"]
    client.force_login(case.grace)
    centre = " ".join(client.get(f"/assessments/centres/{case.centre.pk}/").content.decode().split())
    assert said in centre
    client.force_login(case.alice)
    assert said in " ".join(client.get("/").content.decode().split())

    enrolment_reinstate(enrolment=case.h3_25, reason="Came back.", changed_by=case.grace)
    enrolment_withdraw(enrolment=case.h3_25, effective_date=today, reason="Left housing work.", changed_by=case.grace)
    client.force_login(case.grace)
    page = " ".join(client.get(f"/assessments/qualifications/{registration.pk}/").content.decode().split())
    assert f"1 more unit from Group B (optional) to be completed: H3 25 was withdrawn on {dates.day(today)}" in page
