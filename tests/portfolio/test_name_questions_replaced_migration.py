"""The migration that leaves one question waiting (0042): several questions a centre asked a person,
all still waiting from before asking again replaced the waiting one, become the newest waiting and
the older ones replaced by it; an answered question, one the person's name already is, and another
centre's question are left as they were."""

import datetime

import pytest
from django.utils import timezone

from portfolio.models import NameSuggestion
from tests.migrating import latest, migrate_to

BEFORE = [("portfolio", "0041_one_candidate_per_uln_at_a_centre")]


@pytest.mark.django_db(transaction=True)
def test_older_waiting_questions_are_recorded_as_replaced_by_the_newest():
    newest = latest()
    now = timezone.now()
    try:
        old = migrate_to(BEFORE)
        centres = old.get_model("portfolio", "Centre").objects
        riverside = centres.create(name="Riverside Training", code="riverside")
        hillside = centres.create(name="Hillside College", code="hillside")
        people = old.get_model("portfolio", "Person").objects
        grace = people.create(email="grace@example.org")
        bob = people.create(email="bob@example.org", first_name="Bob", last_name="Baker")
        suggestions = old.get_model("portfolio", "NameSuggestion").objects
        for hours, first, centre, answered in (
            (5, "Robret", riverside, None),
            (4, "Bob", riverside, None),  # his name already: asks nothing
            (3, "Robbie", riverside, now),  # answered
            (2, "Robert", riverside, None),  # the newest waiting
            (1, "Roberto", hillside, None),  # another centre's
        ):
            made = suggestions.create(person=bob, centre=centre, suggested_by=grace, first_name=first,
                                      last_name="Baker", answered_at=answered,
                                      answer="declined" if answered else "")
            suggestions.filter(pk=made.pk).update(made_at=now - datetime.timedelta(hours=hours))
    finally:
        migrate_to(newest)

    replaced = {s.first_name: s.replaced_by.first_name if s.replaced_by else None for s in NameSuggestion.objects.all()}
    assert replaced == {"Robret": "Robert", "Bob": None, "Robbie": None, "Robert": None, "Roberto": None}
    assert sorted(s.first_name for s in NameSuggestion.objects.waiting()) == ["Bob", "Robert", "Roberto"]
