"""Automatic persisted queries: Apollo Client's link over POST and GET, a store shared by
replicas through Redis, hash checks, and the trusted-documents allow-list."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.gateway.js_clients import run_js
from tests.mutations.conftest import REDIS_URL, require_redis
from tests.stack import Stack, gateway_for

QUERY = "{ people(first: 1) { totalCount } }"


def persisted(query: str | None, digest: str, variables: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    if query is not None:
        body["query"] = query
    if variables is not None:
        body["variables"] = variables
    return body


def sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def test_apollo_clients_persisted_query_link_over_post_and_get(stack: Stack) -> None:
    report = run_js("apollo_persisted_queries.mjs", stack.url)
    for mode, method in (("post", "POST"), ("get", "GET")):
        sent = report[mode]["sent"]
        # Hash alone (not found), then hash with the document, then the hash alone again.
        assert [(s["method"], s["hasQuery"]) for s in sent] == [
            (method, False),
            ("POST", True),
            (method, False),
        ]
        assert report[mode]["runs"] == [{"data": 18, "errors": None}] * 2


def test_unknown_hash_then_registered_then_served(stack: Stack) -> None:
    query = "{ people(first: 3) { totalCount } }"
    digest = sha(query)
    unknown = stack.client.post(stack.url, json=persisted(None, digest)).json()
    assert codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert unknown["errors"][0]["message"] == "PersistedQueryNotFound"
    assert stack.counts() == (0, 0)
    registered = stack.client.post(stack.url, json=persisted(query, digest)).json()
    assert registered["data"]["people"]["totalCount"] == 18
    by_get = stack.client.get(
        stack.url,
        params={"extensions": json.dumps(persisted(None, digest)["extensions"])},
        headers={"accept": "*/*"},
    )
    assert by_get.status_code == 200
    assert by_get.json()["data"]["people"]["totalCount"] == 18


def test_a_hash_that_is_not_the_documents_is_refused(stack: Stack) -> None:
    body = stack.client.post(stack.url, json=persisted(QUERY, sha("{ other }"))).json()
    assert codes(body) == ["BAD_REQUEST"] and "does not match" in body["errors"][0]["message"]
    assert "data" not in body and stack.counts() == (0, 0)
    version = stack.client.post(
        stack.url, json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "x"}}}
    ).json()
    assert codes(version) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


def test_a_non_browser_get_never_gets_the_graphiql_page(stack: Stack) -> None:
    answer = stack.client.get(stack.url, headers={"accept": "*/*"})
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.status_code == 400
    page = stack.client.get(stack.url, headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")


def test_replicas_share_documents_through_redis(stack: Stack) -> None:
    require_redis()
    query = "{ people(first: %d) { totalCount } }" % (uuid.uuid4().int % 100 + 5)
    settings = stack.demo.settings.with_overrides(persisted_queries=REDIS_URL)
    with gateway_for(settings) as one, gateway_for(settings) as two:
        learned = httpx.post(f"{one}/graphql", json=persisted(query, sha(query))).json()
        assert "errors" not in learned
        served = httpx.post(f"{two}/graphql", json=persisted(None, sha(query))).json()
        assert served["data"]["people"]["totalCount"] == 18


def test_trusted_documents_serve_only_the_listed(stack: Stack, tmp_path: Path) -> None:
    listed = "{ people(first: 2) { totalCount } }"
    trusted = tmp_path / "trusted.json"
    trusted.write_text(json.dumps({sha(listed): listed}))
    settings = stack.demo.settings.with_overrides(trusted_documents=trusted)
    with gateway_for(settings) as url:
        by_hash = httpx.post(f"{url}/graphql", json=persisted(None, sha(listed))).json()
        assert by_hash["data"]["people"]["totalCount"] == 18
        whole = httpx.post(f"{url}/graphql", json={"query": listed}).json()
        assert whole["data"]["people"]["totalCount"] == 18
        other = "{ people(first: 9) { totalCount } }"
        refused = httpx.post(f"{url}/graphql", json={"query": other}).json()
        assert codes(refused) == ["PERSISTED_QUERY_NOT_ALLOWED"]
        not_stored = httpx.post(f"{url}/graphql", json=persisted(other, sha(other))).json()
        assert codes(not_stored) == ["PERSISTED_QUERY_NOT_ALLOWED"]
        still_unknown = httpx.post(f"{url}/graphql", json=persisted(None, sha(other))).json()
        assert codes(still_unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
