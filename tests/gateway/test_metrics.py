"""`/metrics` (Prometheus): after the bench query it shows that query's upstream calls by
platform and endpoint template, with no upstream id in any label."""

from __future__ import annotations

import re
from collections import Counter

from prometheus_client.parser import text_string_to_metric_families

from bench.nested_query import QUERY
from tests.stack import Stack

RAW_ID = re.compile(r"/(?:[0-9]+|[0-9a-fA-F]{24})(?:/|$)")


def scrape(stack: Stack) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = stack.client.get(stack.url.removesuffix("/graphql") + "/metrics").text
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def delta(before: dict, after: dict, name: str) -> dict[tuple, float]:  # type: ignore[type-arg]
    return {
        labels: value - before.get((metric, labels), 0.0)
        for (metric, labels), value in after.items()
        if metric == name and value - before.get((metric, labels), 0.0) > 0
    }


def test_the_bench_query_shows_its_upstream_calls_by_platform(stack: Stack) -> None:
    before = scrape(stack)
    body = stack.client.post(stack.url, json={"query": "query Week " + QUERY.lstrip()}).json()
    assert "errors" not in body
    after = scrape(stack)
    calls = delta(before, after, "timebridge_upstream_requests_total")
    by_platform: Counter[str] = Counter()
    for labels, value in calls.items():
        label = dict(labels)
        by_platform[label["platform"]] += int(value)
        assert not RAW_ID.search(label["endpoint"]), label["endpoint"]
        assert label["status"] == "200"
    logged = stack.counts()
    assert by_platform == {"productive": logged[0], "clockify": logged[1]}
    assert any("/time_entries" in dict(k)["endpoint"] for k in calls)
    assert any("/workspaces/{id}/reports/detailed" in dict(k)["endpoint"] for k in calls)
    requests = delta(before, after, "timebridge_graphql_requests_total")
    assert {(dict(k)["operation"], dict(k)["type"], dict(k)["outcome"]) for k in requests} == {
        ("Week", "query", "ok")
    }
    latency = delta(before, after, "timebridge_upstream_request_seconds_count")
    assert sum(latency.values()) == sum(logged)


def test_outcomes_and_retries_are_counted(stack: Stack) -> None:
    before = scrape(stack)
    stack.clockify.settings.faults.error_rate = 1.0
    try:
        stack.client.post(stack.url, json={"query": "query Both { people { totalCount } }"})
    finally:
        stack.clockify.settings.faults.error_rate = 0.0
    stack.client.post(stack.url, json={"query": "{ nope }"})
    after = scrape(stack)
    outcomes = {
        (dict(k)["operation"], dict(k)["outcome"])
        for k in delta(before, after, "timebridge_graphql_requests_total")
    }
    assert outcomes == {("Both", "partial"), ("-", "error")}
    retries = delta(before, after, "timebridge_upstream_retries_total")
    assert {dict(k)["platform"] for k in retries} == {"clockify"}
    assert sum(retries.values()) == 3  # four attempts of the users read


def test_idempotency_replays_are_counted(stack: Stack) -> None:
    mutation = """mutation($input: StopTimerInput!) { stopTimer(input: $input) {
      userErrors { code } } }"""
    value = {"input": {"platform": "CLOCKIFY", "idempotencyKey": "metrics-replay-1"}}
    before = scrape(stack)
    for _ in range(3):
        stack.client.post(stack.url, json={"query": mutation, "variables": value})
    replays = delta(before, scrape(stack), "timebridge_idempotency_replays_total")
    assert replays == {(("mutation", "stopTimer"),): 2.0}
