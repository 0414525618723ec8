"""The assessor's day, measured: a new database with one candidate on HSC331 whose M evidence items
(covering every criterion, knowledge item and scope category) are all submitted; the site served by
gunicorn on loopback with production's settings; Chromium, driven by Playwright, takes the unit from
the assessor's queue through judging each item, the decisions review and the sign-off, then as the
candidate countersigns (`ops.benchmark.journey`). Prints "N page loads for M evidence items", the
htmx/fetch requests and the clicks of each person, and writes them as JSON.

    manage.py benchmark_journey --evidence 12 --output journey.json

The database is a new SQLite file in a temporary folder (or the empty PostgreSQL database
DATABASE_URL names, as `.ci/postgres` makes). Exits with status 1 when the assessor needed more
than M + 3 page loads. Not part of the test suite: tests/browser/test_judging_journey.py drives the
same journey against the test server. benchmarks/README.md and docs/performance.md say more.
"""

import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.benchmark.journey import CHROMIUM_ARGS, drive
from ops.benchmark.journey_case import JourneyCase, build
from ops.benchmark.production_env import production_env
from ops.generated_centre.generator import ensure_standards


class Command(BaseCommand):
    help = "Takes HSC331 from all evidence submitted to countersigned in Chromium and counts page loads and clicks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--evidence", type=int, default=12, help="How many evidence items wait (at least 5).")
        parser.add_argument("--output", default="journey.json")
        parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and the server's log.")
        # Builds the case in the database the settings name (the run above calls it in a process of its own).
        parser.add_argument("--setup", help="internal: write the case as JSON to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["setup"]:
            ensure_standards()
            case = build(options["evidence"], password=secrets.token_urlsafe(16))
            Path(options["setup"]).write_text(json.dumps(case.as_dict()), encoding="utf-8")
            return
        Journey(self, options).run()


class Journey:
    def __init__(self, command: BaseCommand, options: dict):
        self.command = command
        self.options = options
        self.folder = Path(tempfile.mkdtemp(prefix="portfolio-journey-"))
        self.port = _free_port()
        self.env = {
            **production_env(
                self.folder, database_name="journey.sqlite3", site_url=f"http://127.0.0.1:{self.port}",
                hosts="127.0.0.1,localhost",
            ),
            "PORTFOLIO_LOG_LEVEL": "WARNING",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
        }
        self.log = self.folder / "steps.log"

    def say(self, message: str) -> None:
        self.command.stdout.write(message)
        self.command.stdout.flush()

    def step(self, *arguments: str) -> None:
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"\n$ manage.py {' '.join(arguments)}\n")
            log.flush()
            done = subprocess.run(
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR, check=False,
            )
        if done.returncode != 0:
            raise CommandError(f"manage.py {arguments[0]} failed; its output is in {self.log}")

    def run(self) -> None:
        server = None
        try:
            self.say(f"Building the case in {self.folder} ...")
            self.step("migrate", "--noinput")
            self.step("collectstatic", "--noinput")
            case_file = self.folder / "case.json"
            self.step("benchmark_journey", "--setup", str(case_file), "--evidence", str(self.options["evidence"]))
            case = JourneyCase(**json.loads(case_file.read_text(encoding="utf-8")))
            server = self.serve()
            self.say(f"Driving Chromium against http://127.0.0.1:{self.port} ...")
            result = self.drive(case)
            self.say(result.summary())
            Path(self.options["output"]).write_text(json.dumps(result.as_dict(), indent=2), encoding="utf-8")
            self.say(f"Figures written to {self.options['output']}.")
            if not result.met_goal:
                raise CommandError(f"The assessor needed more than {result.goal} page loads.")
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            if self.options["keep"]:
                self.say(f"Kept {self.folder}")
            else:
                shutil.rmtree(self.folder, ignore_errors=True)

    def serve(self) -> subprocess.Popen:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = open(self.folder / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 - open while it runs
        server = subprocess.Popen(
            [str(gunicorn), "-c", "config/gunicorn.conf.py"], env=self.env, cwd=settings.BASE_DIR,
            stdout=log, stderr=subprocess.STDOUT,
        )
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/", timeout=2)
                return server
            except OSError:
                time.sleep(0.5)
        server.terminate()
        raise CommandError(f"gunicorn did not answer; its log is in {self.folder / 'gunicorn.log'}")

    def drive(self, case: JourneyCase) -> Any:
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium")
        if chromium is None:
            raise CommandError("Chromium is not installed: run .ci/setup --test")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                return drive(browser, f"http://127.0.0.1:{self.port}", case)
            finally:
                browser.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
