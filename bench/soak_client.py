"""One soak client: a tenant with its own credentials doing mixed reads and keyed writes, retrying
each write with the same idempotency key until it gets a definite answer.

What it records is what bench/soak.py checks against the simulators afterwards: which markers
it believes it created, which stops it expects to succeed, and every answer's status, shape,
code and latency.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

WEEK = '{start: "2026-11-16", end: "2026-11-20"}'
RETRIES = 6
RETRYABLE = {"UNKNOWN_OUTCOME", "UPSTREAM_UNAVAILABLE", "RETRY_LATER", "RATE_LIMITED"}


@dataclass
class Tally:
    """What one client saw."""

    ops: int = 0
    status_5xx: int = 0
    non_json: int = 0
    over_deadline: int = 0
    unknown_answers: int = 0  # UNKNOWN_OUTCOME answers, each followed by a retry
    left_unknown: int = 0  # writes still unknown after every retry: wrong
    wrong_not_running: int = 0
    read_errors: Counter[str] = field(default_factory=Counter)
    created: dict[str, str] = field(default_factory=dict)  # marker -> platform, success seen
    latencies: list[float] = field(default_factory=list)


@dataclass
class Tenant:
    """Credentials and the people this client acts for."""

    headers: dict[str, str]
    clockify_person: str
    productive_person: str
    service: str


class Client:
    def __init__(
        self, urls: list[str], tenant: Tenant, seed: int, deadline: float, tally: Tally
    ) -> None:
        self.urls = urls
        self.tenant = tenant
        self.rng = random.Random(seed)
        self.deadline = deadline
        self.tally = tally
        self.http = httpx.Client(timeout=deadline + 10, headers=tenant.headers)
        self.timer_running = False
        self.turn = 0

    def close(self) -> None:
        self.http.close()

    def _post(self, query: str, variables: dict[str, Any]) -> dict[str, Any] | None:
        url = self.urls[self.turn % len(self.urls)]
        self.turn += 1  # with two replicas, every call (and every retry) alternates
        started = time.perf_counter()
        try:
            answer = self.http.post(url, json={"query": query, "variables": variables})
        except httpx.TransportError:
            return None
        elapsed = time.perf_counter() - started
        self.tally.latencies.append(elapsed)
        if elapsed > self.deadline + 1.0:
            self.tally.over_deadline += 1
        if answer.status_code >= 500:
            self.tally.status_5xx += 1
        try:
            body: dict[str, Any] = answer.json()
        except ValueError:
            self.tally.non_json += 1
            return None
        return body

    def read(self) -> None:
        query = (
            "query($p: [ID!]) { timeEntries(first: 20, filter: {personIds: $p, dateRange: %s}) "
            "{ edges { node { id durationMinutes } } } }" % WEEK
        )
        person = self.rng.choice([self.tenant.clockify_person, self.tenant.productive_person])
        body = self._post(query, {"p": [person]})
        for error in (body or {}).get("errors") or []:
            self.tally.read_errors[str(error.get("extensions", {}).get("code"))] += 1

    def write(self, mutation: str, input_type: str, value: dict[str, Any], pick: str) -> Any:
        """Send a keyed mutation until it answers definitely; return its payload or None."""
        query = (
            f"mutation($input: {input_type}!) {{ {mutation}(input: $input) "
            f"{{ {pick} userErrors {{ code message }} }} }}"
        )
        value = {**value, "idempotencyKey": uuid.uuid4().hex}
        for _ in range(RETRIES):
            body = self._post(query, {"input": value})
            if body is None:
                continue
            errors = body.get("errors") or []
            if errors:
                if any(e.get("extensions", {}).get("code") in RETRYABLE for e in errors):
                    continue
                return None
            payload = body["data"][mutation]
            codes = [e["code"] for e in payload["userErrors"]]
            if "UNKNOWN_OUTCOME" in codes:
                self.tally.unknown_answers += 1
                continue
            return payload
        self.tally.left_unknown += 1
        return None

    def create(self, platform: str) -> None:
        marker = f"soak-{uuid.uuid4().hex[:12]}"
        value: dict[str, Any] = {
            "platform": platform,
            "date": "2026-11-19",
            "durationMinutes": 15,
            "note": marker,
        }
        if platform == "PRODUCTIVE":
            value |= {"serviceId": self.tenant.service, "personId": self.tenant.productive_person}
        else:
            value |= {"personId": self.tenant.clockify_person}
        payload = self.write("createTimeEntry", "CreateTimeEntryInput", value, "timeEntry { id }")
        if payload is not None and not payload["userErrors"]:
            self.tally.created[marker] = platform

    def start(self) -> None:
        marker = f"soak-{uuid.uuid4().hex[:12]}"
        value = {
            "platform": "CLOCKIFY",
            "personId": self.tenant.clockify_person,
            "note": marker,
            "stopRunning": True,
        }
        payload = self.write("startTimer", "StartTimerInput", value, "timer { id }")
        if payload is not None and not payload["userErrors"]:
            self.tally.created[marker] = "CLOCKIFY"
            self.timer_running = True

    def stop(self) -> None:
        value = {"personId": self.tenant.clockify_person}
        payload = self.write("stopTimer", "StopTimerInput", value, "timer { id }")
        if payload is None:
            return
        codes = [e["code"] for e in payload["userErrors"]]
        if self.timer_running and "NOT_RUNNING" in codes:
            self.tally.wrong_not_running += 1  # it ran: the first attempt must have stopped it
        self.timer_running = False

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.55:
            self.read()
        elif roll < 0.70:
            self.create("CLOCKIFY")
        elif roll < 0.75:
            self.create("PRODUCTIVE")
        elif roll < 0.875:
            self.start()
        else:
            self.stop()
        self.tally.ops += 1
