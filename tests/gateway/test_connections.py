"""Connections as a server sees them: slow and idle clients, the connection cap, TCP_NODELAY, and
a SIGTERM drain of a real `timebridge serve` process.

Every wait here is for an event with a bound (a socket closing, a line printed, a count of
requests reached in the simulator), never a fixed sleep.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from gateway.demo import simulator_environment
from gateway.servers import BackgroundServers
from tests.stack import Stack, gateway_for, printed_url, timebridge

QUERY = "{ people(filter: {platforms: [PRODUCTIVE]}, first: 1) { totalCount } }"
# Twenty different reads that every person matches: identical reads in flight at once would
# share one upstream call, and these must each be in flight at the simulator.
EVERYONE = "@example.com"
DISTINCT = [
    '{ people(filter: {platforms: [PRODUCTIVE], text: "%s"}, first: 1) { totalCount } }'
    % EVERYONE[i:j]
    for i in range(5)
    for j in range(len(EVERYONE) - 3, len(EVERYONE) + 1)
]


@pytest.fixture
def strict(stack: Stack) -> Iterator[tuple[str, int]]:
    settings = stack.demo.settings.with_overrides(header_timeout=0.5, body_timeout=0.5)
    with gateway_for(settings) as url:
        host, port = url.removeprefix("http://").split(":")
        yield host, int(port)


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the server closes the connection before `seconds` pass."""
    sock.settimeout(seconds)
    try:
        while True:
            if not sock.recv(4096):
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_client_trickling_its_headers_is_cut_off(strict: tuple[str, int]) -> None:
    with socket.create_connection(strict) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        assert closed_within(sock, 5.0)


def test_an_idle_connection_is_closed(strict: tuple[str, int]) -> None:
    with socket.create_connection(strict) as sock:
        assert closed_within(sock, 5.0)


def test_a_body_that_never_arrives_is_cut_off(strict: tuple[str, int]) -> None:
    with socket.create_connection(strict) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"query"'
        )
        assert closed_within(sock, 5.0)


def test_connections_over_the_cap_are_refused(stack: Stack) -> None:
    # A long header timeout: only the cap can close the extra connection within the wait.
    settings = stack.demo.settings.with_overrides(header_timeout=30.0, max_client_connections=5)
    with gateway_for(settings) as url:
        host, port = url.removeprefix("http://").split(":")
        address = (host, int(port))
        held = [socket.create_connection(address) for _ in range(5)]
        try:
            with socket.create_connection(address) as extra:
                assert closed_within(extra, 5.0)
            assert not closed_within(held[0], 0.2)  # the five within the cap stay open
        finally:
            for sock in held:
                sock.close()


@pytest.mark.parametrize("event_loop", ["uvloop", "asyncio"])
def test_accepted_connections_have_tcp_nodelay(stack: Stack, event_loop: str) -> None:
    settings = stack.demo.settings
    from gateway.app import gateway_listener
    from gateway.servers import bind

    listener = gateway_listener(settings, bind())
    servers = BackgroundServers([listener], event_loop=event_loop)
    with servers, httpx.Client() as client:
        client.get(f"{listener.url}/healthz")  # keep-alive: the connection stays open
        connections = list(servers.servers[0].server_state.connections)
        sockets = [c.transport.get_extra_info("socket") for c in connections]  # type: ignore[attr-defined]
        flags = [s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets]
        transports = {type(c.transport).__module__.split(".")[0] for c in connections}  # type: ignore[attr-defined]
    assert flags and all(flags)
    # The loop asked for is the one serving: uvloop's transports are its own.
    assert transports == ({"uvloop"} if event_loop == "uvloop" else {"asyncio"})


def serve(stack: Stack, *extra: str) -> Any:
    urls = stack.demo.productive.url, stack.demo.clockify.url
    env = {**os.environ, **simulator_environment(*urls)}
    return timebridge("serve", "--port", "0", *extra, env=env)


@pytest.fixture
def slow_productive(stack: Stack) -> Iterator[Callable[[float], None]]:
    def set_latency(seconds: float) -> None:
        stack.productive.settings.faults.latency = seconds

    yield set_latency
    stack.productive.settings.faults.latency = 0.0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_lets_every_request_in_flight_finish(
    stack: Stack, slow_productive: Callable[[float], None], sig: signal.Signals
) -> None:
    slow_productive(1.5)
    with serve(stack) as process:
        url = printed_url(process)
        with ThreadPoolExecutor(20) as pool:
            futures = [
                pool.submit(httpx.post, url, json={"query": query}, timeout=30)
                for query in DISTINCT[:20]
            ]
            assert stack.productive.log.wait_in_flight(20, timeout=15)
            process.send_signal(sig)
            base = url.removesuffix("/graphql")
            ready = httpx.get(f"{base}/readyz", timeout=5)
            refused = httpx.post(url, json={"query": QUERY}, timeout=5)
            answers = [f.result() for f in futures]
        assert process.wait(timeout=20) == 0
    assert ready.status_code == 503
    assert refused.status_code == 503
    assert refused.json()["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"
    assert [a.status_code for a in answers] == [200] * 20
    assert all(a.json()["data"]["people"]["totalCount"] == 9 for a in answers)


def test_past_the_drain_time_a_request_gets_a_json_error(
    stack: Stack, slow_productive: Callable[[float], None]
) -> None:
    slow_productive(5.0)
    with serve(stack, "--drain-timeout", "0.5") as process:
        url = printed_url(process)
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(httpx.post, url, json={"query": QUERY}, timeout=30)
            assert stack.productive.log.wait_in_flight(1, timeout=15)
            process.send_signal(signal.SIGTERM)
            answer = future.result()
        assert process.wait(timeout=20) == 0
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"


def test_demo_stops_cleanly_on_sigterm() -> None:
    with timebridge("demo", "--port", "0") as process:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        url = lines[2].rsplit(" ", 1)[-1].strip()
        assert httpx.post(url, json={"query": "{ __typename }"}).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_a_websocket_outlives_the_request_deadlines(strict: tuple[str, int]) -> None:
    """The header and body deadlines guard a request, not the WebSocket it upgrades to: with
    both at 0.5 s, an idle graphql-transport-ws connection stays open past them and still
    answers a ping."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    host, port = strict
    url = f"ws://{host}:{port}/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        # Nothing arrives, and the server does not close it, for well past both deadlines.
        with pytest.raises(TimeoutError):
            ws.recv(timeout=2.0)
        try:
            ws.send(json.dumps({"type": "ping"}))
            assert json.loads(ws.recv(timeout=10))["type"] == "pong"
        except ConnectionClosed as closed:
            raise AssertionError(f"the WebSocket was closed: {closed}") from None
