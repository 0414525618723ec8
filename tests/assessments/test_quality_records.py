"""The centre's quality-assurance records (issue 15 item 5): standardisation meetings, recorded by an
IQA or administrator and read by the IQAs, administrators, EQAs and the assessors who attended; each
assessor's and IQA's competence and CPD, kept by themselves and read by the IQAs, administrators and
EQAs, with certificates served only through the permission-checked download."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import CompetenceFile, StandardisationMeeting
from portfolio.models import AuditEvent
from tests.assessments.unit_case import accepted_evidence, build_case, photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _last_month() -> str:
    return (timezone.localdate() - datetime.timedelta(days=30)).isoformat()


def _record_meeting(client, case, **changes):
    form = {
        "held_on": _last_month(), "attendees": [case.bob.pk, case.carol.pk],
        "looked_at": "Three observation records of HSC331a.2.", "outcome": "An observation names the criterion it shows.",
        "action_1_text": "Rewrite the observation template", "action_1_owner": case.bob.pk,
        "action_1_due": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    form.update(changes)
    return client.post(f"/assessments/centres/{case.centre.pk}/standardisation/new/", form)


def test_it_records_a_meeting_with_its_attendees_links_and_actions(client, case):
    evidence = accepted_evidence(case)
    client.force_login(case.carol)
    response = _record_meeting(client, case, units=[case.hsc331.pk], evidence=[evidence.pk])
    meeting = StandardisationMeeting.objects.get()
    assert response["Location"] == f"/assessments/standardisation/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Bob Baker, Carol Clark" in page
    assert "Rewrite the observation template" in page and "An observation names the criterion" in page
    assert f"/assessments/units/{case.hsc331.pk}/" in page and f"/assessments/evidence/{evidence.pk}/" in page
    event = AuditEvent.objects.get(action="assessments.standardisation.recorded")
    assert event.actor == case.carol and event.after["attendees"] == ["Bob Baker", "Carol Clark"]


def test_a_reader_who_may_not_open_a_linked_unit_sees_only_that_there_is_one(client, case):
    client.force_login(case.carol)
    _record_meeting(client, case, units=[case.dave_hsc331.pk])
    meeting = StandardisationMeeting.objects.get()
    client.force_login(case.bob)  # attended, but does not assess Dave
    page = client.get(f"/assessments/standardisation/{meeting.pk}/").content.decode()
    assert "Dave Davies" not in page
    assert "1 linked item you cannot open" in page


def test_an_assessor_sees_only_the_meetings_they_attended(client, case):
    client.force_login(case.carol)
    _record_meeting(client, case)
    _record_meeting(client, case, attendees=[case.erin.pk], action_1_owner=case.erin.pk, held_on="2026-01-05")
    client.force_login(case.erin)
    page = client.get(f"/assessments/centres/{case.centre.pk}/standardisation/").content.decode()
    assert page.count("Meeting of") == 1 and "5 January 2026" in page
    client.force_login(case.heidi)
    page = client.get(f"/assessments/centres/{case.centre.pk}/standardisation/").content.decode()
    assert page.count("Meeting of") == 2
    assert "Record a meeting" not in page  # the EQA reads only


def test_an_action_without_its_owner_or_date_is_refused_with_what_is_missing(client, case):
    client.force_login(case.grace)
    response = _record_meeting(client, case, action_1_owner="", action_1_due="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Action 1: give who does it." in page and "Action 1: give the due date." in page
    assert not StandardisationMeeting.objects.exists()


def test_the_eqa_cannot_record_a_meeting(client, case):
    client.force_login(case.heidi)
    assert _record_meeting(client, case).status_code == 403
    assert not StandardisationMeeting.objects.exists()


# Competence and CPD ---------------------------------------------------------------------------


def _add_taqa(client, case, certificate):
    return client.post(
        f"/assessments/centres/{case.centre.pk}/competence/qualifications/new/",
        {"kind": "taqa_assessor", "title": "Level 3 Certificate in Assessing Vocational Achievement",
         "awarding_body": "City & Guilds", "achieved_on": "2019-06-03", "certificate": certificate},
    )


def test_an_assessor_adds_a_qualification_with_its_certificate_which_the_iqa_downloads(client, case):
    client.force_login(case.bob)
    response = _add_taqa(client, case, photo("cava-certificate.png"))
    assert response["Location"] == f"/assessments/centres/{case.centre.pk}/competence/{case.bob.pk}/"
    kept = CompetenceFile.objects.get()
    assert kept.file.name.startswith(f"competence/{case.bob.pk}/") and "cava" not in kept.file.name
    client.force_login(case.carol)
    page = client.get(response["Location"]).content.decode()
    assert "Level 3 Certificate in Assessing Vocational Achievement" in page and "3 June 2019" in page
    download = client.get(f"/assessments/competence-files/{kept.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment") and "cava-certificate.png" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="assessments.competence.qualification_added")
    assert event.after["files"] == ["cava-certificate.png"]


def test_a_certificate_that_is_not_a_document_is_refused_and_nothing_is_kept(client, case):
    client.force_login(case.bob)
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = _add_taqa(client, case, fake)
    assert response.status_code == 400
    assert "certificate.pdf" in response.content.decode()
    assert not CompetenceFile.objects.exists()


def test_cpd_hours_in_the_last_twelve_months_show_on_the_centre_overview(client, case):
    client.force_login(case.bob)
    url = f"/assessments/centres/{case.centre.pk}/competence/cpd/new/"
    for done_on, hours in ((_last_month(), "3.5"), ((timezone.localdate() - datetime.timedelta(days=400)).isoformat(), "6")):
        response = client.post(url, {"activity": "Safeguarding update", "done_on": done_on, "hours": hours,
                                     "reflection": "What I will look for in observations now."})
        assert response.status_code == 302
    client.force_login(case.grace)
    page = client.get(f"/assessments/centres/{case.centre.pk}/competence/").content.decode()
    assert "Bob Baker" in page and "Carol Clark" in page and "Erin Evans" in page
    assert ">3.5<" in page.replace(" ", "")  # the 400-day-old entry is outside the 12 months


def test_cpd_with_no_hours_is_refused_with_its_reason(client, case):
    client.force_login(case.bob)
    response = client.post(
        f"/assessments/centres/{case.centre.pk}/competence/cpd/new/",
        {"activity": "Reading", "done_on": _last_month(), "hours": "0", "reflection": "Notes."},
    )
    assert response.status_code == 400
    assert "Give the hours the activity took: more than 0." in response.content.decode()


def test_another_assessor_finds_neither_the_record_nor_the_certificate(client, case):
    client.force_login(case.bob)
    _add_taqa(client, case, photo("cava.png"))
    kept = CompetenceFile.objects.get()
    client.force_login(case.erin)
    assert client.get(f"/assessments/centres/{case.centre.pk}/competence/{case.bob.pk}/").status_code == 404
    assert client.get(f"/assessments/competence-files/{kept.pk}/").status_code == 404
    client.force_login(case.frank)
    assert client.get(f"/assessments/competence-files/{kept.pk}/").status_code == 404
