"""Signing a unit off, countersigning it and unlocking it: every allowed and refused move, the pages
that make them. Who may open those pages is in tests/test_access_matrix.py.

Alice is the candidate (HSC331 and H3 25), Bob her assessor, Carol her IQA, Grace their centre's
administrator. Dave is another candidate, assessed by Erin; Frank administers another centre.
"""

import html
import re

import pytest
from django.core import mail
from django.db import IntegrityError

from assessments import integrity
from assessments.models import Decision, SignOff, TestimonyRequest
from assessments.services import judging, witness
from assessments.services import signoff as services
from portfolio import services as portfolio_services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, AuditEvent, Evidence, EvidenceState, Notification
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, listed, meet, photo

pytestmark = pytest.mark.django_db

HSC331_ITEMS = 34  # 17 performance criteria and 17 knowledge items


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    """Two accepted items, one with two files, each mapped to all of HSC331."""
    return [
        accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))]),
        accepted_evidence(case, title="Reflecting on a friendship group", uploads=[photo("group.png")]),
    ]


@pytest.fixture
def ready(case, evidence):
    """Everything met: the unit can be signed off."""
    meet(case, case.hsc331, evidence)
    return case


@pytest.fixture
def signed(ready):
    services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.bob, declared=True)
    return ready


def actions(prefix="assessments.unit"):
    return list(AuditEvent.objects.filter(action__startswith=prefix).order_by("id").values_list("action", flat=True))


def standing(case):
    return SignOff.objects.filter(enrolment=case.hsc331, voided_at=None).first()


def nothing_signed(case):
    assert not SignOff.objects.exists()
    assert actions() == []
    assert not Notification.objects.filter(message__contains="signed off").exists()


# Signing off.


def test_it_signs_off_a_unit_whose_every_item_is_met(ready, evidence, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_off = services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.bob, declared=True)

    manifest = sign_off.manifest
    assert len(manifest["decisions"]) == HSC331_ITEMS
    assert [e["ref"] for e in manifest["evidence"]] == ["E1", "E2"]
    assert [(f["evidence"], f["name"]) for f in manifest["files"]] == [
        ("E1", "visit.png"), ("E1", "plan.png"), ("E2", "group.png")
    ]
    for entry in manifest["files"]:
        stored = evidence[0].files.model.objects.get(pk=entry["file_id"])
        assert entry["sha256"] == stored.sha256 == integrity.stored_sha256(stored)
    first = next(d for d in manifest["decisions"] if d["item"] == "HSC331a.1")
    assert first["decided_by"] == {"id": ready.bob.pk, "name": "Bob Baker"}
    assert first["evidence"] == [{"ref": "E1", "id": evidence[0].pk}, {"ref": "E2", "id": evidence[1].pk}]
    assert sign_off.decisions_digest == integrity.sha256_of(manifest["decisions"])
    assert sign_off.assessor_declaration == SignOff.ASSESSOR_DECLARATION
    assert integrity.verify(sign_off) == []
    event = AuditEvent.objects.get(action="assessments.unit.signed_off")
    assert event.actor == ready.bob and event.enrolment == ready.hsc331
    assert event.after["decisions"] == HSC331_ITEMS and event.after["files"] == 3
    assert event.after["signature"] == sign_off.signature
    assert Notification.objects.filter(recipient=ready.alice, message__contains="countersign").exists()
    assert Notification.objects.filter(recipient=ready.carol, message__contains="signed off HSC331").exists()
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "carol@example.org"}


def test_it_refuses_to_sign_off_with_something_missing_and_changes_nothing(case, evidence):
    meet(case, case.hsc331, evidence, skip=2)

    with pytest.raises(PortfolioError) as refused:
        services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    assert str(refused.value) == "HSC331 cannot be signed off yet: 2 items are not met: HSC331 K16, HSC331 K17."
    nothing_signed(case)


def test_it_refuses_to_sign_off_without_the_declaration(ready):
    with pytest.raises(PortfolioError, match="Confirm the declaration"):
        services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.bob, declared=False)
    nothing_signed(ready)


@pytest.mark.parametrize("who", ["erin", "carol", "alice", "grace"])
def test_nobody_but_the_assessor_signs_off(ready, who):
    with pytest.raises(PortfolioError, match="can sign the unit off"):
        services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.people[who], declared=True)
    nothing_signed(ready)


def test_it_refuses_to_sign_off_twice(signed):
    with pytest.raises(PortfolioError, match=r"HSC331 is already signed off, by Bob Baker on"):
        services.unit_sign_off(enrolment=signed.hsc331, assessor=signed.bob, declared=True)
    assert SignOff.objects.count() == 1
    assert actions() == ["assessments.unit.signed_off"]


def test_a_second_sign_off_slipping_past_the_check_meets_the_constraint(signed, monkeypatch):
    monkeypatch.setattr(services, "standing_sign_off", lambda enrolment: None)

    with pytest.raises(PortfolioError, match="Someone else signed HSC331 off at the same moment"):
        services.unit_sign_off(enrolment=signed.hsc331, assessor=signed.bob, declared=True)

    assert SignOff.objects.count() == 1
    assert actions() == ["assessments.unit.signed_off"]


def test_the_database_allows_one_standing_sign_off(signed):
    existing = standing(signed)
    with pytest.raises(IntegrityError):
        SignOff.objects.create(
            enrolment=signed.hsc331, assessor=signed.bob, assessor_signed_at=existing.assessor_signed_at,
            assessor_declaration="x", manifest={}, decisions_digest="0" * 64, signature="0" * 64,
        )


def test_it_refuses_to_sign_off_when_a_file_changed_since_it_was_uploaded(ready, evidence, evidence_root):
    changed = evidence[0].files.get(original_name="plan.png")
    (evidence_root / changed.file.name).write_bytes(b"not the photo that was uploaded")

    with pytest.raises(PortfolioError, match=re.escape("E1 plan.png has changed since it was uploaded")):
        services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.bob, declared=True)
    nothing_signed(ready)


def test_it_refuses_to_sign_off_when_cited_evidence_is_no_longer_accepted(ready, evidence):
    type(evidence[1]).objects.filter(pk=evidence[1].pk).update(state=EvidenceState.REFERRED)

    with pytest.raises(PortfolioError, match=re.escape("HSC331a.1 cites E2, which is referred back, not accepted")):
        services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.bob, declared=True)
    nothing_signed(ready)


# The lock: cited evidence cannot change while the unit is signed off.


def test_evidence_cited_by_a_signed_off_unit_is_locked(signed, evidence):
    assert [s.enrolment for s in services.sign_offs_locking(evidence[0])] == [signed.hsc331]
    with pytest.raises(PortfolioError, match="E1 is cited by the signed-off unit HSC331"):
        services.require_evidence_unlocked(evidence[0])
    # The candidate's own edits are refused too: accepted evidence is never re-opened by portfolio.
    with pytest.raises(PortfolioError, match="accepted and cannot be changed"):
        portfolio_services.evidence_update(
            evidence=evidence[0], editor=signed.alice, title="Changed", method=AssessmentMethod.PRODUCT,
            activity_date=evidence[0].activity_date, account="x",
        )
    with pytest.raises(PortfolioError):
        portfolio_services.evidence_map(
            evidence=evidence[0], editor=signed.alice, criteria=[], knowledge_items=[], scope_items=[]
        )
    with pytest.raises(PortfolioError):
        portfolio_services.evidence_submit(evidence=evidence[0], candidate=signed.alice, declared=True)
    # Nor does judging re-open it: only submitted evidence is judged.
    with pytest.raises(PortfolioError, match="already been accepted"):
        judging.evidence_refer_back(evidence=evidence[0], assessor=signed.bob, feedback="Please redo.")
    assert integrity.verify(standing(signed)) == []


def test_evidence_is_not_locked_by_a_voided_sign_off(signed, evidence):
    services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason="Wrong date on K3.")
    assert services.sign_offs_locking(evidence[0]) == []
    services.require_evidence_unlocked(evidence[0])


def observe(case):
    return judging.assessor_evidence_record(
        enrolment=case.hsc331, assessor=case.bob, method=AssessmentMethod.DIRECT_OBSERVATION,
        title="Observation", activity_date=case.hsc331.start_date, account="What I saw.",
        criteria=Criterion.objects.filter(reference="HSC331a.1"),
    )


def ask_a_witness(case, by):
    return witness.testimony_request(
        enrolment=case.hsc331, requested_by=by, witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org", criteria=Criterion.objects.filter(reference="HSC331a.1"),
    )


def test_a_signed_off_unit_takes_no_observation_or_testimony_request_until_unlocked(signed):
    evidence_before = Evidence.objects.count()
    with pytest.raises(PortfolioError, match=r"^HSC331 is signed off; unlock it to add evidence\.$"):
        observe(signed)
    for person in (signed.bob, signed.alice):
        with pytest.raises(PortfolioError, match=r"^HSC331 is signed off; unlock it to add evidence\.$"):
            ask_a_witness(signed, person)
    assert Evidence.objects.count() == evidence_before
    assert not TestimonyRequest.objects.exists() and not mail.outbox

    services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason="One more observation is needed.")

    assert observe(signed).state == EvidenceState.ACCEPTED
    ask_a_witness(signed, signed.alice)
    assert TestimonyRequest.objects.count() == 1


def panels(page: str) -> str:
    """The unit page's "What to do next" and its witness panel, as a reader sees them."""
    parts = [page[page.index(f'id="{heading}"'):] for heading in ("next-heading", "witnesses-heading")]
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(part[:part.index("</section>")] for part in parts)).split())


@pytest.mark.parametrize(
    ("who", "offered", "told"),
    [
        ("bob", ["Record an observation", "Record questions and answers", "Ask a witness for testimony"],
         "This unit is signed off; unlock it to add evidence."),
        ("alice", ["Ask a witness for testimony"], "This unit is signed off; your assessor can unlock it to add evidence."),
    ],
)
def test_the_unit_page_offers_new_evidence_only_while_the_unit_is_not_signed_off(client, ready, who, offered, told):
    client.force_login(ready.people[who])
    before = panels(unit_page(client, ready))
    services.unit_sign_off(enrolment=ready.hsc331, assessor=ready.bob, declared=True)
    signed = panels(unit_page(client, ready))
    services.unit_unlock(enrolment=ready.hsc331, person=ready.bob, reason="One more observation is needed.")
    unlocked = panels(unit_page(client, ready))

    for action in offered:
        assert action in before and action not in signed and action in unlocked
    assert told not in before and told in signed and told not in unlocked


# Countersigning.


def test_the_candidate_countersigns_once(signed):
    sign_off = services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)

    assert sign_off.candidate_signed_at is not None
    assert sign_off.candidate_declaration == SignOff.CANDIDATE_DECLARATION
    assert sign_off.candidate_signature == integrity.candidate_signature(sign_off)
    assert integrity.verify(sign_off) == []
    assert actions() == ["assessments.unit.signed_off", "assessments.unit.countersigned"]
    assert Notification.objects.filter(recipient=signed.bob, message__contains="countersigned HSC331").exists()
    assert Notification.objects.filter(recipient=signed.carol, message__contains="countersigned HSC331").exists()

    with pytest.raises(PortfolioError, match="You countersigned HSC331 on"):
        services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)
    assert actions().count("assessments.unit.countersigned") == 1


@pytest.mark.parametrize("who", ["dave", "bob", "carol", "grace"])
def test_nobody_else_countersigns(signed, who):
    with pytest.raises(PortfolioError, match="Only Alice Adams can countersign"):
        services.unit_countersign(enrolment=signed.hsc331, candidate=signed.people[who], declared=True)
    assert standing(signed).candidate_signed_at is None


def test_there_is_nothing_to_countersign_before_sign_off(ready):
    with pytest.raises(PortfolioError, match="has not been signed off"):
        services.unit_countersign(enrolment=ready.hsc331, candidate=ready.alice, declared=True)


def test_countersigning_needs_the_declaration(signed):
    with pytest.raises(PortfolioError, match="Confirm the declaration"):
        services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=False)
    assert standing(signed).candidate_signed_at is None


def test_a_tampered_record_cannot_be_countersigned(signed, evidence):
    Decision.evidence.through.objects.filter(evidence=evidence[1], decision__criterion__reference="HSC331a.1").delete()

    with pytest.raises(PortfolioError, match="The signed record no longer matches the unit"):
        services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)
    assert standing(signed).candidate_signed_at is None


# Unlocking.


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_assessor_or_the_iqa_unlocks_with_a_reason_and_both_signatures_are_void(signed, who):
    services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)

    services.unit_unlock(enrolment=signed.hsc331, person=signed.people[who], reason="  K3 cites the wrong account.  ")

    voided = SignOff.objects.get()
    assert not SignOff.objects.standing().exists() and voided.voided_at is not None
    assert (voided.voided_by, voided.void_reason) == (signed.people[who], "K3 cites the wrong account.")
    assert voided.candidate_signed_at is not None  # kept as it was, but void with the sign-off
    assert standing(signed) is None
    event = AuditEvent.objects.get(action="assessments.unit.unlocked")
    assert event.before["signature"] == voided.signature and event.after["reason"] == "K3 cites the wrong account."
    told = set(Notification.objects.filter(message__contains="HSC331; its sign-off is void").values_list(
        "recipient__email", flat=True))
    assert told == {"alice@example.org", "bob@example.org", "carol@example.org"} - {f"{who}@example.org"}
    # Alice is spoken to, not of; the other of her assessor and IQA reads whose unit it is.
    unlocker, other = signed.people[who], signed.people["carol" if who == "bob" else "bob"]
    assert Notification.objects.get(recipient=signed.alice, kind="unit_unlocked").message == (
        f"{unlocker} unlocked your HSC331; its sign-off is void: K3 cites the wrong account."
    )
    assert Notification.objects.get(recipient=other, kind="unit_unlocked").message.startswith(
        f"{unlocker} unlocked Alice Adams’s HSC331; its sign-off is void"
    )


@pytest.mark.parametrize("who", ["alice", "erin", "grace", "dave"])
def test_nobody_else_unlocks(signed, who):
    with pytest.raises(PortfolioError, match="Only the assessor or the IQA of HSC331 can unlock it"):
        services.unit_unlock(enrolment=signed.hsc331, person=signed.people[who], reason="Because.")
    assert standing(signed) is not None


def test_unlocking_needs_a_reason_and_a_sign_off(signed, ready):
    with pytest.raises(PortfolioError, match="Give the reason for unlocking"):
        services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason=" ")
    assert standing(signed) is not None
    services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason="Re-check.")
    with pytest.raises(PortfolioError, match="not signed off, so there is nothing to unlock"):
        services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason="Again.")


def test_after_unlocking_the_unit_is_signed_off_and_countersigned_anew(signed):
    services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)
    services.unit_unlock(enrolment=signed.hsc331, person=signed.carol, reason="Re-check HSC331c.")

    again = services.unit_sign_off(enrolment=signed.hsc331, assessor=signed.bob, declared=True)

    assert again.candidate_signed_at is None
    assert SignOff.objects.count() == 2
    services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)


# The pages.


def unit_page(client, case) -> str:
    return client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()


def test_the_sign_off_page_says_what_is_missing(client, case, evidence):
    meet(case, case.hsc331, evidence, skip=3)
    client.force_login(case.bob)

    page = client.get(f"/assessments/units/{case.hsc331.pk}/sign-off/").content.decode()

    assert "Not ready to sign off:</strong> 3 criteria and knowledge items are not met yet." in page
    for reference in ("HSC331 K15", "HSC331 K16", "HSC331 K17"):
        assert f'<span class="ref">{reference}</span>' in page
    assert "Sign off this unit" not in page


def test_the_assessor_signs_off_through_the_page(client, ready):
    client.force_login(ready.bob)
    url = f"/assessments/units/{ready.hsc331.pk}/sign-off/"
    page = client.get(url).content.decode()
    assert "Sign off this unit" in page and html.escape(SignOff.ASSESSOR_DECLARATION) in page

    response = client.post(url, {"declared": "on", **listed(ready.hsc331)})

    assert response.status_code == 302 and response["Location"] == f"/assessments/units/{ready.hsc331.pk}/"
    assert standing(ready) is not None
    page = unit_page(client, ready)
    assert re.search(r"Signed off by <strong>Bob Baker</strong> on\s*<time[^>]*>[^<]+</time>;\s*not yet countersigned by the candidate", page)
    assert "<strong>Intact:</strong> 3 files and 34 decisions match what was signed." in page


def test_a_failed_sign_off_through_the_page_changes_nothing(client, ready, evidence, evidence_root):
    changed = evidence[1].files.get()
    (evidence_root / changed.file.name).write_bytes(b"changed on disk")
    client.force_login(ready.bob)

    response = client.post(f"/assessments/units/{ready.hsc331.pk}/sign-off/", {"declared": "on", **listed(ready.hsc331)})

    assert response.status_code == 400
    assert "E2 group.png has changed since it was uploaded" in response.content.decode()
    nothing_signed(ready)


def test_the_sign_off_page_needs_the_declaration_ticked(client, ready):
    client.force_login(ready.bob)
    response = client.post(f"/assessments/units/{ready.hsc331.pk}/sign-off/", {})
    assert response.status_code == 400
    assert "Confirm the declaration to sign." in response.content.decode()
    nothing_signed(ready)


def test_the_candidate_countersigns_through_the_page(client, signed):
    client.force_login(signed.alice)
    before = unit_page(client, signed)
    assert f'href="/assessments/units/{signed.hsc331.pk}/countersign/">Read and countersign HSC331</a>' in before
    page = client.get(f"/assessments/units/{signed.hsc331.pk}/countersign/").content.decode()
    assert html.escape(SignOff.CANDIDATE_DECLARATION) in page and "Intact:" in page

    assert f'name="sign_off" value="{standing(signed).pk}"' in page

    response = client.post(
        f"/assessments/units/{signed.hsc331.pk}/countersign/", {"declared": "on", "sign_off": standing(signed).pk}
    )

    assert response.status_code == 302
    after = unit_page(client, signed)
    assert re.search(r"countersigned by <strong>Alice Adams</strong> on\s*<time", after)
    assert "/countersign/" not in after


def test_the_iqa_unlocks_through_the_page_with_a_reason(client, signed):
    client.force_login(signed.carol)
    url = f"/assessments/units/{signed.hsc331.pk}/unlock/"
    assert f'href="{url}"' in unit_page(client, signed)

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and standing(signed) is not None

    assert client.post(url, {"reason": "Sampling found K3 unproven."}).status_code == 302
    assert standing(signed) is None
    page = unit_page(client, signed)
    assert "Not signed off" in page and "Sampling found K3 unproven." in page


def test_the_unit_page_shows_each_decision_with_its_date_assessor_and_evidence(client, ready, evidence):
    client.force_login(ready.alice)
    page = unit_page(client, ready)
    row = page.split('id="hsc331a-1"')[1].split('id="hsc331a-2"')[0]
    assert "Met on" in row and "decided by Bob Baker" in row
    assert f'href="/assessments/evidence/{evidence[0].pk}/"><span class="ref">E1</span></a>' in row
    assert "17 of 17 met" in page


@pytest.mark.parametrize(
    ("who", "buttons"),
    [
        ("bob", {"Record decisions", "Sign off HSC331"}),  # everything is met: offered as the next step
        ("alice", {"See decisions"}),
        ("carol", {"See decisions"}),
    ],
)
def test_the_unsigned_unit_page_offers_each_person_their_actions(client, ready, who, buttons):
    client.force_login(ready.people[who])
    panel = unit_page(client, ready).split('id="signoff-heading"')[1].split("</section>")[0]
    offered = set(re.findall(r'<a class="btn[^"]*" href="[^"]+">([^<]+)</a>', panel))
    assert offered == buttons


@pytest.mark.parametrize(
    ("who", "buttons"),
    [
        ("bob", {"See decisions", "Unlock…"}),
        ("alice", {"See decisions", "Read and countersign HSC331"}),
        ("carol", {"See decisions", "Unlock…"}),
        ("grace", {"See decisions"}),
    ],
)
def test_the_signed_unit_page_offers_each_person_their_actions(client, signed, who, buttons):
    client.force_login(signed.people[who])
    panel = unit_page(client, signed).split('id="signoff-heading"')[1].split("</section>")[0]
    offered = set(re.findall(r'<a class="btn[^"]*" href="[^"]+">([^<]+)</a>', panel))
    assert offered == buttons


# After sign-off, the candidate is asked to countersign (issue 13).


def test_the_candidate_is_told_and_linked_to_the_countersign_page(signed):
    notice = Notification.objects.get(recipient=signed.alice, message__contains="countersign")
    assert notice.link == f"/assessments/units/{signed.hsc331.pk}/countersign/"


def test_the_candidates_unit_page_asks_them_to_countersign(client, signed):
    client.force_login(signed.alice)

    panel = unit_page(client, signed).split('id="signoff-heading"')[1].split("</section>")[0]

    assert re.search(r"Bob Baker signed HSC331 off on \d+ \w+ \d{4}\.</strong> Read what was signed", panel)
    assert f'href="/assessments/units/{signed.hsc331.pk}/countersign/">Read and countersign HSC331</a>' in panel
    client.force_login(signed.bob)
    assert "Read and countersign" not in unit_page(client, signed)


def test_the_countersign_page_names_the_evidence_by_its_title(client, signed):
    client.force_login(signed.alice)

    page = client.get(f"/assessments/units/{signed.hsc331.pk}/countersign/").content.decode()

    record = page.split('class="mb-3 countersign-record"', 1)[1].split("</details>", 1)[0]
    assert "What was signed: 34 decisions on 2 evidence items (3 files)" in record
    assert re.search(r'<span class="ref">E1</span> <a href="[^"]+">Supporting a family visit</a>', record)
    row = record.split('<span class="ref fw-semibold">HSC331a.1</span>', 1)[1].split("</tr>", 1)[0]
    assert row.startswith(" <span class=\"small\">you support individuals to identify and communicate:")
    assert "E1</span> Supporting a family visit; <span class=\"ref\">E2</span> Reflecting on a friendship group" in row
