"""create_app(settings): the Starlette app with /graphql, GraphiQL assets, /healthz, /readyz.

One httpx.AsyncClient per upstream, with explicit timeouts and connection limits, is opened in
the lifespan and shared by every request; aiohttp carries its calls
(gateway/upstream_transport.py).
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute

from adapters.cache_store import cache_store
from adapters.pacing import Pacer
from adapters.read_cache import ReadCache
from gateway import graphiql_assets, health, metrics, webhooks
from gateway.access import AccessLog
from gateway.config import Settings
from gateway.context import HEADER_NAMES
from gateway.drain import Drain, DrainGuard
from gateway.graphql_view import GraphQLView
from gateway.operator_report import reporting
from gateway.persisted_queries import RedisQueries, persisted_queries
from gateway.redis_events import RedisBus
from gateway.redis_lease import RedisLease
from gateway.redis_store import RedisStore
from gateway.servers import ClientLimits, Listener, bind
from gateway.tracing import TraceContext
from gateway.upstream_transport import AiohttpTransport
from schema import build_schema
from schema.events import EventBus, MemoryBus
from schema.idempotency import IdempotencyStore, MemoryStore
from schema.timer_polls import MemoryLease, TimerPolls

UPSTREAMS = ("productive", "clockify")
log = logging.getLogger("timebridge.app")


class NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing and sends nothing."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set_cookie_header(self, request: httpx.Request) -> None:
        return None


class CookielessClient(httpx.AsyncClient):
    """The client every request's upstream calls share, whoever's credentials they carry, so
    it keeps no cookies: a `Set-Cookie` answered to one tenant (a load balancer's, say) would
    otherwise go out with every later call, of every tenant. The APIs authenticate by header
    and need none. (Reading each answer's cookies also cost ~17 us per call.)"""

    _jar = NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._jar

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        return None


def http_client(settings: Settings) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_connections,
        # Drop idle connections before a server would (5 s is a common keep-alive): a
        # write sent on a connection the server is closing looks like a lost answer.
        keepalive_expiry=4.0,
    )
    return CookielessClient(
        timeout=httpx.Timeout(
            settings.upstream_timeout, connect=min(5.0, settings.upstream_timeout)
        ),
        limits=limits,
        transport=AiohttpTransport(limits) if settings.upstream_transport == "aiohttp" else None,
        follow_redirects=False,
        headers={"User-Agent": "timebridge/0.1"},
    )


def idempotency_store(settings: Settings) -> IdempotencyStore:
    if settings.idempotency_store.startswith(("redis://", "rediss://")):
        return RedisStore(settings.idempotency_store)
    return MemoryStore()


def event_bus(url: str) -> EventBus:
    """`memory`, or a redis:// URL shared by replicas (TIMEBRIDGE_EVENTS)."""
    return RedisBus(url) if url.startswith(("redis://", "rediss://")) else MemoryBus()


async def internal_error(request: Request, exc: Exception) -> Response:
    """The last resort: a JSON 500 with the request id, and the traceback in the log."""
    request_id = getattr(request.state, "request_id", "-")
    log.error("unhandled error (request %s)", request_id, exc_info=exc)
    body = {
        "errors": [
            {
                "message": "Internal error: the gateway failed unexpectedly.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ]
    }
    return JSONResponse(body, 500)


def create_app(settings: Settings, services: dict[str, Any] | None = None) -> Starlette:
    """The gateway. `services` lets a caller share stores (idempotency) between apps."""
    settings.validate()
    # Each upstream call is one DEBUG line of ours (adapters/http.py); httpx's own INFO line
    # per call would drown the log an operator reads.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    view = GraphQLView(build_schema(settings.limits), settings)
    drain = Drain(settings.drain_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.clients = {name: http_client(settings) for name in UPSTREAMS}
        store = app.state.services.get("idempotency")
        if store is None:
            store = idempotency_store(settings)
            app.state.services["idempotency"] = store
        app.state.services["idempotency_ttl"] = settings.idempotency_window
        app.state.services["human_links"] = dict(settings.human_links)
        app.state.services["write_settle"] = settings.settle_seconds
        if "pacer" not in app.state.services:
            limits = {
                "productive": settings.productive_rate_limits,
                "clockify": settings.clockify_rate_limits,
            }
            app.state.services["pacer"] = Pacer(
                limits, settings.rate_limit_store, settings.max_connections
            )
        if "read_cache" not in app.state.services:
            cache_backend = cache_store(settings.read_cache)
            app.state.services["read_cache"] = cache_backend and ReadCache(
                cache_backend,
                settings.read_cache_ttl,
                settings.read_cache_max_age,
                settings.read_cache_reference_ttl,
            )
        queries = app.state.services.get("persisted_queries")
        if queries is None:
            queries = persisted_queries(settings.persisted_queries, settings.trusted_documents)
            app.state.services["persisted_queries"] = queries
        events = app.state.services.get("events")
        if events is None:
            events = event_bus(settings.events)
            if isinstance(events, RedisBus):
                await events.start()
            app.state.services["events"] = events
        lease: RedisLease | MemoryLease = (
            RedisLease(settings.events) if isinstance(events, RedisBus) else MemoryLease()
        )
        if "timer_polls" not in app.state.services:
            app.state.services["timer_polls"] = TimerPolls(
                events, lease, settings.timer_poll_interval
            )
        reports = reporting(app.state.services.get("pacer"), settings.report_interval)
        try:
            async with reports:
                yield
        finally:
            for client in app.state.clients.values():
                await client.aclose()
            if isinstance(store, RedisStore):
                await store.close()
            if queries is not None and isinstance(queries.store, RedisQueries):
                await queries.store.close()
            read_cache = app.state.services.get("read_cache")
            if read_cache is not None:
                await read_cache.store.close()
            await events.close()
            if isinstance(lease, RedisLease):
                await lease.close()

    async def root(request: Request) -> Response:
        return RedirectResponse("/graphql")

    middleware = [
        Middleware(TraceContext),
        Middleware(AccessLog),
        Middleware(DrainGuard, drain=drain),
    ]
    if settings.cors_origins or settings.cors_origin_regex:
        # Frontends on other origins call /graphql from browsers; credentials headers included.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_origin_regex=settings.cors_origin_regex,
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "accept", *HEADER_NAMES.values()],
                max_age=600,
            )
        )
    app = Starlette(
        middleware=middleware,
        routes=[
            Route("/", root),
            Route("/graphql", view, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            WebSocketRoute("/graphql", view),
            Route(
                "/webhooks/clockify/{event}", webhooks.clockify_endpoint(settings), methods=["POST"]
            ),
            Route(
                "/webhooks/productive/{organization}/{event}",
                webhooks.productive_endpoint(settings),
                methods=["POST"],
            ),
            Route(
                "/graphiql/assets/{name}", graphiql_assets.asset_endpoint(settings.graphiql_assets)
            ),
            Route("/healthz", health.healthz),
            Route("/readyz", health.readyz),
            Route("/metrics", metrics.metrics),
        ],
        lifespan=lifespan,
        exception_handlers={Exception: internal_error},
    )
    app.state.drain = drain
    app.state.settings = settings
    app.state.services = dict(services or {})
    return app


def gateway_listener(settings: Settings, sock: socket.socket | None = None) -> Listener:
    """The gateway app on its socket, with the client limits the settings give."""
    limits = ClientLimits(
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        keep_alive=settings.keep_alive_timeout,
        max_connections=settings.max_client_connections,
    )
    return Listener(create_app(settings), sock or bind(settings.host, settings.port), limits)
