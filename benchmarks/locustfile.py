"""A hundred people at one centre using the site at once, for `benchmarks/load.sh`: candidates reading
their units and evidence, assessors their queue and the evidence in it, an IQA the sample page, an
administrator the centre's page. Each signs in once, then moves between pages with a pause of one
to five seconds, following the links the pages give them, as a person would.

Sign-in emails come from the file `generate_centre --people-json` writes (PORTFOLIO_PEOPLE_JSON).
Only loopback hosts are accepted: this is never pointed at anything but a server on this machine.

Besides locust's own figures (which mix the first seconds, when everyone signs in at once, with the
rest), every request is noted, and when the test stops each page's p95 after the sign-in burst
(from the moment the last person has signed in) and the failures over the whole run are written to
PORTFOLIO_LOAD_SUMMARY as JSON.
"""

# Which page a simulated person opens next is no secret.
# ruff: noqa: S311

import itertools
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlparse

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["PORTFOLIO_PEOPLE_JSON"], encoding="utf-8") as handle:
    PEOPLE = json.load(handle)
PASSWORD = PEOPLE["password"]
_next_email = {role: itertools.cycle(PEOPLE[role]) for role in ("candidate", "assessor", "iqa", "administrator")}

UNIT_LINK = re.compile(r'href="(/assessments/units/\d+/)"')
EVIDENCE_LINK = re.compile(r'href="(/assessments/evidence/\d+/)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


SIGN_IN = "sign in"
_noted: list[tuple[float, str, float, bool]] = []  # when it ended, name, ms, failed


@events.request.add_listener
def _note(request_type, name, response_time, response_length, exception=None, **kwargs):
    _noted.append((time.time(), name, response_time, exception is not None))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(1, -(-95 * len(ordered) // 100)) - 1]


@events.test_stop.add_listener
def _summarise(environment, **kwargs):
    signed_in = [at for at, name, _ms, _failed in _noted if name == SIGN_IN]
    burst_ends = max(signed_in, default=0.0)
    after: dict[str, list[float]] = {}
    for at, name, ms, _failed in _noted:
        if at > burst_ends and name not in (SIGN_IN, "sign-in page"):
            after.setdefault(name, []).append(ms)
    started = min((at for at, *_ in _noted), default=0.0)
    summary = {
        "requests": len(_noted), "failures": sum(1 for *_, failed in _noted if failed),
        "sign_ins": len(signed_in), "sign_in_burst_s": round(burst_ends - started, 1),
        "sign_in_p95_ms": round(_p95([ms for _at, name, ms, _f in _noted if name == SIGN_IN]), 1) if signed_in else None,
        "after_burst": {name: {"requests": len(ms), "p95_ms": round(_p95(ms), 1),
                               "median_ms": round(sorted(ms)[len(ms) // 2], 1)} for name, ms in sorted(after.items())},
    }
    path = os.environ.get("PORTFOLIO_LOAD_SUMMARY")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(summary, out, indent=2)


@events.init.add_listener
def _loopback_only(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test runs against a server on this machine only, not {host!r}.")


class _PlainHttpPolicy(DefaultCookiePolicy):
    """The server runs as in production (debug off), so its cookies are marked Secure; on loopback
    it speaks plain HTTP, as it does behind the TLS proxy. Send them back anyway."""

    def return_ok_secure(self, cookie, request):
        return True


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 5)

    def on_start(self):
        self.client.cookiejar.set_policy(_PlainHttpPolicy())
        self.email = next(_next_email[self.role])
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF_FIELD.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/", data={"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"}, name=SIGN_IN, catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.email} could not sign in: {response.status_code}")
        self.units, self.evidence = [], []
        self.home()

    def _links(self, text: str) -> None:
        self.units = sorted(set(UNIT_LINK.findall(text))) or self.units
        self.evidence = sorted(set(EVIDENCE_LINK.findall(text))) or self.evidence

    @task(2)
    def home(self):
        self._links(self.client.get("/", name="home").text)


class Candidate(Person):
    role = "candidate"
    weight = 35

    @task(4)
    def unit(self):
        if self.units:
            self._links(self.client.get(random.choice(self.units), name="unit page").text)

    @task(2)
    def evidence_list(self):
        self._links(self.client.get("/portfolio/evidence/", name="evidence list").text)

    @task(3)
    def evidence(self):
        if self.evidence:
            self.client.get(random.choice(self.evidence), name="evidence page")

    @task(1)
    def mapping(self):
        # The mapping page is the portfolio's (/portfolio/evidence/N/map/), not under the evidence
        # page's address (/assessments/evidence/N/): that was a 404 on every try.
        if self.evidence:
            number = random.choice(self.evidence).rstrip("/").rsplit("/", 1)[1]
            self.client.get(f"/portfolio/evidence/{number}/map/", name="evidence mapping")


class Assessor(Person):
    role = "assessor"
    weight = 10

    @task(4)
    def queue(self):
        self._links(self.client.get("/assessments/assess/", name="queue").text)

    @task(3)
    def evidence(self):
        if self.evidence:
            self.client.get(random.choice(self.evidence), name="evidence page")

    @task(2)
    def unit(self):
        if self.units:
            self.client.get(random.choice(self.units), name="unit page")


class QualityAssurer(Person):
    role = "iqa"
    weight = 3

    @task(4)
    def sample(self):
        self._links(self.client.get("/assessments/quality/", name="IQA sample").text)

    @task(1)
    def unit(self):
        if self.units:
            self.client.get(random.choice(self.units), name="unit page")


class Administrator(Person):
    role = "administrator"
    weight = 2

    @task(4)
    def centre(self):
        self.client.get(f"/assessments/centres/{PEOPLE['centre']}/", name="centre page")

    @task(1)
    def notifications(self):
        self.client.get("/portfolio/notifications/", name="notifications")
