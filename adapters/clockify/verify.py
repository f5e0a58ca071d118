"""Reads that tell whether a Clockify write landed, for a retry after a lost answer.

Each returns what the write would have answered when upstream shows its effect, and None when
it does not (clockify-api-v1.txt: time entries, approval requests, time off). Always fresh
reads: the adapter's per-request memos may predate the write. Clockify records carry no
creation time, so a created entry is recognised by its exact start, end and fields, which
the gateway chose to the second.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from adapters.base import ApprovalRecord, TimeEntryRecord
from adapters.clockify import approval_translate, translate
from adapters.clockify.writes import ClockifyWrites, z
from adapters.errors import NotFound

ENTRY_FIELDS = ("description", "projectId", "taskId", "billable")
# What a time-off policy's DTO echoes of the body that created or replaced it.
POLICY_FIELDS = ("name", "timeUnit", "allowHalfDay", "allowNegativeBalance", "approve")


def policy_matches(dto: dict[str, Any], body: dict[str, Any]) -> bool:
    return all(dto.get(k) == body[k] for k in POLICY_FIELDS if k in body)


def _instant(raw: Any) -> datetime | None:
    return translate.timestamp(raw)


def entry_matches(dto: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether an entry carries what a create or replace sent."""
    interval = dto.get("timeInterval") or {}
    if _instant(interval.get("start")) != _instant(body.get("start")):
        return False
    # A timer start sends no end: the entry it made may have been stopped since.
    if "end" in body and _instant(interval.get("end")) != _instant(body.get("end")):
        return False
    for name in ENTRY_FIELDS:
        if name in body and (dto.get(name) or None) != (body[name] or None):
            return False
    return "tagIds" not in body or sorted(dto.get("tagIds") or []) == sorted(body["tagIds"] or [])


class ClockifyVerify:
    """Did it land? Fresh reads over the same API key as the writes."""

    def __init__(self, writes: ClockifyWrites) -> None:
        self.writes = writes
        self.http = writes.http
        self.ws = writes.ws

    async def _entries_around(
        self, user_id: str, start: datetime, end: datetime | None
    ) -> list[dict[str, Any]]:
        """Every entry of the user in a window tight around the sent interval, all pages:
        many entries may share a day (a newest-first first page would miss ours)."""
        window = {
            "start": z(start - timedelta(seconds=1)),
            "end": z((end or start) + timedelta(seconds=1)),
        }
        found: list[dict[str, Any]] = await self.http.get_all(
            f"{self.ws}/user/{user_id}/time-entries", window, page_size=200
        )
        return found

    async def created_entry(self, user_id: str, body: dict[str, Any]) -> TimeEntryRecord | None:
        start = _instant(body.get("start"))
        if start is None:
            return None
        if "end" not in body:
            # A timer start: the entry it made is most likely still the running one.
            running: list[dict[str, Any]] = await self.http.get(
                f"{self.ws}/user/{user_id}/time-entries", {"in-progress": "true"}
            )
            for dto in running:
                if entry_matches(dto, body):
                    return await self.writes._record(dto)
        for dto in await self._entries_around(user_id, start, _instant(body.get("end"))):
            if entry_matches(dto, body):
                return await self.writes._record(dto)
        return None

    async def stopped_at(self, user_id: str, end: str) -> TimeEntryRecord | None:
        """The user's entry that ends exactly when the lost stop said it would."""
        wanted = _instant(end)
        assert wanted is not None
        # Newest first among entries that started before the stop: the stopped one leads.
        recent: list[dict[str, Any]] = await self.http.get(
            f"{self.ws}/user/{user_id}/time-entries",
            {"end": z(wanted + timedelta(seconds=1)), "page-size": 50},
        )
        for dto in recent:
            if _instant((dto.get("timeInterval") or {}).get("end")) == wanted:
                return await self.writes._record(dto)
        return None

    async def entry_has(self, entry_id: str, body: dict[str, Any]) -> TimeEntryRecord | None:
        try:
            dto = await self.writes.raw_entry(entry_id)
        except NotFound:
            return None
        return await self.writes._record(dto) if entry_matches(dto, body) else None

    async def gone(self, path: str) -> bool | None:
        try:
            await self.http.get(f"{self.ws}{path}")
        except NotFound:
            return True
        return None

    async def _approval_requests(self) -> list[ApprovalRecord]:
        dtos = await self.http.get_all(f"{self.ws}/approval-requests")
        return [approval_translate.approval_request(d) for d in dtos]

    async def approval_in(self, request_id: str, state: str) -> ApprovalRecord | None:
        for record in await self._approval_requests():
            if record.remote_id == request_id and record.state_raw == state:
                return record
        return None

    async def submitted(self, user_id: str, period_start: str) -> ApprovalRecord | None:
        wanted = _instant(period_start)
        for record in await self._approval_requests():
            request = record.raw.get("approvalRequest") or record.raw
            starts = _instant((request.get("dateRange") or {}).get("start"))
            # Weekly periods lie 7 days apart: a day either way is the same period.
            same = starts is not None and wanted is not None and abs(starts - wanted).days < 2
            if record.requester_id == user_id and same and record.state_raw == "PENDING":
                return record
        return None

    async def time_off_in(self, request_id: str, status: str | None) -> ApprovalRecord | None:
        """The request in that status; with status None, a stand-in once it is gone."""
        current = {r.remote_id: r for r in await self.writes.adapter.time_off_requests()}
        found = current.get(request_id)
        if status is None:
            return None if found is not None else _GONE
        return found if found is not None and found.state_raw == status else None

    async def created_policy(self, body: dict[str, Any]) -> str | None:
        policies: list[dict[str, Any]] = await self.http.get(f"{self.ws}/time-off/policies")
        for dto in policies:
            if policy_matches(dto, body):
                return str(dto["id"])
        return None

    async def policy_has(self, policy_id: str, body: dict[str, Any]) -> str | None:
        dto = await self.writes.raw_policy(policy_id)
        return policy_id if policy_matches(dto, body) else None

    async def policy_archived(self, policy_id: str, archived: bool) -> str | None:
        dto = await self.writes.raw_policy(policy_id)
        return policy_id if bool(dto.get("archived")) == archived else None


_GONE: Any = object()  # a truthy marker: "the request no longer exists", as a delete leaves it
