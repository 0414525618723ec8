"""Lists of people by last name, then first name, with no regard to accents or case (outside trial:
"Émile Ólafsson" was listed after "Aaron Zeal" on the page registering candidates on a unit), on the
registration form, the centre's people, enrolments and invitations, and the selects of assessors and
IQAs alike; and the same on SQLite and PostgreSQL, whose test cluster has the C collation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import name_order
from portfolio.models import Invitation, Person, Role
from portfolio.name_order import Folded, folded
from tests.factories import PersonFactory, enrol, member

pytestmark = pytest.mark.django_db


def invite(centre, grace, name: str, email: str, role: str = Role.CANDIDATE) -> Invitation:
    now = timezone.now()
    return Invitation.objects.create(
        centre=centre, name=name, email=email, role=role, token_digest=email.ljust(64, "x")[:64],
        invited_by=grace, sent_at=now, expires_at=now + datetime.timedelta(days=14),
    )


@pytest.fixture
def accented(centre):
    """Candidates whose names start with accents, a lower-case letter and a letter with no accent to
    drop, among the cast's Alice Adams and Dave Davies."""
    return [
        member(centre, Role.CANDIDATE, first_name=first, last_name=last, email=f"{first.lower()}@example.org")
        for first, last in (
            ("Óscar", "Ólafsson"), ("Émile", "Édouard"), ("Łucja", "Łukasik"), ("aaron", "zeal"), ("Zoë", "Öztürk"),
        )
    ]


def test_the_unit_registration_form_offers_accented_and_lower_case_names_among_their_letters(
    client, grace, centre, alice, dave, accented
):
    invite(centre, grace, "Ursula Ñúñez", "ursula@example.org")
    client.force_login(grace)

    form = client.get(reverse("portfolio:enrolment_create", args=[centre.pk])).context["form"]

    offered = [label.split(" (")[0] for value, label in form.fields["candidate"].choices if value]
    assert offered == [
        "Alice Adams", "Dave Davies", "Émile Édouard", "Łucja Łukasik", "Ursula Ñúñez", "Óscar Ólafsson",
        "Zoë Öztürk", "aaron zeal",
    ]


def test_the_assessor_and_iqa_selects_order_accented_names_among_their_letters(client, grace, centre, bob, carol):
    member(centre, Role.ASSESSOR, first_name="Ana", last_name="Ávila", email="ana@example.org")
    member(centre, Role.IQA, first_name="Ćiro", last_name="Čapek", email="ciro@example.org")
    client.force_login(grace)

    form = client.get(reverse("portfolio:enrolment_create", args=[centre.pk])).context["form"]

    assert [str(p) for p in form.fields["assessor"].queryset] == ["Ana Ávila", "Bob Baker"]
    assert [str(p) for p in form.fields["iqa"].queryset] == ["Ćiro Čapek", "Carol Clark"]


def test_the_centre_page_lists_people_and_enrolments_accented_among_their_letters(
    client, grace, centre, alice, bob, carol, accented
):
    for candidate in (alice, *accented):
        enrol(candidate, "HSC331", assessor=bob, iqa=carol, centre=centre)
    client.force_login(grace)

    context = client.get(reverse("assessments:centre_detail", args=[centre.pk]), {"role": Role.CANDIDATE}).context

    expected = ["Alice Adams", "Émile Édouard", "Łucja Łukasik", "Óscar Ólafsson", "Zoë Öztürk", "aaron zeal"]
    assert [str(p) for p in context["people"]] == expected
    assert [str(e.candidate) for e in context["enrolments"]] == expected


def test_the_centre_page_lists_invitations_by_last_name_then_first_name_as_it_lists_people(client, grace, centre):
    for name in ("Zara Baxter", "Émile Zola", "Nia Newton", "aaron Édouard", "Mary Jane Ávila", "Ben Baxter"):
        invite(centre, grace, name, f"{name.split()[0].lower()}@example.org")
    client.force_login(grace)

    page = client.get(reverse("assessments:centre_detail", args=[centre.pk]))

    assert [i.name for i in page.context["invitations"]] == [
        "Mary Jane Ávila", "Ben Baxter", "Zara Baxter", "aaron Édouard", "Nia Newton", "Émile Zola",
    ]
    shown = page.content.decode()
    assert shown.index("Mary Jane Ávila") < shown.index("Ben Baxter") < shown.index("Zara Baxter") < shown.index("Nia Newton")


def test_the_database_folds_names_as_python_does_whatever_its_collation(centre):
    names = ["Ólafsson", "ŁUKASIK", "Straße", "Nguyễn", "Ørsted", "Ștefan", "Æsir", "O'Brien", "van der Berg"]
    for n, name in enumerate(names):
        PersonFactory(email=f"p{n}@example.org", first_name="X", last_name=name)

    in_database = dict(Person.objects.filter(first_name="X").values_list("last_name", Folded("last_name")))
    by_database = list(Person.objects.filter(first_name="X").order_by(Folded("last_name")).values_list("last_name", flat=True))

    assert in_database == {name: folded(name) for name in names}
    assert folded("Ólafsson") == "olafsson" and folded("ŁUKASIK") == "lukasik" and folded("Straße") == "strasse"
    assert by_database == sorted(names, key=folded)


def test_a_page_of_people_in_name_order_can_be_read_from_an_index():
    """On PostgreSQL the order's key is indexed (portfolio 0044), so a page of a large centre's people
    need not sort every person: the index must be the very expression `by_name` orders by, which
    this asks the planner (with sorting discouraged) to confirm. SQLite has no such index (its key
    is a Python function): there the page is sorted, and what it asks is that it still is."""
    from django.db import connection

    from portfolio.models import Person

    query = Person.objects.order_by(*name_order.by_name(), "pk")[:5]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "person_by_folded_name" in plan, plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row) for row in cursor.fetchall())
            assert "TEMP B-TREE FOR ORDER BY" in plan, plan
