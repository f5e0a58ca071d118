"""The `timebridge` command and configuration, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from gateway.config import ConfigError, Settings

ROOT = Path(__file__).parents[2]
COMMAND = str(Path(sys.executable).parent / "timebridge")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PRODUCTIVE_", "CLOCKIFY_"))}
    return subprocess.run(
        [COMMAND, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
        check=False,
    )


@contextmanager
def background(*args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    process = subprocess.Popen(
        [COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        yield process, []
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()


def test_help_documents_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "demo", "simulate", "schema"):
        assert command in result.stdout
    serve = run("serve", "--help").stdout
    for variable in (
        "PRODUCTIVE_API_URL",
        "PRODUCTIVE_API_TOKEN",
        "PRODUCTIVE_ORGANIZATION_ID",
        "CLOCKIFY_API_URL",
        "CLOCKIFY_REPORTS_URL",
        "CLOCKIFY_API_KEY",
        "CLOCKIFY_WORKSPACE_ID",
    ):
        assert variable in serve


@pytest.mark.parametrize(
    "env,named",
    [
        ({"PRODUCTIVE_API_TOKEN": "t0ken-value"}, "PRODUCTIVE_ORGANIZATION_ID"),
        ({"CLOCKIFY_API_URL": "ftp//nowhere"}, "CLOCKIFY_API_URL"),
        ({"CLOCKIFY_API_KEY": "k"}, "CLOCKIFY_WORKSPACE_ID"),
        ({"TIMEBRIDGE_PORT": "eighty"}, "TIMEBRIDGE_PORT"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_WORKSPACE_ID": "../../_sim"}, "CLOCKIFY_WORKSPACE_ID"),
        (
            {"PRODUCTIVE_API_TOKEN": "t", "PRODUCTIVE_ORGANIZATION_ID": "1/../x"},
            "PRODUCTIVE_ORGANIZATION_ID",
        ),
        ({"TIMEBRIDGE_MAX_ALIASES": "0"}, "TIMEBRIDGE_MAX_ALIASES"),
        ({"TIMEBRIDGE_DRAIN_TIMEOUT": "soon"}, "TIMEBRIDGE_DRAIN_TIMEOUT"),
        ({"TIMEBRIDGE_EVENT_LOOP": "trio"}, "TIMEBRIDGE_EVENT_LOOP"),
        ({"TIMEBRIDGE_UPSTREAM_TRANSPORT": "curl"}, "TIMEBRIDGE_UPSTREAM_TRANSPORT"),
    ],
)
def test_invalid_configuration_stops_serve_with_one_line(env: dict[str, str], named: str) -> None:
    result = run("serve", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0]
    assert "Traceback" not in result.stderr and "t0ken-value" not in result.stderr


def test_defaults_and_secrets_stay_masked() -> None:
    settings = Settings.from_env({"PRODUCTIVE_API_TOKEN": "abc", "PRODUCTIVE_ORGANIZATION_ID": "1"})
    assert settings.productive.api_url == "https://api.productive.io/api/v2"
    assert settings.clockify.reports_url == "https://reports.api.clockify.me/v1"
    assert "abc" not in repr(settings)
    assert settings.validate().productive.configured and not settings.clockify.configured
    with pytest.raises(ConfigError):
        Settings.from_env({"TIMEBRIDGE_REQUEST_CREDENTIALS": "maybe"})


def test_schema_command_prints_the_committed_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert result.stdout.strip() == (ROOT / "schema.graphql").read_text().strip()


def test_simulate_serves_one_upstream_standalone() -> None:
    with background("simulate", "clockify") as (process, _):
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split(" on ", 1)[1].split(",", 1)[0]
        user = httpx.get(f"{url}/user", headers={"X-Api-Key": "clockify-demo-key"}, timeout=10)
        assert user.status_code == 200 and user.json()["email"] == "ana.kovac@example.com"
        log = httpx.get(url.replace("/api/v1", "/_sim/requests"), timeout=10).json()
        assert [r["path"] for r in log] == ["/api/v1/user"]


def test_demo_serves_graphiql_and_answers_from_both_simulators() -> None:
    with background("demo", "--port", "0") as (process, _):
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        url = lines[2].split("GraphiQL:", 1)[1].strip()
        page = httpx.get(url, headers={"Accept": "text/html"}, timeout=10)
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        body = httpx.post(url, json={"query": "{ runningTimers { platform } }"}, timeout=30).json()
        assert {t["platform"] for t in body["data"]["runningTimers"]} == {"PRODUCTIVE", "CLOCKIFY"}


def test_serve_refuses_to_start_with_nothing_configured() -> None:
    result = run("serve")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "no platform is configured" in line and "PRODUCTIVE_API_TOKEN" in line


def test_configuration_errors_name_the_variable_and_the_flag() -> None:
    result = run("serve", "--port", "abc")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "TIMEBRIDGE_PORT" in line and "--port" in line and "invalid literal" not in line


def test_a_busy_port_is_named() -> None:
    from gateway.servers import bind

    taken = bind("127.0.0.1", 0)
    taken.listen()
    port = str(taken.getsockname()[1])
    try:
        env = {"PRODUCTIVE_API_TOKEN": "t0ken-value", "PRODUCTIVE_ORGANIZATION_ID": "1"}
        result = run("serve", "--port", port, env=env)
    finally:
        taken.close()
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert f"127.0.0.1:{port}" in line and "t0ken-value" not in line


def test_an_unreachable_redis_store_stops_serve_naming_it() -> None:
    env = {
        "PRODUCTIVE_API_TOKEN": "t",
        "PRODUCTIVE_ORGANIZATION_ID": "1",
        "TIMEBRIDGE_IDEMPOTENCY_STORE": "redis://:s3cret@127.0.0.1:1/0",
    }
    result = run("serve", env=env)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "TIMEBRIDGE_IDEMPOTENCY_STORE" in line and "127.0.0.1:1" in line
    assert "s3cret" not in line and "--idempotency-store" in line


def test_version_is_the_packages() -> None:
    from importlib.metadata import version

    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"timebridge {version('timebridge')}"


def test_the_demo_allows_local_dev_servers_by_cors() -> None:
    with background("demo", "--port", "0") as (process, _):
        assert process.stdout is not None
        url = [process.stdout.readline() for _ in range(3)][2].split("GraphiQL:", 1)[1].strip()
        preflight = httpx.options(
            url,
            headers={
                "Origin": "http://localhost:5173",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
            timeout=10,
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
        other = httpx.options(
            url,
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        assert "access-control-allow-origin" not in other.headers


def test_json_logs_carry_the_request_id_on_every_line() -> None:
    env = {**os.environ, "TIMEBRIDGE_LOG_FORMAT": "json"}
    process = subprocess.Popen(
        [COMMAND, "demo", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = [process.stdout.readline() for _ in range(3)][2].split("GraphiQL:", 1)[1].strip()
        answer = httpx.post(
            url,
            json={"query": "query Hello { __typename }"},
            headers={"X-Request-Id": "trace-me-42"},
            timeout=10,
        )
        assert answer.headers["x-request-id"] == "trace-me-42"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    mine = [line for line in lines if line["requestId"] == "trace-me-42"]
    assert mine and all({"time", "level", "logger", "message"} <= set(line) for line in mine)
    access = [line for line in mine if line["logger"] == "timebridge.access"]
    assert len(access) == 1 and "POST /graphql 200" in access[0]["message"]
    assert "op=Hello" in access[0]["message"]
