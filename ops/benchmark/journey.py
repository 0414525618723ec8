"""The assessor's day, measured in a real browser: Chromium, driven by Playwright, takes a unit from
"all evidence submitted" to "signed off and countersigned" as people would, and counts what it cost.

The assessor starts on their queue of evidence to judge: they open the first item, confirm it is
valid, authentic, current and sufficient and accept it, leaving ticked what the candidate mapped it
to (each item is recorded as met as it is accepted), and land on the next item waiting; after the
last, on the unit's decisions, which offer the sign-off; they sign it off. The candidate, on their
home page, follows the request to countersign and countersigns.

Counted apart, for each person: full page loads (a document loaded in the main frame: a redirect
after a form is part of the one load it leads to), requests a page's script makes (htmx, fetch), and
clicks. The goal (issue 13): the assessor's page loads at most M + 3 for M evidence items: one judge
page per item, then the decisions review, the sign-off page and the unit page it ends on. Signing in
and the page each person starts from are not counted: the journey starts there.
"""

import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .journey_case import JourneyCase

# As tests/browser/conftest.py launches it.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 30_000
VACS = ("Valid", "Authentic", "Current", "Sufficient")


@dataclass
class JourneyTally:
    """What one person's part of the journey cost."""

    page_loads: int = 0
    script_requests: int = 0  # htmx and fetch, counted apart from page loads
    clicks: int = 0
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)  # the address of each page loaded, in order


@dataclass
class JourneyResult:
    evidence: int
    assessor: JourneyTally
    candidate: JourneyTally
    judge_page_seconds: list[float]  # each evidence item: from Accept to the next page loaded

    @property
    def goal(self) -> int:
        return self.evidence + 3

    @property
    def met_goal(self) -> bool:
        return self.assessor.page_loads <= self.goal

    def summary(self) -> str:
        a, c = self.assessor, self.candidate
        median = statistics.median(self.judge_page_seconds) if self.judge_page_seconds else 0.0
        return "\n".join([
            f"{a.page_loads} page loads for {self.evidence} evidence items "
            f"(goal: at most {self.goal}: {'met' if self.met_goal else 'NOT MET'})",
            f"assessor: {a.page_loads} page loads, {a.script_requests} htmx/fetch requests, {a.clicks} clicks, "
            f"{a.seconds:.1f} s (judging one item: median {median:.2f} s from Accept to the next page)",
            f"candidate: {c.page_loads} page loads, {c.script_requests} htmx/fetch requests, {c.clicks} clicks, "
            f"{c.seconds:.1f} s",
            f"together: {a.page_loads + c.page_loads} page loads, {a.clicks + c.clicks} clicks",
        ])

    def as_dict(self) -> dict:
        return {**asdict(self), "goal": self.goal, "met_goal": self.met_goal}


class Browsing:
    """One person's browser: a context of its own, counting as it goes."""

    def __init__(self, browser: Any, base_url: str, tally: JourneyTally):
        self.context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.tally = tally
        self.counting = False
        self.page.on("load", self._loaded)
        self.page.on("request", self._requested)

    def _loaded(self, page: Any) -> None:
        if self.counting:
            self.tally.page_loads += 1
            self.tally.pages.append(re.sub(r"^https?://[^/]+", "", page.url))

    def _requested(self, request: Any) -> None:
        if self.counting and request.resource_type in ("xhr", "fetch"):
            self.tally.script_requests += 1

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label(re.compile(r"^\s*Email address\b")).fill(email)
        self.page.get_by_label(re.compile(r"^\s*Password\b")).fill(password)
        self.page.get_by_role("button", name="Sign in", exact=True).click()
        self.page.wait_for_load_state()

    def start(self) -> None:
        """From here on, everything counts."""
        self.counting = True
        self.started = time.monotonic()

    def stop(self) -> None:
        self.counting = False
        self.tally.seconds = time.monotonic() - self.started

    def click(self, locator: Any) -> None:
        self.tally.clicks += 1
        locator.click()

    def tick(self, locator: Any) -> None:
        self.tally.clicks += 1
        locator.check()

    def close(self) -> None:
        self.context.close()


def _judge_every_item(assessor: Browsing, count: int) -> list[float]:
    page = assessor.page
    assessor.click(page.get_by_role("table").get_by_role("link").first)
    page.wait_for_load_state()
    seconds = []
    for _ in range(count):
        judge = page.get_by_role("region", name=re.compile(r"^Judge E\d+$"))
        for name in VACS:
            assessor.tick(judge.get_by_role("checkbox", name=name, exact=True))
        started = time.monotonic()
        with page.expect_navigation():
            assessor.click(judge.get_by_role("button", name="Accept", exact=True))
        seconds.append(time.monotonic() - started)
    return seconds


def _sign_off(assessor: Browsing) -> None:
    page = assessor.page
    offer = page.get_by_role("region", name=re.compile("is ready to sign off$"))
    with page.expect_navigation():
        assessor.click(offer.get_by_role("link", name=re.compile("^Sign off ")))
    assessor.tick(page.get_by_role("checkbox", name=re.compile(r"^I confirm that the candidate has met every")))
    with page.expect_navigation():
        assessor.click(page.get_by_role("button", name="Sign off this unit"))
    page.get_by_role("region", name="Sign-off").get_by_text("not yet countersigned by the candidate").wait_for()


def _countersign(candidate: Browsing) -> None:
    page = candidate.page
    with page.expect_navigation():
        candidate.click(page.get_by_role("link", name=re.compile(r"^countersign ")).first)
    candidate.tick(page.get_by_role("checkbox", name=re.compile(r"^I confirm that the evidence in this unit is my own")))
    with page.expect_navigation():
        candidate.click(page.get_by_role("button", name="Countersign", exact=True))
    page.get_by_role("region", name="Sign-off").get_by_text(re.compile(r",\s+countersigned by ")).first.wait_for()


def drive(browser: Any, base_url: str, case: JourneyCase) -> JourneyResult:
    """Takes the case's unit from submitted to countersigned in `browser` against the site at
    `base_url`, and says what it cost."""
    result = JourneyResult(evidence=case.evidence, assessor=JourneyTally(), candidate=JourneyTally(), judge_page_seconds=[])
    assessor = Browsing(browser, base_url, result.assessor)
    try:
        assessor.sign_in(case.assessor, case.password)
        assessor.page.goto("/assessments/assess/")
        assessor.start()
        result.judge_page_seconds = _judge_every_item(assessor, case.evidence)
        _sign_off(assessor)
        assessor.stop()
    finally:
        assessor.close()
    candidate = Browsing(browser, base_url, result.candidate)
    try:
        candidate.sign_in(case.candidate, case.password)
        candidate.start()
        _countersign(candidate)
        candidate.stop()
    finally:
        candidate.close()
    return result
