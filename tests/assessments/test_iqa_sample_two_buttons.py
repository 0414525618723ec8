"""The IQA's sample page has two Add buttons: the suggested sample's, under its pre-ticked
suggestions, and the one under the list of all her units. Outside trial: ticking one unit in the
list and pressing the bottom button also added the pre-ticked suggestions ("2 units added to your
sample: Alice Morgan, H3 25; Alice Morgan, HSC331"). Each button adds what was ticked in its own
part of the page, and nothing else.

These tests post what a browser would post: the page is parsed, the button's form found (its own
`form` attribute, or the form around it), and every control of that form sent as a browser sends
it (checkboxes only when ticked). Bob assessed Alice Adams on HSC331 and H3 25, both signed off and
suggested; Ben Bond's HSC331 has no decision yet, so it is not suggested, only listed."""

import pytest
from django.contrib.messages import get_messages
from lxml import html as lxml_html  # type: ignore[import-untyped]  # lxml comes with pyHanko; it ships no stubs

from assessments.models import QualityReview
from tests.assessments.quality_records import accepted_evidence, decide, riverside_team, sign_off
from tests.factories import PersonFactory, enrol

pytestmark = pytest.mark.django_db

PAGE = "/assessments/quality/"
LIST_BUTTON = "Add the units ticked in this list to my sample"
SUGGESTION_BUTTON = "Add to my sample"


@pytest.fixture
def case():
    centre, alice, bob, carol = riverside_team()
    suggested = []
    for code in ("HSC331", "H3 25"):
        enrolment = enrol(alice, code, assessor=bob, iqa=carol, centre=centre)
        decide(enrolment, accepted_evidence(enrolment))
        sign_off(enrolment)
        suggested.append(enrolment)
    ben = PersonFactory(first_name="Ben", last_name="Bond")
    listed = enrol(ben, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return type("Case", (), dict(carol=carol, suggested=suggested, listed=listed))


def _owned_by(control, form) -> bool:
    """Whether the control belongs to the form, as HTML decides: its `form` attribute names the
    form's id, or it has none and sits inside the form."""
    if control.get("form") is not None:
        return control.get("form") == form.get("id")
    return any(ancestor is form for ancestor in control.iterancestors("form"))


def press(client, page: str, button_text: str, tick: tuple[str, ...] = ()) -> object:
    """Tick the checkboxes labelled `tick` (leaving the others as the page has them), press the
    button named `button_text`, and post what the browser would."""
    tree = lxml_html.fromstring(page)
    (button,) = [b for b in tree.iter("button") if b.text_content().strip() == button_text]
    form = (
        tree.get_element_by_id(button.get("form"))
        if button.get("form")
        else next(button.iterancestors("form"))
    )
    for label in tick:
        (target,) = [lab for lab in tree.iter("label") if lab.text_content().strip() == label]
        tree.get_element_by_id(target.get("for")).set("checked", "checked")
    data: dict[str, list[str]] = {}
    for control in tree.iter("input"):
        if not _owned_by(control, form) or not control.get("name"):
            continue
        if control.get("type") == "checkbox" and control.get("checked") is None:
            continue
        data.setdefault(control.get("name"), []).append(control.get("value", "on"))
    if button.get("name"):
        data.setdefault(button.get("name"), []).append(button.get("value", ""))
    return client.post(button.get("formaction") or form.get("action"), data)


def _sampled() -> set[int]:
    return set(
        QualityReview.objects.filter(outcome=QualityReview.Outcome.SAMPLED).values_list(
            "enrolment_id", flat=True
        )
    )


def _opened(client, carol) -> str:
    client.force_login(carol)
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_the_bottom_button_adds_only_the_unit_ticked_in_the_list(client, case):
    page = _opened(client, case.carol)
    # The suggestions come ticked.
    for e in case.suggested:
        assert lxml_html.fromstring(page).get_element_by_id(f"sample-{e.pk}").get("checked") is not None

    response = press(client, page, LIST_BUTTON, tick=("Add Ben Bond, HSC331 to my sample",))

    assert response.status_code == 302
    assert _sampled() == {case.listed.pk}
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "1 unit added to your sample: Ben Bond, HSC331."


def test_the_suggestion_button_adds_only_the_ticked_suggestions(client, case):
    page = _opened(client, case.carol)

    response = press(client, page, SUGGESTION_BUTTON, tick=("Add Ben Bond, HSC331 to my sample",))

    assert response.status_code == 302
    assert _sampled() == {e.pk for e in case.suggested}


def test_the_bottom_button_with_nothing_ticked_in_the_list_adds_nothing_and_says_so_there(client, case):
    page = _opened(client, case.carol)

    response = press(client, page, LIST_BUTTON)

    assert response.status_code == 400
    assert _sampled() == set()
    refused = lxml_html.fromstring(response.content.decode())
    summary = refused.get_element_by_id("error-summary")
    assert "Tick at least one unit in the list to add to your sample." in summary.text_content()
    # Said beside the list it is about, linking to it; the suggestions are still ticked as they came.
    assert next(summary.iterancestors("section")).get("aria-labelledby") == "units-heading"
    assert summary.xpath(".//a/@href") == ["#units-list"]
    assert len(refused.xpath('//*[@id="units-list"]')) == 1
    for e in case.suggested:
        assert refused.get_element_by_id(f"sample-{e.pk}").get("checked") is not None


def test_every_tick_on_the_page_has_one_label_and_no_id_is_used_twice(client, case):
    tree = lxml_html.fromstring(_opened(client, case.carol))
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    for box in tree.xpath('//input[@type="checkbox"]'):
        assert len(tree.xpath(f'//label[@for="{box.get("id")}"]')) == 1
