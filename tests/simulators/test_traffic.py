"""The simulators' request log, documented rate limits and injected faults, over loopback HTTP."""

from __future__ import annotations

import json

import httpx

from simulators.clockify.app import DEMO_KEY
from simulators.clockify.seed import WORKSPACE_ID
from simulators.faults import ScriptedFault
from simulators.productive.app import DEMO_TOKEN
from simulators.productive.seed import ORGANIZATION_ID
from simulators.traffic import Window
from tests.stack import Stack

HEADERS = {
    "X-Auth-Token": DEMO_TOKEN,
    "X-Organization-Id": ORGANIZATION_ID,
    "Content-Type": "application/vnd.api+json",
}


def test_every_answered_request_is_logged_with_method_path_and_query(stack: Stack) -> None:
    base = stack.demo.productive.url
    stack.client.get(f"{base}/api/v2/people", params={"filter[id]": "8160"}, headers=HEADERS)
    stack.client.get(f"{base}/api/v2/nope", headers=HEADERS)
    records = stack.productive.log.records
    assert [(r.method, r.path, r.status) for r in records] == [
        ("GET", "/api/v2/people", 200),
        ("GET", "/api/v2/nope", 404),
    ]
    assert "filter%5Bid%5D=8160" in records[0].query
    listed = stack.client.get(f"{base}/_sim/requests").json()
    assert [r["path"] for r in listed] == ["/api/v2/people", "/api/v2/nope"]


def test_productive_limit_answers_429_with_retry_after(stack: Stack) -> None:
    stack.productive.limiter.windows = [Window(3, 10.0)]
    try:
        url = f"{stack.demo.productive.url}/api/v2/people"
        statuses = [stack.client.get(url, headers=HEADERS).status_code for _ in range(4)]
        refused = stack.client.get(url, headers=HEADERS)
    finally:
        stack.productive.limiter.windows = [Window(100, 10.0), Window(4000, 1800.0)]
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["errors"][0]["status"] == "429"


def test_clockify_default_limit_is_fifty_per_second(stack: Stack) -> None:
    assert [(w.limit, w.seconds) for w in stack.clockify.limiter.windows] == [(50, 1.0)]


def test_scripted_status_fault_hits_only_the_matching_request(stack: Stack) -> None:
    stack.productive.settings.faults.script.append(
        ScriptedFault("status", status=503, path_contains="/time_entries")
    )
    base = stack.demo.productive.url
    people = stack.client.get(f"{base}/api/v2/people", headers=HEADERS)
    entries = stack.client.get(f"{base}/api/v2/time_entries", headers=HEADERS)
    again = stack.client.get(f"{base}/api/v2/time_entries", headers=HEADERS)
    assert (people.status_code, entries.status_code, again.status_code) == (200, 503, 200)


def test_dropped_connection_closes_without_an_answer(stack: Stack) -> None:
    stack.clockify.settings.faults.script.append(ScriptedFault("drop"))
    try:
        stack.client.get(
            f"{stack.demo.clockify.url}/api/v1/user", headers={"X-Api-Key": "clockify-demo-key"}
        )
    except httpx.TransportError:
        dropped = True
    else:
        dropped = False
    assert dropped


def test_random_error_rate_is_deterministic_for_a_seed(stack: Stack) -> None:
    faults = stack.clockify.settings.faults
    faults.error_rate = 0.5
    try:
        statuses = [
            stack.client.get(
                f"{stack.demo.clockify.url}/api/v1/user", headers={"X-Api-Key": "clockify-demo-key"}
            ).status_code
            for _ in range(20)
        ]
    finally:
        faults.error_rate = 0.0
    failed = [s for s in statuses if s >= 500]
    assert 3 <= len(failed) <= 17
    assert set(statuses) <= {200, 500, 502, 503}


def _stdlib_compact(raw: bytes) -> bytes:
    """Starlette's JSONResponse encoding, which the simulators' orjson answers replace."""
    body = json.loads(raw)
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def test_the_simulators_answer_the_bytes_starlettes_encoder_would(stack: Stack) -> None:
    """simulators/json_answer.py encodes with orjson; its answers stay byte for byte what the
    stdlib encoder gave: pages with includes, non-ASCII names, numbers and errors."""
    productive = f"{stack.demo.productive.url}/api/v2"
    p_headers = {
        "X-Auth-Token": DEMO_TOKEN,
        "X-Organization-Id": ORGANIZATION_ID,
        "Content-Type": "application/vnd.api+json",
    }
    clockify = f"{stack.demo.clockify.url}/api/v1/workspaces/{WORKSPACE_ID}"
    answers = [
        stack.client.get(
            f"{productive}/time_entries",
            headers=p_headers,
            params={"include": "person,service.deal.project,task", "filter[after]": "2026-11-16"},
        ),
        stack.client.get(f"{productive}/people", headers=p_headers),
        stack.client.get(f"{productive}/time_entries/nope", headers=p_headers),
        stack.client.get(f"{clockify}/users", headers={"X-Api-Key": DEMO_KEY}),
        stack.client.get(f"{clockify}/projects", headers={"X-Api-Key": "wrong"}),
    ]
    assert [a.status_code for a in answers][:2] == [200, 200]
    assert [a.status_code for a in answers[2:]] == [404, 200, 401]
    for answer in answers:
        assert answer.content == _stdlib_compact(answer.content), answer.url
