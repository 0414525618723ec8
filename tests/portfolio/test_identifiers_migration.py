"""The migration that gives each centre its own record of a candidate's ULN and SCN (issue 16:
centres are walled) copies what was on the person to every centre they are a candidate at, so no
centre loses what it recorded, and nobody else gains it."""

import pytest

from portfolio.models import CandidateIdentifiers
from tests.migrating import latest, migrate_to

BEFORE = [("portfolio", "0019_deactivated_membership")]


@pytest.mark.django_db(transaction=True)
def test_the_identifiers_on_a_person_are_copied_to_each_centre_they_are_a_candidate_at():
    newest = latest()
    try:
        old = migrate_to(BEFORE)
        centre_model, person_model = old.get_model("portfolio", "Centre"), old.get_model("portfolio", "Person")
        membership = old.get_model("portfolio", "Membership")
        riverside = centre_model.objects.create(name="Riverside Training", code="riverside")
        hillside = centre_model.objects.create(name="Hillside College", code="hillside")
        elsewhere = centre_model.objects.create(name="Elsewhere", code="elsewhere")
        alice = person_model.objects.create(email="alice@example.org", uln="9276308686", scn="123456789")
        bob = person_model.objects.create(email="bob@example.org")
        for centre in (riverside, hillside):
            membership.objects.create(person=alice, centre=centre, role="candidate")
        membership.objects.create(person=alice, centre=elsewhere, role="assessor")
        membership.objects.create(person=bob, centre=riverside, role="candidate")
    finally:
        migrate_to(newest)

    rows = set(CandidateIdentifiers.objects.values_list("candidate__email", "centre__code", "uln", "scn"))
    assert rows == {
        ("alice@example.org", "riverside", "9276308686", "123456789"),
        ("alice@example.org", "hillside", "9276308686", "123456789"),
    }
