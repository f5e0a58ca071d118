"""Prometheus metrics for GraphQL requests, and `/metrics`. Upstream calls are counted where
they are made (adapters/telemetry.py); this module serves every registered metric.

With several worker processes, prometheus-client's multiprocess mode is used when
`PROMETHEUS_MULTIPROC_DIR` is set: each process writes its samples there and `/metrics`
collects them all, so a scrape sees the whole server whichever worker answers it.
"""

from __future__ import annotations

import os
import re

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 200  # more distinct names are counted as "other"

GRAPHQL_REQUESTS = Counter(
    "timebridge_graphql_requests",
    "GraphQL requests, by operation name, operation type and outcome",
    ["operation", "type", "outcome"],
)
GRAPHQL_SECONDS = Histogram(
    "timebridge_graphql_request_seconds",
    "GraphQL request latency, by operation type and outcome",
    ["type", "outcome"],
    buckets=SECONDS,
)
_seen: set[str] = set()
# (operation, type, outcome) -> its counter and histogram: as bounded as the labels, and
# `labels()` validates and locks on every call.
_children: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}


def operation_label(name: str | None) -> str:
    """Client-chosen names, bounded: malformed ones and names past the first 200 are one."""
    if not name:
        return "-"
    if not OPERATION_NAME.fullmatch(name):
        return "other"
    if name not in _seen:
        if len(_seen) >= MAX_OPERATION_NAMES:
            return "other"
        _seen.add(name)
    return name


def record(name: str | None, kind: str | None, outcome: str, seconds: float) -> None:
    key = (operation_label(name), kind or "unknown", outcome)
    found = _children.get(key)
    if found is None:
        found = _children[key] = (
            GRAPHQL_REQUESTS.labels(*key),
            GRAPHQL_SECONDS.labels(key[1], outcome),
        )
    found[0].inc()
    found[1].observe(seconds)


async def metrics(request: Request) -> Response:
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
