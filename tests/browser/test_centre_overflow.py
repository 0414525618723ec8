"""The centre page with a real centre's content (an outside tester's finding): at 1280 px the
Enrolments table overflowed and its right-hand "Manage" buttons were cut off. Our test data was
short; a real centre has long names and email addresses, a qualification, both units, a deactivated
candidate, withdrawn and transferred units, a moved target date, overdue, signed-off and referred
units, EQA marks and registration numbers. With them every table of the page shows every column and
every Manage control: at 1280 px the page does not scroll sideways, no table scrolls inside its box,
and each Manage lies on screen; at 390 px the page does not scroll sideways either, and each Manage
can be reached (inside its table's own scroll, if the table has one). The administrator's other
tables of the same people (the centre's units, a person's units) likewise. Seen with axe-core at
both widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.eqa_models import EqaSample
from assessments.models import QualityReview, SignOff
from assessments.services import signoff
from portfolio.models import Enrolment, Membership, Person, Role
from portfolio.services_centre import person_add
from portfolio.services_enrolments import enrolment_target_date_change, enrolment_transfer, enrolment_withdraw
from portfolio.services_people import membership_deactivate
from portfolio.services_qualifications import qualification_register
from portfolio.services_registration import enrolments_register
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.assessments.unit_case import accepted_evidence, build_case, meet
from tests.factories import enrol, member, updated

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DOMAIN = "riverside-community-care-training.example.org"

# (cast key, first name, last name) of the people renamed as a real centre's might be.
RENAMED = [
    ("alice", "Alexandria", "Montgomery-Fitzwilliam"),
    ("bob", "Bartholomew", "Featherstonehaugh-Cholmondeley"),
    ("carol", "Carolina-Josephine", "Wolfeschlegelsteinhausen"),
    ("dave", "Davidson", "Llewellyn-Pryce-Underwood"),
    ("erin", "Erindale", "MacGillivray-Kirkpatrick"),
    ("heidi", "Henrietta-Philippa", "Cavendish-Bentinck"),
]

# Each control (link or button) that `selector` finds, brought into view as a user would: at a
# desktop's width by scrolling the page down only, so a control behind its table's sideways scroll
# counts as cut off; on a phone by scrolling its table sideways too, if it must. Whether it then lies
# wholly within what shows of the page and of its table's scroll box.
PLACES = """([selector, sideways]) => [...document.querySelectorAll(selector)]
  .filter((b) => b.getClientRects().length)
  .map((b) => {
    if (sideways) b.scrollIntoView({block: "center", inline: "nearest", behavior: "instant"});
    else window.scrollTo({top: b.getBoundingClientRect().top + window.scrollY - window.innerHeight / 2, behavior: "instant"});
    const box = b.getBoundingClientRect();
    let frame = {left: 0, right: window.innerWidth, top: 0, bottom: window.innerHeight};
    const scroller = b.closest(".table-responsive");
    if (scroller) {
      const own = scroller.getBoundingClientRect();
      frame = {left: Math.max(0, own.left), right: Math.min(window.innerWidth, own.right),
               top: Math.max(0, own.top), bottom: Math.min(window.innerHeight, own.bottom)};
    }
    const inside = box.width > 0 && box.left >= frame.left - 1 && box.right <= frame.right + 1
      && box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1;
    return {
      name: b.textContent.replace(/\\s+/g, " ").trim(), inside,
      box: [box.left, box.top, box.right, box.bottom].map(Math.round),
      frame: [frame.left, frame.top, frame.right, frame.bottom].map(Math.round),
    };
  })"""
# The centre page's buttons, among them its Manage controls (each named "Manage: ...").
BUTTONS = "main a.btn, main button.btn"
# Every link and button in a table.
IN_TABLES = "main table a, main table .btn"

# The tables that scroll sideways inside their own box, with how far.
TABLES_SCROLLING = """() => [...document.querySelectorAll("main .table-responsive")]
  .filter((t) => t.scrollWidth > t.clientWidth + 1)
  .map((t) => `${t.querySelector("caption")?.textContent.trim()}: ${t.scrollWidth}px in ${t.clientWidth}px`)"""


# The Manage controls: one for each of 11 people (Heidi, the EQA, has no role at the centre), each of
# 10 enrolments and the one registration waiting.
MANAGE_COUNT = 11 + 10 + 1


def _long_email(first: str, last: str) -> str:
    return f"{first}.{last}@{DOMAIN}".lower().replace(" ", "-")


@pytest.fixture
def crowded(transactional_db):
    """Riverside with the content of a real centre."""
    case = build_case()
    today = timezone.localdate()
    for key, first, last in RENAMED:
        updated(Person.objects.filter(pk=case.people[key].pk), first_name=first, last_name=last,
                email=_long_email(first, last))
        case.people[key].refresh_from_db()
    candidates = [
        member(case.centre, Role.CANDIDATE, first_name=first, last_name=last, email=_long_email(first, last))
        for first, last in (
            ("Maximiliana Alexandrina", "Wolfeschlegelsteinhausenbergerdorff-Ng"),
            ("Oluwaseun-Temitope", "Adebayo-Ogunleye"),
            ("Siobhán", "Ní Mhaoldomhnaigh-O'Callaghan"),
            ("Gus", "Gray"),
        )
    ]
    maxi, olu, siobhan, gus = candidates
    # Alice is registered on the qualification (her two units are already open) with a registration
    # number as long as the field takes.
    qualification = demo_qualification()
    qualification_register(
        centre=case.centre, registered_by=case.grace, candidate=case.alice, qualification=qualification,
        optional_units=[Unit.objects.filter(code="H3 25").order_by("-pk").first()], assessor=case.bob,
        iqa=case.carol, start_date=today, target_date=today + datetime.timedelta(days=365),
        registration_number="SQA/2026/RIVERSIDE-COMMUNITY-CARE/000123456789",
    )
    Enrolment.objects.filter(centre=case.centre).update(registration_number="SQA/2026/RIVERSIDE-COMMUNITY-CARE/0001234567")
    for candidate in (maxi, olu, siobhan):
        for code in ("HSC331", "H3 25"):
            enrol(candidate, code, assessor=case.bob, iqa=case.carol, centre=case.centre)
    units = {(e.candidate_id, e.unit.code): e for e in Enrolment.objects.select_related("unit")}
    enrolment_target_date_change(
        enrolment=units[(case.alice.pk, "HSC331")], target_date=today + datetime.timedelta(days=500),
        changed_by=case.grace, reason="Alexandria was off sick for two months.",
    )
    enrolment_withdraw(enrolment=units[(maxi.pk, "H3 25")], effective_date=today, changed_by=case.grace,
                       reason="She has left the course.")
    enrolment_transfer(enrolment=units[(olu.pk, "H3 25")], effective_date=today, changed_by=case.grace,
                       to_centre="Highlands and Islands Social Care Training Partnership (Inverness)",
                       reason="The family moved north.")
    # Overdue: a target date in the past, not signed off.
    Enrolment.objects.filter(pk=units[(siobhan.pk, "HSC331")].pk).update(
        start_date=today - datetime.timedelta(days=400), target_date=today - datetime.timedelta(days=3)
    )
    # Signed off, waiting for the candidate's countersignature; and signed off, referred back by the IQA.
    gus_unit = enrol(gus, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    referred = units[(siobhan.pk, "H3 25")]
    for unit, candidate in ((gus_unit, gus), (referred, siobhan)):
        meet(case, unit, [accepted_evidence(case, candidate=candidate, enrolment=unit)])
        signoff.unit_sign_off(enrolment=unit, assessor=case.bob, declared=True)
    QualityReview.objects.create(
        enrolment=referred, sign_off=SignOff.objects.standing().get(enrolment=referred), iqa=case.carol,
        stage=QualityReview.Stage.FINAL, outcome=QualityReview.Outcome.REFERRED, sampled_at=timezone.now(),
        reviewed_at=timezone.now(), actions="Say who chose the contact.",
    )
    # The EQA sampled two units; Carolina is an assessor too.
    sample = EqaSample.objects.create(eqa=case.heidi, centre=case.centre, name="Visit 12 March 2027",
                                      planned_on=today + datetime.timedelta(days=30), mode="remote")
    sample.enrolments.set([gus_unit, referred])
    Membership.objects.get_or_create(person=case.carol, centre=case.centre, role=Role.ASSESSOR)
    # Dave is deactivated, with his HSC331 still open.
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace,
                          reason="Left the centre.")
    # An invited candidate with a unit waiting for them to accept.
    invitation = person_add(
        centre=case.centre, added_by=case.grace, email=_long_email("Wilhelmina", "Vandenberghe-Oosterhuis"),
        first_name="Wilhelmina", last_name="Vandenberghe-Oosterhuis", role=Role.CANDIDATE,
    )
    # And one with nothing waiting, whose address has an apostrophe, a hyphen and many dots.
    person_add(
        centre=case.centre, added_by=case.grace, email=f"samantha.o'connor-whitfield@{DOMAIN}",
        first_name="Samantha", last_name="O'Connor-Whitfield", role=Role.CANDIDATE,
    )
    enrolments_register(
        centre=case.centre, registered_by=case.grace, candidates=[invitation],
        unit=Unit.objects.filter(code="HSC331").order_by("-pk").first(), assessor=case.bob, iqa=case.carol,
        start_date=today, target_date=today + datetime.timedelta(days=365),
    )
    return case


def _overflows(page, width: int, selector: str) -> tuple[list[str], list[dict]]:
    """What a user would notice at this width: the page scrolling sideways; at a desktop's width a
    table scrolling sideways in its box; each control `selector` finds cut off (off screen, or outside
    what shows of its table after scrolling to it). And the controls' places."""
    found = []
    page_width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if page_width > inner:
        found.append(f"the page is {page_width} px wide in a {inner} px window")
    if width >= WIDE["width"]:
        found.extend(f"scrolls sideways: {table}" for table in page.evaluate(TABLES_SCROLLING))
    places = page.evaluate(PLACES, [selector, width < WIDE["width"]])
    found.extend(
        f"{place['name']!r} is cut off: at {place['box']}, what shows of it {place['frame']}"
        for place in places if not place["inside"]
    )
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    return found, places


def test_the_centre_page_of_a_real_centre_shows_every_manage_control(page, crowded, login, axe_check, screenshot):
    case = crowded
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/")
    enrolments = page.locator("section[aria-labelledby='enrolments-heading'] .table-responsive").first
    expect(enrolments).to_contain_text("Wolfeschlegelsteinhausenbergerdorff-Ng")
    expect(enrolments).to_contain_text("(deactivated)")
    expect(enrolments).to_contain_text("Withdrawn")
    expect(enrolments).to_contain_text("Transferred")
    expect(enrolments).to_contain_text("Overdue")
    expect(enrolments).to_contain_text("Referred back by the IQA")
    expect(enrolments).to_contain_text("EQA sampled")
    problems = {}
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        axe_check()
        screenshot(page, f"centre-real-content-{size['width']}")
        found, places = _overflows(page, size["width"], BUTTONS)
        manage = [place for place in places if place["name"].startswith("Manage")]
        assert len(manage) == MANAGE_COUNT, manage
        if found:
            problems[size["width"]] = found
    assert not problems, problems


# Where each email address of the centre's tables wraps: the letters on either side of each line
# break ("@" and "r" for "...@|riverside").
EMAIL_BREAKS = """() => [...document.querySelectorAll("main .email-address")].flatMap((cell) => {
  const text = cell.textContent, breaks = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let offset = 0, top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++, offset++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (top !== null && box.top > top + 2) breaks.push([text, text[offset - 1], text[offset]]);
      top = box.top;
    }
  }
  return breaks;
})"""


def test_the_centre_page_wraps_email_addresses_only_after_the_at_sign_before_a_dot_or_after_a_hyphen(
    page, crowded, login, screenshot
):
    """An outside trial's finding: "samantha.o'connor-whitf|ield@..." in the invitations."""
    login(page, crowded.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{crowded.centre.pk}/")
    expect(page.locator("main .email-address", has_text="o'connor-whitfield@")).to_have_count(1)
    breaks = {}
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        screenshot(page, f"centre-email-addresses-{size['width']}")
        breaks[size["width"]] = page.evaluate(EMAIL_BREAKS)
    wrong = {width: [b for b in found if not (b[1] in "@-" or b[2] == ".")] for width, found in breaks.items()}
    assert wrong == {WIDE["width"]: [], PHONE["width"]: []}
    # The long addresses do wrap at both widths, so the rule was seen at work.
    assert all(any(before == "@" for _, before, _ in found) for found in breaks.values()), breaks


def _pages_fit(page, urls: dict[str, str], axe_check, screenshot, without_links: tuple[str, ...] = ()) -> dict:
    """What a user would notice on each page (`_overflows`), at both widths, by page; axe-core on each.
    Each page's tables have a link but those named in `without_links`."""
    problems = {}
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        for name, url in urls.items():
            page.goto(url)
            axe_check()
            screenshot(page, f"{name}-real-content-{size['width']}")
            found, places = _overflows(page, size["width"], IN_TABLES)
            assert bool(places) != (name in without_links), f"{url}: {len(places)} links in its tables"
            if found:
                problems[f"{size['width']} {url}"] = found
    return problems


def test_the_administrators_other_tables_of_a_real_centre_fit(page, crowded, login, axe_check, screenshot):
    """The centre's units (names were kept on one line: 1628 px in 1116 px, IQA and State off
    screen) and a person's units (1645 px in 641 px, IQA and Target behind the scroll)."""
    case = crowded
    login(page, case.grace.email, PASSWORD)
    pk = case.centre.pk
    urls = {
        "centre-units": f"/assessments/centres/{pk}/portfolios/",
        "person-units": f"/portfolio/centres/{pk}/people/{case.bob.pk}/",
    }
    problems = _pages_fit(page, urls, axe_check, screenshot)
    assert not problems, problems


def test_the_reports_tables_of_a_real_centre_fit(page, crowded, login, axe_check, screenshot):
    """The reports' tables of units and assessors kept each name on one line: at 1280 px Progress by
    candidate was 1559 px in 1116 px (Met and Status off screen), Overdue units 1310 px, and the
    caseloads 1231 px (Longest wait off screen)."""
    case = crowded
    login(page, case.grace.email, PASSWORD)
    pk = case.centre.pk
    urls = {f"report-{slug}": f"/ops/centres/{pk}/reports/{slug}/" for slug in ("progress", "overdue", "caseload")}
    # The caseloads have no link in their table: the figures are all there is to see.
    problems = _pages_fit(page, urls, axe_check, screenshot, without_links=("report-caseload",))
    assert not problems, problems


# The Enrolments table's columns (their headings and widths), and how many lines each unit's title takes.
UNIT_COLUMN = """() => {
  const table = document.querySelector("section[aria-labelledby='enrolments-heading'] table");
  const columns = [...table.querySelectorAll("thead th")].map((th) => [th.innerText.trim(), th.getBoundingClientRect().width]);
  const lines = [...table.querySelectorAll("td.unit-cell .small")].map((title) => {
    const height = parseFloat(getComputedStyle(title).lineHeight);
    return Math.round(title.getBoundingClientRect().height / height);
  });
  return {columns, lines};
}"""


def test_the_enrolments_unit_column_is_wide_enough_to_read_at_1280_px(page, crowded, login, axe_check, screenshot):
    """An outside trial: the Unit column was 108 px wide, each title a word a line, each row seven
    lines tall. Now its title reads under the code in at most three lines; the registration number,
    one long word, stands under the candidate's name instead of in a column of its own."""
    login(page, crowded.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{crowded.centre.pk}/")
    seen = page.evaluate(UNIT_COLUMN)
    widths = dict(seen["columns"])
    assert widths["Unit"] >= 200, seen["columns"]
    assert "Registration number" not in widths
    assert seen["lines"] and max(seen["lines"]) <= 3, seen["lines"]
    enrolments = page.locator("section[aria-labelledby='enrolments-heading'] table")
    row = enrolments.get_by_role("row").filter(has_text="Alexandria").filter(has_text="H3 25")
    expect(row.get_by_role("rowheader")).to_contain_text("Registration number: SQA/2026/")
    screenshot(page, "centre-unit-column-1280")
    page.set_viewport_size(PHONE)
    axe_check()
    expect(row.get_by_role("rowheader")).to_contain_text("Registration number: SQA/2026/")
    screenshot(page, "centre-unit-column-390")
    page.set_viewport_size(WIDE)
