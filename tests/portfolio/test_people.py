"""A centre administrator runs the centre's people: roles, names, deactivation, sign-in lock-outs."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio import services
from portfolio.models import (
    AssessmentMethod,
    AuditEvent,
    DeactivatedMembership,
    Enrolment,
    EnrolmentStatus,
    Membership,
    Notification,
    Role,
)
from portfolio.services_centre import Refused
from portfolio.services_people import membership_deactivate, membership_reactivate, name_suggest, roles_set
from tests.factories import may_import, member
from tests.portfolio import hostile_files

pytestmark = pytest.mark.django_db


def person_url(name, centre, person):
    return reverse(f"portfolio:{name}", kwargs={"centre_id": centre.pk, "person_id": person.pk})


def text_of(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").replace("&rsquo;", "’").split())


def roles_of(person, centre):
    return set(Membership.objects.filter(person=person, centre=centre).values_list("role", flat=True))


# Roles


def test_it_gives_and_takes_roles_audited_and_tells_the_person(client, centre, grace, ivan):
    client.force_login(grace)
    response = client.post(person_url("person_roles", centre, ivan), {"roles": ["assessor"]}, follow=True)
    assert "Ivan Ives is now assessor and no longer internal quality assurer." in text_of(response)
    assert roles_of(ivan, centre) == {Role.ASSESSOR}
    assert set(AuditEvent.objects.filter(actor=grace).values_list("action", flat=True)) == {
        "portfolio.person.role_added", "portfolio.person.role_removed",
    }
    told = Notification.objects.get(recipient=ivan).message
    assert told == (
        "Grace Gordon gave you the role of assessor and took the role of internal quality assurer from you "
        "at Riverside Training."
    )


def test_it_refuses_to_take_the_assessor_role_from_someone_still_assessing_naming_how_many(
    client, centre, grace, bob, hsc331, h3_25
):
    client.force_login(grace)
    response = client.post(person_url("person_roles", centre, bob), {"roles": ["iqa"]})
    assert response.status_code == 200
    assert "Bob Baker assesses 2 units not yet signed off here. Reassign them to another assessor first" in text_of(response)
    assert roles_of(bob, centre) == {Role.ASSESSOR}


def test_it_refuses_to_take_the_iqa_role_from_someone_quality_assuring_units(centre, grace, carol, hsc331):
    with pytest.raises(Refused, match=r"Carol Clark quality-assures 1 unit not yet countersigned by an IQA here\. "
                       r"Reassign it to another internal"):
        roles_set(centre=centre, person=carol, changed_by=grace, roles={Role.ASSESSOR})


def test_it_refuses_to_take_the_candidate_role_from_someone_with_units(centre, grace, alice, hsc331):
    with pytest.raises(Refused, match="registered on 1 unit here, so they stay a candidate"):
        roles_set(centre=centre, person=alice, changed_by=grace, roles={Role.ASSESSOR})
    assert roles_of(alice, centre) == {Role.CANDIDATE}


def test_it_refuses_to_take_the_last_administrators_role(centre, grace):
    with pytest.raises(Refused, match="Grace Gordon is the only administrator of Riverside Training"):
        roles_set(centre=centre, person=grace, changed_by=grace, roles={Role.ASSESSOR})
    assert roles_of(grace, centre) == {Role.ADMINISTRATOR}


def test_an_administrator_may_step_down_when_another_remains(centre, grace):
    member(centre, Role.ADMINISTRATOR, first_name="Hana", last_name="Hart", email="hana@example.org")
    roles_set(centre=centre, person=grace, changed_by=grace, roles={Role.ASSESSOR})
    assert roles_of(grace, centre) == {Role.ASSESSOR}


# Names


@pytest.mark.parametrize("elsewhere", [False, True])
def test_the_name_form_asks_the_person_the_same_whether_or_not_they_are_at_another_centre(
    client, centre, other_centre, grace, bob, elsewhere
):
    if elsewhere:
        member(other_centre, Role.ASSESSOR, email="bob.elsewhere@example.org")
        Membership.objects.create(person=bob, centre=other_centre, role=Role.IQA)
    client.force_login(grace)
    response = client.post(person_url("person_name", centre, bob), {"first_name": "Robert", "last_name": "Baker"}, follow=True)
    page = text_of(response)
    assert "We have asked Bob Baker to check their name and confirm it as Robert Baker. Their name changes when they do." in page
    assert "more than one place" not in page and "Hillside" not in page
    bob.refresh_from_db()
    assert bob.first_name == "Bob"
    told = Notification.objects.get(recipient=bob)
    assert told.message.startswith("Grace Gordon of Riverside Training asks you to check your name: they would record it as Robert Baker.")
    assert told.link.startswith(reverse("portfolio:account") + "?suggestion=")
    event = AuditEvent.objects.get(action="portfolio.person.name_suggested")
    assert (event.actor, event.centre, event.after["name"]) == (grace, centre, "Robert Baker")


def test_an_external_quality_assurer_is_asked_too(centre, grace, heidi):
    name_suggest(centre=centre, person=heidi, suggested_by=grace, first_name="H", last_name="Hughes")
    assert Notification.objects.get(recipient=heidi).kind == "name_suggested"


# Deactivating and reactivating


def test_deactivating_keeps_the_records_and_the_account_elsewhere_and_reactivating_gives_the_roles_back(
    centre, other_centre, grace, bob, hsc331
):
    elsewhere = member(other_centre, Role.IQA, email=bob.email)
    Membership.objects.create(person=bob, centre=centre, role=Role.IQA)
    Enrolment.objects.filter(pk=hsc331.pk).update(status=EnrolmentStatus.WITHDRAWN)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    assert roles_of(bob, centre) == set()
    assert DeactivatedMembership.objects.get(person=bob, centre=centre).roles == ["assessor", "iqa"]
    hsc331.refresh_from_db()
    assert hsc331.assessor == bob
    assert roles_of(elsewhere, other_centre) == {Role.IQA}
    assert Notification.objects.get(recipient=bob).message.startswith("Grace Gordon ended your access to Riverside Training.")

    assert membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back at the centre.") == ["assessor", "iqa"]
    assert roles_of(bob, centre) == {Role.ASSESSOR, Role.IQA}
    assert not DeactivatedMembership.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="portfolio.person.").order_by("at", "pk").values_list(
        "action", flat=True
    )) == ["portfolio.person.deactivated", "portfolio.person.reactivated"]


def test_deactivating_an_assessor_with_units_to_sign_off_is_refused_in_the_words_of_taking_the_role(
    client, centre, grace, bob, hsc331, h3_25
):
    client.force_login(grace)
    words = "Bob Baker assesses 2 units not yet signed off here. Reassign them to another assessor first"
    confirm = text_of(client.get(person_url("person_deactivate", centre, bob)))
    assert f"{words}, then deactivate them." in confirm
    assert "Deactivate Bob Baker</button>" not in client.get(person_url("person_deactivate", centre, bob)).content.decode()
    refused = text_of(client.post(person_url("person_deactivate", centre, bob), {"reason": "Left the centre."}))
    assert f"{words}, then deactivate them." in refused
    assert roles_of(bob, centre) == {Role.ASSESSOR}
    roles = text_of(client.post(person_url("person_roles", centre, bob), {"roles": ["iqa"]}))
    assert f"{words}, then take the role away." in roles


def test_deactivating_an_iqa_with_units_is_refused(centre, grace, carol, hsc331):
    with pytest.raises(Refused, match=r"Carol Clark quality-assures 1 unit not yet countersigned by an IQA here\. "
                       r"Reassign it to another internal quality assurer first, then deactivate them\."):
        membership_deactivate(centre=centre, person=carol, deactivated_by=grace, reason="Left the centre.")
    assert roles_of(carol, centre) == {Role.IQA}


def test_a_withdrawn_unit_keeps_no_one_from_leaving_a_role(centre, grace, bob, hsc331):
    Enrolment.objects.filter(pk=hsc331.pk).update(status=EnrolmentStatus.WITHDRAWN)
    roles_set(centre=centre, person=bob, changed_by=grace, roles={Role.IQA})
    assert roles_of(bob, centre) == {Role.IQA}


def test_it_refuses_to_deactivate_yourself(centre, grace):
    with pytest.raises(Refused, match="You cannot deactivate yourself"):
        membership_deactivate(centre=centre, person=grace, deactivated_by=grace, reason="Left the centre.")


def test_an_administrator_keeps_the_right_to_import_units_through_a_deactivation(centre, grace):
    hana = member(centre, Role.ADMINISTRATOR, first_name="Hana", last_name="Hart", email="hana@example.org")
    may_import(Membership.objects.filter(person=hana))
    membership_deactivate(centre=centre, person=hana, deactivated_by=grace, reason="Left the centre.")
    membership_reactivate(centre=centre, person=hana, reactivated_by=grace, reason="Back at the centre.")
    assert Membership.objects.get(person=hana).may_import_units


def deactivated(centre, person, by):
    """The person deactivated as the records stand after their units were handed on or signed off:
    their name stays on the units (the service itself refuses while they have units to reassign)."""
    roles = sorted(Membership.objects.filter(person=person, centre=centre).values_list("role", flat=True))
    DeactivatedMembership.objects.create(person=person, centre=centre, roles=roles, deactivated_by=by)
    Membership.objects.filter(person=person, centre=centre).delete()


def test_the_centre_page_lists_the_deactivated_and_marks_their_names(client, centre, grace, bob, hsc331):
    deactivated(centre, bob, grace)
    client.force_login(grace)
    page = text_of(client.get(reverse("assessments:centre_detail", kwargs={"centre_id": centre.pk})))
    assert "Bob Baker (deactivated)" in page
    assert "Deactivated" in page
    assert f'href="{person_url("person_detail", centre, bob)}"' in page
    detail = text_of(client.get(person_url("person_detail", centre, bob)))
    assert "Reactivate Bob Baker" in detail
    assert "Reactivating gives back the roles they held: assessor." in detail


# A deactivated person reaches nothing of the centre.


def _submitted_with_photo(alice, centre, hsc331):
    photo = SimpleUploadedFile("visit.png", hostile_files.png_image(), content_type="image/png")
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Supporting a family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=datetime.date.today() - datetime.timedelta(days=3),
        location="Day centre", account="I supported Person A to phone their sister.", uploads=[photo],
    )
    criterion = hsc331.unit.criteria.order_by("pk").first()
    evidence = services.evidence_map(evidence=evidence, editor=alice, criteria=[criterion], knowledge_items=[], scope_items=[])
    return services.evidence_submit(evidence=evidence, candidate=alice, declared=True)


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_a_deactivated_person_reaches_nothing_of_the_centre(client, centre, grace, alice, bob, carol, hsc331, who):
    evidence = _submitted_with_photo(alice, centre, hsc331)
    photo = evidence.files.get()
    person = {"alice": alice, "bob": bob, "carol": carol}[who]
    pages = [
        reverse("assessments:enrolment_detail", kwargs={"pk": hsc331.pk}),
        reverse("assessments:evidence_detail", kwargs={"pk": evidence.pk}),
        reverse("portfolio:evidence_file", kwargs={"pk": photo.pk}),
        reverse("portfolio:evidence_file_view", kwargs={"pk": photo.pk}),
    ]
    client.force_login(person)
    before = [client.get(url).status_code for url in pages[:3]]
    assert before == [200, 200, 200]

    deactivated(centre, person, grace)
    assert [client.get(url).status_code for url in pages] == [404] * len(pages)
    assert client.get(reverse("portfolio:evidence_list")).status_code == 404
    assert client.post(reverse("assessments:judge", kwargs={"pk": evidence.pk}), {"outcome": "accept"}).status_code == 404
    queue = client.get(reverse("assessments:queue"))
    assert queue.status_code == 404 or "Supporting a family visit" not in text_of(queue)
    home = text_of(client.get(reverse("home")))
    # Only their own name is left (signed in as them): nothing of the centre's units or evidence.
    assert "HSC331" not in home and "Supporting a family visit" not in home


def test_the_deactivated_persons_name_still_shows_to_others_on_the_unit(client, centre, grace, alice, bob, hsc331):
    deactivated(centre, bob, grace)
    client.force_login(alice)
    page = text_of(client.get(reverse("assessments:enrolment_detail", kwargs={"pk": hsc331.pk})))
    assert "assessor Bob Baker (deactivated) · IQA Carol Clark ·" in page


def test_a_deactivated_candidates_unit_says_so_after_the_possessive_not_before_it(client, centre, grace, alice, bob, hsc331):
    """Not "Alice Adams (deactivated)'s unit" (outside trial)."""
    deactivated(centre, alice, grace)
    client.force_login(bob)
    page = text_of(client.get(reverse("assessments:enrolment_detail", kwargs={"pk": hsc331.pk})))
    assert "Alice Adams’s unit (candidate deactivated) · assessor Bob Baker ·" in page
    assert ")’s" not in page


# Sign-in lock-outs


def _lock_out(person):
    AccessAttempt.objects.create(
        username=person.email, ip_address="203.0.113.9", user_agent="test", failures_since_start=5,
        get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    )


def test_the_page_shows_a_lock_out_and_the_administrator_clears_it(client, centre, grace, dave):
    _lock_out(dave)
    client.force_login(grace)
    assert "Locked out now" in text_of(client.get(person_url("person_detail", centre, dave)))
    response = client.post(person_url("person_lock_out_clear", centre, dave), follow=True)
    page = text_of(response)
    assert "Dave Davies may sign in again now." in page
    assert "Not locked out: they may sign in." in page
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="portfolio.person.sign_in_lock_cleared", actor=grace).count() == 1


def test_another_centres_administrator_clears_no_lock_out_and_finds_no_one(client, centre, frank, dave):
    _lock_out(dave)
    client.force_login(frank)
    assert client.post(person_url("person_lock_out_clear", centre, dave)).status_code == 404
    assert AccessAttempt.objects.count() == 1


def test_an_administrator_finds_no_page_about_someone_never_at_the_centre(client, centre, grace, frank):
    client.force_login(grace)
    assert client.get(person_url("person_detail", centre, frank)).status_code == 404


def test_the_persons_units_mark_a_withdrawn_one_as_the_centre_page_does(client, centre, grace, alice, hsc331, h3_25):
    Enrolment.objects.filter(pk=hsc331.pk).update(status=EnrolmentStatus.WITHDRAWN)
    client.force_login(grace)
    page = client.get(person_url("person_detail", centre, alice)).content.decode()
    assert page.count('<span class="badge text-bg-dark">Withdrawn</span>') == 1
    assert f'href="{reverse("portfolio:enrolment_manage", args=[hsc331.pk])}"' in page


def test_deactivating_or_taking_the_role_of_an_assessor_named_by_waiting_registrations_is_refused(
    client, centre, grace, bob, carol, erin
):
    """Tester's finding: registrations waiting for invited candidates named a deactivated assessor,
    and were dropped when the candidate accepted."""
    from portfolio.services_centre import person_add
    from portfolio.services_centre_invitations import enrolment_prepare
    from standards.models import Unit

    today = datetime.date.today()
    for email, code in (("nia@example.org", "HSC331"), ("noel@example.org", "H3 25")):
        invitation = person_add(centre=centre, added_by=grace, email=email, first_name="Nia", last_name="New",
                                role=Role.CANDIDATE)
        enrolment_prepare(invitation=invitation, prepared_by=grace, unit=Unit.objects.get(code=code, version=1),
                          assessor=bob, iqa=carol, start_date=today, target_date=today + datetime.timedelta(days=90))
    client.force_login(grace)
    words = ("Bob Baker is the assessor of 2 registrations waiting for invited candidates to accept. Hand them over "
             "to another assessor first")
    confirm = client.get(person_url("person_deactivate", centre, bob))
    assert f"{words}, then deactivate them." in text_of(confirm)
    assert reverse("portfolio:person_handover", args=[centre.pk, bob.pk]) in confirm.content.decode()
    assert "Deactivate Bob Baker</button>" not in confirm.content.decode()
    refused = client.post(person_url("person_deactivate", centre, bob), {"reason": "Left the centre."})
    assert f"{words}, then deactivate them." in text_of(refused)
    assert reverse("portfolio:person_handover", args=[centre.pk, bob.pk]) in refused.content.decode()
    assert roles_of(bob, centre) == {Role.ASSESSOR}
    roles = text_of(client.post(person_url("person_roles", centre, bob), {"roles": ["iqa"]}))
    assert f"{words}, then take the role away." in roles
    with pytest.raises(Refused, match="Carol Clark is the internal quality assurer of 2 registrations waiting"):
        membership_deactivate(centre=centre, person=carol, deactivated_by=grace, reason="Left the centre.")

    # Handed over, Bob may go.
    client.post(reverse("portfolio:person_handover", args=[centre.pk, bob.pk]), {
        "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Bob has left the centre.",
    })
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    assert roles_of(bob, centre) == set()
