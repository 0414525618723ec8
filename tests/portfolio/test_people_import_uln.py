"""A centre imports its class again with a ULN corrected (issue 16, outside trial: the row was
skipped as "Already here" and the correction lost without a word). The preview shows the change,
old ULN to new, nothing changes until the administrator confirms, and the same file a third time
changes nothing more.

Grace administers Riverside; Alice is its candidate; Nia is invited by an earlier import."""

# The import's fixtures (confirm, imported) are borrowed from its main test file, so each test's
# arguments name them again: ruff reads that as a redefinition.
# ruff: noqa: F811

import pytest

from portfolio.identifier_models import identifiers_at
from portfolio.models import AuditEvent, CandidateIdentifiers, Invitation, Membership
from tests.portfolio.test_people_import import _preview, confirm, imported  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

OLD_ULN, NEW_ULN = "9276308686", "9276308619"


def _file(email: str, uln: str) -> str:
    return f"First name,Last name,Email,ULN\nNia,Nash,{email},{uln}\n"


def test_a_waiting_invitations_corrected_uln_is_shown_then_applied_on_confirming(client, confirm, imported, grace, centre):
    imported(grace, centre, _file("nia@example.org", OLD_ULN))

    url, page = _preview(client, grace, centre, _file("nia@example.org", NEW_ULN))

    assert f"The ULN on their waiting invitation will be changed from {OLD_ULN} to {NEW_ULN}." in page
    assert "Already here: ULN to be corrected" in page
    assert "Correct 1 ULN" in page
    assert Invitation.objects.get().uln == OLD_ULN  # nothing until confirmed
    invitations = Invitation.objects.count()

    report = client.get(confirm(url)["Location"]).content.decode()

    assert Invitation.objects.get().uln == NEW_ULN and Invitation.objects.count() == invitations
    assert f"The ULN on their waiting invitation was changed from {OLD_ULN} to {NEW_ULN}." in report
    event = AuditEvent.objects.get(action="portfolio.invitation.uln_changed")
    assert (event.actor, event.before["uln"], event.after["uln"]) == (grace, OLD_ULN, NEW_ULN)
    assert AuditEvent.objects.filter(action="portfolio.people.imported").first().after["ulns_corrected"] == 1


def test_a_candidates_corrected_uln_changes_the_centres_record_on_confirming(client, confirm, grace, centre, alice):
    CandidateIdentifiers.objects.create(candidate=alice, centre=centre, uln=OLD_ULN, scn="123456789")

    url, page = _preview(client, grace, centre, _file("alice@example.org", NEW_ULN))

    assert f"The ULN on their record at this centre will be changed from {OLD_ULN} to {NEW_ULN}." in page
    assert identifiers_at(alice.pk, centre.pk).uln == OLD_ULN
    memberships = Membership.objects.count()

    confirm(url)

    held = identifiers_at(alice.pk, centre.pk)
    assert (held.uln, held.scn) == (NEW_ULN, "123456789")
    assert Membership.objects.count() == memberships and not Invitation.objects.exists()
    assert AuditEvent.objects.get(action="portfolio.candidate.identifiers_changed").after == {"uln": NEW_ULN}


def test_a_candidate_with_no_uln_recorded_gets_the_files(client, confirm, grace, centre, alice):
    _url, page = _preview(client, grace, centre, _file("alice@example.org", NEW_ULN))
    assert f"The ULN on their record at this centre will be changed to {NEW_ULN} (none was recorded)." in page
    # The summary above the rows says it too: not "a different ULN" where none was recorded.
    assert ("1 candidate already here has a ULN in the file that the centre does not hold for them (a different one, "
            "or none recorded)") in " ".join(page.split())


def test_the_same_file_again_changes_nothing_more(client, confirm, imported, grace, centre):
    imported(grace, centre, _file("nia@example.org", OLD_ULN))
    imported(grace, centre, _file("nia@example.org", NEW_ULN))

    url, page = _preview(client, grace, centre, _file("nia@example.org", NEW_ULN))

    assert "Already invited as a candidate" in page and "will be changed" not in page
    assert "No row is ready to invite." in page
    confirm(url)
    assert AuditEvent.objects.filter(action="portfolio.invitation.uln_changed").count() == 1
    assert Invitation.objects.count() == 1


def test_a_file_without_the_uln_or_with_one_failing_its_check_leaves_the_centres_alone(
    client, confirm, imported, grace, centre
):
    imported(grace, centre, _file("nia@example.org", OLD_ULN))

    _url, blank = _preview(client, grace, centre, _file("nia@example.org", ""))
    url, wrong = _preview(client, grace, centre, _file("nia@example.org", "1234567890"))
    confirm(url)

    assert "will be changed" not in blank and "will be changed" not in wrong
    assert Invitation.objects.get().uln == OLD_ULN
