"""`/healthz` (the process answers) and `/readyz` (which upstreams are configured and reachable)."""

from __future__ import annotations

import asyncio
import logging

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

from adapters.clockify.client import ClockifyHttp
from adapters.errors import AdapterError
from adapters.http import Deadline, RetryPolicy
from adapters.productive.client import ProductiveHttp
from gateway.config import Settings
from gateway.redis_store import RedisStore

log = logging.getLogger("timebridge.health")


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


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


async def _store(request: Request) -> dict[str, object]:
    store = request.app.state.services.get("idempotency")
    kind = "redis" if isinstance(store, RedisStore) else "memory"
    try:
        await asyncio.wait_for(store.ping(), timeout=2.0)
    except Exception as error:  # any failure to answer means "not ready"
        log.warning("idempotency store unreachable: %s", type(error).__name__)
        return {"kind": kind, "reachable": False}
    return {"kind": kind, "reachable": True}


async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    clients = request.app.state.clients
    names = ("productive", "clockify")
    results = await asyncio.gather(*(_probe(settings, clients, n) for n in names), _store(request))
    upstreams = dict(zip(names, results[:2], strict=True))
    store = results[2]
    configured = [u for u in upstreams.values() if u.get("configured")]
    ready = bool(configured) and all(u.get("reachable") for u in configured)
    ready = ready and bool(store.get("reachable"))
    body = {
        "status": "ready" if ready else "not ready",
        "upstreams": upstreams,
        "idempotencyStore": store,
    }
    return JSONResponse(body, 200 if ready else 503)
