"""GraphiQL in a real headless browser: loads from the gateway alone, runs a query, shows data,
and runs a subscription over its WebSocket."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.mutations.helpers import mutate
from tests.stack import Stack

SCRIPT = Path(__file__).with_name("graphiql_check.mjs")
SUBSCRIBE = Path(__file__).with_name("graphiql_subscribe.mjs")
PLAYWRIGHT = Path(__file__).parents[2] / "gateway/graphiql/node_modules/playwright-core"


def _require(found: object, what: str) -> None:
    if found:
        return
    message = f"{what} is missing: `make test` installs it (CI installs chromium too)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_graphiql(url: str, shot: Path, now: str | None = None) -> dict[str, Any]:
    """Open GraphiQL at `url` in Chromium (its clock at `now`), run the default query, and
    return what graphiql_check.mjs reports: the query, the answer, outside requests."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    _require(chromium, "Debian's chromium")
    _require(shutil.which("node") and PLAYWRIGHT.is_dir(), "node with playwright-core")
    result = subprocess.run(
        ["node", str(SCRIPT), url, str(shot), *([now] if now else [])],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CHROMIUM": str(chromium)},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_graphiql_runs_a_query_in_headless_chromium(stack: Stack, tmp_path: Path) -> None:
    shot = tmp_path / "graphiql.png"
    # Wednesday of the seeded week: the default query asks for the browser's week.
    report = run_graphiql(stack.url, shot, "2026-11-18T10:00:00")
    assert report["outside"] == []
    assert '"PRODUCTIVE"' in report["result"] and '"CLOCKIFY"' in report["result"]
    assert '"timeEntries"' in report["result"]
    # Defect 18: the first query a newcomer runs shows this week, with paging.
    assert '"2026-11-16"' in report["query"] and '"2026-11-22"' in report["query"]
    assert '"endCursor"' in report["result"] and '"hasNextPage":true' in report["result"]
    assert '"totalCount":180' in report["result"]
    assert shot.stat().st_size > 10_000


def test_graphiql_runs_a_subscription_over_its_websocket(stack: Stack) -> None:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    _require(chromium, "Debian's chromium")
    _require(shutil.which("node") and PLAYWRIGHT.is_dir(), "node with playwright-core")
    subscription = "subscription { timerChanged { kind timer { timeEntry { note } } } }"
    process = subprocess.Popen(
        ["node", str(SUBSCRIBE), stack.url, subscription, "Seen in GraphiQL"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CHROMIUM": str(chromium)},
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline() or "{}")  # blocks until subscribed
        assert ready.get("ready"), process.stderr and process.stderr.read()[-2000:]
        assert ready["socket"].startswith("ws://127.0.0.1")
        mutate(
            stack,
            "startTimer",
            {"platform": "CLOCKIFY", "note": "Seen in GraphiQL"},
            "timer { id }",
        )
        shown = json.loads(process.stdout.readline() or "{}")
    finally:
        process.kill()
        process.communicate(timeout=30)  # reaps it and closes its pipes
    assert "STARTED" in shown["result"] and "Seen in GraphiQL" in shown["result"]
