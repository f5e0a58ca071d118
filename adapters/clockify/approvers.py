"""Clockify's side of approvers and absences: the requests awaiting an approver, holidays,
time-off balances, requesting time off and re-submitting rejected or withdrawn time.

A timesheet request awaits the requester's team managers ("Find user's team manager"); a
time-off request awaits them too where its policy lets team managers approve, and the
policy's named approvers where it names some. The inbox therefore reads the pending
requests (two lists the adapter reads anyway), then the managers of each requester with a
pending item, all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from adapters.approver_records import HolidayRecord, TimeOffBalanceRecord
from adapters.base import ApprovalKind, ApprovalRecord, ApprovalState, Platform, TimeOffPolicyRecord
from adapters.clockify.adapter import ClockifyAdapter
from adapters.clockify.approval_translate import approval_request, time_off_request
from adapters.concurrency import gather

C = Platform.CLOCKIFY
BALANCE_PAGE = 200  # the balance endpoints' largest page


def z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def holiday(dto: dict[str, Any], person_ids: tuple[str, ...] | None) -> HolidayRecord | None:
    period = dto.get("datePeriod") or {}
    try:
        start = date.fromisoformat(str(period.get("startDate")))
        end = date.fromisoformat(str(period.get("endDate") or period.get("startDate")))
    except ValueError:
        return None
    return HolidayRecord(
        platform=C,
        remote_id=str(dto.get("id")),
        name=str(dto.get("name") or ""),
        start=start,
        end=end,
        occurs_annually=bool(dto.get("occursAnnually")),
        raw=dto,
        person_ids=person_ids,
    )


def _in_range(record: HolidayRecord, start: date, end: date) -> bool:
    if not record.occurs_annually:
        return record.start <= end and record.end >= start
    for year in range(start.year, end.year + 1):
        try:
            first, last = record.start.replace(year=year), record.end.replace(year=year)
        except ValueError:  # 29 February
            continue
        if first <= end and last >= start:
            return True
    return False


def balance(dto: dict[str, Any]) -> TimeOffBalanceRecord:
    def number(name: str) -> float | None:
        value = dto.get(name)
        return float(value) if isinstance(value, int | float) else None

    return TimeOffBalanceRecord(
        platform=C,
        person_id=str(dto.get("userId")),
        policy_id=str(dto.get("policyId")),
        policy_name=str(dto.get("policyName") or ""),
        unit=str(dto.get("policyTimeUnit") or "DAYS"),
        total=number("total"),
        used=number("used"),
        remaining=number("balance"),
        raw=dto,
    )


class ClockifyApprovers:
    """Approver and absence reads and writes over one ClockifyAdapter's credentials."""

    def __init__(self, adapter: ClockifyAdapter) -> None:
        self.adapter = adapter
        self.http = adapter.http
        self.ws = adapter.http.ws

    async def managers_of(self, user_id: str) -> tuple[str, ...]:
        found = await self.http.get_all(f"{self.ws}/users/{user_id}/managers")
        return tuple(str(u.get("id")) for u in found)

    async def inbox(self, approver_ids: Sequence[str]) -> list[ApprovalRecord]:
        approvers = set(approver_ids)
        pending = await self.adapter.list_approvals(
            states=frozenset({ApprovalState.PENDING}), person_ids=None
        )
        policies = {
            p.remote_id: p
            for p in await self.adapter.list_policies()
            if isinstance(p, TimeOffPolicyRecord)
        }
        requesters = sorted({a.requester_id for a in pending if a.requester_id})
        managers = dict(
            zip(requesters, await gather(*(self.managers_of(u) for u in requesters)), strict=True)
        )

        def awaits(item: ApprovalRecord) -> bool:
            team = set(managers.get(item.requester_id or "", ()))
            if item.kind is not ApprovalKind.TIME_OFF:
                return bool(team & approvers)
            policy = policies.get(item.policy_id or "")
            if policy is None:
                return False
            named = set(policy.approver_ids) & approvers
            return bool(named or (policy.team_managers_approve and team & approvers))

        return [a for a in pending if awaits(a) and a.requester_id not in approvers]

    async def holidays(
        self, start: date, end: date, person_ids: Sequence[str] | None
    ) -> list[HolidayRecord]:
        """One list of every holiday, matched to people by their ids; a holiday given to user
        groups (whose members no list here tells) is asked about per person, in its period."""
        dtos = await self.http.get(f"{self.ws}/holidays")
        records = [r for r in (holiday(d, None) for d in dtos) if r and _in_range(r, start, end)]
        if person_ids is None:
            return records
        grouped = any(r.raw.get("userGroupIds") for r in records)
        by_period: dict[str, set[str]] = {}
        if grouped:

            async def in_period(user_id: str) -> tuple[str, list[Any]]:
                found = await self.http.get(
                    f"{self.ws}/holidays/in-period",
                    {"assigned-to": user_id, "start": start.isoformat(), "end": end.isoformat()},
                )
                return user_id, found

            for user_id, found in await gather(*(in_period(u) for u in person_ids)):
                for dto in found:
                    by_period.setdefault(str(dto.get("id")), set()).add(user_id)
        out = []
        for r in records:
            users = set(r.raw.get("userIds") or [])
            everyone = bool(r.raw.get("everyoneIncludingNew"))
            who = tuple(
                u
                for u in person_ids
                if everyone or u in users or u in by_period.get(r.remote_id, set())
            )
            if who:
                out.append(holiday(r.raw, who) or r)
        return out

    async def balances(self, user_id: str) -> list[TimeOffBalanceRecord]:
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = await self.http.get(
                f"{self.ws}/time-off/balance/user/{user_id}",
                {"page": page, "page-size": BALANCE_PAGE, "sort": "POLICY"},
            )
            chunk = list(answer.get("balances") or []) if isinstance(answer, dict) else []
            found += chunk
            total = int(answer.get("count") or 0) if isinstance(answer, dict) else 0
            if not chunk or len(found) >= total:
                return [balance(d) for d in found]
            page += 1

    async def request_time_off(
        self, user_id: str, own: bool, policy_id: str, body: dict[str, Any]
    ) -> ApprovalRecord:
        path = f"{self.ws}/time-off/policies/{policy_id}" + (
            "/requests" if own else f"/users/{user_id}/requests"
        )
        dto = await self.http.write("POST", path, body)
        return time_off_request(dto)

    async def requested(self, user_id: str, policy_id: str, start: str) -> ApprovalRecord | None:
        """The look after a lost answer: the person's request on that policy from that start."""
        for record in await self.adapter.time_off_requests():
            period = ((record.raw.get("timeOffPeriod") or {}).get("period") or {}).get("start")
            same = str(period or "")[:19] == start[:19]
            if record.requester_id == user_id and record.policy_id == policy_id and same:
                return record
        return None

    async def resubmit(self, user_id: str, own: bool, period_start: datetime) -> None:
        path = f"{self.ws}/approval-requests" + (
            "/resubmit-entries-for-approval"
            if own
            else f"/users/{user_id}/resubmit-entries-for-approval"
        )
        await self.http.write("POST", path, {"period": "WEEKLY", "periodStart": z(period_start)})

    async def request_of_week(self, user_id: str, period_start: datetime) -> ApprovalRecord | None:
        """The person's approval request for the week starting on that day (read fresh)."""
        dtos = await self.http.get_all(f"{self.ws}/approval-requests")
        for record in (approval_request(d) for d in dtos):
            starts = record.period_start
            near = starts is not None and abs((starts - period_start.date()).days) < 2
            if record.requester_id == user_id and near:
                return record
        return None
