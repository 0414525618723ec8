"""The centre's audit trail page (ops/audit_trail): how the centre was run, newest first, in
sentences; never an event about a candidate's evidence or decisions, never another centre's; narrowed
by a person's words and dates; 50 a page; its administrators' alone."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.audit_actions import AssessmentAction
from ops.audit_trail import events as trail_events
from portfolio import (
    audit,
    services_centre,
    services_centre_invitations,
    services_enrolments,
    services_people,
)
from portfolio.audit import PortfolioAction
from portfolio.models import Role
from tests.factories import CentreFactory, EvidenceFactory, PersonFactory, enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    centre = CentreFactory(name="Riverside")
    grace = member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Green", email="grace@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    other = CentreFactory(name="Hilltop")
    frank = member(other, Role.ADMINISTRATOR, first_name="Frank", last_name="Fox", email="frank@example.org")
    return type("World", (), dict(centre=centre, grace=grace, bob=bob, carol=carol, alice=alice,
                                  enrolment=enrolment, other=other, frank=frank))


def _page(client, reader, centre, **query):
    client.force_login(reader)
    return client.get(reverse("ops:audit_trail", args=[centre.pk]), query)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).replace("’", "'").split())


def _at(moment: datetime.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _registered(world, actor=None):
    return audit.record(
        PortfolioAction.ENROLMENT_REGISTERED, actor=actor or world.grace, centre=world.centre,
        summary="Registered", enrolment=world.enrolment, after={"unit": "HSC331"},
    )


def test_shows_the_running_of_the_centre_in_sentences_newest_first(client, world):
    _registered(world)
    erin = member(world.centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    services_people.membership_deactivate(
        centre=world.centre, person=erin, deactivated_by=world.grace, reason="Left the centre"
    )
    text = _text(_page(client, world.grace, world.centre))

    deactivated = "Grace Green deactivated Erin Evans at the centre, as assessor: “Left the centre”"
    registered = "Grace Green registered Alice Adams on HSC331"
    assert deactivated.replace("’", "'") in text and registered in text
    assert text.index("deactivated Erin Evans") < text.index(registered)
    assert "erin@example.org" not in text


def test_a_reactivation_reads_with_its_reason_after_the_deactivation_with_its_own(client, world):
    erin = member(world.centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    services_people.membership_deactivate(
        centre=world.centre, person=erin, deactivated_by=world.grace, reason="Left the centre"
    )
    services_people.membership_reactivate(
        centre=world.centre, person=erin, reactivated_by=world.grace, reason="Back after a year away"
    )
    text = _text(_page(client, world.grace, world.centre))

    reactivated = "Grace Green reactivated Erin Evans at the centre, as assessor: “Back after a year away”"
    deactivated = "Grace Green deactivated Erin Evans at the centre, as assessor: “Left the centre”"
    assert reactivated in text and deactivated in text
    assert text.index(reactivated) < text.index(deactivated)  # newest first
    assert text.count("Left the centre") == 1  # the reactivation does not say the old reason again


def test_an_evidence_or_decision_event_of_the_centre_is_not_shown(client, world):
    evidence = EvidenceFactory(candidate=world.alice, centre=world.centre, title="My care plan")
    audit.record(PortfolioAction.EVIDENCE_SUBMITTED, actor=world.alice, centre=world.centre,
                 summary="Submitted E1 secretly", evidence=evidence, after={"reference": "E1"})
    audit.record(AssessmentAction.DECISION_RECORDED, actor=world.bob, centre=world.centre,
                 summary="Decision on HSC331a.1 secretly", enrolment=world.enrolment)
    audit.record(PortfolioAction.FILE_VIEWED, actor=world.bob, centre=world.centre,
                 summary="Viewed a file secretly", evidence=evidence, after={"file": "plan.pdf"})
    text = _text(_page(client, world.grace, world.centre))

    assert "secretly" not in text and "plan.pdf" not in text and "E1" not in text
    assert "Nothing has been recorded yet" in text
    assert not trail_events.shown(PortfolioAction.EVIDENCE_SUBMITTED)
    assert not trail_events.shown(AssessmentAction.UNIT_SIGNED_OFF)
    assert trail_events.shown(PortfolioAction.ENROLMENT_WITHDRAWN)


def test_another_centres_events_are_not_shown(client, world):
    audit.record(PortfolioAction.PERSON_ROLE_REMOVED, actor=world.frank, centre=world.other,
                 summary="Role removed", after={"email": "hilltop-person@example.org", "role": Role.ASSESSOR})
    _registered(world)

    assert "hilltop-person" not in _text(_page(client, world.grace, world.centre))
    assert "hilltop-person" in _text(_page(client, world.frank, world.other))


@pytest.mark.parametrize("who", ["bob", "carol", "alice", "frank"])
def test_anyone_but_the_centres_administrator_finds_nothing(client, world, who):
    assert _page(client, getattr(world, who), world.centre).status_code == 404


def test_narrowed_to_a_persons_words(client, world):
    _registered(world)
    audit.record(PortfolioAction.SIGN_IN_LOCK_CLEARED, actor=world.grace, centre=world.centre,
                 summary="Cleared", after={"person": world.bob.pk, "name": "Bob Baker", "email": "bob@example.org"})

    by_name = _text(_page(client, world.grace, world.centre, person="alice adams"))
    assert "registered Alice Adams" in by_name and "lock-out" not in by_name
    by_email = _text(_page(client, world.grace, world.centre, person="BOB@example"))
    assert "cleared the sign-in lock-out of Bob Baker" in by_email and "registered" not in by_email
    assert "bob@example.org" not in by_email
    assert "Nothing in the audit trail matches" in _text(_page(client, world.grace, world.centre, person="nobody"))


def test_narrowed_to_dates_and_a_bad_date_applies_neither(client, world):
    with _at(timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))):
        _registered(world)
    with _at(timezone.make_aware(datetime.datetime(2026, 6, 1, 23, 30))):
        audit.record(PortfolioAction.SIGN_IN_LOCK_CLEARED, actor=world.grace, centre=world.centre,
                     summary="Cleared", after={"email": "bob@example.org"})

    june = _text(_page(client, world.grace, world.centre, date_from="2026-06-01", date_to="2026-06-01"))
    assert "lock-out" in june and "registered" not in june and "1 June 2026, 23:30" in june
    march = _text(_page(client, world.grace, world.centre, date_to="2026-05-31"))
    assert "registered" in march and "lock-out" not in march

    refused = _page(client, world.grace, world.centre, date_from="2026-06-01", date_to="not a date")
    text = _text(refused)
    assert refused.status_code == 200 and "Enter a real date" in text and "No dates were applied" in text
    assert refused.content.decode().count('id="id_date_to-error"') == 1  # one message, one id
    assert "registered" in text and "lock-out" in text
    backwards = _text(_page(client, world.grace, world.centre, date_from="2026-06-01", date_to="2026-03-01"))
    assert "The end date must be on or after the start date" in backwards and "registered" in backwards


def test_fifty_a_page_with_page_links(client, world):
    for _ in range(51):
        _registered(world)
    audit.record(PortfolioAction.SIGN_IN_LOCK_CLEARED, actor=world.grace, centre=world.centre,
                 summary="Cleared", after={"email": "bob@example.org"})

    first = _page(client, world.grace, world.centre)
    assert first.content.decode().count('<tr role="row">') == 51  # the heading's row and fifty events
    assert "lock-out" in _text(first) and "Page 1 of 2" in _text(first) and "page=2" in first.content.decode()
    second = _page(client, world.grace, world.centre, page=2)
    assert second.content.decode().count('<tr role="row">') == 3 and "lock-out" not in _text(second)


def test_the_page_reads_the_centres_rows_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(60):
        _registered(world)
    client.force_login(world.grace)
    # With the three every request makes (her roles, her cases, her grants as an EQA: `sealed_access`).
    with django_assert_max_num_queries(13):
        client.get(reverse("ops:audit_trail", args=[world.centre.pk]))


def test_linked_from_the_centre_page_and_the_pages_promising_it(client, world):
    erin = member(world.centre, Role.ASSESSOR, email="erin@example.org")
    client.force_login(world.grace)
    address = reverse("ops:audit_trail", args=[world.centre.pk])
    for page in (reverse("assessments:centre_detail", args=[world.centre.pk]),
                 reverse("ops:reports", args=[world.centre.pk]),
                 reverse("portfolio:person_deactivate", args=[world.centre.pk, erin.pk]),
                 reverse("portfolio:person_handover", args=[world.centre.pk, world.bob.pk])):
        assert f'href="{address}"' in client.get(page).content.decode(), page
    # The reason-correction form, on the page of someone deactivated here.
    services_people.membership_deactivate(centre=world.centre, person=erin, deactivated_by=world.grace, reason="Left")
    person_page = client.get(reverse("portfolio:person_detail", args=[world.centre.pk, erin.pk])).content.decode()
    assert "Correct the reason" in person_page and f'href="{address}"' in person_page


def test_the_site_administrators_email_matches_nothing_but_the_name_the_trail_shows_does(client, world):
    """A centre's administrator cannot find an address the trail never shows, a character at a time:
    the site administrator who made the centre, or a person of another centre, is matched by name."""
    site = PersonFactory(first_name="Sam", last_name="Site", email="admin@demo.example", is_superuser=True)
    centre = services_centre_invitations.centre_create(
        created_by=site, name="Lakeside", code="LAKE", administrator_name="Lena Lake", email="lena@example.org"
    )
    lena = member(centre, Role.ADMINISTRATOR, first_name="Lena", last_name="Lake", email="lena@example.org")
    audit.record(PortfolioAction.CENTRE_RENAMED, actor=world.frank, centre=centre, summary="Renamed",
                 before={"name": "Lakeside"}, after={"name": "Lakeside College"})

    for words in ("admin@demo.example", "admin@demo", "demo", "frank@example.org"):
        assert "Nothing in the audit trail matches" in _text(_page(client, lena, centre, person=words)), words
    by_name = _text(_page(client, lena, centre, person="sam site"))
    assert "Sam Site created the centre Lakeside (LAKE)" in by_name and "renamed" not in by_name
    assert "Frank Fox renamed the centre" in _text(_page(client, lena, centre, person="Fox"))


def test_the_centres_own_people_match_by_email_deactivated_and_invited_too(client, world):
    erin = member(world.centre, Role.ADMINISTRATOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    _registered(world, actor=erin)
    audit.record(PortfolioAction.CENTRE_RENAMED, actor=world.frank, centre=world.centre, summary="Renamed",
                 before={"name": "Riverside"}, after={"name": "Riverside College"})
    services_people.membership_deactivate(centre=world.centre, person=erin, deactivated_by=world.grace, reason="Left")
    by_email = _text(_page(client, world.grace, world.centre, person="erin@example.org"))
    assert "Erin Evans registered Alice Adams on HSC331" in by_email and "renamed" not in by_email
    assert "Nothing in the audit trail matches" in _text(_page(client, world.grace, world.centre, person="frank@"))

    services_centre.invite_to_centre(centre=world.centre, invited_by=world.grace, email="Frank@Example.org",
                                     name="Frank Fox", role=Role.ASSESSOR)
    assert "Frank Fox renamed the centre" in _text(_page(client, world.grace, world.centre, person="frank@"))


def _as_recorded_before_names_were_kept(world, person, action, **after):
    """An event about one of the centre's people as the services wrote it before they kept the name:
    the summary with the address, the facts with the id and address alone."""
    return audit.record(action, actor=world.grace, centre=world.centre, summary=f"{person} ({person.email}) changed",
                        after={"person": person.pk, "email": person.email, **after})


def test_people_are_named_by_name_in_events_recorded_with_their_address_which_stay_as_recorded(client, world):
    erin = member(world.centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    older = [
        _as_recorded_before_names_were_kept(world, erin, PortfolioAction.PERSON_ROLE_REMOVED, role=Role.IQA),
        _as_recorded_before_names_were_kept(world, erin, PortfolioAction.SIGN_IN_LOCK_CLEARED),
        _as_recorded_before_names_were_kept(world, erin, PortfolioAction.PERSON_DEACTIVATED,
                                            roles=[Role.ASSESSOR], reason="Left"),
        _as_recorded_before_names_were_kept(world, erin, PortfolioAction.PERSON_REACTIVATED,
                                            roles=[Role.ASSESSOR], reason="Back"),
    ]
    text = _text(_page(client, world.grace, world.centre))

    for said in ("Grace Green took the role of internal quality assurer from Erin Evans",
                 "Grace Green cleared the sign-in lock-out of Erin Evans",
                 "Grace Green deactivated Erin Evans at the centre, as assessor: “Left”",
                 "Grace Green reactivated Erin Evans at the centre, as assessor: “Back”"):
        assert said in text, said
    assert "erin@example.org" not in text
    for event in older:  # the trail is read, never rewritten
        stored = type(event).objects.get(pk=event.pk)
        assert stored.summary == "Erin Evans (erin@example.org) changed" and "name" not in stored.after
    # Found by the name the trail shows, and by the address of one of the centre's own people.
    assert _text(_page(client, world.grace, world.centre, person="evans")).count("Erin Evans") == 4
    assert _text(_page(client, world.grace, world.centre, person="erin@example")).count("Erin Evans") == 4


def test_a_new_event_keeps_the_name_the_person_had_then_and_names_them_by_it(client, world):
    erin = member(world.centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    services_people.roles_set(centre=world.centre, person=erin, changed_by=world.grace,
                              roles={Role.ASSESSOR, Role.IQA})
    services_people.membership_deactivate(centre=world.centre, person=erin, deactivated_by=world.grace, reason="Left")
    erin.last_name = "Ellis"  # she changes her name afterwards; the trail says what happened as it was
    erin.save()

    events = list(type(_registered(world)).objects.filter(after__person=erin.pk))
    assert all(e.after["name"] == "Erin Evans" and "erin@example.org" not in e.summary for e in events)
    text = _text(_page(client, world.grace, world.centre))
    assert "Grace Green gave a new role to Erin Evans as internal quality assurer" in text
    assert "Grace Green deactivated Erin Evans at the centre, as assessor and internal quality assurer" in text
    assert "erin@example.org" not in text


def test_a_site_administrator_with_no_name_reads_as_such_never_by_their_address(client, world):
    site = PersonFactory(first_name="", last_name="", email="root@demo.example", is_superuser=True)
    audit.record(PortfolioAction.CENTRE_RENAMED, actor=site, centre=world.centre, summary="Renamed",
                 before={"name": "Riverside"}, after={"name": "Riverside College"})
    text = _text(_page(client, world.grace, world.centre))

    assert "The site administrator renamed the centre Riverside to Riverside College" in text
    assert "root@" not in text
    for words in ("root@demo.example", "root@", "demo"):
        assert "Nothing in the audit trail matches" in _text(_page(client, world.grace, world.centre, person=words))


def test_events_recorded_with_addresses_alone_read_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for number in range(40):
        person = member(world.centre, Role.ASSESSOR, first_name=f"Name{number}", email=f"p{number}@example.org")
        _as_recorded_before_names_were_kept(world, person, PortfolioAction.SIGN_IN_LOCK_CLEARED)
    client.force_login(world.grace)
    # However many events: the page, its people, the chain's checks (the events followed, copies, the
    # last whole-trail finding) and the three every request makes (her roles, her cases, her grants).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ops:audit_trail", args=[world.centre.pk]))
    assert "cleared the sign-in lock-out of Name39" in _text(response)


# Whom a change of assessor or IQA, or a reinstatement, was about (an outside trial: after "Grace changed
# the assessor of H3 25 from Bob to Erin", "Bob" found nothing; nor did the IQA a reinstatement named).


def _withdrawn_and_reinstated(world, **team):
    today = timezone.localdate()
    services_enrolments.enrolment_withdraw(enrolment=world.enrolment, effective_date=today, reason="Left.",
                                           changed_by=world.grace)
    services_enrolments.enrolment_reinstate(enrolment=world.enrolment, reason="Back at work.", changed_by=world.grace,
                                            target_date=today + datetime.timedelta(days=90), **team)


def test_the_person_taken_off_a_unit_and_the_team_it_was_reinstated_with_are_found_by_name(client, world):
    erin = member(world.centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    ivan = member(world.centre, Role.IQA, first_name="Ivan", last_name="Ives", email="ivan@example.org")
    services_enrolments.enrolment_reassign(enrolment=world.enrolment, role="assessor", person=erin,
                                           reason="Bob's caseload.", changed_by=world.grace)
    changed = "Grace Green changed the assessor of HSC331 from Bob Baker to Erin Evans"
    for words in ("Bob", "baker", "Erin"):
        assert changed in _text(_page(client, world.grace, world.centre, person=words)), words

    _withdrawn_and_reinstated(world)  # with the team it had: Erin and Carol
    reinstated = "Grace Green reinstated Alice Adams's HSC331, with Erin Evans as assessor and Carol Clark as IQA"
    by_carol = _text(_page(client, world.grace, world.centre, person="Carol"))
    assert reinstated in by_carol and "changed the assessor" not in by_carol and "withdrew" not in by_carol
    by_bob = _text(_page(client, world.grace, world.centre, person="bob"))
    assert changed in by_bob and "reinstated" not in by_bob

    _withdrawn_and_reinstated(world, iqa=ivan)  # Carol taken off as it came back
    by_carol = _text(_page(client, world.grace, world.centre, person="carol clark"))
    assert "Grace Green changed the IQA of HSC331 from Carol Clark to Ivan Ives" in by_carol
    assert "with Erin Evans as assessor and Ivan Ives as IQA" in _text(_page(client, world.grace, world.centre,
                                                                             person="Ives"))
    # The centre's old name is not a person's.
    audit.record(PortfolioAction.CENTRE_RENAMED, actor=world.grace, centre=world.centre, summary="Renamed",
                 before={"name": "Carol Street Centre"}, after={"name": "Riverside"})
    assert "renamed the centre" not in _text(_page(client, world.grace, world.centre, person="Carol"))


def test_a_reinstatement_recorded_before_its_team_was_kept_reads_and_stays_as_recorded(client, world):
    event = audit.record(PortfolioAction.ENROLMENT_REINSTATED, actor=world.grace, centre=world.centre,
                         summary="HSC331 reinstated", enrolment=world.enrolment,
                         before={"status": "withdrawn"}, after={"status": "active", "unit": "HSC331", "reason": "Back."})
    page = _text(_page(client, world.grace, world.centre, person="Alice"))
    assert "Grace Green reinstated Alice Adams's HSC331: " in page and "as IQA" not in page
    assert "Nothing in the audit trail matches" in _text(_page(client, world.grace, world.centre, person="Carol"))
    event.refresh_from_db()
    assert event.after == {"status": "active", "unit": "HSC331", "reason": "Back."}
