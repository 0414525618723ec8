"""The current layout's parts past criteria and knowledge, stored and shown (issue 14 item 1):
criteria under their sub-headings, scope related to criteria and to knowledge kept apart, and the
Values, Behaviours and Links to other NOS sections."""

import pytest

from standards.importing.writer import write_unit
from standards.models import Criterion, ScopeCategory, Suite
from tests.standards.unseen import parsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def safeguarding():
    suite, _ = Suite.objects.get_or_create(code="HSCC", defaults={"title": "Health and Social Care"})
    return write_unit(parsed("SCDHSC0024.txt"), suite)


def test_the_current_layouts_sub_headings_values_behaviours_and_links_are_stored(safeguarding):
    assert Criterion.objects.get(reference="SCDHSC0024 P5").group == "Respond to concerns and allegations of harm and abuse"
    assert safeguarding.values == [
        "Adherence to codes of practice or conduct where applicable to your role and the principles and values "
        "that underpin your work setting, including the rights of children, young people and adults."
    ]
    assert safeguarding.behaviours == ["Promoting dignity, respect and the individual's right to be safe."]
    assert safeguarding.links == ["This standard links with SCDHSC0035 Promote the safeguarding of individuals."]
    assert list(ScopeCategory.objects.filter(unit=safeguarding).values_list("name", "related_to")) == [
        ("Abuse", "performance criteria"), ("Others", "performance criteria"), ("Agencies", "knowledge"),
    ]  # fmt: skip


def test_the_unit_page_shows_criteria_under_their_sub_headings_and_the_values_behaviours_links(client, safeguarding):
    page = client.get(f"/standards/{safeguarding.slug}/").content.decode()
    first, second = page.index("Contribute to the protection of individuals from harm and"), page.index(
        "Respond to concerns and allegations of harm and abuse</h3>"
    )
    assert first < page.index("SCDHSC0024 P1") < page.index("SCDHSC0024 P4") < second < page.index("SCDHSC0024 P5")
    assert "Scope related to performance criteria</h3>" in page
    assert "Scope related to knowledge and understanding</h3>" in page
    assert page.index("Scope related to performance criteria") < page.index("Abuse may include:")
    assert page.index("Scope related to knowledge and understanding") < page.index("Agencies may include:")
    assert "Promoting dignity, respect and the individual&#x27;s right to be safe." in page
    assert "This standard links with SCDHSC0035 Promote the safeguarding of individuals." in page
    assert "Links to other standards</h3>" in page and "Behaviours</h3>" in page


def test_the_json_gives_groups_values_behaviours_and_links_beside_the_issues_keys():
    found = parsed("SCDHSC0024.txt").as_json()
    assert found["criteria"][4]["group"] == "Respond to concerns and allegations of harm and abuse"
    assert found["behaviours"] == ["Promoting dignity, respect and the individual's right to be safe."]
    assert found["links"][0].startswith("This standard links with SCDHSC0035")
