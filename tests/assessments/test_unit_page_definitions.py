"""The candidate's unit page explains the standard's defined words, as the standard's page does."""

import pytest

from portfolio.models import Role
from tests.factories import CentreFactory, enrol, load_standards, member

pytestmark = pytest.mark.django_db


def test_every_defined_word_on_the_unit_page_has_its_definition(client):
    load_standards()
    centre = CentreFactory()
    alice = member(centre, Role.CANDIDATE, email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, email="bob@example.org")
    carol = member(centre, Role.IQA, email="carol@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    client.force_login(alice)
    page = client.get(f"/assessments/units/{enrolment.pk}/").content.decode()
    buttons = set(page.split('data-definition="')[i].split('"')[0] for i in range(1, page.count('data-definition="') + 1))
    assert "definition-term-key-people" in buttons
    for definition in buttons:
        assert f'<template id="{definition}"' in page, f"{definition} opens nothing"
    assert 'href="/standards/hsc331/#term-key-people">Read it in the standard</a>' in page
