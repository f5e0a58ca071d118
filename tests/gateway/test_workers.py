"""`timebridge serve --workers N`: several processes on one port, sharing Redis for keys and
one multiprocess metrics directory; refused at start with a per-process idempotency store."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from gateway.demo import simulator_environment
from tests.gateway.test_cli_and_config import COMMAND
from tests.mutations.conftest import REDIS_URL, require_redis
from tests.stack import Stack, printed_url, timebridge


def env_for(stack: Stack, **extra: str) -> dict[str, str]:
    urls = (stack.demo.productive.url, stack.demo.clockify.url)
    clean = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    return {**clean, **simulator_environment(*urls), **extra}


def children(pid: int) -> dict[int, str]:
    """`pid`'s children and their full command lines, read from /proc: `ps` truncates them to
    the terminal width it believes in, which hid the workers on a checkout with a long path."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found[int(stat.parent.name)] = command
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while we looked
    return found


def child_commands(pid: int) -> list[str]:
    return list(children(pid).values())


def shared_env(stack: Stack) -> dict[str, str]:
    return env_for(
        stack,
        TIMEBRIDGE_IDEMPOTENCY_STORE=REDIS_URL,
        TIMEBRIDGE_READ_CACHE=REDIS_URL,
        TIMEBRIDGE_EVENTS=REDIS_URL,
    )


def test_more_than_one_worker_needs_a_shared_store(stack: Stack) -> None:
    done = subprocess.run(
        [COMMAND, "serve", "--port", "0", "--workers", "2"],
        env=env_for(stack),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "TIMEBRIDGE_WORKERS" in line and "redis://" in line and "--workers" in line
    cached = subprocess.run(
        [COMMAND, "serve", "--port", "0", "--workers", "2"],
        env=env_for(stack, TIMEBRIDGE_IDEMPOTENCY_STORE=REDIS_URL),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert cached.returncode == 2 and "TIMEBRIDGE_READ_CACHE" in cached.stderr


def test_two_workers_serve_one_port_and_one_metrics_view(stack: Stack) -> None:
    require_redis()
    env = shared_env(stack)
    with timebridge("serve", "--port", "0", "--workers", "2", env=env, stop="terminate") as gw:
        url = printed_url(gw)
        with httpx.Client(timeout=30) as client:
            for _ in range(20):
                body = client.post(url, json={"query": "query Ping { __typename }"}).json()
                assert body == {"data": {"__typename": "Query"}}
        # Fresh connections land on either worker; each answers for all of them.
        totals = set()
        for _ in range(4):
            text = httpx.get(url.replace("/graphql", "/metrics"), timeout=10).text
            pings = sum(
                s.value
                for f in text_string_to_metric_families(text)
                for s in f.samples
                if s.name == "timebridge_graphql_requests_total"
                and s.labels.get("operation") == "Ping"
            )
            totals.add(pings)
        assert totals == {20.0}
        assert sum("spawn_main" in c for c in child_commands(gw.pid)) == 2  # two workers


def kill_one_worker(stack: Stack, sig: signal.Signals) -> tuple[int, str, list[int]]:
    """Two workers serving; `sig` sent to one of them from outside. The gateway's exit code,
    its log, and the workers' pids."""
    with subprocess.Popen(
        [COMMAND, "serve", "--port", "0", "--workers", "2"],
        env=shared_env(stack),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as gateway:
        try:
            url = printed_url(gateway)
            assert httpx.post(url, json={"query": "{ __typename }"}, timeout=30).status_code == 200
            workers = [p for p, command in children(gateway.pid).items() if "spawn_main" in command]
            assert len(workers) == 2
            os.kill(workers[0], sig)
            code = gateway.wait(timeout=60)
            log = gateway.stderr.read() if gateway.stderr else ""
        finally:
            if gateway.poll() is None:
                gateway.kill()
                gateway.wait(timeout=30)
    return code, log, workers


def test_a_worker_that_dies_unasked_stops_the_gateway_for_its_supervisor(stack: Stack) -> None:
    """Killed from outside, one worker's end is not left unnoticed at half the capacity: the
    other drains, and the gateway ends with 1 and says which worker died."""
    require_redis()
    code, log, workers = kill_one_worker(stack, signal.SIGKILL)
    assert code == 1
    assert "ended unexpectedly (exit code -9): stopping the other workers" in log
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers[1:])


def test_a_worker_stopped_from_outside_still_fails_the_gateway(stack: Stack) -> None:
    """A worker sent SIGTERM alone drains and exits cleanly; the gateway is still one worker
    short, so it stops the other and ends with 1, for its supervisor to restart it."""
    require_redis()
    code, log, _ = kill_one_worker(stack, signal.SIGTERM)
    assert code == 1
    assert "ended unexpectedly (exit code 0): stopping the other workers" in log, log
