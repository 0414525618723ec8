"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures:
    browser     one headless Chromium for the whole session
    page        a fresh browser context and page per test, base URL = the live server
    axe_check   axe_check() runs axe-core on the page and fails on any WCAG 2.2 AA violation
    screenshot  screenshot(page, name) saves test-artifacts/screenshots/<name>.png (full page)
    login       login(page, email, password) signs in through /accounts/login/

Every test in this folder is marked `browser` (`pytest -m "not browser"` skips them), and
uses `live_server` and `transactional_db`: the server runs in another thread, so it sees only
committed data.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an asyncio event loop in this thread, and Django then refuses ORM
# calls here as "from an async context". Nothing in the test thread really is async, so this is
# safe; it is the documented way to use Playwright's sync API with pytest-django.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = BROWSER_DIR.parent.parent / "test-artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # This machine's network is closed: without these Chromium keeps trying to call home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# What the site promises: WCAG 2.2 at level AA, which includes everything at A and in 2.0/2.1.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The labels of the login form's fields. A required field's label may end in a marker such as
# "*", and "Password" alone would also match a "Show password" button's name.
EMAIL_LABEL = re.compile(r"^\s*Email address\b")
PASSWORD_LABEL = re.compile(r"^\s*Password\b")

VIEWPORT = {"width": 1280, "height": 900}
# Long enough for a slow CI machine, short enough that a missing element fails in seconds.
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, so `page` can tell at teardown that the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: run .ci/setup --test")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, live_server, transactional_db):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    # What the browser showed when the test failed, for whoever reads the CI log. A test that
    # passes removes the one its last failure left, so every FAILED-*.png is current.
    name = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    call_report = getattr(request.node, "report_call", None)
    if call_report is None or not call_report.failed:
        (SCREENSHOTS_DIR / f"{name}.png").unlink(missing_ok=True)
    else:
        try:
            path = save_screenshot(page, name)
            print(f"\nScreenshot of the failed test: {path}")
        except Exception as error:  # the page may have crashed: never hide the real failure
            print(f"\nNo screenshot of the failed test: {error}")
    context.close()


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label(EMAIL_LABEL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    """Sign out from the account menu under the person's name, as a person would."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name=re.compile("^Signed in as ")).click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def format_axe_violations(violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) (WCAG 2.2 AA):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact') or 'unknown impact'}]: "
            f"{violation['help']} ({violation.get('helpUrl', '')})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip()
            for summary_line in summary.splitlines():
                lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


@pytest.fixture
def axe_check(page):
    """axe_check(context=None): assert axe-core finds no WCAG 2.2 AA violation on the page.

    `context` narrows the check to part of the page, as axe-core's context argument does,
    e.g. axe_check("main").
    """
    axe = Axe()

    def run(context):
        return axe.run(
            page,
            context=context,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )

    def check(context=None) -> None:
        # A click that loads another page returns before the page has loaded; axe-core run on a
        # document being replaced fails on a null documentElement. Check the page once it has
        # loaded, and once more if it was still being replaced: a real failure fails both times.
        page.wait_for_load_state()
        try:
            results = run(context)
        except PlaywrightError:
            page.wait_for_load_state()
            results = run(context)
        violations = results.response["violations"]
        # A count, not the list: pytest would print the whole raw list after the message.
        violation_count = len(violations)
        assert violation_count == 0, format_axe_violations(violations)

    return check


@pytest.fixture
def screenshot():
    """screenshot(page, name): save a full-page PNG to test-artifacts/screenshots/<name>.png."""
    return save_screenshot


@pytest.fixture
def login():
    """login(page, email, password): sign in through /accounts/login/."""
    return sign_in
