"""Clockify's Entity Changes API (Experimental), for time entries: what was created, updated
or deleted in a window of time (clockify-openapi.yaml, `/v1/workspaces/{ws}/entities/...`).

As documented: `type` is required (TIME_ENTRY is the one simulated; the other types answer
empty lists); `start`/`end` default to a 30-day range; `page` starts at 0 and `limit` is 50 by
default; an entity created and updated within the range appears only in `/created`, one
created and deleted within it in neither `/created` nor `/deleted`; a deletion shows about a
minute after it happened (`deletion_visible_after`). The created and
updated answers are lists, as the guide's samples show; the deleted answer follows the schema
(`PageableCollectionLogBinDocumentDto`: `{"response": [...]}`) or, with
`deleted_changes_shape="list"`, the guide's sample (a bare list).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulators.clockify.errors import bad_request, json
from simulators.clockify.params import timestamp
from simulators.clockify.store import Entry, User, stamp

if TYPE_CHECKING:
    from simulators.clockify.app import ClockifySimulator

DEFAULT_RANGE = timedelta(days=30)


def _window(request: Request, now: datetime) -> tuple[datetime, datetime]:
    q = request.query_params
    start = timestamp(q["start"], "start") if q.get("start") else None
    end = timestamp(q["end"], "end") if q.get("end") else None
    if start is None and end is None:
        return now - DEFAULT_RANGE, now
    if start is None:
        assert end is not None
        return end - DEFAULT_RANGE, end
    return start, end if end is not None else start + DEFAULT_RANGE


def _types(request: Request) -> set[str]:
    values = [v for raw in request.query_params.getlist("type") for v in raw.split(",") if v]
    if not values:
        raise bad_request("Required request parameter 'type' is not present")
    return set(values)


def _page(request: Request, items: list[Any]) -> list[Any]:
    raw_page = request.query_params.get("page", "0")
    raw_limit = request.query_params.get("limit", "50")
    if not raw_page.isdigit() or not raw_limit.isdigit() or int(raw_limit) < 1:
        raise bad_request("page must be 0 or more and limit 1 or more")
    page, limit = int(raw_page), int(raw_limit)
    return items[page * limit : (page + 1) * limit]


def _visible(user: User, entry_user: str) -> bool:
    return user.admin or entry_user == user.id


def _document(sim: ClockifySimulator, entry: Entry) -> dict[str, Any]:
    return {
        **sim.workspace.entry_dto(entry, with_rates=False, iso=True),
        "documentType": "TIME_ENTRY",
        "auditMetadata": {
            "createdAt": stamp(entry.created_at or entry.start),
            "updatedAt": stamp(entry.updated_at or entry.created_at or entry.start),
        },
    }


async def created(sim: ClockifySimulator, request: Request) -> Response:
    start, end = _window(request, sim.workspace.now())
    found = []
    if "TIME_ENTRY" in _types(request):
        found = [
            _document(sim, e)
            for e in sorted(sim.workspace.entries.values(), key=lambda e: e.created_at or e.start)
            if start <= (e.created_at or e.start) <= end and _visible(request.state.user, e.user_id)
        ]
    return json(_page(request, found))


async def updated(sim: ClockifySimulator, request: Request) -> Response:
    start, end = _window(request, sim.workspace.now())
    found = []
    if "TIME_ENTRY" in _types(request):
        found = [
            _document(sim, e)
            for e in sim.workspace.entries.values()
            if e.updated_at is not None
            and start <= e.updated_at <= end
            and not start <= (e.created_at or e.start) <= end
            and _visible(request.state.user, e.user_id)
        ]
    return json(_page(request, found))


async def deleted(sim: ClockifySimulator, request: Request) -> Response:
    now = sim.workspace.now()
    start, end = _window(request, now)
    lag = timedelta(seconds=sim.settings.deletion_visible_after)
    found = []
    if "TIME_ENTRY" in _types(request):
        found = [
            {"id": doc["id"], "deletedAt": stamp(at), "documentType": "TIME_ENTRY", "document": doc}
            for at, created_at, doc in sim.workspace.deleted
            if start <= at <= end
            and not start <= created_at <= end  # created and deleted within it: not listed
            and at + lag <= now
            and _visible(request.state.user, doc["userId"])
        ]
    page = _page(request, found)
    return json(page if sim.settings.deleted_changes_shape == "list" else {"response": page})


ROUTES = [
    ("GET", "/workspaces/{workspaceId}/entities/created", created),
    ("GET", "/workspaces/{workspaceId}/entities/updated", updated),
    ("GET", "/workspaces/{workspaceId}/entities/deleted", deleted),
]
