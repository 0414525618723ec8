"""An external quality assurer reads a centre's records only under the centre's grant (issue 15):
within its dates in the installation's local time, within its scope, once the centre's terms are
accepted; every page and file they open is in the centre's log. Alice is a candidate at Riverside on
HSC331 and H3 25; Grace administers Riverside; Eve is an EQA with grants made here for each test
(Heidi, the cast's EQA, has a grant over everything)."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, EqaGrant, EqaVisit, Membership, Role
from standards.models import Unit
from tests.assessments.unit_case import submitted_evidence
from tests.factories import PersonFactory, enrol, eqa_grant, member

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def eve(db):
    return PersonFactory(first_name="Eve", last_name="Ellis", email="eve@example.org")


@pytest.fixture
def case(alice, hsc331, h3_25):
    """What the cases below need from the cast, as unit_case's helpers ask for it."""

    class Case:
        pass

    made = Case()
    made.alice, made.centre, made.hsc331, made.h3_25 = alice, hsc331.centre, hsc331, h3_25
    return made


def at(monkeypatch, moment: datetime.datetime) -> None:
    """The clock as every request reads it (timezone.now, and so timezone.localdate)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def unit_page(enrolment) -> str:
    return reverse("assessments:enrolment_detail", args=[enrolment.pk])


# The window -------------------------------------------------------------------------------------


def test_it_opens_nothing_the_day_before_the_grant_starts(client, monkeypatch, centre, hsc331, eve):
    start = datetime.date(2027, 3, 10)
    eqa_grant(centre, eve, units=[hsc331.unit], start_date=start, days=30)
    at(monkeypatch, datetime.datetime(2027, 3, 9, 23, 59, tzinfo=LONDON))
    client.force_login(eve)  # signed in at the moment the clock says

    assert client.get(unit_page(hsc331)).status_code == 404
    at(monkeypatch, datetime.datetime(2027, 3, 10, 0, 1, tzinfo=LONDON))
    assert client.get(unit_page(hsc331)).status_code == 200


def test_it_is_gone_the_minute_after_the_end_date_with_nobody_acting(client, monkeypatch, centre, hsc331, eve):
    # In summer time, so the local date is not the UTC one at midnight.
    start = datetime.date(2027, 6, 1)
    grant = eqa_grant(centre, eve, units=[hsc331.unit], start_date=start, days=30)
    at(monkeypatch, datetime.datetime(2027, 7, 1, 23, 59, tzinfo=LONDON))
    client.force_login(eve)

    assert grant.end_date == datetime.date(2027, 7, 1)
    assert client.get(unit_page(hsc331)).status_code == 200
    at(monkeypatch, datetime.datetime(2027, 7, 2, 0, 1, tzinfo=LONDON))
    assert client.get(unit_page(hsc331)).status_code == 404
    assert client.get(reverse("assessments:centre_portfolios", args=[centre.pk])).status_code == 404


def test_an_ended_grant_opens_nothing_at_once(client, centre, hsc331, grace, eve):
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(grace)
    client.post(reverse("portfolio:eqa_end", args=[centre.pk, grant.pk]))

    client.force_login(eve)
    assert client.get(unit_page(hsc331)).status_code == 404
    grant.refresh_from_db()
    assert grant.ended_by == grace and grant.ended_at is not None


# The scope --------------------------------------------------------------------------------------


def test_a_unit_not_granted_is_not_there(client, centre, hsc331, h3_25, eve):
    eqa_grant(centre, eve, units=[h3_25.unit])
    client.force_login(eve)

    assert client.get(unit_page(h3_25)).status_code == 200
    assert client.get(unit_page(hsc331)).status_code == 404
    listed = client.get(reverse("assessments:centre_portfolios", args=[centre.pk])).content.decode()
    assert "H3 25" in listed and "HSC331" not in listed


def test_evidence_opens_only_when_mapped_to_a_unit_granted(client, case, centre, hsc331, h3_25, eve):
    on_hsc331 = submitted_evidence(case, enrolment=hsc331, title="Family visit")
    on_h3_25 = submitted_evidence(case, enrolment=h3_25, title="Tenant contact")
    eqa_grant(centre, eve, units=[h3_25.unit])
    client.force_login(eve)

    assert client.get(reverse("assessments:evidence_detail", args=[on_h3_25.pk])).status_code == 200
    assert client.get(reverse("portfolio:evidence_file", args=[on_h3_25.files.get().pk])).status_code == 200
    assert client.get(reverse("assessments:evidence_detail", args=[on_hsc331.pk])).status_code == 404
    assert client.get(reverse("portfolio:evidence_file", args=[on_hsc331.files.get().pk])).status_code == 404


def test_a_qualification_granted_opens_its_registrations_units(client, centre, alice, bob, carol, grace, eve):
    from portfolio import services_qualifications
    from standards.demo_qualification import demo_qualification

    registration = services_qualifications.qualification_register(
        centre=centre, registered_by=grace, candidate=alice, qualification=demo_qualification(),
        optional_units=[Unit.objects.get(code="H3 25")], assessor=bob, iqa=carol,
        start_date=timezone.localdate(), target_date=timezone.localdate() + datetime.timedelta(days=180),
    )
    grant = eqa_grant(centre, eve, units=[])
    grant.qualifications.set([registration.qualification])
    client.force_login(eve)

    assert client.get(reverse("assessments:registration_detail", args=[registration.pk])).status_code == 200
    for enrolment in alice.enrolments.all():
        assert client.get(unit_page(enrolment)).status_code == 200


def test_a_grant_at_another_centre_opens_nothing_here(client, other_centre, hsc331, eve):
    eqa_grant(other_centre, eve)
    client.force_login(eve)

    assert client.get(unit_page(hsc331)).status_code == 404


def test_eqa_memberships_are_no_longer_made(heidi, centre):
    assert not Membership.objects.filter(role=Role.EQA).exists()
    assert EqaGrant.objects.get(person=heidi).centre == centre


# Consent ----------------------------------------------------------------------------------------


def test_nothing_opens_until_the_centre_s_terms_are_accepted(client, centre, hsc331, eve):
    centre.eqa_terms = "Read only what the review needs. Keep nothing."
    centre.save()
    grant = eqa_grant(centre, eve, units=[hsc331.unit], terms_accepted=False)
    client.force_login(eve)

    for address in (reverse("home"), unit_page(hsc331), reverse("assessments:centre_portfolios", args=[centre.pk])):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"] == reverse("portfolio:eqa_terms", args=[grant.pk])
    page = client.get(reverse("portfolio:eqa_terms", args=[grant.pk])).content.decode()
    assert "Read only what the review needs. Keep nothing." in page and "I accept these terms" in page

    client.post(reverse("portfolio:eqa_terms", args=[grant.pk]))

    grant.refresh_from_db()
    assert grant.terms_accepted_at is not None
    assert client.get(unit_page(hsc331)).status_code == 200
    event = AuditEvent.objects.get(action=PortfolioAction.EQA_TERMS_ACCEPTED)
    assert event.actor == eve and event.after["terms"] == "Read only what the review needs. Keep nothing."


def test_a_candidate_elsewhere_opens_their_own_portfolio_while_the_terms_wait(client, centre, other_centre, hsc331, eve):
    """Eve is a candidate at Hillside and Riverside's EQA: Riverside's terms stand before Riverside's
    records only, not before her own portfolio (an outside trial was sent to the terms from it)."""
    hers = enrol(eve, "H3 25", centre=other_centre, assessor=member(other_centre, Role.ASSESSOR, email="ash@example.org"),
                 iqa=member(other_centre, Role.IQA, email="ida@example.org"))
    grant = eqa_grant(centre, eve, units=[hsc331.unit], terms_accepted=False)
    client.force_login(eve)
    terms = reverse("portfolio:eqa_terms", args=[grant.pk])

    assert client.get(unit_page(hers)).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("portfolio:evidence_list")).status_code == 200
    for address in (unit_page(hsc331), reverse("assessments:centre_portfolios", args=[centre.pk])):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"] == terms, address
    client.post(terms)
    assert client.get(unit_page(hsc331)).status_code == 200


def test_an_eqa_reads_one_centre_while_anothers_terms_wait(client, centre, other_centre, hsc331, eve):
    theirs = enrol(member(other_centre, Role.CANDIDATE, email="hal@example.org"), "HSC331", centre=other_centre,
                   assessor=member(other_centre, Role.ASSESSOR, email="ash@example.org"),
                   iqa=member(other_centre, Role.IQA, email="ida@example.org"))
    eqa_grant(other_centre, eve, units=[theirs.unit])
    waiting = eqa_grant(centre, eve, units=[hsc331.unit], terms_accepted=False)
    client.force_login(eve)

    assert client.get(unit_page(theirs)).status_code == 200
    assert client.get(reverse("assessments:centre_portfolios", args=[other_centre.pk])).status_code == 200
    response = client.get(unit_page(hsc331))
    assert response.status_code == 302 and response["Location"] == reverse("portfolio:eqa_terms", args=[waiting.pk])


def test_the_access_rule_itself_waits_for_the_terms(centre, hsc331, eve):
    from portfolio import access

    eqa_grant(centre, eve, units=[hsc331.unit], terms_accepted=False)
    assert not access.enrolments_visible_to(eve).exists()


def test_a_centre_has_sensible_terms_until_it_writes_its_own(centre):
    assert "personal data" in centre.eqa_terms


# The log ----------------------------------------------------------------------------------------


def test_every_page_and_file_the_eqa_opens_is_logged_and_the_administrator_reads_it(
    client, case, centre, hsc331, grace, bob, eve
):
    evidence = submitted_evidence(case, enrolment=hsc331)
    eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(eve)
    client.get(unit_page(hsc331))
    client.get(reverse("assessments:evidence_detail", args=[evidence.pk]))
    client.get(reverse("portfolio:evidence_file", args=[evidence.files.get().pk]))
    client.get(reverse("exports:unit_pdf", args=[hsc331.pk]))
    client.get(reverse("home"))  # not a record of the centre's: not logged
    client.force_login(bob)
    client.get(unit_page(hsc331))  # the assessor's reading is not an EQA's

    assert list(EqaVisit.objects.order_by("pk").values_list("person__email", "what")) == [
        ("eve@example.org", "Unit page: Alice Adams, HSC331"),
        ("eve@example.org", f"Evidence: Alice Adams, {evidence.reference} Supporting a family visit"),
        ("eve@example.org", f"File downloaded: Alice Adams, {evidence.reference} visit-photo.png"),
        ("eve@example.org", "Unit PDF: Alice Adams, HSC331"),
    ]
    client.force_login(grace)
    page = client.get(reverse("portfolio:eqa_visit_list", args=[centre.pk])).content.decode()
    assert "4 items" in page and "File downloaded: Alice Adams" in page and unit_page(hsc331) not in page
    download = client.get(reverse("portfolio:eqa_visits_download", args=[centre.pk]))
    assert download.streaming  # sent a row at a time, however long the log
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark, for Excel on Windows
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["opened_at_utc", "name", "email", "what", "address"] and len(rows) == 5
    assert rows[-1][3:] == ["Unit page: Alice Adams, HSC331", unit_page(hsc331)]  # the address beside the words


def test_the_log_filters_by_eqa_and_date(client, centre, grace, eve, heidi):
    now = timezone.now()
    EqaVisit.objects.create(person=eve, centre=centre, path="/a/", what="Unit page: A", opened_at=now)
    EqaVisit.objects.create(person=heidi, centre=centre, path="/b/", what="Evidence: B", opened_at=now)
    EqaVisit.objects.create(person=eve, centre=centre, path="/c/", what="Unit PDF: C", opened_at=now - datetime.timedelta(days=10))
    eqa_grant(centre, eve)
    client.force_login(grace)
    address = reverse("portfolio:eqa_visit_list", args=[centre.pk])

    by_eve = client.get(address, {"person": eve.pk}).content.decode()
    assert "2 items" in by_eve and "Evidence: B" not in by_eve
    recent = client.get(address, {"since": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()}).content.decode()
    assert "2 items" in recent and "Unit PDF: C" not in recent


def test_a_refused_write_is_not_logged_as_opened(client, centre, hsc331, eve):
    eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(eve)

    assert client.post(reverse("assessments:sign_off", args=[hsc331.pk]), {"declared": "on"}).status_code == 403
    assert not EqaVisit.objects.exists()


def test_the_migration_turns_an_eqa_membership_into_a_grant_over_the_centre_s_units(centre, hsc331, eve):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("portfolio.migrations.0015_eqa_memberships_to_grants")
    Membership.objects.create(person=eve, centre=centre, role=Role.EQA)

    migration.memberships_to_grants(apps, None)

    grant = EqaGrant.objects.get(person=eve)
    assert list(grant.units.all()) == [hsc331.unit]
    assert (grant.end_date - grant.start_date).days == 90 and grant.terms_accepted_at is None
    assert not Membership.objects.filter(role=Role.EQA).exists()


def test_the_centres_quality_assurance_records_an_eqa_opens_are_logged_too(client, centre, hsc331, carol, eve):
    """An outside tester found competence files, standardisation and the IQA plans missing from the log."""
    eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(eve)
    for page in (
        reverse("assessments:competence_overview", args=[centre.pk]),
        reverse("assessments:standardisation_list", args=[centre.pk]),
        reverse("assessments:centre_witnesses", args=[centre.pk]),
        reverse("assessments:sampling_plan", args=[centre.pk, carol.pk]),
    ):
        assert client.get(page).status_code == 200, page

    assert list(EqaVisit.objects.order_by("pk").values_list("what", flat=True)) == [
        "Assessors' and IQAs' competence (list)", "Standardisation meetings (list)", "Witness status list",
        "IQA sampling plan: Carol Clark",
    ]
