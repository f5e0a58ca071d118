"""GraphQL over HTTP: the graphql-http audit (npm) run against the gateway passes every MUST,
SHOULD and MAY, and request errors carry no `data` entry while execution errors stay 2xx."""

from __future__ import annotations

from collections import Counter

from tests.gateway.js_clients import run_js
from tests.stack import Stack

GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_the_graphql_http_audit_passes_in_full(stack: Stack) -> None:
    rows = run_js("graphql_http_audit.mjs", stack.url)
    failing = [(r["id"], r["name"], r["reason"]) for r in rows if r["status"] != "ok"]
    assert failing == []
    assert Counter(r["status"] for r in rows) == {"ok": len(rows)} and len(rows) >= 60


def test_request_errors_have_no_data_and_execution_errors_are_2xx(stack: Stack) -> None:
    headers = {"accept": GRAPHQL_RESPONSE}
    invalid = stack.client.post(stack.url, json={"query": "{ nope }"}, headers=headers)
    assert invalid.status_code == 400 and "data" not in invalid.json()
    unparsable = stack.client.post(stack.url, json={"query": "{"}, headers=headers)
    assert unparsable.status_code == 400 and "data" not in unparsable.json()
    # `timeEntries` is non-null at the root: its error nulls `data`, during execution.
    executed = stack.client.post(
        stack.url, json={"query": "{ timeEntries(first: 0) { totalCount } }"}, headers=headers
    )
    assert executed.status_code == 200
    assert executed.json()["data"] is None and executed.json()["errors"][0]["path"]
    assert executed.headers["content-type"].startswith(GRAPHQL_RESPONSE)
