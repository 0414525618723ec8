"""Issue 13 item 9: forms behave. Every form that is sent successfully answers with a redirect
(post, redirect, get: a refresh never sends it again), and every page with a form opens a refused
one on an error summary (templates/error_summary.html) linking to each field.

The people are the shared cast (tests/cast.py): Alice the candidate, Bob her assessor, Carol her
IQA, Grace the centre administrator.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.services import witness
from exports.unit_pdf import render_unit_pdf
from portfolio import services
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, Notification, Role
from portfolio.notification_preferences import kinds_for
from standards.models import Criterion
from tests.assessments.judging_people import draft, last_week, submitted
from tests.assessments.unit_case import accepted_evidence, build_case

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# The unit page's "actions done" box sends a refusal to its own page (iqa_actions_done.html, which
# has the summary), so it shows none itself.
REFUSED_ELSEWHERE = {"assessments/iqa_panel.html"}

# What shows a form has fields a person fills in (a form of one button has nothing to refuse).
_FIELDS = re.compile(r"\{\{ *(comment_)?form[|. ]|as_crispy_field|<textarea|type=\"(date|checkbox|radio|text)\"")
_POST_FORM = re.compile(r'<form method="post"')
_INCLUDE = re.compile(r'\{% include "([^"]+)"')


def _has_summary(text: str) -> bool:
    """The include ({% error_summary %}), or a summary of its own with the same contract for the
    page's script (data-error-summary: the judge form's and the decisions page's), here or in a
    template it includes."""
    if "{% error_summary" in text or "data-error-summary" in text:
        return True
    return any(
        (TEMPLATES / name).exists() and "data-error-summary" in (TEMPLATES / name).read_text()
        for name in _INCLUDE.findall(text)
    )


def test_every_page_with_a_form_to_fill_in_has_the_error_summary():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        text = path.read_text()
        if name in REFUSED_ELSEWHERE or not _POST_FORM.search(text) or not _FIELDS.search(text):
            continue
        if not _has_summary(text):
            missing.append(name)
    assert missing == [], "forms without {% error_summary %}: " + ", ".join(missing)


def _token() -> str:
    match = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def _evidence_fields(**changes) -> dict:
    return {
        "title": "Supporting a family visit", "method": AssessmentMethod.REFLECTIVE_ACCOUNT, "activity_date": last_week().isoformat(),
        "location": "Day centre", "account": "I supported Person A to phone their sister.", **changes,
    }


# Each successful post: who sends it, where, and what; and where the browser is sent.


def _evidence_create(w):
    return w.alice, reverse("portfolio:evidence_create"), _evidence_fields(), None


def _evidence_edit(w):
    evidence = draft(w.alice, w.hsc331)
    return w.alice, reverse("portfolio:evidence_edit", args=[evidence.pk]), _evidence_fields(title="Changed"), \
        reverse("assessments:evidence_detail", args=[evidence.pk])


def _evidence_map(w):
    evidence = draft(w.alice, w.hsc331)
    criterion = Criterion.objects.get(reference="HSC331a.2")
    return w.alice, reverse("portfolio:evidence_map", args=[evidence.pk]), {"criteria": [criterion.pk]}, \
        reverse("assessments:evidence_detail", args=[evidence.pk])


def _evidence_submit(w):
    evidence = draft(w.alice, w.hsc331)
    return w.alice, reverse("portfolio:evidence_submit", args=[evidence.pk]), {"declared": "on"}, \
        reverse("assessments:evidence_detail", args=[evidence.pk])


def _evidence_delete(w):
    evidence = draft(w.alice, w.hsc331)
    return w.alice, reverse("portfolio:evidence_delete", args=[evidence.pk]), {}, reverse("portfolio:evidence_list")


def _comment(w):
    evidence = submitted(w.alice, w.hsc331)
    return w.alice, reverse("assessments:evidence_comment", args=[evidence.pk]), {"text": "Is this enough?"}, \
        reverse("assessments:evidence_detail", args=[evidence.pk])


def _person_add(w):
    data = {"first_name": "Nia", "last_name": "Newton", "email": "nia@example.org", "role": Role.CANDIDATE}
    return w.grace, reverse("portfolio:person_create", args=[w.centre.pk]), data, \
        reverse("assessments:centre_detail", args=[w.centre.pk])


def _notification_settings(w):
    choices = {kind.value: "in_app" for kind in kinds_for(w.alice)}
    return w.alice, reverse("portfolio:notification_preferences"), choices, reverse("portfolio:notification_preferences")


def _notifications_read(w):
    Notification.objects.create(recipient=w.alice, message="E1 was accepted.")
    return w.alice, reverse("portfolio:notifications_mark_read"), {}, reverse("portfolio:notification_list")


def _testimony_request(w):
    data = {"witness_name": "Wendy Walsh", "witness_email": "wendy@care.example.org",
            "criteria": [Criterion.objects.get(reference="HSC331a.1").pk]}
    return w.alice, reverse("assessments:testimony_request", args=[w.hsc331.pk]), data, \
        reverse("assessments:enrolment_detail", args=[w.hsc331.pk])


def _testimony_give(w):
    witness.testimony_request(
        enrolment=w.hsc331, requested_by=w.alice, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
        criteria=Criterion.objects.filter(reference="HSC331a.1"),
    )
    token = _token()
    data = {"testimony": "I saw Alice help Person A phone their sister and choose a day to visit. " * 2,
            "seen_on": last_week().isoformat(), "seen_at": "Day centre", "witness_name": "Wendy Walsh",
            "job_role": "Team leader", "relationship": "Line manager", "expert": "no", "confirmed": "on"}
    return None, reverse("assessments:testimony_give", args=[token]), data, f"/assessments/witness/{token}/?sent=1"


def _observation(w):
    data = {"method": "observation", "title": "Observation", "activity_date": last_week().isoformat(),
            "account": "I saw Alice help Person A phone their sister.",
            "criteria": [Criterion.objects.get(reference="HSC331a.1").pk]}
    return w.bob, reverse("assessments:assessor_evidence_create", args=[w.hsc331.pk]), data, None


def _iqa_sample(w):
    return w.carol, reverse("assessments:iqa_sample"), {"enrolments": [w.hsc331.pk]}, reverse("assessments:iqa_sample")


def _sampling_plan(w):
    today = timezone.localdate().isoformat()
    data = {"period_start": today, "share_new": "100", "share_in_development": "50", "share_experienced": "20",
            "share_under_support": "100"}
    for person in (w.bob, w.erin):
        data.update({f"rating_{person.pk}": "new", f"rated_on_{person.pk}": today,
                     f"reason_{person.pk}": "New to assessing", f"stages_{person.pk}": "both"})
    plan = reverse("assessments:sampling_plan", args=[w.centre.pk, w.carol.pk])
    return w.carol, reverse("assessments:sampling_plan_edit", args=[w.centre.pk, w.carol.pk]), data, plan


def _export(w):
    return w.grace, reverse("exports:export_list", args=[w.centre.pk]), \
        {"choice": "chosen", "enrolments": [w.hsc331.pk]}, None


def _verify(w):
    accepted_evidence(w)
    pdf = SimpleUploadedFile("unit.pdf", render_unit_pdf(w.hsc331), content_type="application/pdf")
    return w.bob, reverse("exports:verify_pdf"), {"pdf": pdf}, reverse("exports:verify_pdf")


def _password_change(w):
    data = {"old_password": "correct horse battery", "new_password1": "a new horse staple 77",
            "new_password2": "a new horse staple 77"}
    return w.alice, reverse("password_change"), data, reverse("password_change_done")


def _enrolment_withdraw(w):
    data = {"effective_date": timezone.localdate().isoformat(), "reason": "Alice has left her job in care."}
    return w.grace, reverse("portfolio:enrolment_withdraw", args=[w.hsc331.pk]), data, \
        reverse("portfolio:enrolment_manage", args=[w.hsc331.pk])


SUCCESSES = [
    _enrolment_withdraw,
    _evidence_create, _evidence_edit, _evidence_map, _evidence_submit, _evidence_delete, _comment, _person_add,
    _notification_settings, _notifications_read, _testimony_request, _testimony_give, _observation, _iqa_sample,
    _sampling_plan, _export, _verify, _password_change,
]


@pytest.mark.parametrize("success", SUCCESSES, ids=[f.__name__.strip("_") for f in SUCCESSES])
def test_a_form_sent_successfully_answers_with_a_redirect(success, django_capture_on_commit_callbacks):
    world = build_case()
    person, url, data, to = success(world)
    client = Client()
    if person is not None:
        client.force_login(person)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 302, page[page.find("data-error-summary"):][:1500]
    if to is not None:
        assert response["Location"].split("#")[0] == to
    # The page the browser is sent to is one it may open.
    assert client.get(response["Location"]).status_code == 200


def test_the_login_answers_with_a_redirect(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "correct horse battery"})
    assert response.status_code == 302


def test_a_refused_form_comes_back_with_the_summary_linking_to_each_field(client, grace, centre):
    client.force_login(grace)
    response = client.post(reverse("portfolio:person_create", args=[centre.pk]),
                           {"first_name": "", "last_name": "Newton", "email": "not an address"})
    page = response.content.decode()
    summary = page[page.index("data-error-summary"):page.index("</ul>", page.index("data-error-summary"))]
    assert "There is a problem" in summary and 'role="alert"' in summary
    assert '<a href="#id_first_name" class="alert-link">First name: This field is required.</a>' in summary
    assert '<a href="#id_email" class="alert-link">Email address: Enter a valid email address.</a>' in summary
    # A group of radio buttons has no one label: the link goes to its first.
    assert '<a href="#id_role_0" class="alert-link">Role at this centre: This field is required.</a>' in summary
    assert 'id="id_role_0"' in page


def test_the_summary_comes_first_in_the_form_and_the_field_keeps_its_own_message(client, alice, hsc331):
    client.force_login(alice)
    response = client.post(reverse("portfolio:evidence_create"), _evidence_fields(title=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert page.index("data-error-summary") < page.index('id="evidence-form"') < page.index('id="id_title"')
    assert 'id="error_1_id_title"' in page  # crispy's message beside the field, as before
    assert 'data-warn-unsaved="unsaved"' in page  # what was typed was never saved


def test_a_refused_comment_puts_its_summary_at_the_top_of_the_comment_box(client, alice, hsc331):
    evidence = submitted(alice, hsc331)
    client.force_login(alice)
    response = client.post(reverse("assessments:evidence_comment", args=[evidence.pk]), {"text": " "})
    assert response.status_code == 302 and response["Location"].endswith("#comment-errors")
    page = client.get(response["Location"]).content.decode()
    box = page[page.index('id="conversation"'):]
    assert box.index('id="comment-errors"') < box.index("<textarea")
    assert '<a href="#id_text" class="alert-link">Write your comment before sending it.</a>' in box


def test_a_refused_mapping_keeps_the_boxes_ticked(client, alice, hsc331, monkeypatch):
    evidence = draft(alice, hsc331)
    wanted = Criterion.objects.get(reference="HSC331b.3")

    def refuse(**_):
        raise PortfolioError("HSC331 was signed off a moment ago.")

    monkeypatch.setattr(services, "evidence_map", refuse)
    client.force_login(alice)
    response = client.post(reverse("portfolio:evidence_map", args=[evidence.pk]), {"criteria": [wanted.pk]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "HSC331 was signed off a moment ago." in page
    assert re.search(rf'value="{wanted.pk}" id="map-criteria-{wanted.pk}" checked', page)
    first = Criterion.objects.get(reference="HSC331a.1")  # mapped before, unticked in the refused form
    assert not re.search(rf'value="{first.pk}" id="map-criteria-{first.pk}" checked', page)


def test_a_refused_export_keeps_the_choice_and_links_to_the_date(client, grace, centre, hsc331):
    client.force_login(grace)
    response = client.post(reverse("exports:export_list", args=[centre.pk]),
                           {"choice": "matching", "signed_off_since": "yesterday"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#signed-off-since" class="alert-link">Give the date as day, month and year.</a>' in page
    assert 'id="choice-matching" value="matching" checked' in page and 'value="yesterday"' in page


def test_the_witness_thanks_page_keeps_no_record_of_a_second_send(hsc331, alice):
    witness.testimony_request(
        enrolment=hsc331, requested_by=alice, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
        criteria=Criterion.objects.filter(reference="HSC331a.1"),
    )
    browser = Client()
    token = _token()
    data = {"testimony": "I saw Alice help Person A phone their sister and choose a day to visit. " * 2,
            "seen_on": timezone.localdate().isoformat(), "seen_at": "Day centre", "witness_name": "Wendy Walsh",
            "job_role": "Team leader", "relationship": "Line manager", "expert": "no", "confirmed": "on"}
    thanks = browser.post(reverse("assessments:testimony_give", args=[token]), data)["Location"]
    for _ in range(2):  # the thanks page, and a refresh of it
        assert "Thank you: your testimony is sent" in browser.get(thanks).content.decode()
