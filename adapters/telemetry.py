"""What the upstream calls tell an operator: Prometheus metrics, and OpenTelemetry spans when
the optional `otel` extra is installed and configured.

Labels are bounded: a path is reduced to its endpoint template (every id segment becomes
`{id}`), so no upstream id, email or token ever becomes a label or a span name.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

# Upstream answers take from milliseconds (cached) to the request deadline.
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ID_SEGMENT = re.compile(r"^(?:[0-9]+|[0-9a-fA-F]{24})$")

UPSTREAM_REQUESTS = Counter(
    "timebridge_upstream_requests",
    "Upstream HTTP requests sent, by platform, endpoint template, method and status",
    ["platform", "endpoint", "method", "status"],
)
UPSTREAM_SECONDS = Histogram(
    "timebridge_upstream_request_seconds",
    "Upstream HTTP request latency, by platform and endpoint template",
    ["platform", "endpoint"],
    buckets=SECONDS,
)
UPSTREAM_RETRIES = Counter(
    "timebridge_upstream_retries",
    "Upstream reads sent again after a 5xx, a 429 or a transport failure",
    ["platform", "reason"],
)
RATE_LIMIT_WAITS = Counter(
    "timebridge_upstream_rate_limit_wait_seconds",
    "Seconds spent waiting on upstream rate limits (429 Retry-After)",
    ["platform"],
)
PACING_WAITS = Counter(
    "timebridge_pacing_wait_seconds",
    "Seconds upstream calls waited for room in the rate-limit budget (instead of a 429)",
    ["platform"],
)
PACING_REFUSALS = Counter(
    "timebridge_pacing_refusals",
    "Upstream calls refused as RATE_LIMITED: the budget had no room before the deadline",
    ["platform"],
)
BUDGET_USED = Gauge(
    "timebridge_rate_budget_used_ratio",
    "Share of each rate-limit window in use (the busiest credential set), at the last report",
    ["platform", "window"],
    multiprocess_mode="max",
)
IDEMPOTENCY_REPLAYS = Counter(
    "timebridge_idempotency_replays",
    "Mutations answered from an earlier attempt with the same key (nothing sent again)",
    ["mutation"],
)
COALESCED_READS = Counter(
    "timebridge_upstream_coalesced_reads",
    "Reads answered by an identical read already made in the same GraphQL request",
    ["platform"],
)


def endpoint(path: str) -> str:
    """The path with each id segment as `{id}`: `/workspaces/64a6…/user/5a0a…/time-entries`
    becomes `/workspaces/{id}/user/{id}/time-entries`."""
    return "/".join("{id}" if ID_SEGMENT.match(s) else s for s in path.split("/"))


def tracer(name: str = "timebridge.upstream") -> Any:
    """OpenTelemetry's tracer when the extra is installed and a tracer provider is set (by
    `configure_tracing`, or by the host), else None. Without a provider every span would be a
    no-op that still cost more than a trivial query's execution."""
    try:
        from opentelemetry import trace
    except ImportError:
        return None
    provider = trace.get_tracer_provider()
    if isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider):
        return None
    return provider.get_tracer(name)


@contextlib.contextmanager
def upstream_span(platform: str, method: str, path: str) -> Iterator[Any]:
    """A client span per upstream call, named by its endpoint template."""
    found = tracer()
    if found is None:
        yield None
        return
    template = endpoint(path)
    with found.start_as_current_span(
        f"{platform} {method} {template}",
        kind=_client_kind(),
        attributes={
            "http.request.method": method,
            "timebridge.platform": platform,
            "url.template": template,
        },
    ) as span:
        yield span


def _client_kind() -> Any:
    from opentelemetry.trace import SpanKind

    return SpanKind.CLIENT


READ_CACHE = Counter(
    "timebridge_read_cache_lookups",
    "Upstream reads looked up in the read cache, by outcome: hit (younger than the TTL), "
    "revalidated (a delta read found nothing changed), changed (a delta found changes), "
    "miss, expired, bypass (the request asked for fresh data)",
    ["platform", "outcome"],
)
