"""Who may open what: every page and file URL of a candidate's portfolio, requested by each person.

Alice is the candidate. Bob is her assessor and Carol her IQA; Grace administers their centre.
Dave is another candidate at the centre and Erin his assessor. Frank administers another centre.
Strangers get 404, never 403, so an id tells them nothing; someone on her case who reads her
evidence but may not change it gets 403.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portfolio import services
from portfolio.models import AssessmentMethod, Evidence, Role
from standards.models import Criterion
from tests.factories import CentreFactory, enrol, load_standards, member

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "alice", "dave", "bob", "erin", "carol", "grace", "frank"]


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#336699").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def case(db):
    load_standards()
    centre, elsewhere = CentreFactory(), CentreFactory()
    people = {
        "alice": member(centre, Role.CANDIDATE, email="alice@example.org"),
        "dave": member(centre, Role.CANDIDATE, email="dave@example.org"),
        "bob": member(centre, Role.ASSESSOR, email="bob@example.org"),
        "erin": member(centre, Role.ASSESSOR, email="erin@example.org"),
        "carol": member(centre, Role.IQA, email="carol@example.org"),
        "grace": member(centre, Role.ADMINISTRATOR, email="grace@example.org"),
        "frank": member(elsewhere, Role.ADMINISTRATOR, email="frank@example.org"),
    }
    enrolment = enrol(people["alice"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)
    enrol(people["dave"], "HSC331", assessor=people["erin"], iqa=people["carol"], centre=centre)
    evidence = services.evidence_create(
        candidate=people["alice"], centre=centre, author=people["alice"], title="Family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=enrolment.start_date,
        account="What I did.", uploads=[_photo()],
    )
    return {"people": people, "centre": centre, "enrolment": enrolment, "evidence": evidence}


def _client_for(client, case, who):
    if who != "anonymous":
        client.force_login(case["people"][who])
    return client


ON_THE_CASE = {"alice", "bob", "carol", "grace"}
CANDIDATES = {"alice", "dave"}

# (name, how to build the URL, who gets 200; everyone else signed in gets 404, except those who read
# the evidence but may not change it, who get 403: see CHANGES)
PAGES = [
    ("home", lambda c: "/", set(PEOPLE) - {"anonymous"}),
    ("evidence list", lambda c: "/evidence/", CANDIDATES),
    ("add evidence", lambda c: "/evidence/new/", CANDIDATES),
    ("evidence", lambda c: f"/evidence/{c['evidence'].pk}/", ON_THE_CASE),
    ("change evidence", lambda c: f"/evidence/{c['evidence'].pk}/edit/", {"alice"}),
    ("map evidence", lambda c: f"/evidence/{c['evidence'].pk}/map/", {"alice"}),
    ("submit evidence", lambda c: f"/evidence/{c['evidence'].pk}/submit/", {"alice"}),
    ("delete evidence", lambda c: f"/evidence/{c['evidence'].pk}/delete/", {"alice"}),
    ("evidence file", lambda c: f"/files/{c['evidence'].files.get().pk}/", ON_THE_CASE),
    ("unit page", lambda c: f"/portfolio/units/{c['enrolment'].pk}/", ON_THE_CASE),
    ("centre", lambda c: f"/centres/{c['centre'].pk}/", {"grace"}),
    ("add a person", lambda c: f"/centres/{c['centre'].pk}/people/new/", {"grace"}),
    ("register a candidate", lambda c: f"/centres/{c['centre'].pk}/enrolments/new/", {"grace"}),
]


CHANGES = {"change evidence", "map evidence", "submit evidence", "delete evidence"}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("page", "address", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_the_permission_matrix(client, case, who, page, address, allowed):
    url = address(case)
    response = _client_for(client, case, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif who in allowed:
        assert response.status_code == 200, f"{who} should see the {page}"
    else:
        refused = 403 if page in CHANGES and who in ON_THE_CASE else 404
        assert response.status_code == refused, f"{who} must not use the {page}"


@pytest.mark.parametrize("who", ["dave", "bob", "erin", "carol", "grace", "frank"])
@pytest.mark.parametrize("action", ["edit", "map", "submit", "delete"])
def test_nobody_but_the_candidate_can_change_her_evidence(client, case, who, action):
    evidence = case["evidence"]
    criterion = Criterion.objects.get(reference="HSC331a.1")
    form = {
        "edit": {"title": "Changed", "method": "product", "activity_date": "2020-01-01", "account": "x"},
        "map": {"criteria": [criterion.pk]},
        "submit": {"declared": "on"},
        "delete": {},
    }[action]
    response = _client_for(client, case, who).post(f"/evidence/{evidence.pk}/{action}/", form)
    # Her assessor, IQA and administrator read it (403); the others find nothing (404).
    assert response.status_code == (403 if who in ON_THE_CASE else 404)
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert (evidence.title, evidence.state, evidence.version) == ("Family visit", "draft", 1)
    assert not evidence.criteria.exists()
