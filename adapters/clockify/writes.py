"""Clockify writes: timers (running entries), time entries, approval requests, time off and
time-off policies. Writes are sent once; a lost answer raises UnknownOutcome, and
`adapters/clockify/verify.py` tells whether it landed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.base import ApprovalRecord, TimeEntryRecord, TimeOffPolicyRecord
from adapters.clockify import approval_translate, translate
from adapters.clockify.adapter import ClockifyAdapter


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ClockifyWrites:
    """Write operations over one ClockifyAdapter's credentials."""

    def __init__(self, adapter: ClockifyAdapter) -> None:
        self.adapter = adapter
        self.http = adapter.http
        self.ws = adapter.http.ws

    async def _record(self, dto: dict[str, Any]) -> TimeEntryRecord:
        users = await self.adapter.users()
        owner = users.get(str(dto.get("userId")))
        return translate.time_entry(dto, owner.time_zone if owner else None)

    async def running_entry(self, user_id: str) -> TimeEntryRecord | None:
        found = await self.http.get(
            f"{self.ws}/user/{user_id}/time-entries", {"in-progress": "true"}
        )
        return await self._record(found[0]) if found else None

    async def raw_entry(self, entry_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self.http.get(f"{self.ws}/time-entries/{entry_id}")
        return found

    async def create_entry(self, user_id: str, own: bool, body: dict[str, Any]) -> TimeEntryRecord:
        path = f"{self.ws}/time-entries" if own else f"{self.ws}/user/{user_id}/time-entries"
        return await self._record(await self.http.write("POST", path, body))

    async def stop(self, user_id: str, end: datetime) -> TimeEntryRecord:
        dto = await self.http.write(
            "PATCH", f"{self.ws}/user/{user_id}/time-entries", {"end": z(end)}
        )
        return await self._record(dto)

    async def update_entry(self, entry_id: str, body: dict[str, Any]) -> TimeEntryRecord:
        return await self._record(
            await self.http.write("PUT", f"{self.ws}/time-entries/{entry_id}", body)
        )

    async def delete_entry(self, entry_id: str) -> None:
        await self.http.write("DELETE", f"{self.ws}/time-entries/{entry_id}")

    async def set_approval_state(
        self, request_id: str, state: str, note: str | None
    ) -> ApprovalRecord:
        body = {"state": state, **({"note": note} if note else {})}
        dto = await self.http.write("PATCH", f"{self.ws}/approval-requests/{request_id}", body)
        return approval_translate.approval_request({"approvalRequest": dto})

    async def submit(self, user_id: str, own: bool, period_start: datetime) -> ApprovalRecord:
        path = f"{self.ws}/approval-requests" + ("" if own else f"/users/{user_id}")
        dto = await self.http.write(
            "POST", path, {"period": "WEEKLY", "periodStart": z(period_start)}
        )
        return approval_translate.approval_request({"approvalRequest": dto})

    async def set_time_off_status(
        self, policy_id: str, request_id: str, status: str, note: str | None
    ) -> None:
        body = {"status": status, **({"note": note} if note else {})}
        await self.http.write(
            "PATCH", f"{self.ws}/time-off/policies/{policy_id}/requests/{request_id}", body
        )

    async def withdraw_time_off(self, policy_id: str, request_id: str) -> None:
        await self.http.write(
            "DELETE", f"{self.ws}/time-off/policies/{policy_id}/requests/{request_id}"
        )

    async def raw_policy(self, policy_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self.http.get(f"{self.ws}/time-off/policies/{policy_id}")
        return found

    async def create_policy(self, body: dict[str, Any]) -> TimeOffPolicyRecord:
        return approval_translate.time_off_policy(
            await self.http.write("POST", f"{self.ws}/time-off/policies", body)
        )

    async def replace_policy(self, policy_id: str, body: dict[str, Any]) -> TimeOffPolicyRecord:
        return approval_translate.time_off_policy(
            await self.http.write("PUT", f"{self.ws}/time-off/policies/{policy_id}", body)
        )

    async def set_policy_status(self, policy_id: str, status: str) -> TimeOffPolicyRecord:
        return approval_translate.time_off_policy(
            await self.http.write(
                "PATCH", f"{self.ws}/time-off/policies/{policy_id}", {"status": status}
            )
        )

    async def delete_policy(self, policy_id: str) -> None:
        await self.http.write("DELETE", f"{self.ws}/time-off/policies/{policy_id}")
