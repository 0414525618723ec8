"""The portfolio tests stand on the shared cast (tests/conftest.py)."""

import pytest

from tests.factories import load_standards


@pytest.fixture(autouse=True)
def standards():
    load_standards()
