"""Clockify's HTTP surface: X-Api-Key, `Last-Page` paging, and status codes -> AdapterError."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from adapters.errors import (
    AdapterError,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthorized,
    UpstreamRejected,
    UpstreamUnavailable,
)
from adapters.http import Deadline, UpstreamClient
from adapters.read_cache import Place, Revalidation
from adapters.upstream_answers import body_json, retry_after_seconds

PLATFORM = "clockify"
# What a delta read answers for: entry lists, running entries, reports, approval requests.
DELTA_PATH = re.compile(
    r"/workspaces/[^/]+/(?:user/[^/]+/time-entries|time-entries/status/in-progress"
    r"|reports/detailed|approval-requests)"
)
DELETION_LAG = 65.0  # "reflected approximately one minute after the deletion occurs", and 5 s
_NO_DELTA: set[Place] = set()  # keys whose workspace refused the Entity Changes API
PAGE_SIZE = 5000
_FIELD = re.compile(r"[Ff]ield '([\w.]+)'")


def map_error(response: httpx.Response) -> AdapterError:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    message_text = str(body.get("message") or "") if isinstance(body, dict) else ""
    upstream_code = body.get("code") if isinstance(body, dict) else None
    message = f"Clockify answered {status}" + (f": {message_text}" if message_text else "")
    if status == 401:
        return Unauthorized(PLATFORM, "Clockify rejected the API key", status)
    if status == 403:
        return Forbidden(PLATFORM, message, status)
    if status == 404 or (status == 400 and upstream_code == 501):
        return NotFound(PLATFORM, message, status)
    if status == 429:
        return RateLimited(
            PLATFORM, "Clockify rate limit reached", status, retry_after_seconds(response)
        )
    if status >= 500:
        return UpstreamUnavailable(PLATFORM, f"Clockify answered {status}", status)
    match = _FIELD.search(message_text)
    fields = [FieldError(match.group(1) if match else None, message_text or message)]
    kind = (
        Conflict
        if "already" in message_text or "cannot change" in message_text
        else (UpstreamRejected)
    )
    return kind(PLATFORM, message, status, fields, str(upstream_code) if upstream_code else None)


class ClockifyHttp:
    """Regular API and reports API for one API key and workspace."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        reports_url: str,
        api_key: str,
        workspace_id: str,
        deadline: Deadline,
    ) -> None:
        self.workspace_id = workspace_id
        self.reports_url = reports_url
        self.upstream = UpstreamClient(
            PLATFORM,
            client,
            base_url,
            {"X-Api-Key": api_key},
            map_error,
            deadline,
            tenant=workspace_id,
        )
        self.upstream.revalidation = Revalidation(self._revalidates, self._delta)

    def _revalidates(self, path: str) -> bool:
        """Entry lists, running timers, reports and approval requests: what a delta answers
        for, unless this key's workspace refused the (experimental) Entity Changes API."""
        if self.upstream.place in _NO_DELTA:
            return False
        return bool(DELTA_PATH.fullmatch(path))

    async def _delta(self, since: float, memo: Any) -> tuple[bool, Any]:
        return await self.entries_changed_since(since), None

    async def entries_changed_since(self, since: float) -> bool:
        """Whether any time entry was created, updated or deleted, or any approval request
        changed, after `since` (a wall-clock time): four one-row reads at once. Deletions
        show in Clockify about a minute late, so that look reaches a minute further back.
        A failed look counts as a change; a refused one turns deltas off for this key."""

        def at(moment: float) -> str:
            return datetime.fromtimestamp(int(moment), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        looks = [
            self.get(
                f"{self.ws}/entities/{kind}",
                {"type": "TIME_ENTRY", "start": at(start), "limit": 1},
                cached=False,
            )
            for kind, start in (
                ("created", since),
                ("updated", since),
                ("deleted", since - DELETION_LAG),
            )
        ]
        newest = self.get(
            f"{self.ws}/approval-requests",
            {"sort-column": "UPDATED_AT", "sort-order": "DESCENDING", "page-size": 1},
            cached=False,
        )
        try:
            created, updated, deleted, approvals = await asyncio.gather(*looks, newest)
        except (Forbidden, NotFound, UpstreamRejected):
            _NO_DELTA.add(self.upstream.place)
            return True
        except AdapterError:
            return True
        if isinstance(deleted, dict):  # the schema's PageableCollection; the guide: a list
            deleted = deleted.get("response")
        if any(isinstance(found, list) and found for found in (created, updated, deleted)):
            return True
        return any(_changed_after(a, since) for a in approvals or [])

    @property
    def ws(self) -> str:
        return f"/workspaces/{self.workspace_id}"

    async def get(
        self, path: str, params: Mapping[str, Any] | None = None, cached: bool = True
    ) -> Any:
        response = await self.upstream.send("GET", path, params=dict(params or {}), cached=cached)
        return body_json(response)

    async def get_all(
        self, path: str, params: Mapping[str, Any] | None = None, page_size: int = PAGE_SIZE
    ) -> list[Any]:
        """Every page of a list, following `Last-Page` (one request when it fits)."""
        items: list[Any] = []
        page = 1
        while True:
            query = {**(params or {}), "page": page, "page-size": page_size}
            response = await self.upstream.send("GET", path, params=query)
            chunk = body_json(response)
            items += chunk
            if response.headers.get("last-page", "true") == "true" or not chunk:
                return items
            page += 1

    async def post(
        self, path: str, body: Any, *, reports: bool = False, safe_to_retry: bool = False
    ) -> Any:
        response = await self.upstream.send(
            "POST",
            path,
            json=body,
            base_url=self.reports_url if reports else None,
            safe_to_retry=safe_to_retry,
        )
        return body_json(response) if response.content else None

    async def write(self, method: str, path: str, body: Any = None) -> Any:
        response = await self.upstream.send(method, path, json=body)
        return body_json(response) if response.content else None


def _changed_after(approval: Any, since: float) -> bool:
    """Whether an approval request (as listed) changed after `since`."""
    request = approval.get("approvalRequest") if isinstance(approval, dict) else None
    status = request.get("status") if isinstance(request, dict) else None
    raw = status.get("updatedAt") if isinstance(status, dict) else None
    try:
        return raw is not None and datetime.fromisoformat(str(raw)).timestamp() > since
    except ValueError:
        return True
