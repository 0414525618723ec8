"""The demo centre that `.ci/serve` loads: people in every role, evidence in several states, and a
unit signed off the whole way through."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from assessments import integrity, met_counts
from assessments.models import Decision, Judgement, QualityReview, SignOff
from exports.unit_pdf import render_unit_pdf
from portfolio import digest
from portfolio.models import Centre, Enrolment, EqaGrant, Evidence, Membership, Notification, Person, Role
from standards.models import Criterion, KnowledgeItem

pytestmark = pytest.mark.django_db


def test_it_builds_the_demo_centre_once_and_prints_the_logins():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "grace@demo.example" in out.getvalue() and "demo-portfolio-2026" in out.getvalue()
    counts = (Centre.objects.count(), Person.objects.count(), Evidence.objects.count())
    assert set(Evidence.objects.values_list("state", flat=True)) == {"draft", "submitted", "referred", "accepted"}
    assert Person.objects.get(email="alice@demo.example").check_password("demo-portfolio-2026")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.CANDIDATE, Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR}
    assert "hana@demo.example      Hana Ellis — External quality assurer (access granted by the centre)" in out.getvalue()
    # The EQA reads by the centre's grant: both units, from today, for 90 days, her terms still to accept.
    grant = EqaGrant.objects.get(person__email="hana@demo.example")
    assert sorted(grant.units.values_list("code", flat=True)) == ["H3 25", "HSC331"]
    assert (grant.end_date - grant.start_date).days == 90 and grant.terms_accepted_at is None

    # Its decisions are recorded through the services, which keep them counted.
    centre = Centre.objects.get()
    assert met_counts.kept_counts(centre) == met_counts.live_counts(centre)
    assert met_counts.kept_counts(centre).by_enrolment

    again = io.StringIO()
    call_command("setup_demo", stdout=again)
    assert "nothing changed" in again.getvalue()
    assert (Centre.objects.count(), Person.objects.count(), Evidence.objects.count()) == counts


def test_the_demo_site_administrator_has_a_persons_name_even_in_a_demo_loaded_before():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    site = Person.objects.get(email="admin@demo.example")
    assert (site.first_name, site.last_name, site.is_superuser) == ("Sam", "Reid", True)
    assert "admin@demo.example     Sam Reid — Site administrator" in out.getvalue()

    Person.objects.filter(pk=site.pk).update(first_name="Site", last_name="Admin")
    call_command("setup_demo", stdout=io.StringIO())
    site.refresh_from_db()
    assert site.get_full_name() == "Sam Reid"


def test_the_demo_has_a_unit_signed_off_countersigned_and_ready_to_export():
    call_command("setup_demo", stdout=io.StringIO())
    fays = Enrolment.objects.get(candidate__email="fay@demo.example", unit__code="H3 25")

    sign_off = SignOff.objects.get(enrolment=fays, voided_at__isnull=True)
    assert sign_off.candidate_signed_at is not None
    report = integrity.check(sign_off)
    assert report.intact, report.problems
    assert sign_off.manifest["scope"] == []  # H3 25 has no scope categories
    review = QualityReview.objects.get(enrolment=fays, sign_off=sign_off)
    assert review.outcome == QualityReview.Outcome.COUNTERSIGNED
    met = Decision.objects.filter(enrolment=fays, withdrawn_at__isnull=True)
    items = [*Criterion.objects.filter(unit=fays.unit), *KnowledgeItem.objects.filter(unit=fays.unit)]
    assert met.count() == len(items) == 31
    # The exported record: every item's reference and every cited evidence item's title, no review mark.
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_unit_pdf(fays))).pages)
    flat = " ".join(text.split())
    for item in items:
        assert item.reference in flat
    for title in Evidence.objects.filter(decisions__enrolment=fays).values_list("title", flat=True).distinct():
        assert title in flat
    assert "NOT SIGNED OFF" not in text
    squashed = "".join(text.split())  # long digests wrap across lines
    assert sign_off.decisions_digest in squashed and sign_off.signature in squashed


def test_the_demo_assessor_has_recorded_the_scope_of_alices_accepted_evidence():
    call_command("setup_demo", stdout=io.StringIO())
    visit = Evidence.objects.get(candidate__email="alice@demo.example", title="Supporting a family visit")

    judgement = Judgement.objects.get(evidence=visit, outcome=Judgement.Outcome.ACCEPTED)

    assert sorted(judgement.scope_items.values_list("reference", flat=True)) == ["HSC331 S1.1", "HSC331 S4.1"]
    assert list(visit.scope_items.values_list("reference", flat=True)) == ["HSC331 S4.1"]  # Alice's own mapping


def test_serve_can_build_the_centre_quietly_and_print_the_logins_on_their_own_afterwards():
    quiet, logins = io.StringIO(), io.StringIO()

    call_command("setup_demo", "--no-logins", stdout=quiet)
    call_command("setup_demo", "--logins-only", stdout=logins)

    assert "Demo centre created." in quiet.getvalue() and "grace@demo.example" not in quiet.getvalue()
    assert "grace@demo.example" in logins.getvalue() and "demo-portfolio-2026" in logins.getvalue()
    assert "created" not in logins.getvalue() and "nothing changed" not in logins.getvalue()


def test_the_demo_is_built_without_emailing_its_made_up_people(settings, django_capture_on_commit_callbacks, mailoutbox):
    # The worker's queue as `.ci/serve` has it: whatever is queued here, the worker sends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup_demo", stdout=io.StringIO())

    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert not [path for path in queued if "notification" in path], list(queued)
    assert mailoutbox == []
    # Everyone still finds what happened in the app; nothing waits for tomorrow's digest either.
    assert Notification.objects.filter(recipient__email="bob@demo.example").exists()
    assert not digest.waiting().exists()
