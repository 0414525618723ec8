"""The demo centre that `.ci/serve` loads: people in every role and evidence in several states."""

import io

import pytest
from django.core.management import call_command

from portfolio.models import Centre, Evidence, Person

pytestmark = pytest.mark.django_db


def test_it_builds_the_demo_centre_once_and_prints_the_logins():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "grace@demo.example" in out.getvalue() and "demo-portfolio-2026" in out.getvalue()
    counts = (Centre.objects.count(), Person.objects.count(), Evidence.objects.count())
    assert set(Evidence.objects.values_list("state", flat=True)) == {"draft", "submitted", "referred", "accepted"}
    assert Person.objects.get(email="alice@demo.example").check_password("demo-portfolio-2026")

    again = io.StringIO()
    call_command("setup_demo", stdout=again)
    assert "nothing changed" in again.getvalue()
    assert (Centre.objects.count(), Person.objects.count(), Evidence.objects.count()) == counts
