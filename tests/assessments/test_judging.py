"""Judging evidence: accepting it (VACS) or referring it back, every round kept; the assessor's own
evidence; the evidence page with its judging form. Who may reach each of these pages is in
tests/test_access_matrix.py.

People as in tests/assessments/judging_people.py: Alice is the candidate, Bob her assessor, Carol
her IQA, Grace their administrator; Dave is another candidate, Erin his assessor; Frank
administers another centre.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Judgement
from assessments.services import judging
from portfolio import services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, AuditEvent, Evidence, EvidenceState, Notification
from standards.models import Criterion, KnowledgeItem
from tests.assessments.judging_people import draft, fresh, last_week, pdf, photo, shown, submitted
from tests.factories import EvidenceFactory, enrol
from tests.portfolio import hostile_files

# The whole cast is present in every test, as it was when these tests began: what a stranger must
# not see exists to be hidden.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]

ALL_VACS = dict.fromkeys(judging.VACS, True)


def accept(evidence, assessor, **vacs):
    return judging.evidence_accept(evidence=evidence, assessor=assessor, **{**ALL_VACS, **vacs})


# Accepting


def test_it_accepts_submitted_evidence_confirmed_valid_authentic_current_and_sufficient(alice, bob, hsc331):
    evidence = submitted(alice, hsc331)

    judgement = accept(evidence, bob, feedback="A clear account.")

    assert fresh(evidence).state == EvidenceState.ACCEPTED
    assert (judgement.outcome, judgement.version, judgement.assessor) == ("accepted", 1, bob)
    assert (judgement.valid, judgement.authentic, judgement.current, judgement.sufficient) == (True,) * 4
    assert judgement.feedback == "A clear account."
    event = AuditEvent.objects.get(action="assessments.evidence.accepted")
    assert (event.actor, event.evidence_id, event.candidate) == (bob, evidence.pk, alice)
    assert event.before == {"state": "submitted", "version": 1}
    assert event.after["state"] == "accepted"


@pytest.mark.parametrize("unticked", judging.VACS)
def test_it_refuses_to_accept_evidence_unless_every_vacs_box_is_confirmed(alice, bob, hsc331, unticked):
    evidence = submitted(alice, hsc331)

    with pytest.raises(PortfolioError, match=f"confirm that it is {unticked}"):
        accept(evidence, bob, **{unticked: False})

    assert fresh(evidence).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="assessments.").exists()


def test_it_names_every_unconfirmed_vacs_box(alice, bob, hsc331):
    evidence = submitted(alice, hsc331)

    with pytest.raises(PortfolioError, match="confirm that it is authentic, current and sufficient"):
        accept(evidence, bob, authentic=False, current=False, sufficient=False)


# Referring back


def test_it_refers_evidence_back_with_feedback(alice, bob, hsc331):
    evidence = submitted(alice, hsc331)

    judgement = judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="  Say what Person A chose.  ")

    assert fresh(evidence).state == EvidenceState.REFERRED
    assert fresh(evidence).candidate_may_change
    assert (judgement.outcome, judgement.feedback, judgement.version) == ("referred", "Say what Person A chose.", 1)
    event = AuditEvent.objects.get(action="assessments.evidence.referred")
    assert event.before["state"] == "submitted"
    assert event.after["state"] == "referred"
    assert event.after["feedback"] == "Say what Person A chose."


@pytest.mark.parametrize("feedback", ["", "   \n "])
def test_it_refuses_to_refer_back_without_feedback(alice, bob, hsc331, feedback):
    evidence = submitted(alice, hsc331)

    with pytest.raises(PortfolioError, match="Write feedback"):
        judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback=feedback)

    assert fresh(evidence).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.exists()


# Moves that are not allowed


@pytest.mark.parametrize("move", ["accept", "refer"])
def test_it_refuses_to_judge_a_draft(alice, bob, hsc331, move):
    evidence = draft(alice, hsc331)

    with pytest.raises(PortfolioError, match="is a draft"):
        if move == "accept":
            accept(evidence, bob)
        else:
            judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="More detail.")

    assert fresh(evidence).state == EvidenceState.DRAFT
    assert not Judgement.objects.exists()


@pytest.mark.parametrize("who", ["erin", "carol", "alice", "grace", "frank"])
@pytest.mark.parametrize("move", ["accept", "refer"])
def test_only_the_candidates_assessor_may_judge(people, hsc331, daves_unit, who, move):
    evidence = submitted(people["alice"], hsc331)

    with pytest.raises(PortfolioError, match="Only the candidate's assessor"):
        if move == "accept":
            accept(evidence, people[who])
        else:
            judging.evidence_refer_back(evidence=evidence, assessor=people[who], feedback="No.")

    assert fresh(evidence).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.exists()


def test_an_assessor_of_another_of_the_candidates_units_may_judge_her_evidence(alice, erin, carol, hsc331, centre):
    # Evidence belongs to the candidate, not to one unit: Erin assesses Alice on H3 25.
    enrol(alice, "H3 25", assessor=erin, iqa=carol, centre=centre)
    # Mapped to both units, so it is Bob's and Erin's to judge (`portfolio.judged_by`).
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.1"))

    accept(evidence, erin)

    assert fresh(evidence).state == EvidenceState.ACCEPTED


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("accept", "accept", "has already been accepted"),
        ("accept", "refer", "has already been accepted"),
        ("refer", "accept", "has already been referred back"),
        ("refer", "refer", "has already been referred back"),
    ],
)
def test_it_refuses_to_judge_the_same_submission_twice(alice, bob, erin, carol, hsc331, centre, first, second, message):
    # Two assessors of Alice's, one after the other: the second finds it already judged.
    enrol(alice, "H3 25", assessor=erin, iqa=carol, centre=centre)
    # Mapped to both units, so it is Bob's and Erin's to judge (`portfolio.judged_by`).
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.1"))

    def judge(move, assessor):
        if move == "accept":
            accept(evidence, assessor)
        else:
            judging.evidence_refer_back(evidence=evidence, assessor=assessor, feedback="More detail.")

    judge(first, bob)
    with pytest.raises(PortfolioError, match=message):
        judge(second, erin)

    assert Judgement.objects.filter(evidence=evidence).count() == 1
    assert AuditEvent.objects.filter(action__startswith="assessments.evidence.").count() == 1


def test_the_candidate_changes_referred_evidence_and_resubmits_and_both_rounds_are_kept(alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")

    services.evidence_update(
        evidence=fresh(evidence), editor=alice, title="Supporting a family visit", method="reflective_account",
        activity_date=last_week(), location="Day centre", account="Person A chose Sunday; I helped them phone.",
    )
    services.evidence_submit(evidence=fresh(evidence), candidate=alice, declared=True)
    assert fresh(evidence).state == EvidenceState.SUBMITTED
    accept(fresh(evidence), bob)

    rounds = list(Judgement.objects.filter(evidence=evidence).order_by("judged_at").values_list("version", "outcome"))
    assert rounds == [(1, "referred"), (2, "accepted")]
    assert fresh(evidence).state == EvidenceState.ACCEPTED
    assert fresh(evidence).declarations.count() == 2


def test_accepted_evidence_cannot_be_changed_by_the_candidate(alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    accept(evidence, bob)

    with pytest.raises(PortfolioError, match="is accepted and cannot be changed"):
        services.evidence_update(
            evidence=fresh(evidence), editor=alice, title="Changed", method="reflective_account",
            activity_date=last_week(), account="Changed.",
        )


# The assessor's own evidence


def record(enrolment, assessor, **fields):
    defaults = {
        "method": AssessmentMethod.DIRECT_OBSERVATION,
        "title": "Observation: planning a visit",
        "activity_date": last_week(),
        "location": "Day centre",
        "account": "I saw Alice help Person A phone their sister and agree a date.",
        "criteria": Criterion.objects.filter(reference__in=["HSC331a.1", "HSC331a.2"]),
        "knowledge_items": KnowledgeItem.objects.filter(reference="HSC331 K6"),
    }
    return judging.assessor_evidence_record(enrolment=enrolment, assessor=assessor, **{**defaults, **fields})


def test_an_assessor_records_an_observation_that_is_mapped_and_accepted_at_once(alice, bob, hsc331):
    evidence = record(hsc331, bob)

    evidence = fresh(evidence)
    assert (evidence.candidate, evidence.created_by, evidence.is_assessors) == (alice, bob, True)
    assert evidence.state == EvidenceState.ACCEPTED
    assert evidence.method == "observation"
    assert sorted(evidence.criteria.values_list("reference", flat=True)) == ["HSC331a.1", "HSC331a.2"]
    assert list(evidence.knowledge_items.values_list("reference", flat=True)) == ["HSC331 K6"]
    judgement = evidence.judgements.get()
    assert (judgement.outcome, judgement.assessor, judgement.feedback) == ("accepted", bob, "Recorded by the assessor")
    assert (judgement.valid, judgement.authentic, judgement.current, judgement.sufficient) == (True,) * 4
    actions = set(AuditEvent.objects.filter(evidence_id=evidence.pk).values_list("action", flat=True))
    assert actions == {"portfolio.evidence.created", "portfolio.evidence.mapped", "assessments.evidence.accepted"}
    assert Notification.objects.filter(recipient=alice, message__contains=evidence.reference).exists()


def test_an_assessor_records_questions_and_answers_with_a_file(alice, bob, hsc331):
    evidence = record(
        hsc331, bob, method=AssessmentMethod.QUESTIONING, title="Questions on confidentiality",
        account="Q: Who may see the care plan?\nA: Only the people on Person A's team.", uploads=[pdf()],
    )

    assert fresh(evidence).method == "questioning"
    assert list(evidence.files.values_list("original_name", flat=True)) == ["support-plan.pdf"]


def test_the_assessors_record_appears_on_the_candidates_evidence_list(client, alice, bob, hsc331):
    evidence = record(hsc331, bob)
    client.force_login(alice)

    page = client.get(reverse("portfolio:evidence_list")).content.decode()

    assert f'{evidence.title}</a> <span class="badge text-bg-light border">Recorded by the assessor</span>' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": AssessmentMethod.PRODUCT}, "records an observation or questions and answers"),
        ({"criteria": Criterion.objects.none(), "knowledge_items": KnowledgeItem.objects.none()}, "Tick at least one"),
        ({"criteria": Criterion.objects.filter(reference="H3 25.1")}, "Tick only criteria and knowledge items of HSC331"),
        ({"account": "  "}, "Write down what you saw"),
    ],
    ids=["another method", "nothing mapped", "another unit", "no account"],
)
def test_it_refuses_an_assessors_record_that_breaks_a_rule(alice, bob, hsc331, h3_25, change, message):
    with pytest.raises(PortfolioError, match=message):
        record(hsc331, bob, **change)

    assert not Evidence.objects.exists()


def test_only_the_units_assessor_may_record_evidence_on_it(people, hsc331, daves_unit):
    with pytest.raises(PortfolioError, match="Only the candidate's assessor on this unit"):
        record(hsc331, people["erin"])

    assert not Evidence.objects.exists()


def test_a_failed_record_leaves_no_file_behind(alice, bob, hsc331, evidence_root):
    with pytest.raises(PortfolioError):
        record(hsc331, bob, criteria=Criterion.objects.filter(reference="H3 25.1"), uploads=[photo()])

    assert not [p for p in evidence_root.rglob("*") if p.is_file()]


def test_the_candidate_cannot_map_or_change_what_the_assessor_wrote(alice, bob, hsc331):
    # A draft written by the assessor, as the service makes it before accepting it.
    evidence = services.evidence_create(
        candidate=alice, centre=hsc331.centre, author=bob, title="Observation", method="observation",
        activity_date=last_week(), account="What I saw.",
    )
    criteria = Criterion.objects.filter(reference="HSC331a.1")

    with pytest.raises(PortfolioError, match="Only the assessor who recorded this evidence"):
        services.evidence_map(evidence=evidence, editor=alice, criteria=criteria, knowledge_items=[], scope_items=[])
    with pytest.raises(PortfolioError, match="Only the assessor who recorded this evidence"):
        services.evidence_update(
            evidence=evidence, editor=alice, title="Mine now", method="observation",
            activity_date=last_week(), account="Changed.",
        )
    services.evidence_map(evidence=evidence, editor=bob, criteria=criteria, knowledge_items=[], scope_items=[])
    assert list(fresh(evidence).criteria.values_list("reference", flat=True)) == ["HSC331a.1"]


def test_the_assessor_still_cannot_map_the_candidates_own_evidence(alice, bob, hsc331):
    evidence = draft(alice, hsc331)

    with pytest.raises(PortfolioError, match="Only the candidate can change their own evidence"):
        services.evidence_map(
            evidence=evidence, editor=bob, criteria=Criterion.objects.filter(reference="HSC331a.2"),
            knowledge_items=[], scope_items=[],
        )


# The evidence page and the judge view


def page_text(client, person, evidence) -> str:
    client.force_login(person)
    response = client.get(reverse("assessments:evidence_detail", args=[evidence.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_assessor_sees_the_judging_form_with_the_four_vacs_boxes_on_submitted_evidence(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331, uploads=[photo(), pdf()])

    page = page_text(client, bob, evidence)

    for label in ("Valid", "Authentic", "Current", "Sufficient"):
        assert re.search(rf'<label class="form-check-label fw-semibold" for="id_{label.lower()}">{label}</label>', page)
    assert "It is the candidate’s own work." in page
    assert '<textarea class="form-control" name="feedback"' in page
    assert '>Accept</button>' in page
    assert '>Refer back to the candidate</button>' in page
    assert f'action="{reverse("assessments:judge", args=[evidence.pk])}"' in page


def test_the_assessor_sees_the_photo_and_the_pdf_where_they_judge(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331, uploads=[photo(), pdf()])
    image, document = evidence.files.order_by("original_name")[1], evidence.files.order_by("original_name")[0]

    page = page_text(client, bob, evidence)

    # The photo's preview, opening the photo full size; the PDF in a frame; each with its download.
    view = reverse("portfolio:evidence_file_view", args=[image.pk])
    assert (
        f'<a class="evidence-picture d-inline-block" href="{view}" target="_blank" rel="noopener">'
        f'<img src="{reverse("portfolio:evidence_file_preview", args=[image.pk])}" '
        'alt="Photo: visit-photo.png (opens full size in a new tab)"'
    ) in page
    frame = reverse("portfolio:evidence_file_view", args=[document.pk])
    assert f'<iframe class="evidence-pdf border rounded" src="{frame}" title="PDF: support-plan.pdf"' in page
    for kept in (image, document):
        assert f'<a href="{reverse("portfolio:evidence_file", args=[kept.pk])}">Download' in page


@pytest.mark.parametrize("who", ["alice", "carol", "grace"])
def test_nobody_but_the_assessor_sees_the_judging_form(client, people, hsc331, who):
    evidence = submitted(people["alice"], hsc331)

    page = page_text(client, people[who], evidence)

    assert "Refer back to the candidate" not in page
    assert 'name="valid"' not in page


def test_the_assessor_sees_no_judging_form_on_evidence_already_judged(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    accept(evidence, bob)

    assert "Refer back to the candidate" not in page_text(client, bob, evidence)


def test_the_assessor_finds_no_draft_to_judge(client, alice, bob, hsc331):
    evidence = draft(alice, hsc331)
    client.force_login(bob)

    page = client.get(reverse("assessments:evidence_detail", args=[evidence.pk]))
    judged = client.post(reverse("assessments:judge", args=[evidence.pk]), {"decision": "accept"})

    assert page.status_code == judged.status_code == 404
    assert fresh(evidence).state == EvidenceState.DRAFT


def test_the_assessor_accepts_through_the_page_and_goes_on_to_the_units_decisions(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    client.force_login(bob)

    response = client.post(
        reverse("assessments:judge", args=[evidence.pk]),
        {**dict.fromkeys(judging.VACS, "on"), "decision": "accept", **shown(evidence)},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("assessments:decisions", args=[hsc331.pk]), 302)]
    page = response.content.decode()
    assert (
        "E1 is accepted. Alice Adams has been told. Nothing else of Alice Adams’s on HSC331 waits for you: "
        "here are its decisions."
    ) in page
    assert fresh(evidence).state == EvidenceState.ACCEPTED
    page = client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode()
    assert "Confirmed valid, authentic, current and sufficient." in page


def test_accepting_without_a_vacs_box_shows_which_and_records_nothing(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    client.force_login(bob)

    response = client.post(
        reverse("assessments:judge", args=[evidence.pk]),
        {"valid": "on", "authentic": "on", "current": "on", "feedback": "Nearly.", "decision": "accept", **shown(evidence)},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm the evidence is sufficient, or refer it back." in page
    assert "Nearly.</textarea>" in page
    assert 'name="valid" id="id_valid" checked' in page
    assert fresh(evidence).state == EvidenceState.SUBMITTED


def test_referring_back_without_feedback_asks_for_it(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    client.force_login(bob)

    response = client.post(
        reverse("assessments:judge", args=[evidence.pk]), {"feedback": " ", "decision": "refer", **shown(evidence)}
    )

    assert response.status_code == 400
    assert "Write what the candidate should change before referring it back." in response.content.decode()
    assert fresh(evidence).state == EvidenceState.SUBMITTED


def test_judging_evidence_someone_else_already_judged_says_so(client, alice, bob, erin, carol, hsc331, centre):
    enrol(alice, "H3 25", assessor=erin, iqa=carol, centre=centre)
    # Mapped to both units, so it is Bob's and Erin's to judge (`portfolio.judged_by`).
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.1"))
    accept(evidence, erin)
    client.force_login(bob)

    response = client.post(
        reverse("assessments:judge", args=[evidence.pk]), {"feedback": "More.", "decision": "refer", **shown(evidence)},
        follow=True,
    )

    assert "E1 has already been accepted." in response.content.decode()
    assert Judgement.objects.count() == 1


def links(page: str) -> list[tuple[str, str]]:
    """(address, words) of each link in the page's main part."""
    main = page.split("<main", 1)[1]
    found = re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', main)
    return [(href, re.sub(r"<[^>]+>", "", words).strip()) for href, words in found]


def test_the_candidate_sees_the_feedback_of_referred_evidence_with_change_and_submit_again(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")

    page = page_text(client, alice, evidence)

    assert "Your assessor referred E1 back to you" in page
    assert "Say what Person A chose." in page
    found = links(page)
    assert [words for href, words in found if href == reverse("portfolio:evidence_edit", args=[evidence.pk])] == ["Change"]
    assert [words for href, words in found if href == reverse("portfolio:evidence_submit", args=[evidence.pk])] == ["Submit again"]
    assert "Change and resubmit" not in page


def test_a_draft_offers_submit_for_assessment(client, alice, hsc331):
    evidence = draft(alice, hsc331)

    found = links(page_text(client, alice, evidence))

    assert [words for href, words in found if href == reverse("portfolio:evidence_submit", args=[evidence.pk])] == [
        "Submit for assessment"
    ]


def test_the_evidence_page_shows_what_it_proves_in_plain_words(client, alice, hsc331):
    evidence = draft(alice, hsc331, criteria=["HSC331a.1"])

    page = page_text(client, alice, evidence)

    proves = page[page.index('id="mapping-heading"'):page.index('id="judgements-heading"')]
    assert "you support individuals to identify and communicate" in proves
    assert "**" not in proves


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "grace"])
def test_everyone_on_the_case_sees_every_round(client, people, hsc331, who):
    alice, bob = people["alice"], people["bob"]
    evidence = submitted(alice, hsc331)
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")
    services.evidence_submit(evidence=fresh(evidence), candidate=alice, declared=True)
    accept(fresh(evidence), bob, feedback="Thank you, clear now.")

    page = page_text(client, people[who], evidence)

    rounds = page[page.index('id="judgements-heading"'):page.index('id="history-heading"')]
    assert rounds.index("Referred back") < rounds.index("Say what Person A chose.") < rounds.index("Accepted")
    assert "Round 1 · version 1" in rounds
    assert "Round 2 · version 1" in rounds
    assert rounds.count("Bob Baker") == 2
    assert "Thank you, clear now." in rounds


def test_the_assessors_record_is_marked_as_theirs(client, alice, bob, hsc331):
    evidence = record(hsc331, bob)

    page = page_text(client, alice, evidence)

    assert "Recorded by the assessor" in page
    assert "What the assessor saw" in page
    assert "You can change it again only if" not in page


def test_the_evidence_page_costs_the_same_with_one_round_or_three(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="One.")
    client.force_login(bob)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).status_code == 200
        return len(captured)

    with_one = queries()
    for feedback in ("Two.", "Three."):
        services.evidence_submit(evidence=fresh(evidence), candidate=alice, declared=True)
        judging.evidence_refer_back(evidence=fresh(evidence), assessor=bob, feedback=feedback)
    assert queries() == with_one


# The assessor's record through its page


def test_the_assessor_records_an_observation_through_the_page(client, alice, bob, hsc331):
    client.force_login(bob)
    url = reverse("assessments:assessor_evidence_create", args=[hsc331.pk])
    a1, k6 = Criterion.objects.get(reference="HSC331a.1"), KnowledgeItem.objects.get(reference="HSC331 K6")

    form_page = client.get(url + "?method=observation").content.decode()
    assert "<h1>Record an observation</h1>" in form_page
    assert "HSC331a.1" in form_page and "H3 25.1" not in form_page
    response = client.post(url, {
        "method": "observation", "title": "Observation: phoning family", "activity_date": last_week().isoformat(),
        "location": "Day centre", "account": "I saw Alice help Person A phone their sister.",
        "criteria": [a1.pk], "knowledge_items": [k6.pk], "files": [photo()],
    })

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:evidence_detail", args=[evidence.pk])
    assert (evidence.created_by, evidence.candidate, evidence.state) == (bob, alice, EvidenceState.ACCEPTED)
    assert evidence.files.count() == 1


def test_the_questioning_page_asks_for_questions_and_answers(client, bob, hsc331):
    client.force_login(bob)

    page = client.get(
        reverse("assessments:assessor_evidence_create", args=[hsc331.pk]) + "?method=questioning"
    ).content.decode()

    assert "<h1>Record questions and answers</h1>" in page
    assert "Questions and answers" in page


def test_the_assessors_record_needs_something_mapped(client, bob, hsc331):
    client.force_login(bob)

    response = client.post(reverse("assessments:assessor_evidence_create", args=[hsc331.pk]), {
        "method": "observation", "title": "Observation", "activity_date": last_week().isoformat(),
        "account": "What I saw.",
    })

    assert response.status_code == 400
    assert "Tick at least one criterion or knowledge item" in response.content.decode()
    assert not Evidence.objects.exists()


def observation_fields(**overrides) -> dict:
    return {
        "method": "observation", "title": "Observation: phoning family", "activity_date": last_week().isoformat(),
        "account": "I saw Alice help Person A phone their sister.",
        "criteria": [Criterion.objects.get(reference="HSC331a.1").pk], **overrides,
    }


def test_the_observation_form_is_sent_by_the_upload_script_like_the_candidates(client, bob, hsc331):
    client.force_login(bob)
    url = reverse("assessments:assessor_evidence_create", args=[hsc331.pk])

    form_page = client.get(url).content.decode()

    assert '<div id="evidence-form-container">' in form_page
    assert 'id="evidence-form"' in form_page
    assert all(part in form_page for part in ("data-drop-zone", "data-file-queue", "data-upload-progress"))


def test_the_upload_script_is_told_where_to_go_after_a_saved_observation(client, bob, hsc331):
    client.force_login(bob)

    response = client.post(
        reverse("assessments:assessor_evidence_create", args=[hsc331.pk]),
        observation_fields(files=[photo()]),
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    evidence = Evidence.objects.get()
    assert response.status_code == 204
    assert response["X-Next-Page"] == reverse("assessments:evidence_detail", args=[evidence.pk])
    page = client.get(response["X-Next-Page"]).content.decode()
    assert "E1 “Observation: phoning family” is on Alice Adams’s portfolio, accepted as your own record, and cited as meeting 1 item: HSC331a.1." in page


def test_a_refused_file_on_the_observation_form_is_named_where_the_upload_script_finds_it(client, bob, hsc331):
    client.force_login(bob)
    fake = SimpleUploadedFile("notes.pdf", hostile_files.HTML_PAGE, content_type="application/pdf")

    response = client.post(
        reverse("assessments:assessor_evidence_create", args=[hsc331.pk]),
        observation_fields(files=[photo(), fake]),
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved, because 1 file was not accepted" in page
    assert '<li data-file-name="notes.pdf"><a href="#id_files" class="alert-link">“notes.pdf” is an HTML page, not a PDF' in page
    assert not Evidence.objects.exists()


# The unit page's judging panel


def test_the_unit_page_offers_the_assessor_to_record_evidence_and_counts_what_waits(client, alice, bob, hsc331, h3_25):
    first = submitted(alice, hsc331, criteria=["HSC331a.1"])
    submitted(alice, hsc331, criteria=["H3 25.1"], title="Boundaries")
    client.force_login(bob)

    page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()

    assert ">Record an observation</a>" in page
    assert ">Record questions and answers</a>" in page
    assert "1 piece of evidence for HSC331 waits for your judgement." in page
    judge = re.search(r'href="([^"]+)">Judge E1</a>', page)
    assert judge and judge.group(1) == reverse("assessments:evidence_detail", args=[first.pk]) + "#judge"
    assert client.get(judge.group(1)).status_code == 200


@pytest.mark.parametrize("who", ["alice", "carol", "grace"])
def test_the_unit_page_has_no_judging_panel_for_anyone_else(client, people, hsc331, who):
    client.force_login(people[who])

    page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()

    assert "Record an observation" not in page


def test_the_judge_address_takes_only_a_post(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331)
    client.force_login(bob)

    assert client.get(reverse("assessments:judge", args=[evidence.pk])).status_code == 405


# Two assessors at once, for real: only PostgreSQL holds row locks across connections.


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("moves", [("accept", "accept"), ("accept", "refer")])
def test_two_assessors_judging_at_once_make_one_judgement(alice, bob, erin, carol, centre, hsc331, moves):
    import threading

    from django.db import connections

    enrol(alice, "H3 25", assessor=erin, iqa=carol, centre=centre)
    # Mapped to both units, so it is Bob's and Erin's to judge (`portfolio.judged_by`).
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.1"))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def judge(move, assessor):
        try:
            start.wait()
            if move == "accept":
                accept(Evidence.objects.get(pk=evidence.pk), assessor)
            else:
                judging.evidence_refer_back(
                    evidence=Evidence.objects.get(pk=evidence.pk), assessor=assessor, feedback="More detail."
                )
            outcomes.append("judged")
        except PortfolioError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=judge, args=(move, assessor)) for move, assessor in zip(moves, (bob, erin), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[-1] == "judged"
    assert re.fullmatch(r"E1 has already been (accepted|referred back to the candidate)\.", sorted(outcomes)[0])
    assert Judgement.objects.filter(evidence=evidence).count() == 1
    assert AuditEvent.objects.filter(action__startswith="assessments.evidence.").count() == 1


def test_witness_testimony_an_assessor_asked_for_is_not_marked_as_the_assessors(alice, bob, hsc331):
    testimony = EvidenceFactory(
        candidate=alice, centre=hsc331.centre, created_by=bob, method=AssessmentMethod.WITNESS_TESTIMONY
    )

    assert not testimony.is_assessors


def test_the_evidence_page_shows_the_assessor_each_mapped_criterion_and_knowledge_item_in_full(
    client, alice, bob, hsc331
):
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "HSC331b.3"), knowledge=("HSC331 K11",))
    items = [*evidence.criteria.all(), *evidence.knowledge_items.all()]
    assert len(items) == 3 and any(item.points.exists() for item in items)

    client.force_login(bob)
    page = " ".join(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode().split())

    for item in items:
        # The last words of the item and of each of its sub-points: what a cut-off would lose.
        for text in [item.text, *item.points.values_list("text", flat=True)]:
            assert " ".join(text.split()[-4:]) in page, item.reference
