"""The evidence page's history: each event in a sentence that names who did it once (it said
"viewed by Bob Baker (Bob Baker)"); the views and downloads of its files one line a person ("Bob
Baker viewed its files 6 times, last on …"), so however often they are opened, the submission and
the judgements stay in the history.

Alice is the candidate on HSC331, Bob her assessor (tests/cast.py).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import judging
from portfolio import audit, dates, services_files
from portfolio.audit import PortfolioAction
from tests.assessments.judging_people import submitted
from tests.assessments.unit_case import photo

pytestmark = pytest.mark.django_db


def _history(page: str) -> str:
    start = page.index('id="history-heading"')
    return page[start:page.index("</section>", start)]


def test_each_event_names_who_did_it_once_and_the_file_views_are_one_line(client, alice, bob, hsc331, monkeypatch):
    evidence = submitted(alice, hsc331, uploads=[photo()])
    picture = evidence.files.get()
    now = timezone.now()
    real_now = timezone.now
    for hours in range(6, 0, -1):  # Bob opens the photo six times, two hours apart and more
        monkeypatch.setattr(timezone, "now", lambda hours=hours: now + datetime.timedelta(hours=2 * (6 - hours)))
        services_files.file_read(person=bob, evidence_file=picture, downloaded=False)
    last_view = timezone.now()
    monkeypatch.setattr(timezone, "now", real_now)
    services_files.file_read(person=bob, evidence_file=picture, downloaded=True)
    judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")

    client.force_login(bob)
    history = _history(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode())

    assert "(Bob Baker)" not in history
    assert "Bob Baker referred E1 back" in history
    assert "Alice Adams submitted E1" in history
    assert f"Bob Baker viewed its files 6 times, last on {dates.day_time(last_view)}" in history
    assert "Bob Baker downloaded its files once, on " in history
    assert history.count("visit-photo.png") == 0


def test_many_views_do_not_push_the_judgements_out_of_the_history(client, alice, bob, hsc331):
    evidence = submitted(alice, hsc331, uploads=[photo()])
    picture = evidence.files.get()
    for _ in range(60):
        audit.record(
            PortfolioAction.FILE_VIEWED, actor=bob, centre=evidence.centre, evidence=evidence,
            summary=f"{evidence.reference} file “visit-photo.png” viewed by {bob}",
            after={"file": picture.original_name, "sha256": picture.sha256, "file_id": picture.pk},
        )
    judging.evidence_accept(evidence=evidence, assessor=bob, valid=True, authentic=True, current=True, sufficient=True)

    client.force_login(alice)
    history = _history(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode())

    assert "Alice Adams submitted E1" in history
    assert "Bob Baker accepted E1" in history
    assert "Bob Baker viewed its files 60 times" in history
