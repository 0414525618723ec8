"""What the portfolio acts on later, changed in the database (an outside trial): an invitation put in by
SQL (the link's digest needs no key) made an outsider a centre administrator; a waiting invitation's
role changed made a candidate an assessor; the roles kept for a deactivated assessor changed, and she
came back an administrator; a file of one's own pointed at another's stored file served it. Each row
is sealed as made (`portfolio.pending_seals`, `row_sealing`) and not acted on when it does not hold.

Grace runs Riverside; Alice is a candidate there, Dave another; Bob assesses, Carol is an IQA."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portfolio import pending_seals, services_invitations
from portfolio.models import (
    AuditEvent,
    DeactivatedMembership,
    EvidenceFile,
    Invitation,
    Membership,
    Notification,
    Role,
)
from portfolio.services_centre import Refused
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db

TOKEN = "MalloryForgedToken0000000000000000000000001"


def _invitation_put_in(centre, grace, role=Role.ADMINISTRATOR) -> Invitation:
    now = timezone.now()
    [invitation] = Invitation.objects.bulk_create([Invitation(
        centre=centre, name="Mallory Admin", email="mallory@evil.example", role=role,
        token_digest=services_invitations.token_digest(TOKEN), invited_by=grace, sent_at=now,
        expires_at=now + datetime.timedelta(days=14), created_at=now,
    )])
    return invitation


def _accept(client, token: str):
    return client.post(reverse("portfolio:invitation_accept", args=[token]), {
        "first_name": "Mallory", "last_name": "Admin", "password1": "a long Passphrase 2026",
        "password2": "a long Passphrase 2026",
    })


def test_an_invitation_put_in_by_hand_opens_nothing_and_the_centre_is_told(client, centre, grace):
    _invitation_put_in(centre, grace)

    page = client.get(reverse("portfolio:invitation_accept", args=[TOKEN]))
    accepted = _accept(client, TOKEN)

    assert page.status_code == 404 and "not a valid invitation" in page.content.decode()
    assert accepted.status_code == 404
    assert not Membership.objects.filter(person__email="mallory@evil.example").exists()
    told = Notification.objects.get(recipient=grace, message__contains="was put in or changed in the database")
    assert "An invitation of mallory@evil.example to Riverside Training" in told.message
    assert AuditEvent.objects.filter(action="portfolio.pending.changed").count() == 1


def test_a_waiting_invitations_role_changed_by_hand_opens_nothing(client, centre, grace):
    invitation, token = services_invitations.invitation_make(
        centre=centre, name="Ivy Ives", email="ivy@example.org", role=Role.CANDIDATE, invited_by=grace
    )
    Invitation.objects.filter(pk=invitation.pk).update(role=Role.ASSESSOR)

    assert _accept(client, token).status_code == 404
    assert not Membership.objects.filter(person__email="ivy@example.org").exists()


def test_an_invitation_the_centre_sends_again_and_withdraws_keeps_its_seal(client, centre, grace):
    invitation, _ = services_invitations.invitation_make(
        centre=centre, name="Ivy Ives", email="ivy@example.org", role=Role.CANDIDATE, invited_by=grace
    )
    token = services_invitations.invitation_renew(invitation, sent_by=grace)
    assert pending_seals.check_every_row() == []
    client.get(reverse("portfolio:invitation_accept", args=[token]))
    assert _accept(client, token).status_code == 302
    assert Membership.objects.filter(person__email="ivy@example.org", role=Role.CANDIDATE).exists()
    assert pending_seals.check_every_row() == []


def test_kept_roles_changed_by_hand_are_put_back_on_reactivating(centre, grace, bob, carol):
    record = membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="On leave for a term.")
    DeactivatedMembership.objects.filter(pk=record.pk).update(roles=[Role.ADMINISTRATOR])

    given = membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back from leave.")

    assert given == [Role.ASSESSOR]
    assert set(Membership.objects.filter(person=bob, centre=centre).values_list("role", flat=True)) == {Role.ASSESSOR}
    assert Notification.objects.filter(recipient=grace, message__contains="were changed in the database").exists()


def test_kept_roles_whose_seal_was_cleared_are_not_given_back(centre, grace, bob):
    record = membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="On leave for a term.")
    DeactivatedMembership.objects.filter(pk=record.pk).update(roles=[Role.ADMINISTRATOR], access_seal=None)

    with pytest.raises(Refused, match="were changed outside the portfolio"):
        membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back from leave.")
    assert not Membership.objects.filter(person=bob, centre=centre).exists()


def test_a_file_pointed_at_another_stored_file_serves_nothing(client, grace, alice, dave, hsc331, daves_unit):
    alices = submitted(alice, hsc331, title="Supporting a visit", criteria=("HSC331a.1",))
    daves = submitted(dave, daves_unit, title="A visit of Dave's", criteria=("HSC331a.1",))
    theirs = EvidenceFile.objects.create(
        evidence=alices, file=f"evidence/{alice.pk}/abc", storage_key="abc", original_name="network-map.jpg",
        content_type="image/jpeg", size=3, sha256="0" * 64, added_in_version=1, uploaded_by=alice,
    )
    mine = EvidenceFile.objects.create(
        evidence=daves, file=f"evidence/{dave.pk}/def", storage_key="def", original_name="dave-notes.txt",
        content_type="text/plain", size=3, sha256="0" * 64, added_in_version=1, uploaded_by=dave,
    )
    EvidenceFile.objects.filter(pk=mine.pk).update(file=theirs.file.name)
    client.force_login(dave)

    assert client.get(reverse("portfolio:evidence_file", args=[mine.pk])).status_code == 404
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=out)
    assert f"EVIDENCE CHANGED: evidence file {mine.pk} was changed in the database" in out.getvalue()


def test_the_fixity_check_names_every_pending_row_changed_and_fails(centre, grace):
    _invitation_put_in(centre, grace)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=out)
    assert "INVITATION OR REGISTRATION CHANGED: An invitation of mallory@evil.example" in out.getvalue()


def test_the_migration_seals_every_pending_row_as_it_stands(centre, grace, erin, alice, h3_25):
    import importlib

    from django.apps import apps
    from django.db import connection

    submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    services_invitations.invitation_make(centre=centre, name="Ivy Ives", email="ivy@example.org", role=Role.CANDIDATE,
                                         invited_by=grace)
    membership_deactivate(centre=centre, person=erin, deactivated_by=grace, reason="On leave for a term.")
    migration = importlib.import_module("portfolio.migrations.0059_pending_rows_sealed")
    for model in (*pending_seals.PENDING, EvidenceFile):
        model.objects.update(access_seal=None)
    migration.seal_every_row(apps, connection.schema_editor())
    assert pending_seals.check_every_row() == []
    from portfolio import row_seals

    assert row_seals.check_every_row() == ([], [])
