"""Witness testimony through a single-use link.

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA; Grace administers their
centre and Heidi is its external quality assurer. Dave is another candidate at the centre and Erin
his assessor; Frank administers another centre. Wendy is Alice's line manager: she has no account
and gives testimony through the link she is emailed.
"""

import datetime
import hashlib
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from assessments.models import TestimonyRequest, Witness
from assessments.services import witness as witness_services
from portfolio import services as portfolio_services
from portfolio.errors import PortfolioError
from portfolio.models import (
    AssessmentMethod,
    AuditEvent,
    Declaration,
    Evidence,
    EvidenceState,
    Notification,
    Role,
)
from standards.models import Criterion
from tests.factories import CentreFactory, enrol, links_expire, load_standards, member

PEOPLE = ["anonymous", "alice", "bob", "carol", "grace", "heidi", "dave", "erin", "frank"]
MAY_REQUEST = {"alice", "bob"}
# On Alice's case but reading it only: her IQA, the administrator and the EQA.
READS_THE_CASE = {"carol", "grace", "heidi"}
TESTIMONY = (
    "I saw Alice help Person A phone their sister and plan a visit. She let Person A choose the day "
    "and wrote the plan down with them."
)


@pytest.fixture
def case(people, centre, hsc331, daves_unit):
    """The shared cast, with a private piece of Alice's evidence that no witness may see."""
    other_evidence = portfolio_services.evidence_create(
        candidate=people["alice"], centre=centre, author=people["alice"], title="Private diary of Mrs Jones",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=hsc331.start_date, account="Not for witnesses.",
    )
    return {"people": people, "centre": centre, "enrolment": hsc331, "other_evidence": other_evidence}


def _criteria(*references: str) -> list[Criterion]:
    return list(Criterion.objects.filter(reference__in=references).order_by("position"))


def _ask_wendy(case, *, by="alice", references=("HSC331a.1", "HSC331a.2"), days=14) -> tuple[TestimonyRequest, str]:
    """Alice (or Bob) asks Wendy for testimony; returns the request and the token from the email."""
    request = witness_services.testimony_request(
        enrolment=case["enrolment"], requested_by=case["people"][by], witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org", criteria=_criteria(*references), valid_for_days=days,
    )
    return request, _token_from(str(mail.outbox[-1].body))


def _token_from(body: str) -> str:
    match = re.search(r"https?://\S+/assessments/witness/([A-Za-z0-9_-]+)/", body)
    assert match, body
    return match.group(1)


def _testimony_form(**changes) -> dict:
    form = {
        "testimony": TESTIMONY,
        "seen_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "seen_at": "Riverside day centre",
        "witness_name": "Wendy Walsh",
        "job_role": "Team leader",
        "relationship": "Line manager",
        "expert": "no",
        "confirmed": "on",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _give(client, token, **changes):
    return client.post(f"/assessments/witness/{token}/", _testimony_form(**changes))


def _testimony_evidence():
    return Evidence.objects.filter(method__in=[AssessmentMethod.WITNESS_TESTIMONY, AssessmentMethod.EXPERT_WITNESS])


# Asking for testimony ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_emails_the_witness_a_link_and_keeps_only_its_digest(client, case):
    alice = case["people"]["alice"]
    client.force_login(alice)
    criteria = _criteria("HSC331a.1", "HSC331a.2")
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/testimony/new/",
        {"witness_name": "Wendy Walsh", "witness_email": "Wendy@Care.example.org", "criteria": [c.pk for c in criteria]},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["wendy@care.example.org"]
    token = _token_from(email.body)
    assert email.body.count(f"http://127.0.0.1:8000/assessments/witness/{token}/") == 1

    request = TestimonyRequest.objects.get()
    assert request.token_digest == hashlib.sha256(token.encode()).hexdigest()
    stored = str(TestimonyRequest.objects.values().get())
    assert token not in stored
    for event in AuditEvent.objects.all():
        assert token not in f"{event.summary} {event.before} {event.after}"
        assert request.token_digest not in f"{event.summary} {event.before} {event.after}"
    event = AuditEvent.objects.get(action="assessments.testimony.requested")
    assert (event.actor, event.enrolment) == (alice, case["enrolment"])
    assert event.after["criteria"] == ["HSC331a.1", "HSC331a.2"]
    assert set(request.criteria.all()) == set(criteria)
    assert request.expires_at - request.requested_at == datetime.timedelta(days=14)


@pytest.mark.django_db
def test_it_tells_the_witness_who_asks_what_for_and_until_when(case):
    request, _ = _ask_wendy(case)
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Please give witness testimony for Alice Adams"
    assert "Alice Adams asks you to give witness testimony" in body
    assert "HSC331a.1" in body and "HSC331a.2" in body
    assert Criterion.objects.get(reference="HSC331a.1").text.replace("**", "")[:40] in body
    assert "**" not in body
    assert f"only until {timezone.localtime(request.expires_at):%d %B %Y}".replace(" 0", " ") in body
    assert "do not name the people Alice Adams supports" in body
    assert "alice@example.org" not in body
    assert "&#x27;" not in body and "&amp;" not in body


@pytest.mark.django_db
def test_it_says_so_when_the_assessor_asks(case):
    _ask_wendy(case, by="bob")
    assert "Bob Baker, the assessor of Alice Adams, asks you" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_witness_page_says_who_asked(client, case):
    """Found by a new user: the page said the candidate had named the witness when the assessor asked."""
    _, by_bob = _ask_wendy(case, by="bob")
    _, by_alice = _ask_wendy(case, by="alice", references=("HSC331a.3",))

    asked_by_bob = client.get(f"/assessments/witness/{by_bob}/").content.decode()
    asked_by_alice = client.get(f"/assessments/witness/{by_alice}/").content.decode()

    assert "Bob Baker, their assessor, has asked you, as someone who saw them at work" in asked_by_bob
    assert "has named you" not in asked_by_bob
    assert "has named you as someone who saw them at work" in asked_by_alice


@pytest.mark.django_db
def test_the_witness_page_names_the_unit_as_a_unit_not_as_a_qualification(client, case):
    """An outside trial: "Alice Morgan is working towards a qualification in <the unit's title>"."""
    _, token = _ask_wendy(case)
    page = " ".join(re.sub(r"<[^>]+>", "", client.get(f"/assessments/witness/{token}/").content.decode()).split())
    unit = case["enrolment"].unit
    assert f"Alice Adams is working on the unit {unit.code} {unit.title}, part of a vocational qualification" in page
    assert "working towards a qualification in" not in page


@pytest.mark.django_db
def test_it_shows_the_requester_a_confirmation_and_lists_the_waiting_request(client, case):
    client.force_login(case["people"]["alice"])
    url = f"/assessments/units/{case['enrolment'].pk}/testimony/new/"
    response = client.post(
        url, {"witness_name": "Wendy Walsh", "witness_email": "wendy@care.example.org",
              "criteria": [c.pk for c in _criteria("HSC331a.1")]},
        follow=True,
    )
    page = response.content.decode()
    assert "The link was emailed to Wendy Walsh (wendy@care.example.org)" in page
    panel = page[page.index('id="witnesses-heading"'):]
    assert "Waiting" in panel and "Sent to Wendy Walsh" in panel
    assert "HSC331a.1" in panel


@pytest.mark.django_db
def test_it_offers_every_criterion_of_the_unit_with_its_words(client, case):
    client.force_login(case["people"]["bob"])
    response = client.get(f"/assessments/units/{case['enrolment'].pk}/testimony/new/")
    page = response.content.decode()
    assert page.count('name="criteria"') == Criterion.objects.filter(unit=case["enrolment"].unit).count() == 17
    assert "HSC331c.7" in page
    assert "H3 25.1" not in page


@pytest.mark.django_db
def test_it_refuses_a_criterion_of_another_unit(client, case):
    client.force_login(case["people"]["alice"])
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/testimony/new/",
        {"witness_name": "Wendy", "witness_email": "wendy@care.example.org",
         "criteria": [Criterion.objects.get(reference="H3 25.1").pk]},
    )
    assert response.status_code == 400
    assert not TestimonyRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_refuses_a_request_with_no_criteria(client, case):
    client.force_login(case["people"]["alice"])
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/testimony/new/",
        {"witness_name": "Wendy", "witness_email": "wendy@care.example.org"},
    )
    assert response.status_code == 400
    assert "Tick at least one criterion the witness saw." in response.content.decode()
    assert not TestimonyRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("address", [
    "alice@example.org", "BOB@example.org",
    # Her IQA, the centre's administrator and its EQA are on her case too, however the address is typed.
    "carol@example.org", " Carol@Example.ORG ", "grace@example.org", "HEIDI@example.org",
])
def test_it_refuses_the_candidate_or_anyone_on_her_case_as_the_witness(client, case, address):
    client.force_login(case["people"]["alice"])
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/testimony/new/",
        {"witness_name": "Me", "witness_email": address, "criteria": [_criteria("HSC331a.1")[0].pk]},
    )
    assert response.status_code == 400
    assert (
        "A witness is someone else who saw the candidate at work: not the candidate, their assessor or IQA, "
        "nor the centre’s administrators or external quality assurers."
    ) in response.content.decode()
    assert not TestimonyRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["dave@example.org", "erin@example.org", "frank@example.org"])
def test_people_at_the_centre_not_on_her_case_or_at_another_centre_may_witness(case, address):
    """Dave (another candidate), Erin (another assessor) and Frank (another centre's administrator)
    work beside Alice, not on her case: a colleague may well have seen her work."""
    witness_services.testimony_request(
        enrolment=case["enrolment"], requested_by=case["people"]["alice"], witness_name="A colleague",
        witness_email=address, criteria=_criteria("HSC331a.1"),
    )
    assert TestimonyRequest.objects.get().witness_email == address


@pytest.mark.django_db
def test_it_saves_nothing_when_the_email_cannot_be_sent(client, case, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(witness_services, "send_mail", refuse)
    client.force_login(case["people"]["alice"])
    response = client.post(
        f"/assessments/units/{case['enrolment'].pk}/testimony/new/",
        {"witness_name": "Wendy", "witness_email": "wendy@care.example.org",
         "criteria": [_criteria("HSC331a.1")[0].pk]},
    )
    assert response.status_code == 400
    assert "could not be sent, so nothing was saved" in response.content.decode()
    assert not TestimonyRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.testimony.requested").exists()


@pytest.mark.django_db
def test_it_limits_how_many_links_wait_at_once(case, monkeypatch):
    monkeypatch.setattr(witness_services, "MAX_WAITING_REQUESTS", 2)
    first, _ = _ask_wendy(case)
    _ask_wendy(case)
    with pytest.raises(PortfolioError, match="2 links are already waiting"):
        _ask_wendy(case)
    links_expire(TestimonyRequest.objects.filter(pk=first.pk), timezone.now())
    _ask_wendy(case)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_it_lets_only_the_candidate_and_her_assessor_ask(client, case, who):
    url = f"/assessments/units/{case['enrolment'].pk}/testimony/new/"
    if who != "anonymous":
        client.force_login(case["people"][who])
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif who in MAY_REQUEST:
        assert response.status_code == 200
    else:
        # The IQA, the administrator and the EQA read the case but do not gather its evidence (403);
        # everyone else finds nothing.
        assert response.status_code == (403 if who in READS_THE_CASE else 404)

    response = client.post(
        url, {"witness_name": "Wendy", "witness_email": "wendy@care.example.org",
              "criteria": [_criteria("HSC331a.1")[0].pk]},
    )
    refused = 403 if who in READS_THE_CASE else 404
    assert response.status_code == (302 if who in MAY_REQUEST or who == "anonymous" else refused)
    assert TestimonyRequest.objects.exists() == (who in MAY_REQUEST)


@pytest.mark.django_db
def test_it_refuses_a_requester_off_the_case_in_the_service(case):
    with pytest.raises(PortfolioError):
        _ask_wendy(case, by="carol")
    assert not TestimonyRequest.objects.exists()


# The witness's page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_the_witness_the_candidates_name_and_the_criteria_and_nothing_else(client, case):
    _, token = _ask_wendy(case)
    response = client.get(f"/assessments/witness/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Adams" in page
    assert case["enrolment"].unit.title in page
    for criterion in _criteria("HSC331a.1", "HSC331a.2"):
        assert criterion.reference in page
        assert criterion.text.replace("**", "")[:40] in page
    assert "HSC331a.3" not in page
    assert "Private diary of Mrs Jones" not in page
    assert "alice@example.org" not in page
    assert "Bob Baker" not in page and "Carol Clark" not in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert all(h.startswith(("/static/", "#")) for h in hrefs), hrefs
    assert "Sign in" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["pending", "thanks", "used", "expired", "unknown"])
def test_it_keeps_the_token_out_of_referrers_caches_and_search_engines(client, case, state):
    request, token = _ask_wendy(case)
    if state == "unknown":
        token = "made-up"
    if state == "used":
        _give(Client(), token)
    if state == "expired":
        links_expire(TestimonyRequest.objects.filter(pk=request.pk), timezone.now())
    if state == "thanks":
        given = _give(client, token)
        assert given["Referrer-Policy"] == "no-referrer" and given["Cache-Control"] == "no-store"
        response = client.get(given["Location"])
    else:
        response = client.get(f"/assessments/witness/{token}/")
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.django_db
def test_it_makes_the_testimony_evidence_on_exactly_the_criteria_asked_about(client, case):
    alice, bob = case["people"]["alice"], case["people"]["bob"]
    request, token = _ask_wendy(case)
    response = _give(client, token)

    # Post, redirect, get: the thanks page has its own address, so a refresh sends nothing again.
    assert response.status_code == 302 and response["Location"] == f"/assessments/witness/{token}/?sent=1"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()
    evidence = _testimony_evidence().get()
    assert evidence.candidate == alice
    assert evidence.created_by == alice
    assert evidence.title == "Witness testimony from Wendy Walsh"
    assert evidence.method == AssessmentMethod.WITNESS_TESTIMONY
    assert evidence.state == EvidenceState.SUBMITTED and evidence.submitted_at is not None
    assert evidence.location == "Riverside day centre"
    assert evidence.activity_date == timezone.localdate() - datetime.timedelta(days=2)
    assert sorted(evidence.criteria.values_list("reference", flat=True)) == ["HSC331a.1", "HSC331a.2"]
    assert not evidence.knowledge_items.exists() and not evidence.scope_items.exists()
    assert TESTIMONY in evidence.account
    assert "Witness: Wendy Walsh, Team leader. Relationship to the candidate: Line manager." in evidence.account
    assert "The witness confirmed: “I confirm this is a true account of what I saw.”" in evidence.account
    # The statement is the witness's: the candidate did not declare it as her own work.
    assert not Declaration.objects.filter(evidence=evidence).exists()

    request.refresh_from_db()
    assert request.used_at is not None
    assert request.evidence == evidence
    witness = Witness.objects.get()
    assert request.witness == witness
    assert (witness.candidate, witness.name, witness.job_role, witness.relationship, witness.email) == (
        alice, "Wendy Walsh", "Team leader", "Line manager", "wendy@care.example.org"
    )

    event = AuditEvent.objects.get(action="assessments.testimony.given")
    assert event.actor is None
    assert (event.enrolment, event.evidence_id, event.candidate) == (case["enrolment"], evidence.pk, alice)
    assert event.after["confirmation"] == ["I confirm this is a true account of what I saw."]
    assert event.after["witness"]["name"] == "Wendy Walsh"
    assert event.after["criteria"] == ["HSC331a.1", "HSC331a.2"]
    assert event.after["state"] == "submitted"
    assert token not in str(event.after)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {alice.pk, bob.pk}
    # The candidate reads of her own unit; the assessor is told whose it is.
    assert "Wendy Walsh gave witness testimony for your HSC331" in Notification.objects.get(recipient=alice).message
    assert (f"Wendy Walsh gave witness testimony for Alice Adams’s HSC331: {evidence.reference} is waiting for assessment"
            in Notification.objects.get(recipient=bob).message)


@pytest.mark.django_db
def test_it_records_an_expert_witness(client, case):
    _, token = _ask_wendy(case, by="bob")
    _give(client, token, expert="yes", expertise="Registered nurse, twelve years in day services")
    evidence = _testimony_evidence().get()
    assert evidence.method == AssessmentMethod.EXPERT_WITNESS
    assert evidence.created_by == case["people"]["bob"]
    assert "Expert witness testimony given" in evidence.account
    assert len(AuditEvent.objects.get(action="assessments.testimony.given").after["confirmation"]) == 2


@pytest.mark.django_db
def test_it_keeps_one_witness_on_the_list_when_they_give_testimony_again(client, case):
    _, first = _ask_wendy(case)
    _give(client, first, job_role="Senior carer")
    _, second = _ask_wendy(case, references=("HSC331b.1",))
    _give(client, second, job_role="Team leader")
    witness = Witness.objects.get()
    assert witness.job_role == "Team leader"
    assert witness.testimonies.count() == 2
    assert _testimony_evidence().count() == 2


@pytest.mark.django_db
def test_it_answers_gone_to_a_link_used_before_and_makes_nothing(client, case):
    _, token = _ask_wendy(case)
    _give(client, token)
    before = (Evidence.objects.count(), AuditEvent.objects.count(), Notification.objects.count())

    again = _give(Client(), token, testimony=TESTIMONY + " Changed my mind.")
    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()
    assert "ask the candidate, who asked for your testimony," in again.content.decode()
    assert Client().get(f"/assessments/witness/{token}/").status_code == 410
    assert (Evidence.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == before
    assert TESTIMONY + " Changed my mind." not in _testimony_evidence().get().account


@pytest.mark.django_db
def test_it_answers_gone_to_an_expired_link(client, case):
    request, token = _ask_wendy(case)
    links_expire(TestimonyRequest.objects.filter(pk=request.pk), timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(f"/assessments/witness/{token}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and "send you a new link" in page
    assert "Alice Adams" not in page
    assert _give(client, token).status_code == 410
    assert not _testimony_evidence().exists()


@pytest.mark.django_db
def test_it_refuses_a_link_that_expired_while_the_page_was_open(case):
    request, token = _ask_wendy(case)
    links_expire(TestimonyRequest.objects.filter(pk=request.pk), timezone.now())
    with pytest.raises(witness_services.TestimonyUnavailable):
        witness_services.testimony_give(
            request=request, token=token, testimony=TESTIMONY, seen_on=timezone.localdate(),
            seen_at="Day centre", witness_name="Wendy", job_role="Team leader", relationship="Manager",
            expert=False, confirmed=True,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["made-up", "x" * 43, "x" * 500])
def test_it_answers_not_found_to_a_made_up_link(client, case, token):
    _ask_wendy(case)
    response = client.get(f"/assessments/witness/{token}/")
    assert response.status_code == 404
    assert "This link is not recognised" in response.content.decode()
    assert _give(client, token).status_code == 404
    assert not _testimony_evidence().exists()


@pytest.mark.django_db
def test_it_refuses_a_token_that_is_not_the_requests_own(case):
    request, _ = _ask_wendy(case)
    with pytest.raises(PortfolioError):
        witness_services.testimony_give(
            request=request, token="guessed", testimony=TESTIMONY, seen_on=timezone.localdate(),
            seen_at="Day centre", witness_name="Wendy", job_role="Team leader", relationship="Manager",
            expert=False, confirmed=True,
        )
    assert not _testimony_evidence().exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"testimony": "She was good."}, "at least 30 characters"),
        ({"confirmed": None}, "Tick the box to confirm"),
        ({"job_role": ""}, "Give your job role."),
        ({"relationship": ""}, "Say how you know the candidate."),
        ({"seen_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ],
    ids=["too-short", "not-confirmed", "no-job-role", "no-relationship", "future-date"],
)
def test_it_asks_again_for_what_is_missing_and_keeps_the_link(client, case, changes, message):
    _, token = _ask_wendy(case)
    response = _give(client, token, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not _testimony_evidence().exists()
    assert _give(client, token).status_code == 302
    assert _testimony_evidence().count() == 1


@pytest.mark.django_db
def test_it_ignores_who_is_signed_in_on_the_witness_page(client, case):
    frank = case["people"]["frank"]
    _, token = _ask_wendy(case)
    client.force_login(frank)
    anonymous_page = Client().get(f"/assessments/witness/{token}/").content.decode()
    page = client.get(f"/assessments/witness/{token}/").content.decode()
    assert page == anonymous_page
    assert frank.email not in page and "Sign out" not in page
    response = _give(client, token)
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="assessments.testimony.given").actor is None
    assert _testimony_evidence().get().created_by == case["people"]["alice"]


@pytest.mark.django_db
def test_it_sets_no_cookie_and_needs_none_on_the_witness_page(case):
    _, token = _ask_wendy(case)
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(f"/assessments/witness/{token}/").cookies == {}
    response = _give(browser, token)
    assert response.status_code == 302
    assert response.cookies == {}
    assert browser.get(response["Location"]).cookies == {}
    assert _testimony_evidence().count() == 1


# The unit page's panel -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_the_witness_and_the_testimony_on_the_unit_page(client, case):
    _, token = _ask_wendy(case)
    _give(Client(), token)
    expired = witness_services.testimony_request(
        enrolment=case["enrolment"], requested_by=case["people"]["bob"], witness_name="Xavier Cole",
        witness_email="xavier@care.example.org", criteria=_criteria("HSC331c.1"),
    )
    links_expire(TestimonyRequest.objects.filter(pk=expired.pk), timezone.now())
    witness_services.testimony_request(
        enrolment=case["enrolment"], requested_by=case["people"]["alice"], witness_name="Yvonne Dale",
        witness_email="yvonne@care.example.org", criteria=_criteria("HSC331b.1"),
    )
    evidence = _testimony_evidence().get()

    client.force_login(case["people"]["alice"])
    page = client.get(f"/assessments/units/{case['enrolment'].pk}/").content.decode()
    panel = page[page.index('id="witnesses-heading"'):]
    panel = panel[: panel.index("</section>")]
    assert "Your witnesses" in panel
    assert "<strong>Wendy Walsh</strong>, Team leader" in panel and "Line manager" in panel
    assert f'href="/assessments/evidence/{evidence.pk}/"' in panel and evidence.reference in panel
    assert "Expired" in panel and "Xavier Cole" in panel
    assert "Waiting" in panel and "Yvonne Dale" in panel
    assert "Ask a witness for testimony" in panel


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "button"), [("bob", True), ("carol", False), ("grace", False), ("heidi", False)])
def test_it_offers_the_ask_button_only_to_the_candidate_and_assessor(client, case, who, button):
    client.force_login(case["people"][who])
    page = client.get(f"/assessments/units/{case['enrolment'].pk}/").content.decode()
    assert "Witnesses and testimony" in page
    assert ("Ask a witness for testimony" in page) == button


# Two submissions of one link at the same moment ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_evidence_item_when_the_link_is_sent_twice_at_once(case):
    _, token = _ask_wendy(case)
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def give() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(_give(Client(), token).status_code)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=give) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(statuses) == [302, 410]
    assert _testimony_evidence().count() == 1
    assert AuditEvent.objects.filter(action="assessments.testimony.given").count() == 1
    assert Witness.objects.count() == 1


@pytest.mark.django_db
def test_the_trail_does_not_credit_the_requester_with_the_witness_statement():
    """The witness, who has no account, wrote it: nobody with an account is named as its author."""
    from portfolio.models import AuditEvent

    load_standards()
    centre = CentreFactory()
    alice = member(centre, Role.CANDIDATE, email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, email="bob@example.org")
    carol = member(centre, Role.IQA, email="carol@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence = portfolio_services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Witness testimony from Wendy Walsh",
        method="witness", activity_date=enrolment.start_date, account="What I saw.",
        given_by="the witness Wendy Walsh",
    )
    created = AuditEvent.objects.get(evidence_id=evidence.pk, action="portfolio.evidence.created")
    assert created.actor is None
    assert "given by the witness Wendy Walsh" in created.summary


@pytest.mark.django_db
def test_the_thanks_page_thanks_the_witness_for_an_hour_then_says_the_link_is_used(client, case):
    request, token = _ask_wendy(case)
    thanks_page = _give(client, token)["Location"]
    assert "Thank you" in client.get(thanks_page).content.decode()
    # A refresh of the thanks page is a GET: nothing is sent again.
    assert "Thank you" in client.get(thanks_page).content.decode()
    assert _testimony_evidence().count() == 1
    TestimonyRequest.objects.filter(pk=request.pk).update(used_at=timezone.now() - datetime.timedelta(hours=2))
    later = client.get(thanks_page)
    assert later.status_code == 410 and "This link has already been used" in later.content.decode()
    # Without having given it, the address with "sent" added thanks nobody.
    _, other = _ask_wendy(case)
    assert "Thank you" not in client.get(f"/assessments/witness/{other}/?sent=1").content.decode()


@pytest.mark.django_db
def test_a_refused_testimony_has_an_error_summary_linking_to_each_field(client, case):
    _, token = _ask_wendy(case)
    response = _give(client, token, testimony="", job_role="")
    page = response.content.decode()
    assert response.status_code == 400
    summary = page[page.index("data-error-summary"):]
    summary = summary[: summary.index("</div>")]
    assert "There is a problem" in summary and 'role="alert"' in summary
    assert '<a href="#id_testimony" class="alert-link">Describe what you saw.</a>' in summary
    assert '<a href="#id_job_role" class="alert-link">Give your job role.</a>' in summary
