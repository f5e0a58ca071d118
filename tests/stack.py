"""The running stack tests talk to: both simulators and the gateway, on loopback sockets."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from gateway.app import gateway_listener
from gateway.demo import Demo, build_demo
from gateway.servers import BackgroundServers, bind
from simulators.clockify.app import ClockifySettings, ClockifySimulator
from simulators.productive.app import ProductiveSettings, ProductiveSimulator

ROOT = Path(__file__).resolve().parents[1]
# A fixed Monday: the seed's four weeks are 2026-10-26 .. 2026-11-20 (working days).
ANCHOR = date(2026, 11, 16)


@dataclass
class Stack:
    """A demo stack plus an HTTP client for GraphQL."""

    demo: Demo
    client: httpx.Client

    @property
    def productive(self) -> ProductiveSimulator:
        return self.demo.productive_sim

    @property
    def clockify(self) -> ClockifySimulator:
        return self.demo.clockify_sim

    @property
    def url(self) -> str:
        return f"{self.demo.gateway.url}/graphql"

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        return self.client.post(
            self.url, json={"query": query, "variables": variables or {}}, headers=headers or {}
        )

    def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = self.post(query, variables, headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.gql(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def counts(self) -> tuple[int, int]:
        """Requests each simulator answered since the last reset: (Productive, Clockify)."""
        return len(self.productive.log.records), len(self.clockify.log.records)

    def reset(self) -> None:
        self.productive.reset()
        self.clockify.reset()

    def reset_logs(self) -> None:
        """Forget the requests so far (a test's own set-up), keeping the data they made."""
        self.productive.log.clear()
        self.clockify.log.clear()


@dataclass
class OtherGateway(Stack):
    """The suite's simulators behind another gateway, with settings of its own."""

    gateway: str = ""

    @property
    def url(self) -> str:
        return f"{self.gateway}/graphql"


def simulators(**clockify: Any) -> tuple[ProductiveSimulator, ClockifySimulator]:
    return (
        ProductiveSimulator(ProductiveSettings(anchor=ANCHOR)),
        ClockifySimulator(ClockifySettings(anchor=ANCHOR, **clockify)),
    )


@contextmanager
def running_stack(clockify: dict[str, Any] | None = None, **overrides: object) -> Iterator[Stack]:
    """Both simulators (Clockify settings overridable) and a gateway, served from a thread."""
    productive_sim, clockify_sim = simulators(**(clockify or {}))
    # One gateway serves the whole suite: a budget per token would outlast the simulators'
    # windows, and cached reads the simulators' data, which reset with every test. The pacing
    # and cache tests turn them on for their own gateways.
    paced: dict[str, object] = {
        "productive_rate_limits": "off",
        "clockify_rate_limits": "off",
        "read_cache": "off",
    }
    demo = build_demo(
        productive_sim=productive_sim, clockify_sim=clockify_sim, **{**paced, **overrides}
    )
    with BackgroundServers(demo.listeners), httpx.Client(timeout=30) as client:
        yield Stack(demo, client)


@contextmanager
def team_of(size: int) -> Iterator[Demo]:
    """Simulators seeded with a team of `size` and a gateway before them, for request counts:
    rate limits off on both sides (in one test process the simulators share the interpreter
    with the gateway, so a call can reach them long after the gateway's budget counted it;
    pacing is shown by tests/schema/test_pacing.py), read cache off."""
    productive_sim = ProductiveSimulator(
        ProductiveSettings(anchor=ANCHOR, team_size=size, limits=())
    )
    clockify_sim = ClockifySimulator(ClockifySettings(anchor=ANCHOR, team_size=size, limits=()))
    demo = build_demo(
        productive_sim=productive_sim,
        clockify_sim=clockify_sim,
        read_cache="off",
        productive_rate_limits="off",
        clockify_rate_limits="off",
    )
    with BackgroundServers(demo.listeners):
        yield demo


@contextmanager
def timebridge(
    *args: str, env: dict[str, str] | None = None, stop: str = "kill"
) -> Iterator[subprocess.Popen[str]]:
    """A `timebridge` command run as a user runs it, as a process; reaped whatever happens.
    `stop="terminate"` ends it with SIGTERM (a drain), "kill" at once."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield process
    finally:
        if stop == "terminate":
            process.terminate()
        else:
            process.kill()
        process.communicate(timeout=60)


def printed_url(process: subprocess.Popen[str]) -> str:
    """The URL a `serve` process prints on its first line (blocks until it is printed)."""
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "/graphql" in line, line
    return line.rsplit(" ", 1)[-1].strip()


@contextmanager
def gateway_for(settings: Any) -> Iterator[str]:
    """Another gateway (other settings) in front of whatever the settings point at."""
    listener = gateway_listener(settings, bind())
    with BackgroundServers([listener]):
        yield listener.url
