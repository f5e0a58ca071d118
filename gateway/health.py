"""`/healthz` (the process answers) and `/readyz` (which upstreams are configured and reachable,
and whether the stores answer). Upstream probes are cached for `PROBE_TTL` seconds: probes
every few seconds from several load balancers must not spend the upstream rate budget."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

from adapters.clockify.client import ClockifyHttp
from adapters.errors import AdapterError
from adapters.http import Deadline, RetryPolicy
from adapters.productive.client import ProductiveHttp
from gateway.config import Settings
from gateway.persisted_queries import RedisQueries
from gateway.redis_store import RedisStore

log = logging.getLogger("timebridge.health")
PROBE_TTL = 10.0


async def healthz(request: Request) -> JSONResponse:
    """The process answers; with how many subscriptions it holds open (this process's own,
    where the metric in a multi-worker setup adds up all workers)."""
    bus = request.app.state.services.get("events")
    return JSONResponse({"status": "ok", "subscribers": bus.subscribers if bus else 0})


async def _probe(
    settings: Settings, clients: dict[str, httpx.AsyncClient], name: str
) -> dict[str, object]:
    deadline = Deadline(min(5.0, settings.request_deadline))
    p, c = settings.productive, settings.clockify
    try:
        if name == "productive":
            if not (p.token and p.organization_id):
                return {"configured": False}
            http = ProductiveHttp(
                clients[name], p.api_url, p.token.reveal(), p.organization_id, deadline
            )
            http.upstream.retry = RetryPolicy(attempts=1)
            await http.get_page("/people", {}, 1, size=1)
        else:
            if not (c.api_key and c.workspace_id):
                return {"configured": False}
            chttp = ClockifyHttp(
                clients[name],
                c.api_url,
                c.reports_url,
                c.api_key.reveal(),
                c.workspace_id,
                deadline,
            )
            chttp.upstream.retry = RetryPolicy(attempts=1)
            await chttp.get("/user")
    except AdapterError as error:
        return {
            "configured": True,
            "reachable": False,
            "error": error.code,
            "upstreamStatus": error.upstream_status,
        }
    return {"configured": True, "reachable": True}


async def _cached_probe(request: Request, name: str) -> dict[str, object]:
    cache: dict[str, tuple[float, dict[str, object]]] = request.app.state.__dict__.setdefault(
        "probes", {}
    )
    now = time.monotonic()
    hit = cache.get(name)
    if hit is not None and now - hit[0] < PROBE_TTL:
        return {**hit[1], "cachedSeconds": round(now - hit[0], 1)}
    result = await _probe(request.app.state.settings, request.app.state.clients, name)
    cache[name] = (now, result)
    return result


async def _store(request: Request) -> dict[str, object]:
    store = request.app.state.services.get("idempotency")
    kind = "redis" if isinstance(store, RedisStore) else "memory"
    try:
        await asyncio.wait_for(store.ping(), timeout=2.0)
    except Exception as error:  # any failure to answer means "not ready"
        log.warning("idempotency store unreachable: %s", type(error).__name__)
        return {"kind": kind, "reachable": False}
    return {"kind": kind, "reachable": True}


async def _queries(request: Request) -> dict[str, object]:
    queries = request.app.state.services.get("persisted_queries")
    if queries is None:
        return {"kind": "off", "reachable": True}
    if queries.trusted is not None:
        return {"kind": "trusted documents", "documents": len(queries.trusted), "reachable": True}
    if not isinstance(queries.store, RedisQueries):
        return {"kind": "memory", "reachable": True}
    try:
        await asyncio.wait_for(queries.store.get("0" * 64), timeout=2.0)
    except Exception as error:  # any failure to answer means "not ready"
        log.warning("persisted-query store unreachable: %s", type(error).__name__)
        return {"kind": "redis", "reachable": False}
    return {"kind": "redis", "reachable": True}


async def readyz(request: Request) -> JSONResponse:
    names = ("productive", "clockify")
    results = await asyncio.gather(
        *(_cached_probe(request, n) for n in names), _store(request), _queries(request)
    )
    upstreams = dict(zip(names, results[:2], strict=True))
    store, queries = results[2], results[3]
    configured = [u for u in upstreams.values() if u.get("configured")]
    ready = bool(configured) and all(u.get("reachable") for u in configured)
    ready = ready and bool(store.get("reachable")) and bool(queries.get("reachable"))
    body = {
        "status": "ready" if ready else "not ready",
        "upstreams": upstreams,
        "idempotencyStore": store,
        "persistedQueries": queries,
    }
    return JSONResponse(body, 200 if ready else 503)
