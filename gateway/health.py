"""`/healthz` (the process answers) and `/readyz` (which upstreams are configured and reachable)."""

from __future__ import annotations

import asyncio

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

from adapters.clockify.client import ClockifyHttp
from adapters.errors import AdapterError
from adapters.http import Deadline, RetryPolicy
from adapters.productive.client import ProductiveHttp
from gateway.config import Settings


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


async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    clients = request.app.state.clients
    names = ("productive", "clockify")
    results = await asyncio.gather(*(_probe(settings, clients, n) for n in names))
    upstreams = dict(zip(names, results, strict=True))
    configured = [u for u in upstreams.values() if u.get("configured")]
    ready = bool(configured) and all(u.get("reachable") for u in configured)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "upstreams": upstreams}, 200 if ready else 503
    )
