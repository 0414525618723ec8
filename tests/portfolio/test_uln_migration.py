"""The migration that makes a ULN one candidate's at a centre copes with centres that had already
recorded one ULN for two candidates: the first recorded keeps it, the others' is cleared, and the
centre's audit trail says which, with the ULN each had. Another centre's same ULN is untouched."""

import pytest

from portfolio.models import AuditEvent, CandidateIdentifiers
from tests.migrating import latest, migrate_to

BEFORE = [("portfolio", "0040_people_import_replaced")]
ULN = "3000000029"


@pytest.mark.django_db(transaction=True)
def test_a_uln_recorded_for_two_candidates_of_a_centre_is_kept_by_the_first_and_the_clearing_audited():
    newest = latest()
    try:
        old = migrate_to(BEFORE)
        centre_model, person_model = old.get_model("portfolio", "Centre"), old.get_model("portfolio", "Person")
        identifiers = old.get_model("portfolio", "CandidateIdentifiers")
        riverside = centre_model.objects.create(name="Riverside Training", code="riverside")
        hillside = centre_model.objects.create(name="Hillside College", code="hillside")
        alice = person_model.objects.create(email="alice@example.org")
        nia = person_model.objects.create(email="nia@example.org")
        identifiers.objects.create(candidate=alice, centre=riverside, uln=ULN, scn="123456789")
        identifiers.objects.create(candidate=nia, centre=riverside, uln=ULN, scn="987654321")
        identifiers.objects.create(candidate=nia, centre=hillside, uln=ULN)
    finally:
        migrate_to(newest)

    rows = set(CandidateIdentifiers.objects.values_list("candidate__email", "centre__code", "uln", "scn"))
    assert rows == {
        ("alice@example.org", "riverside", ULN, "123456789"),
        ("nia@example.org", "riverside", "", "987654321"),
        ("nia@example.org", "hillside", ULN, ""),
    }
    event = AuditEvent.objects.get(centre__code="riverside")
    assert event.candidate.email == "nia@example.org" and event.before == {"uln": ULN}
    assert "also recorded for alice@example.org" in event.summary
