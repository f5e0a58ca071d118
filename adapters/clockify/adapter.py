"""ClockifyAdapter: the unified reads over Clockify. The users list is fetched once per request;
many users' entries come from one detailed-report request when the key may read it (admins),
else from per-user requests sent concurrently."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import TypeVar

from adapters.base import (
    ApprovalKind,
    ApprovalRecord,
    ApprovalState,
    EntryQuery,
    PersonRecord,
    Platform,
    PolicyRecord,
    TimeEntryRecord,
    TimerRecord,
)
from adapters.clockify import translate
from adapters.clockify.approval_translate import (
    covering,
    time_off_policy,
    time_off_request,
    with_approval,
)
from adapters.clockify.catalog import ClockifyCatalog
from adapters.clockify.client import ClockifyHttp
from adapters.clockify.entry_reads import ClockifyEntryReads, nothing
from adapters.clockify.once import Once
from adapters.clockify.profiles import ClockifyProfiles
from adapters.concurrency import gather
from adapters.errors import NotFound

T = TypeVar("T")


class ClockifyAdapter(ClockifyEntryReads, ClockifyCatalog, ClockifyProfiles):
    """Reads for one Clockify API key and workspace, within one GraphQL request."""

    platform = Platform.CLOCKIFY

    def tenant(self) -> str:
        """Whose data this is (a digest of base URL and organization or workspace): changes
        are published to, and received by, the same tenant."""
        return self.http.upstream.place.tenant

    def __init__(self, http: ClockifyHttp) -> None:
        self.http = http
        # The reads refer to the client, not to the adapter: no cycle keeps what they read.
        self._users = Once(partial(http.get_all, f"{http.ws}/users"))
        self._projects = Once(partial(http.get_all, f"{http.ws}/projects"))
        self._tags = Once(partial(http.get_all, f"{http.ws}/tags"))
        self._approvals = Once(partial(http.get_all, f"{http.ws}/approval-requests"))
        self._tasks: dict[str, Once] = {}
        self.report_forbidden = False

    async def get_people(self, ids: Sequence[str]) -> list[PersonRecord | None]:
        users = await self.users()
        return [users.get(i) for i in ids]

    async def list_people(
        self, *, text: str | None, emails: Sequence[str] | None, active: bool | None
    ) -> list[PersonRecord]:
        wanted = {e.lower() for e in emails} if emails else None
        found = []
        for person in (await self.users()).values():
            if text and text.lower() not in f"{person.name} {person.email}".lower():
                continue
            if wanted is not None and (person.email or "").lower() not in wanted:
                continue
            if active is not None and person.active != active:
                continue
            found.append(person)
        return sorted(found, key=lambda p: p.name.lower())

    async def viewer(self) -> PersonRecord:
        return translate.person(await self.http.get("/user"))

    async def get_time_entries(self, ids: Sequence[str]) -> list[TimeEntryRecord | None]:
        users = await self.users()

        async def one(entry_id: str) -> TimeEntryRecord | None:
            try:
                dto = await self.http.get(f"{self.http.ws}/time-entries/{entry_id}")
            except NotFound:
                return None
            owner = users.get(str(dto.get("userId")))
            return translate.time_entry(dto, owner.time_zone if owner else None)

        return list(await gather(*(one(i) for i in ids)))

    async def entries_with_state(self, ids: Sequence[str]) -> list[TimeEntryRecord | None]:
        plain, approvals = await gather(self.get_time_entries(ids), self.approval_requests())
        return [
            with_approval(r, covering(approvals, r.person_id, r.date)) if r else None for r in plain
        ]

    async def timer_history(
        self,
        person_ids: Sequence[str] | None,
        started_after: datetime | None,
        started_before: datetime | None,
    ) -> tuple[list[TimerRecord], list[TimeEntryRecord]]:
        """On Clockify a timer's history is its entries: every entry started in the range
        (the days around it are read, then cut at the instants), newest first."""
        day = timedelta(days=1)
        query = EntryQuery(
            person_ids=tuple(person_ids) if person_ids is not None else None,
            start=(started_after - day).date() if started_after else None,
            end=(started_before + day).date() if started_before else None,
            descending=True,
            by_start_time=True,
        )
        window = await self.entry_window(query, 0, 1_000_000)
        entries = [
            entry
            for entry, _ in window.entries
            if entry.started_at is not None
            and (started_after is None or entry.started_at >= started_after)
            and (started_before is None or entry.started_at < started_before)
        ]
        return [translate.timer(e) for e in entries], entries

    async def running_timers(self, person_ids: Sequence[str] | None) -> list[TimerRecord]:
        return (await self.running_timers_with_entries(person_ids))[0]

    async def running_timers_with_entries(
        self, person_ids: Sequence[str] | None
    ) -> tuple[list[TimerRecord], list[TimeEntryRecord]]:
        """A Clockify timer is its running entry: both come from the same answer."""
        users, running = await gather(self.users(), self.running_entries(person_ids))
        entries = []
        for dto in running:
            owner = users.get(str(dto.get("userId")))
            entries.append(translate.time_entry(dto, owner.time_zone if owner else None))
        return [translate.timer(e) for e in entries], entries

    async def list_policies(self) -> list[PolicyRecord]:
        dtos = await self.http.get_all(f"{self.http.ws}/time-off/policies", {"status": "ALL"})
        return [time_off_policy(d) for d in dtos]

    async def time_off_requests(self) -> list[ApprovalRecord]:
        answer = await self.http.post(
            f"{self.http.ws}/time-off/requests",
            {"page": 1, "pageSize": 200, "statuses": ["ALL"]},
            safe_to_retry=True,
        )
        requests = list(answer.get("requests") or [])
        total, page = int(answer.get("count") or 0), 1
        while len(requests) < total:
            page += 1
            more = await self.http.post(
                f"{self.http.ws}/time-off/requests",
                {"page": page, "pageSize": 200, "statuses": ["ALL"]},
                safe_to_retry=True,
            )
            if not more.get("requests"):
                break
            requests += more["requests"]
        return [time_off_request(r) for r in requests]

    async def list_approvals(
        self,
        *,
        states: frozenset[ApprovalState] | None,
        person_ids: Sequence[str] | None,
        start: date | None = None,
        end: date | None = None,
        kinds: frozenset[ApprovalKind] | None = None,
    ) -> list[ApprovalRecord]:
        sheets, time_off = await gather(
            self.approval_requests()
            if kinds is None or ApprovalKind.TIMESHEET in kinds
            else nothing(),
            self.time_off_requests()
            if kinds is None or ApprovalKind.TIME_OFF in kinds
            else nothing(),
        )
        wanted = set(person_ids) if person_ids is not None else None
        return [
            a
            for a in [*sheets, *time_off]
            if (states is None or a.state in states)
            and (wanted is None or a.requester_id in wanted)
            and (start is None or a.period_end is None or a.period_end >= start)
            and (end is None or a.period_start is None or a.period_start <= end)
        ]
