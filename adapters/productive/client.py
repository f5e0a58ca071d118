"""Productive's HTTP surface: headers, paging, and status codes -> AdapterError."""

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
    UpstreamIncompatible,
    UpstreamRejected,
    UpstreamUnavailable,
)
from adapters.http import Deadline, UpstreamClient
from adapters.productive.jsonapi import Document
from adapters.read_cache import Revalidation
from adapters.upstream_answers import body_json, retry_after_seconds

MEDIA_TYPE = "application/vnd.api+json"
PAGE_SIZE = 200  # the documented maximum
PLATFORM = "productive"
# The lists a time-entry delta read answers for. Not `/timers`: that a timer starting on an
# existing entry updates the entry's `updated_at` is not documented.
DELTA_PATHS = frozenset({"/time_entries"})


def headers(token: str, organization_id: str) -> dict[str, str]:
    return {
        "X-Auth-Token": token,
        "X-Organization-Id": organization_id,
        "Content-Type": MEDIA_TYPE,
        "Accept": MEDIA_TYPE,
    }


def map_error(response: httpx.Response) -> AdapterError:
    """Translate a non-2xx answer; JSON:API error objects become FieldErrors."""
    status = response.status_code
    errors = _error_objects(response)
    detail = "; ".join(filter(None, (e.get("detail") or e.get("title") for e in errors)))
    message = f"Productive answered {status}" + (f": {detail}" if detail else "")
    if status == 401:
        return Unauthorized(PLATFORM, "Productive rejected the token or organization id", status)
    if status == 403:
        return Forbidden(PLATFORM, message, status)
    if status == 404:
        return NotFound(PLATFORM, message, status)
    if status == 429:
        return RateLimited(
            PLATFORM, "Productive rate limit reached", status, retry_after_seconds(response)
        )
    if status >= 500:
        return UpstreamUnavailable(PLATFORM, f"Productive answered {status}", status)
    fields = [
        FieldError(_pointer(e), str(e.get("detail") or e.get("title") or "invalid"), e.get("code"))
        for e in errors
    ]
    code = next((str(e["code"]) for e in errors if e.get("code")), None)
    kind = Conflict if status == 409 else UpstreamRejected
    return kind(PLATFORM, message, status, fields, code)


def _error_objects(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def _pointer(error: dict[str, Any]) -> str | None:
    source = error.get("source") or {}
    if not isinstance(source, dict):
        return None
    value = source.get("pointer") or source.get("parameter")
    return str(value) if value else None


REFUSED_INCLUDE = re.compile(r"Include '([^']+)'")


def _without_refused_include(
    query: dict[str, str], error: UpstreamRejected
) -> dict[str, str] | None:
    """The query without the include path upstream named as unsupported (and paths below it);
    None when the error is about something else."""
    found = REFUSED_INCLUDE.search(error.message)
    if error.upstream_status != 400 or not found or "include" not in query:
        return None
    refused = found.group(1)
    kept = [
        p for p in query["include"].split(",") if p != refused and not p.startswith(f"{refused}.")
    ]
    narrower = {k: v for k, v in query.items() if k != "include"}
    if kept:
        narrower["include"] = ",".join(kept)
    return narrower if narrower != query else None


class ProductiveHttp:
    """GETs that return Documents, following pages; writes that send JSON:API documents."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        token: str,
        organization_id: str,
        deadline: Deadline,
    ) -> None:
        self.upstream = UpstreamClient(
            PLATFORM,
            client,
            base_url,
            headers(token, organization_id),
            map_error,
            deadline,
            tenant=organization_id,
        )
        self.upstream.revalidation = Revalidation(
            lambda path: path in DELTA_PATHS, self.entries_changed_since, self.entries_count
        )

    async def entries_count(self) -> Any:
        """The first look's baseline: how many entries this token sees (None if the look
        fails, and the first look then counts as a change)."""
        try:
            response = await self.upstream.send(
                "GET", "/time_entries", params={"page[size]": "1"}, cached=False
            )
        except AdapterError:
            return None
        total = (body_json(response).get("meta") or {}).get("total_count")
        return {"total": total} if isinstance(total, int) else None

    async def entries_changed_since(self, since: float, memo: Any) -> tuple[bool, Any]:
        """Whether any time entry this token sees changed after `since` (a wall-clock time).
        `filter[updated_at]` shows creations and updates (timers and approvals update their
        entry); deletions leave no trace there, so the count of all entries is compared with
        the last look's. Two one-row reads at once. With no earlier count to compare, or a
        failed look, it counts as a change: the lists are read again."""
        stamp = datetime.fromtimestamp(since, UTC).isoformat(timespec="milliseconds")
        look = {"filter[updated_at][gt]": stamp, "page[size]": "1"}
        try:
            updated, remembered = await asyncio.gather(
                self.upstream.send("GET", "/time_entries", params=look, cached=False),
                self.entries_count(),
            )
        except AdapterError:
            return True, None
        if memo is None or remembered is None or memo.get("total") != remembered.get("total"):
            return True, remembered
        return bool(body_json(updated).get("data")), remembered

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> Document:
        """A read. Reads are built from validated input only, so a 400 or 422 is about the
        gateway's own request: an include upstream refuses is dropped and the read retried
        (the rows matter more than what rides along); anything else is UPSTREAM_INCOMPATIBLE."""
        query = dict(params or {})
        while True:
            try:
                response = await self.upstream.send("GET", path, params=query)
            except Conflict:
                raise
            except UpstreamRejected as error:
                narrower = _without_refused_include(query, error)
                if narrower is None:
                    raise UpstreamIncompatible(
                        PLATFORM, error.message, error.upstream_status
                    ) from None
                query = narrower
                continue
            return Document.parse(body_json(response))

    async def get_page(
        self, path: str, params: Mapping[str, str], number: int, size: int = PAGE_SIZE
    ) -> Document:
        query = {**params, "page[number]": str(number), "page[size]": str(size)}
        return await self.get(path, query)

    async def get_all(self, path: str, params: Mapping[str, str]) -> Document:
        """Every page of a list, merged into one Document (one request when it fits)."""
        first = await self.get_page(path, params, 1)
        pages = int(first.meta.get("total_pages") or 1)
        data, index = list(first.data), dict(first.index)
        for number in range(2, pages + 1):
            page = await self.get_page(path, params, number)
            data += page.data
            index.update(page.index)
        return Document(data, index, first.meta)

    async def write(
        self, method: str, path: str, body: Any = None, content_type: str = MEDIA_TYPE
    ) -> Document | None:
        response = await self.upstream.send(
            method, path, json=body, headers={"Content-Type": content_type}
        )
        if response.status_code == 204 or not response.content:
            return None
        return Document.parse(body_json(response))
