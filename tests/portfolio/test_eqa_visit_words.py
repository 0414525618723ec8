"""The centre's log of what its external quality assurer opened says, for every entry, what was
opened in words: the page, and whose record (the candidate and unit, the evidence, the IQA whose
plan it is). Never a bare address, and never one page's name for another (an outside trial found the
IQA plans list logged as "Centre's portfolios", and addresses shown where words should be).

Every address the access matrix lets Heidi (Riverside's EQA) read is opened, on the matrix's world:
Alice Example's HSC331 at Riverside, Bob her assessor, Carol her IQA, Grace the administrator."""

import pytest
from django.urls import reverse

from portfolio import eqa_visits
from portfolio.models import EqaVisit
from tests.test_access_matrix import OK, ROWS, World

pytestmark = pytest.mark.django_db

# What some pages must be called, exactly.
EXPECTED = {
    "assessments:enrolment_detail": "Unit page: Alice Example, HSC331",
    "exports:unit_pdf": "Unit PDF: Alice Example, HSC331",
    "assessments:decisions": "Decisions on a unit: Alice Example, HSC331",
    "assessments:audit_export": "Audit trail (CSV): Alice Example, HSC331",
    "assessments:sampling_plan_list": "IQA sampling plans (list)",
    "assessments:sampling_plan": "IQA sampling plan: Carol Example",
    "assessments:centre_portfolios": "The centre's portfolios (list)",
    "assessments:competence_person": "Competence and CPD: Bob Example",
    "assessments:competence_file": "Competence certificate or CPD file: Bob Example",
    "exports:pack_list": "Visit packs (list)",
}


def _opened_by_heidi(client) -> tuple[World, dict[str, list[str]]]:
    world = World()
    client.force_login(world["heidi"])
    logged: dict[str, list[str]] = {}
    for row in ROWS:
        if (row.methods.get("GET") or {}).get("heidi") != OK:
            continue
        before = EqaVisit.objects.count()
        url = reverse(row.name, kwargs=row.kwargs(world))
        assert client.get(url).status_code == 200, row.name
        logged[row.name] = list(EqaVisit.objects.order_by("pk").values_list("what", flat=True)[before:])
    # The matrix's pack is the administrator's, which Heidi does not find: an EQA opens their own.
    _make_heidis(world)
    for name in ("exports:pack_detail", "exports:pack_download"):
        before = EqaVisit.objects.count()
        assert client.get(reverse(name, kwargs={"pk": world.pack.pk})).status_code == 200, name
        logged[name] = list(EqaVisit.objects.order_by("pk").values_list("what", flat=True)[before:])
    return world, logged


def _make_heidis(world: World) -> None:
    world.pack.requested_by = world["heidi"]
    world.pack.save(update_fields=["requested_by"])


def test_every_entry_names_what_was_opened_in_words(client):
    world, logged = _opened_by_heidi(client)

    for name, expected in EXPECTED.items():
        assert logged[name] == [expected], name
    for name in ("assessments:evidence_detail", "portfolio:evidence_file", "portfolio:evidence_file_view"):
        [what] = logged[name]
        assert what.startswith(f"{eqa_visits.PAGE_NAMES[name]}: Alice Example, E"), (name, what)
    assert logged["assessments:registration_detail"][0].startswith("Qualification: Alice Example, ")
    assert logged["assessments:standardisation_detail"][0].startswith("Standardisation meeting: held ")
    pack = f"number {world.pack.pk}, asked for by {world.pack.requested_by.get_full_name()}"
    assert logged["exports:pack_detail"] == [f"Visit pack: {pack}"]
    assert logged["exports:pack_download"] == [f"Visit pack downloaded: {pack}"]
    every = [what for entries in logged.values() for what in entries]
    assert len(every) >= 20  # the centre's pages are logged, and every one is checked below
    for what in every:
        assert "/" not in what and what.strip() == what and what, what
    # Every page of the centre's that was logged has a name of its own (none called by another's).
    unnamed = sorted(name for name, entries in logged.items() if entries and name not in eqa_visits.PAGE_NAMES)
    assert unnamed == []


def test_the_administrators_log_shows_the_words_and_no_address(client):
    world, _ = _opened_by_heidi(client)
    client.force_login(world["grace"])

    page = client.get(reverse("portfolio:eqa_visit_list", args=[world.centre.pk])).content.decode()
    assert "Unit page: Alice Example, HSC331" in page and "IQA sampling plans (list)" in page
    assert reverse("assessments:enrolment_detail", args=[world.unit.pk]) not in page
    assert "/units/" not in page and "/files/" not in page


def test_a_page_refreshing_its_own_progress_is_not_logged_again(client):
    """The visit pack's page asks for its progress every 2 seconds while the pack is built: one
    opening in the log, not one every 2 seconds."""
    world = World()
    _make_heidis(world)
    client.force_login(world["heidi"])
    address = reverse("exports:pack_detail", kwargs={"pk": world.pack.pk})

    assert client.get(address).status_code == 200
    for _ in range(3):
        assert client.get(address, HTTP_HX_REQUEST="true").status_code == 200

    assert list(EqaVisit.objects.values_list("what", flat=True)) == [
        f"Visit pack: number {world.pack.pk}, asked for by {world.pack.requested_by.get_full_name()}"
    ]
