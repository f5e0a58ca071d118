"""Clockify webhooks into the gateway: the simulator delivers what happens on it, signed with
each webhook's token; the gateway verifies the token before parsing, publishes the change to
subscribers once (duplicates included), and drops the tenant's cached entry lists."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import httpx

from adapters.base import Platform
from gateway.app import gateway_listener
from gateway.security import Secret
from gateway.servers import BackgroundServers, bind
from schema.ids import encode
from simulators.productive.seed import ORGANIZATION_ID
from simulators.productive.webhooks import sign
from tests.gateway.test_cli_and_config import COMMAND
from tests.gateway.test_subscriptions import ENTRIES, TIMERS, subscriber
from tests.gateway.test_workers import env_for
from tests.schema.test_read_cache import WEEK, edit_in_clockify, notes
from tests.simulators.test_clockify_fidelity import WS, call
from tests.simulators.test_productive_fidelity import call as productive_call
from tests.simulators.test_productive_fidelity import entry_body
from tests.stack import OtherGateway, Stack

EVENTS = ("NEW_TIMER_STARTED", "TIMER_STOPPED", "TIME_ENTRY_UPDATED", "TIME_ENTRY_DELETED")


@contextmanager
def hooked(stack: Stack, events: tuple[str, ...] = EVENTS, **settings: Any) -> Iterator[str]:
    """A gateway whose URL is registered with the Clockify simulator for `events`, and which
    knows the tokens those webhooks sign with; yields its base URL."""
    sock = bind()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    tokens = []
    for event in events:
        hook = call(
            stack,
            "POST",
            f"{WS}/webhooks",
            {
                "name": f"tb {event}"[:30],
                "url": f"{base}/webhooks/clockify/{event}",
                "webhookEvent": event,
                "triggerSourceType": "WORKSPACE_ID",
                "triggerSource": [stack.clockify.workspace.id],
            },
        )
        assert hook.status_code == 201, hook.text
        tokens.append(Secret(hook.json()["authToken"]))
    gateway_settings = stack.demo.settings.with_overrides(
        clockify=replace(stack.demo.settings.clockify, webhook_tokens=tuple(tokens)), **settings
    )
    listener = gateway_listener(gateway_settings, sock)
    with BackgroundServers([listener]):
        yield base


def start_upstream(stack: Stack, note: str) -> dict[str, Any]:
    """Start a timer in Clockify itself, as its web app would."""
    answer = call(
        stack, "POST", f"{WS}/time-entries", {"start": "2026-12-01T09:00:00Z", "description": note}
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_timer_started_in_clockify_reaches_a_subscriber(stack: Stack) -> None:
    with hooked(stack) as gw, subscriber(f"{gw}/graphql", TIMERS) as messages:
        started = start_upstream(stack, "Started in Clockify")
        change = messages.get(timeout=20)["data"]["timerChanged"]
    assert change["kind"] == "STARTED"
    assert change["timer"]["timeEntry"]["note"] == "Started in Clockify"
    assert change["timer"]["running"] is True
    assert change["timerId"] == encode("Timer", Platform.CLOCKIFY, started["id"])


def test_a_bad_signature_is_refused_and_publishes_nothing(stack: Stack) -> None:
    with hooked(stack) as gw, subscriber(f"{gw}/graphql", TIMERS) as messages:
        entry = next(iter(stack.clockify.workspace.entries.values()))
        body = stack.clockify.workspace.entry_dto(entry)
        for signature in ({}, {"Clockify-Signature": "forged"}):
            refused = httpx.post(
                f"{gw}/webhooks/clockify/NEW_TIMER_STARTED", json=body, headers=signature
            )
            assert refused.status_code == 401 and refused.json() == {
                "error": "bad or missing Clockify-Signature"
            }
        start_upstream(stack, "Genuine")
        change = messages.get(timeout=20)["data"]["timerChanged"]
    # The first message is the genuine delivery: the forged ones published nothing.
    assert change["timer"]["timeEntry"]["note"] == "Genuine"


def test_a_delivery_received_twice_is_published_once(stack: Stack) -> None:
    stack.clockify.settings.webhooks.duplicate_rate = 1.0
    try:
        with hooked(stack) as gw, subscriber(f"{gw}/graphql", TIMERS, count=2) as messages:
            start_upstream(stack, "Once")
            first = messages.get(timeout=20)["data"]["timerChanged"]
            start_upstream(stack, "Next")  # stops "Once", starts this one
            second = messages.get(timeout=20)["data"]["timerChanged"]
    finally:
        stack.clockify.settings.webhooks.duplicate_rate = 0.0
    assert first["kind"] == "STARTED" and first["timer"]["timeEntry"]["note"] == "Once"
    # Next comes the first's stop or the second's start, never "Once" started again.
    assert (second["kind"], second["timer"]["timeEntry"]["note"]) != ("STARTED", "Once")


def test_an_entry_deleted_in_clockify_arrives_as_a_deletion(stack: Stack) -> None:
    entry = next(e for e in stack.clockify.workspace.entries.values() if not e.locked)
    with hooked(stack) as gw, subscriber(f"{gw}/graphql", ENTRIES) as messages:
        assert call(stack, "DELETE", f"{WS}/time-entries/{entry.id}").status_code == 204
        change = messages.get(timeout=20)["data"]["timeEntryChanged"]
    assert change["kind"] == "DELETED" and change["timeEntry"] is None


def test_a_webhook_drops_the_cached_lists_it_changes(stack: Stack) -> None:
    clockify = {"p": ["CLOCKIFY"]}
    with hooked(stack, read_cache="memory", read_cache_ttl=250.0) as gw:
        via = OtherGateway(stack.demo, stack.client, gw)
        via.gql(WEEK, clockify)
        with subscriber(f"{gw}/graphql", ENTRIES) as messages:
            edit_in_clockify(stack, "Edited in Clockify")
            messages.get(timeout=20)  # the webhook was handled
        after = via.gql(WEEK, clockify)
    assert "Edited in Clockify" in notes(after).values()


@contextmanager
def hooked_productive(stack: Stack, **settings: Any) -> Iterator[str]:
    """A gateway registered with the Productive simulator for created, updated and deleted
    entries, knowing the tokens those webhooks sign with; yields its base URL."""
    sock = bind()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    tokens = []
    for event in (7, 8, 9):
        url = f"{base}/webhooks/productive/{ORGANIZATION_ID}/{event}"
        body = {
            "data": {
                "type": "webhooks",
                "attributes": {
                    "name": f"timebridge {event}",
                    "event_id": event,
                    "target_url": url,
                    "type_id": 1,
                },
            }
        }
        hook = productive_call(stack, "POST", "/webhooks", body)
        assert hook.status_code == 201, hook.text
        tokens.append(Secret(hook.json()["data"]["attributes"]["token"]))
    gateway_settings = stack.demo.settings.with_overrides(
        productive=replace(stack.demo.settings.productive, webhook_tokens=tuple(tokens)),
        **settings,
    )
    listener = gateway_listener(gateway_settings, sock)
    with BackgroundServers([listener]):
        yield base


def test_an_entry_created_in_productive_reaches_a_subscriber(stack: Stack) -> None:
    with hooked_productive(stack) as gw, subscriber(f"{gw}/graphql", ENTRIES) as messages:
        created = productive_call(
            stack,
            "POST",
            "/time_entries",
            entry_body(date="2026-11-18", time=45, note="Made in Productive"),
        )
        assert created.status_code == 201, created.text
        change = messages.get(timeout=20)["data"]["timeEntryChanged"]
    remote = created.json()["data"]["id"]
    assert change["kind"] == "CREATED"
    assert change["timeEntryId"] == encode("TimeEntry", Platform.PRODUCTIVE, remote)
    assert change["timeEntry"]["note"] == "Made in Productive"


def test_a_forged_or_replayed_productive_delivery_is_refused(stack: Stack) -> None:
    with hooked_productive(stack) as gw, subscriber(f"{gw}/graphql", ENTRIES) as messages:
        token = stack.productive.store.all("webhooks")[0].attributes["token"]
        body = b'{"data": {"id": "20100", "type": "time_entries"}}'
        url = f"{gw}/webhooks/productive/{ORGANIZATION_ID}/8"
        old = int(time.time()) - 3600
        for header in (
            {},
            {"Productive-Signature": sign("not-the-token", int(time.time()), body)},
            {"Productive-Signature": sign(token, old, body)},  # a replay an hour later
        ):
            refused = httpx.post(url, content=body, headers=header)
            assert refused.status_code == 401, refused.text
        accepted = httpx.post(
            url, content=body, headers={"Productive-Signature": sign(token, int(time.time()), body)}
        )
        assert accepted.status_code == 204
        change = messages.get(timeout=20)["data"]["timeEntryChanged"]
    # The first message is the one genuine delivery: the refused ones published nothing.
    assert change["kind"] == "UPDATED"
    assert change["timeEntryId"] == encode("TimeEntry", Platform.PRODUCTIVE, "20100")


def test_the_webhooks_command_registers_lists_and_deletes(stack: Stack) -> None:
    env = env_for(stack)
    public = "https://gateway.example"

    def command(*args: str) -> str:
        done = subprocess.run(
            [COMMAND, "webhooks", *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    registered = command("register", "--public-url", public)
    clockify = {h["authToken"] for h in stack.clockify.workspace.webhooks.values()}
    productive = {h.attributes["token"] for h in stack.productive.store.all("webhooks")}
    assert len(clockify) == 10 and len(productive) == 3
    printed = dict(line.split("=", 1) for line in registered.splitlines() if "_TOKENS=" in line)
    assert set(printed["CLOCKIFY_WEBHOOK_TOKENS"].split(",")) == clockify
    assert set(printed["PRODUCTIVE_WEBHOOK_TOKENS"].split(",")) == productive
    urls = {h["url"] for h in stack.clockify.workspace.webhooks.values()}
    assert f"{public}/webhooks/clockify/NEW_TIMER_STARTED" in urls
    listed = command("list").splitlines()
    assert len(listed) == 13 and all(public in line for line in listed)
    command("delete", "--public-url", public)
    assert stack.clockify.workspace.webhooks == {} and stack.productive.store.all("webhooks") == []


def test_signed_but_malformed_or_oversized_deliveries_get_a_clear_4xx(stack: Stack) -> None:
    with hooked(stack) as gw:
        token = next(iter(stack.clockify.workspace.webhooks.values()))["authToken"]
        url = f"{gw}/webhooks/clockify/NEW_TIMER_STARTED"
        signed = {"Clockify-Signature": token}
        for body in (b"not json", b'{"id": "../users"}', b'{"id": "x", "workspaceId": "y"}'):
            answer = httpx.post(url, content=body, headers=signed)
            assert answer.status_code == 400 and "error" in answer.json(), answer.text
        huge = httpx.post(url, content=b"{" + b" " * (1 << 20) + b"}", headers=signed)
        assert huge.status_code == 413 and "error" in huge.json()
        unknown = httpx.post(f"{gw}/webhooks/clockify/NOT_AN_EVENT", content=b"{}", headers=signed)
        assert unknown.status_code == 404
