"""OpenTelemetry (the `otel` extra): a server span continuing the caller's `traceparent`, a
span for the GraphQL operation (type and name, no variables), and one per upstream call named
by its endpoint template; recorded with the SDK's in-memory exporter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.stack import Stack

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
_exporter = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    current = trace.get_tracer_provider()
    if not isinstance(current, TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_exporter))
        trace.set_tracer_provider(provider)  # once per process, as the SDK allows
    _exporter.clear()
    yield _exporter
    _exporter.clear()


def test_a_request_continues_the_callers_trace(stack: Stack, spans: InMemorySpanExporter) -> None:
    secret = "ana.kovac@example.com"
    body = stack.client.post(
        stack.url,
        json={
            "query": "query Team($e: [String!]) { people(filter: {emails: $e}) { totalCount } }",
            "variables": {"e": [secret]},
        },
        headers={"traceparent": f"00-{TRACE_ID}-{PARENT}-01"},
    ).json()
    assert body["data"]["people"]["totalCount"] == 2
    finished = spans.get_finished_spans()
    by_name = {s.name: s for s in finished}
    server = by_name["POST /graphql"]
    operation = by_name["graphql query Team"]
    upstream = [s for s in finished if s.name.startswith(("productive ", "clockify "))]
    assert format(server.context.trace_id, "032x") == TRACE_ID
    assert server.parent is not None and format(server.parent.span_id, "016x") == PARENT
    assert operation.parent is not None and operation.parent.span_id == server.context.span_id
    assert {s.name for s in upstream} == {
        "productive GET /api/v2/people",
        "clockify GET /api/v1/workspaces/{id}/users",
    }
    assert all(s.context.trace_id == server.context.trace_id for s in upstream)
    assert dict(operation.attributes or {}) == {
        "graphql.operation.type": "query",
        "graphql.operation.name": "Team",
    }
    for span in finished:  # no variable, email or id in any span
        text = repr(dict(span.attributes or {})) + span.name
        assert secret not in text
