"""OpenTelemetry (the `otel` extra): a server span continuing the caller's `traceparent`, a
span for the GraphQL operation (type and name, no variables), and one per upstream call named
by its endpoint template; recorded with the SDK's in-memory exporter."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.stack import Stack

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


class AwaitedExporter(InMemorySpanExporter):
    """The SDK's in-memory exporter, which a test can wait on: the server span ends after
    the response went out, so the client may hold the answer before the span is finished."""

    def __init__(self) -> None:
        super().__init__()
        self.exported = threading.Condition()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        result = super().export(spans)
        with self.exported:
            self.exported.notify_all()
        return result

    def wait_for(self, name: str, timeout: float = 10.0) -> None:
        with self.exported:
            self.exported.wait_for(
                lambda: any(s.name == name for s in self.get_finished_spans()), timeout
            )


_exporter = AwaitedExporter()


@pytest.fixture
def spans() -> Iterator[AwaitedExporter]:
    current = trace.get_tracer_provider()
    if not isinstance(current, TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_exporter))
        trace.set_tracer_provider(provider)  # once per process, as the SDK allows
    _exporter.clear()
    yield _exporter
    _exporter.clear()


def test_a_request_continues_the_callers_trace(stack: Stack, spans: AwaitedExporter) -> None:
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
    spans.wait_for("POST /graphql")
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
