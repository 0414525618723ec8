"""The people of the centre pages' and home pages' tests: Grace administers Riverside, where Alice
is a candidate, Bob an assessor and Carol an IQA; Frank administers Hillside."""

import pytest

from portfolio.models import Role
from tests.factories import CentreFactory, enrol, load_standards, member


@pytest.fixture(autouse=True)
def standards():
    load_standards()


@pytest.fixture
def centre_a():
    return CentreFactory(name="Riverside Training", code="riverside")


@pytest.fixture
def centre_b():
    return CentreFactory(name="Hillside College", code="hillside")


@pytest.fixture
def grace(centre_a):
    return member(
        centre_a, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org"
    )


@pytest.fixture
def alice(centre_a):
    return member(centre_a, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")


@pytest.fixture
def bob(centre_a):
    return member(centre_a, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")


@pytest.fixture
def carol(centre_a):
    return member(centre_a, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")


@pytest.fixture
def frank(centre_b):
    return member(
        centre_b, Role.ADMINISTRATOR, first_name="Frank", last_name="Fisher", email="frank@example.org"
    )


@pytest.fixture
def alice_on_hsc331(alice, bob, carol, centre_a):
    return enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre_a)
