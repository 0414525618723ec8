"""Issue 13 item 7, the candidate's pages: the referral feedback stands above the Change form; the
unit page's "What is missing" lists each criterion with its sub-points and the scope not yet
evidenced, each with a link to add evidence for it, which carries the item to the mapping page,
ticked; the state badges tell draft, submitted, referred back and accepted apart without colour.

Alice is the candidate on HSC331 and H3 25, Bob her assessor (tests/cast.py).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import judging
from portfolio import locks, referrals
from portfolio.models import Evidence
from standards.models import Criterion, CriterionPoint, ScopeCategory
from tests.assessments.judging_people import draft, last_week, submitted
from tests.assessments.unit_case import accept

pytestmark = pytest.mark.django_db

FEEDBACK = "Say what Person A chose and how you checked they were happy with the plan."


def _between(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


def _referred(alice, bob, hsc331) -> Evidence:
    evidence = submitted(alice, hsc331)
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback=FEEDBACK)
    return Evidence.objects.get(pk=evidence.pk)


# The referral feedback above the Change form --------------------------------------------------


def test_the_change_page_shows_the_assessors_feedback_above_the_form(client, alice, bob, hsc331):
    evidence = _referred(alice, bob, hsc331)
    client.force_login(alice)
    page = client.get(reverse("portfolio:evidence_edit", args=[evidence.pk])).content.decode()

    box = _between(page, 'aria-labelledby="referral-heading"', "</section>")
    assert "What your assessor asked you to change" in box
    assert "Bob Baker referred version 1 back to you on" in box
    assert FEEDBACK in box
    assert page.index(FEEDBACK) < page.index('id="evidence-form"')


def test_the_change_page_of_a_draft_has_no_feedback_box(client, alice, hsc331):
    evidence = draft(alice, hsc331)
    client.force_login(alice)
    page = client.get(reverse("portfolio:evidence_edit", args=[evidence.pk])).content.decode()
    assert "referral-heading" not in page


def test_the_feedback_shows_the_assessors_note_on_each_item_when_it_has_them(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "HSC331a.2"))
    judging.evidence_refer_back(
        evidence=evidence, assessor=bob, feedback=FEEDBACK,
        notes={Criterion.objects.get(reference="HSC331a.2"): "Say who chose the day."},
    )
    client.force_login(alice)
    page = client.get(reverse("portfolio:evidence_edit", args=[evidence.pk])).content.decode()
    listed = _between(page, 'class="mb-0 referral-notes"', "</ul>")
    assert '<span class="ref me-1">HSC331a.2</span>Say who chose the day.' in listed
    assert "HSC331a.1" not in listed
    assert page.index("Say who chose the day.") < page.index('id="evidence-form"')


def test_evidence_submitted_again_has_no_referral_to_show(alice, bob, hsc331):
    evidence = _referred(alice, bob, hsc331)
    assert referrals.latest_referral(evidence).feedback == FEEDBACK
    Evidence.objects.filter(pk=evidence.pk).update(state="submitted")
    assert referrals.latest_referral(Evidence.objects.get(pk=evidence.pk)) is None


# What is missing, and adding evidence for it -------------------------------------------------


def _missing(client, enrolment) -> str:
    page = client.get(reverse("assessments:enrolment_detail", args=[enrolment.pk])).content.decode()
    return _between(page, 'id="missing-heading"', 'id="criteria-heading"')


def test_what_is_missing_lists_each_criterion_with_its_sub_points_and_a_link_to_add_evidence(client, alice, hsc331):
    client.force_login(alice)
    missing = _missing(client, hsc331)
    criterion = Criterion.objects.get(reference="HSC331a.1")
    item = _between(missing, 'href="#hsc331a-1"', "</li>\n")
    for point in CriterionPoint.objects.filter(criterion=criterion):
        assert point.text in missing
    assert f'href="/portfolio/evidence/new/?for=criterion-{criterion.pk}"' in missing
    assert 'aria-label="Add evidence for this: HSC331a.1">Add evidence for this</a>' in missing
    assert "sub-points" in item


def test_what_is_missing_lists_the_scope_not_yet_evidenced_with_its_situations(client, alice, hsc331):
    client.force_login(alice)
    missing = _missing(client, hsc331)
    categories = ScopeCategory.objects.filter(unit__code="HSC331").order_by("position")
    assert f"Scope with no evidence ({categories.count()})" in missing
    for category in categories:
        assert f'href="/portfolio/evidence/new/?for=scope-{category.pk}"' in missing
        assert category.lead in missing
        for item in category.items.all():
            assert item.reference in missing


def test_only_the_candidate_is_offered_to_add_evidence_for_what_is_missing(client, bob, hsc331):
    client.force_login(bob)
    missing = _missing(client, hsc331)
    assert "Criteria with no evidence (17)" in missing
    assert "Add evidence for this" not in missing and "?for=" not in missing


def test_adding_evidence_for_a_criterion_ticks_it_on_the_mapping_page(client, alice, hsc331):
    criterion = Criterion.objects.get(reference="HSC331b.2")
    client.force_login(alice)

    form_page = client.get(f"{reverse('portfolio:evidence_create')}?for=criterion-{criterion.pk}").content.decode()
    assert "You are adding evidence for <span class=\"ref\">HSC331b.2</span>" in form_page
    assert f'<input type="hidden" name="for" value="criterion-{criterion.pk}">' in form_page

    response = client.post(reverse("portfolio:evidence_create"), {
        "title": "Planning a visit", "method": "reflective_account", "activity_date": last_week().isoformat(),
        "location": "Day centre", "account": "I helped Person A plan a visit.", "for": f"criterion-{criterion.pk}",
    })
    evidence = Evidence.objects.get(title="Planning a visit")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portfolio:evidence_map', args=[evidence.pk])}?for=criterion-{criterion.pk}"

    mapping = client.get(response["Location"]).content.decode()
    assert re.search(rf'value="{criterion.pk}" id="map-criteria-{criterion.pk}" checked', mapping)
    assert "is ticked for you, because you added this evidence for it" in mapping
    assert 'data-warn-unsaved="unsaved"' in mapping  # ticked, not saved: leaving warns
    assert not evidence.criteria.exists()  # saved only when the candidate saves the mapping


def test_adding_evidence_for_a_scope_category_points_to_it_without_ticking(client, alice, hsc331):
    category = ScopeCategory.objects.filter(unit__code="HSC331").order_by("position").first()
    evidence = draft(alice, hsc331, criteria=())
    client.force_login(alice)
    mapping = client.get(f"{reverse('portfolio:evidence_map', args=[evidence.pk])}?for=scope-{category.pk}").content.decode()
    assert f'<a href="#map-scope-category-{category.pk}">“{category.name}”</a>' in mapping
    assert f'id="map-scope-category-{category.pk}"' in mapping
    assert not re.search(r'name="scope_items" value="\d+" id="map-scope-\d+" checked', mapping)


@pytest.mark.parametrize("key", ["criterion-99999999999999999999", "scope-abc", "element-1", "criterion-", ""])
def test_an_item_the_address_cannot_name_adds_nothing(client, alice, hsc331, key):
    client.force_login(alice)
    response = client.get(f"{reverse('portfolio:evidence_create')}?for={key}")
    assert response.status_code == 200
    assert "You are adding evidence for" not in response.content.decode()


def test_an_item_of_a_unit_the_candidate_is_not_on_adds_nothing(client, alice, hsc331):
    other = Criterion.objects.get(reference="H3 25.1")  # Alice is on HSC331 only here
    client.force_login(alice)
    page = client.get(f"{reverse('portfolio:evidence_create')}?for=criterion-{other.pk}").content.decode()
    assert "You are adding evidence for" not in page


# The state badges --------------------------------------------------------------------------


def test_the_four_states_differ_in_words_icon_and_colour(client, alice, bob, hsc331):
    draft(alice, hsc331, title="A draft")
    submitted(alice, hsc331, title="A submitted one")
    _referred(alice, bob, hsc331)
    accept(submitted(alice, hsc331, title="An accepted one"), bob)
    client.force_login(alice)
    page = client.get(reverse("portfolio:evidence_list")).content.decode()

    badges = {}
    for state, words in [("draft", "Draft"), ("submitted", "Submitted for assessment"),
                         ("referred", "Referred back"), ("accepted", "Accepted")]:
        match = re.search(rf'<span class="badge state-badge state-{state}"><svg class="state-icon" aria-hidden="true"'
                          rf'[^>]*>(.*?)</svg>{words}</span>', page)
        assert match, state
        badges[state] = match.group(1)
    assert len(set(badges.values())) == 4  # each its own icon


def test_the_referral_date_is_the_day_it_was_referred(alice, bob, hsc331):
    evidence = _referred(alice, bob, hsc331)
    feedback = referrals.latest_referral(evidence)
    assert feedback.assessor_name == "Bob Baker" and feedback.version == 1
    assert timezone.now() - feedback.referred_at < datetime.timedelta(minutes=1)


def test_an_item_of_a_signed_off_unit_adds_nothing(client, alice, hsc331, monkeypatch):
    criterion = Criterion.objects.get(reference="HSC331a.1")
    monkeypatch.setattr(locks, "_locked_since", lambda ids: {hsc331.pk: timezone.now()} if hsc331.pk in ids else {})
    client.force_login(alice)
    page = client.get(f"{reverse('portfolio:evidence_create')}?for=criterion-{criterion.pk}").content.decode()
    assert "You are adding evidence for" not in page
