"""The migrations that record what was only worked out before: a name suggestion answered before its
answer was recorded is read from the name the person holds (0037); a deactivation made before it
recorded the invitations it withdrew gets those withdrawn at or after it, never accepted (0038)."""

import datetime

import pytest
from django.utils import timezone

from portfolio.models import DeactivatedMembership, NameSuggestion
from tests.migrating import latest, migrate_to

BEFORE = [("portfolio", "0036_membership_centre_role")]


@pytest.mark.django_db(transaction=True)
def test_answers_and_withdrawals_from_before_are_recorded():
    newest = latest()
    now = timezone.now()
    try:
        old = migrate_to(BEFORE)
        centre = old.get_model("portfolio", "Centre").objects.create(name="Riverside Training", code="riverside")
        people = old.get_model("portfolio", "Person").objects
        grace = people.create(email="grace@example.org")
        bob = people.create(email="Bob@example.org", first_name="Robert", last_name="Baker")
        suggestions = old.get_model("portfolio", "NameSuggestion").objects
        for first, answered in (("Robert", now), ("Bobby", now), ("Rob", None)):
            suggestions.create(person=bob, centre=centre, suggested_by=grace, first_name=first, last_name="Baker",
                               answered_at=answered)
        invitations = old.get_model("portfolio", "Invitation").objects
        day = datetime.timedelta(days=1)
        for n, (role, cancelled, accepted) in enumerate((
            ("candidate", now + day, None),  # withdrawn by the deactivation
            ("iqa", now - day, None),  # withdrawn before it
            ("eqa", now + day, None),  # an EQA's: not the centre's to withdraw
            ("assessor", None, None),  # still waiting
        )):
            invitations.create(centre=centre, name="Bob Baker", email="bob@example.org", role=role,
                               token_digest=str(n) * 64, invited_by=grace, sent_at=now - day, expires_at=now + day,
                               cancelled_at=cancelled, accepted_at=accepted)
        old.get_model("portfolio", "DeactivatedMembership").objects.create(
            person=bob, centre=centre, roles=["candidate"], deactivated_by=grace,
        )
    finally:
        migrate_to(newest)

    answers = dict(NameSuggestion.objects.values_list("first_name", "answer"))
    assert answers == {"Robert": "accepted", "Bobby": "declined", "Rob": ""}
    deactivation = DeactivatedMembership.objects.get()
    assert list(deactivation.invitations_withdrawn.values_list("role", flat=True)) == ["candidate"]
