"""The Clockify simulator as a Starlette app: auth headers, rate limits, routes and error bodies.

The regular API lives under `/api/v1` and the reports API under `/report/v1`, the way the
regional hosts lay them out, so one server stands in for both base URLs.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from simulators.clockify import (
    approvals,
    balances,
    catalog,
    entity_changes,
    entries,
    holidays,
    managers,
    reports,
    time_off,
    users,
    webhooks,
)
from simulators.clockify.errors import (
    CODE_AUTH_HEADERS,
    CODE_UNKNOWN_KEY,
    CODE_UNKNOWN_ROUTE,
    ClockifyError,
    forbidden,
)
from simulators.clockify.seed import ADMIN_INDEX, WORKSPACE_ID, seed
from simulators.clockify.store import User, Workspace, object_id
from simulators.faults import FaultSettings, WebhookFaults
from simulators.json_answer import JsonAnswer
from simulators.roster import TEAM, default_anchor, team
from simulators.routing import bind
from simulators.traffic import (
    CONTROL_PREFIX,
    RateLimiter,
    RequestLog,
    TrafficMiddleware,
    Window,
)

DEMO_KEY = "clockify-demo-key"
READ_POSTS = ("/reports/detailed", "/time-off/requests", "/users/info")
MEMBER_KEY = "clockify-member-key"
# 50 requests per second per workspace is documented for add-on tokens; API keys get 429 too.
DOCUMENTED_LIMITS = (Window(50, 1.0),)


def demo_keys() -> dict[str, str]:
    """API key -> user id: the workspace admin, and a plain member (no reports, no others)."""
    return {DEMO_KEY: object_id("user", ADMIN_INDEX), MEMBER_KEY: object_id("user", 1)}


@dataclass(slots=True)
class ClockifySettings:
    """Behaviour the docs leave open is a setting; defaults follow the documented API."""

    anchor: date = field(default_factory=default_anchor)
    # The demo team's size; more adds generated colleagues (the benchmarks' organisation).
    team_size: int = len(TEAM)
    api_keys: dict[str, str] = field(default_factory=demo_keys)
    limits: tuple[Window, ...] = DOCUMENTED_LIMITS
    faults: FaultSettings = field(default_factory=FaultSettings)
    # FACTS.md calls `"duration": "8000"` a doc artefact; "seconds" serves it that way.
    duration_format: str = "iso"
    max_page_size: int = 5000
    report_max_page_size: int = 1000
    # Entity Changes API: "reflected approximately one minute after the deletion occurs";
    # the deleted answer's shape differs between the schema and the guide's sample.
    deletion_visible_after: float = 60.0
    deleted_changes_shape: str = "response"
    webhooks: WebhookFaults = field(default_factory=WebhookFaults)
    # The docs say neither whether pending time-off requests count as used in a balance, nor
    # whether approvers may decide their own requests: both are settings.
    pending_uses_balance: bool = False
    self_approval: bool = True


Handler = Callable[["ClockifySimulator", Request], Awaitable[Response]]


class ClockifySimulator:
    """One simulated Clockify workspace: data, request log and the ASGI app."""

    def __init__(self, settings: ClockifySettings | None = None) -> None:
        self.settings = settings or ClockifySettings()
        self.log = RequestLog(READ_POSTS)
        self.limiter = RateLimiter(list(self.settings.limits))
        # Ids of what clients create run on across resets, as upstream never hands out one twice.
        self.ids = itertools.count(10_000)
        self.workspace = self._fresh_workspace()
        self.deliveries: set[asyncio.Task[None]] = set()  # webhook deliveries under way
        routes = [
            *self._bind("/api/v1", users.ROUTES),
            *self._bind("/api/v1", entries.ROUTES),
            *self._bind("/api/v1", catalog.ROUTES),
            *self._bind("/api/v1", approvals.ROUTES),
            *self._bind("/api/v1", time_off.ROUTES),
            *self._bind("/api/v1", balances.ROUTES),
            *self._bind("/api/v1", holidays.ROUTES),
            *self._bind("/api/v1", managers.ROUTES),
            *self._bind("/api/v1", entity_changes.ROUTES),
            *self._bind("/api/v1", webhooks.ROUTES),
            *self._bind("/report/v1", reports.ROUTES),
            Route(f"{CONTROL_PREFIX}/requests", self._requests, methods=["GET"]),
            Route(f"{CONTROL_PREFIX}/reset", self._reset, methods=["POST"]),
        ]
        inner = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
        self.app = TrafficMiddleware(
            inner,
            log=self.log,
            limiter=self.limiter,
            limit_key=_key_of,
            faults=self.settings.faults,
            error_body=_error_body,
        )

    def _fresh_workspace(self) -> Workspace:
        workspace = Workspace(WORKSPACE_ID, "Timebridge Demo")
        workspace.ids = self.ids
        seed(workspace, self.settings.anchor, team(self.settings.team_size))
        return workspace

    def reset(self) -> None:
        """Back to the seeded data with an empty log and fresh rate-limit windows."""
        self.workspace = self._fresh_workspace()
        self.log.clear()
        self.limiter.reset()
        self.settings.faults.clear()

    def _bind(self, prefix: str, table: Sequence[tuple[str, str, Handler]]) -> list[Route]:
        return bind(self, prefix, table, self._authorize, ClockifyError)

    def _authorize(self, request: Request) -> User:
        key = request.headers.get("x-api-key")
        addon = request.headers.get("x-addon-token")
        if (key is None) == (addon is None):
            raise ClockifyError(401, "Multiple or none auth tokens present", CODE_AUTH_HEADERS)
        user_id = self.settings.api_keys.get(key or "")
        if user_id is None or user_id not in self.workspace.users:
            raise ClockifyError(401, "Api key does not exist", CODE_UNKNOWN_KEY)
        workspace = request.path_params.get("workspaceId")
        if workspace is not None and workspace != self.workspace.id:
            raise forbidden("Access denied to workspace")
        user = self.workspace.users[user_id]
        request.state.user = user
        return user

    async def _requests(self, request: Request) -> Response:
        return JsonAnswer([r.to_json() for r in self.log.records])

    async def _reset(self, request: Request) -> Response:
        self.reset()
        return Response(status_code=204)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        message = f"Request method '{request.method}' is not supported"
        return JsonAnswer({"message": message, "code": 405}, 405)
    return JsonAnswer({"message": "No static resource found", "code": CODE_UNKNOWN_ROUTE}, 404)


def _key_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name in (b"x-api-key", b"x-addon-token"):
            return str(value.decode())
    return None


def _error_body(status: int, message: str) -> tuple[dict[str, Any], dict[str, str]]:
    return {"message": message, "code": status}, {"content-type": "application/json"}
