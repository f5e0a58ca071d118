"""Hostile and malformed input: contained before any upstream call, and always answered in JSON.

Traversal in IDs and credential headers, malformed bodies, oversized and overly costly
operations, a failing platform inside `nodes`, an unreachable idempotency store, and what an
operator reads in the logs.
"""

from __future__ import annotations

import base64
import logging
import socket
from typing import Any

import httpx
import pytest

from simulators.faults import ScriptedFault
from tests.stack import Stack, gateway_for

WEEK = '{start: "2026-11-16", end: "2026-11-20"}'


def gid(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture
def open_gateway(stack: Stack) -> Any:
    """A gateway that takes per-request credentials (the headers under attack)."""
    with gateway_for(stack.demo.settings.with_overrides(request_credentials=True)) as url:
        yield f"{url}/graphql"


@pytest.mark.parametrize(
    "raw",
    [
        "TimeEntry:clockify:8160/../../../_sim/requests",
        "Person:productive:1/../../x",
        "Person:productive:1,2,3",
        "Project:clockify:..%2F..%2F_sim",
        "Timer:productive:%2e%2e",
        "Approval:clockify:timesheet/../../_sim/reset",
    ],
)
def test_traversal_in_ids_makes_no_upstream_call(stack: Stack, raw: str) -> None:
    body = stack.gql("query($id: ID!) { node(id: $id) { id } }", {"id": gid(raw)})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["argument"] == "id"
    assert stack.counts() == (0, 0)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Clockify-Workspace-Id", "../../../_sim/reset?"),
        ("X-Clockify-Workspace-Id", "0123456789abcdef0123456/"),
        ("X-Productive-Organization-Id", "1/../../x"),
        ("X-Productive-Person-Id", "7 OR 1=1"),
        ("X-Clockify-Api-Key", "key\twith tab"),
    ],
)
def test_traversal_in_credential_headers_makes_no_upstream_call(
    stack: Stack, open_gateway: str, header: str, value: str
) -> None:
    answer = httpx.post(
        open_gateway, json={"query": "{ people { totalCount } }"}, headers={header: value}
    )
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert header.lower() in error["message"] and value not in error["message"]
    assert stack.counts() == (0, 0)


MALFORMED = [
    (b'{"query":"\xff"}', "not valid UTF-8"),
    (b"null", "must be a JSON object"),
    (b'"str"', "must be a JSON object"),
    (b"[1, 2]", "must be a JSON object"),
    (b"42", "must be a JSON object"),
    (b'{"query": 1}', "`query` must be a string"),
    (b'{"query": "{__typename}", "variables": "x"}', "`variables` must be an object"),
    (b'{"query": "{__typename}", "variables": [1]}', "`variables` must be an object"),
    (b'{"query": "{__typename}", "operationName": 3}', "`operationName` must be a string"),
    (b'{"query": "{__typename}", "extensions": "x"}', "`extensions` must be an object"),
    (b'{"query', "Unable to parse"),
    (b"", "Unable to parse"),
]


@pytest.mark.parametrize(("raw", "says"), MALFORMED)
def test_malformed_bodies_get_a_json_400(
    stack: Stack, raw: bytes, says: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        answer = stack.client.post(
            stack.url, content=raw, headers={"content-type": "application/json"}
        )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/json")
    assert says in answer.json()["errors"][0]["message"]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_a_body_over_the_limit_is_a_json_413(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(
        limits=stack.demo.settings.limits.__class__(max_body_bytes=1000)
    )
    with gateway_for(settings) as url:
        answer = httpx.post(f"{url}/graphql", json={"query": "{__typename}", "x": "a" * 2000})
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


def week_entries(alias: str, first: int = 5) -> str:
    return (
        f"{alias}: timeEntries(first: {first}, filter: {{dateRange: {WEEK}}}) "
        "{ edges { node { id } } }"
    )


def refusal(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    assert extensions["code"] == "OPERATION_TOO_COMPLEX"
    return extensions


def test_200_aliases_are_refused_before_any_call(stack: Stack) -> None:
    query = "{ %s }" % " ".join(week_entries(f"a{i}") for i in range(200))
    assert refusal(stack.gql(query)) == {
        "code": "OPERATION_TOO_COMPLEX",
        "limit": "maxAliases",
        "max": 50,
        "value": 200,
    }
    assert stack.counts() == (0, 0)


def test_an_estimated_upstream_cost_over_the_budget_is_refused(stack: Stack) -> None:
    # Thirteen different ranges: no two share a read, 8 estimated calls each.
    query = "{ %s }" % " ".join(week_entries(f"a{i}", first=i + 1) for i in range(13))
    extensions = refusal(stack.gql(query))
    assert (extensions["limit"], extensions["max"], extensions["value"]) == (
        "maxUpstreamCalls",
        100,
        104,
    )
    assert stack.counts() == (0, 0)


def test_too_many_root_fields_tokens_depth_and_bytes_are_refused(stack: Stack) -> None:
    roots = "{ %s }" % " ".join(f"t{i}: __typename" for i in range(21))
    assert refusal(stack.gql(roots))["limit"] == "maxRootFields"
    tokens = "{ people(first: 1) { edges { node { %s } } } }" % " ".join(["id"] * 10_000)
    assert refusal(stack.gql(tokens))["limit"] == "maxTokens"
    deep = "{ viewer { accounts { %s } } }" % ("linkedAccounts { " * 12 + "id" + " }" * 12)
    assert refusal(stack.gql(deep))["limit"] == "maxDepth"
    huge = stack.post("{ __typename %s }" % (" " * 200_000))
    assert huge.status_code == 400 and refusal(huge.json())["limit"] == "maxQueryBytes"
    assert stack.counts() == (0, 0)


def test_identical_aliases_share_one_upstream_read(stack: Stack) -> None:
    limits = stack.demo.settings.limits.__class__(
        max_aliases=250, max_root_fields=250, max_fields=5000, max_tokens=20_000
    )
    settings = stack.demo.settings.with_overrides(limits=limits)
    with gateway_for(settings) as url:
        one = httpx.post(f"{url}/graphql", json={"query": "{ %s }" % week_entries("a")})
        assert "errors" not in one.json()
        single = stack.counts()
        stack.reset()
        query = "{ %s }" % " ".join(week_entries(f"a{i}") for i in range(200))
        many = httpx.post(f"{url}/graphql", json={"query": query}, timeout=30).json()
    assert "errors" not in many and len(many["data"]) == 200
    assert len({str(v) for v in many["data"].values()}) == 1
    assert stack.counts() == single


def test_nodes_keeps_the_healthy_platform_when_one_fails(stack: Stack) -> None:
    data = stack.data(
        """{ p: people(filter: {platforms: [PRODUCTIVE]}, first: 2) { edges { node { id } } }
             c: people(filter: {platforms: [CLOCKIFY]}, first: 2) { edges { node { id } } } }"""
    )
    ids = [e["node"]["id"] for key in ("p", "c") for e in data[key]["edges"]]
    stack.productive.settings.faults.error_rate = 1.0
    try:
        body = stack.gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Person { platform } } }",
            {"ids": ids},
        )
    finally:
        stack.productive.settings.faults.error_rate = 0.0
    nodes = body["data"]["nodes"]
    assert nodes[:2] == [None, None]
    assert [n["platform"] for n in nodes[2:]] == ["CLOCKIFY", "CLOCKIFY"]
    assert [e["extensions"]["platform"] for e in body["errors"]] == ["PRODUCTIVE"]
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def test_an_unreachable_idempotency_store_is_named_and_not_ready(stack: Stack) -> None:
    store = f"redis://127.0.0.1:{closed_port()}/0"
    settings = stack.demo.settings.with_overrides(idempotency_store=store)
    dev = stack.data(
        '{ people(filter: {emails: ["dev.patel@example.com"], platforms: [CLOCKIFY]}) '
        "{ edges { node { id } } } }"
    )["people"]["edges"][0]["node"]["id"]
    query = """mutation($input: StartTimerInput!) { startTimer(input: $input) {
      timer { id } userErrors { code } } }"""
    value = {"platform": "CLOCKIFY", "personId": dev, "idempotencyKey": "k"}
    with gateway_for(settings) as url:
        stack.reset()
        answer = httpx.post(f"{url}/graphql", json={"query": query, "variables": {"input": value}})
        ready = httpx.get(f"{url}/readyz")
    assert answer.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert len(stack.clockify.log.writes()) == 0
    assert ready.status_code == 503
    assert ready.json()["idempotencyStore"] == {"kind": "redis", "reachable": False}


def test_client_mistakes_log_one_info_line_and_failures_log_a_traceback(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        stack.gql("{ timeEntries(first: 500) { totalCount } }")
        stack.gql('{ node(id: "nonsense") { id } }')
    mistakes = [r for r in caplog.records if r.name.startswith("timebridge")]
    assert mistakes and not [r for r in mistakes if r.exc_info or r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if r.name.startswith("httpx") and r.levelno < 30]
    caplog.clear()
    # An upstream answering 200 with an error body: translation fails, a real bug path.
    stack.clockify.settings.faults.script.append(
        ScriptedFault("status", status=200, path_contains="/users")
    )
    with caplog.at_level(logging.INFO):
        answer = stack.post(
            "{ people(filter: {platforms: [CLOCKIFY]}) { edges { node { id } } } }",
            headers={"X-Request-Id": "probe-42"},
        )
    assert answer.headers["x-request-id"] == "probe-42"
    error = answer.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "probe-42"}
    assert "Traceback" not in answer.text
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures and failures[0].exc_info and "probe-42" in failures[0].getMessage()
    access = [r.getMessage() for r in caplog.records if r.name == "timebridge.access"]
    assert any(line.startswith("POST /graphql 200 ") for line in access)


def test_request_ids_are_kept_when_safe_and_replaced_otherwise(stack: Stack) -> None:
    kept = stack.client.get(f"{stack.demo.gateway.url}/healthz", headers={"X-Request-Id": "a-1"})
    assert kept.headers["x-request-id"] == "a-1"
    replaced = stack.client.get(
        f"{stack.demo.gateway.url}/healthz", headers={"X-Request-Id": "bad id; x=" + "y" * 200}
    )
    new_id = replaced.headers["x-request-id"]
    assert not new_id.startswith("bad") and len(new_id) == 32  # 16 fresh random bytes in hex
    int(new_id, 16)
