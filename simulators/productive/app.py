"""The Productive.io simulator as a Starlette app: auth, content type, rate limits, then routes."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from simulators.faults import FaultSettings, WebhookFaults
from simulators.json_answer import JsonAnswer
from simulators.productive import (
    absences,
    approval_setup,
    directory,
    holidays,
    policies,
    time_entries,
    timers,
    webhooks,
)
from simulators.productive.errors import MEDIA_TYPE, ApiError, simple
from simulators.productive.seed import ORGANIZATION_ID, person_ids, seed
from simulators.productive.store import Store
from simulators.roster import TEAM, default_anchor, team
from simulators.routing import bind
from simulators.traffic import (
    CONTROL_PREFIX,
    RateLimiter,
    RequestLog,
    TrafficMiddleware,
    Window,
)

DEMO_TOKEN = "productive-demo-token"
READ_ONLY_TOKEN = "productive-readonly-token"
# Per token, as FACTS.md documents: 100 requests per 10 s and 4,000 per 30 min.
DOCUMENTED_LIMITS = (Window(100, 10.0), Window(4000, 1800.0))


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token may do: whose it is, in which organization, and whether it may write."""

    person_id: str
    organization_id: str = ORGANIZATION_ID
    read_write: bool = True


def demo_grants() -> dict[str, Grant]:
    first = person_ids()[0]
    return {DEMO_TOKEN: Grant(first), READ_ONLY_TOKEN: Grant(first, read_write=False)}


@dataclass(slots=True)
class ProductiveSettings:
    """Behaviour the docs leave open is a setting; defaults follow the documented API."""

    anchor: date = field(default_factory=default_anchor)
    # The demo team's size; more adds generated colleagues (the benchmarks' organisation).
    team_size: int = len(TEAM)
    grants: dict[str, Grant] = field(default_factory=demo_grants)
    limits: tuple[Window, ...] = DOCUMENTED_LIMITS
    faults: FaultSettings = field(default_factory=FaultSettings)
    utc_offset: timedelta = timedelta(hours=1)
    # Unverified upstream behaviour, strict by default:
    content_type_required_on_get: bool = True
    bulk_atomic: bool = True
    starting_timer_stops_running_one: bool = True
    # Include paths answered 400 "Unsupported Include" although the docs list them: an
    # account or API version that supports fewer includes than documented.
    refused_includes: frozenset[str] = frozenset()
    webhooks: WebhookFaults = field(default_factory=WebhookFaults)


Handler = Callable[["ProductiveSimulator", Request], Awaitable[Response]]


class ProductiveSimulator:
    """One simulated Productive organization: store, request log and the ASGI app."""

    def __init__(self, settings: ProductiveSettings | None = None) -> None:
        self.settings = settings or ProductiveSettings()
        self.log = RequestLog()
        self.limiter = RateLimiter(list(self.settings.limits))
        # Ids of what clients create run on across resets, as upstream never hands out one twice
        # (a subscriber or cache that saw an id must not mistake a new object for it).
        self.ids = itertools.count(1000)
        self.store = self._fresh_store()
        self.deliveries: set[asyncio.Task[None]] = set()  # webhook deliveries under way
        routes = [
            *self._bind(directory.ROUTES),
            *self._bind(time_entries.ROUTES),
            *self._bind(timers.ROUTES),
            *self._bind(policies.ROUTES),
            *self._bind(approval_setup.ROUTES),
            *self._bind(holidays.ROUTES),
            *self._bind(absences.ROUTES),
            *self._bind(webhooks.ROUTES),
            Route(f"{CONTROL_PREFIX}/requests", self._requests, methods=["GET"]),
            Route(f"{CONTROL_PREFIX}/reset", self._reset, methods=["POST"]),
        ]
        inner = Starlette(routes=routes)
        self.app = TrafficMiddleware(
            inner,
            log=self.log,
            limiter=self.limiter,
            limit_key=_token_of,
            faults=self.settings.faults,
            error_body=_error_body,
        )

    def _fresh_store(self) -> Store:
        store = Store(ORGANIZATION_ID, self.settings.utc_offset)
        store.ids = self.ids
        seed(store, self.settings.anchor, team(self.settings.team_size))
        return store

    def reset(self) -> None:
        """Back to the seeded data with an empty log and fresh rate-limit windows."""
        self.store = self._fresh_store()
        self.log.clear()
        self.limiter.reset()
        self.settings.faults.clear()

    def _bind(self, table: Sequence[tuple[str, str, Handler]]) -> list[Route]:
        return bind(self, "/api/v2", table, self._authorize, ApiError)

    def _authorize(self, request: Request) -> Grant:
        token = request.headers.get("x-auth-token")
        grant = self.settings.grants.get(token or "")
        if grant is None:
            raise simple(401, "Unauthorized", "Invalid or missing X-Auth-Token")
        organization = request.headers.get("x-organization-id")
        if organization is None:
            raise simple(401, "Unauthorized", "Missing X-Organization-Id")
        if organization != grant.organization_id:
            raise simple(403, "Forbidden", "You don't have access to this organization")
        self._check_content_type(request)
        self._check_refused_includes(request)
        if request.method != "GET" and not grant.read_write:
            raise simple(403, "Forbidden", "This token is read-only")
        request.state.grant = grant
        return grant

    def _check_refused_includes(self, request: Request) -> None:
        for path in (request.query_params.get("include") or "").split(","):
            if path.strip() in self.settings.refused_includes:
                raise simple(
                    400, "Unsupported Include", f"Include '{path.strip()}' is not supported"
                )

    def _check_content_type(self, request: Request) -> None:
        if request.method == "GET" and not self.settings.content_type_required_on_get:
            return
        raw = request.headers.get("content-type", "")
        media, *params = [p.strip() for p in raw.split(";")]
        bulk = request.url.path.endswith(("/time_entries/approve", "/time_entries/unapprove"))
        wanted = {"ext=bulk"} if bulk else set()
        extra = {p for p in params if p and not p.startswith("charset")}
        if media != MEDIA_TYPE or extra != wanted:
            expected = f"{MEDIA_TYPE}; ext=bulk" if bulk else MEDIA_TYPE
            raise simple(415, "Unsupported Media Type", f"Content-Type must be '{expected}'")

    async def _requests(self, request: Request) -> Response:
        return JsonAnswer([r.to_json() for r in self.log.records])

    async def _reset(self, request: Request) -> Response:
        self.reset()
        return Response(status_code=204)


def _token_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-auth-token":
            return str(value.decode())
    return None


def _error_body(status: int, title: str) -> tuple[dict[str, Any], dict[str, str]]:
    body = {"errors": [{"status": str(status), "title": title}]}
    return body, {"content-type": f"{MEDIA_TYPE}; charset=utf-8"}
