"""ClockifyAdapter: the unified reads over Clockify. The users list is fetched once per request;
many users' entries come from one detailed-report request when the key may read it (admins),
else from per-user requests sent concurrently."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from adapters.base import (
    ApprovalKind,
    ApprovalRecord,
    ApprovalState,
    EntryQuery,
    EntryWindow,
    PersonRecord,
    Platform,
    PolicyRecord,
    TimeEntryRecord,
    TimerRecord,
)
from adapters.clockify import translate
from adapters.clockify.approval_translate import (
    approval_request,
    covering,
    time_off_policy,
    time_off_request,
    with_approval,
)
from adapters.clockify.catalog import ClockifyCatalog
from adapters.clockify.client import ClockifyHttp
from adapters.clockify.once import Once
from adapters.clockify.profiles import ClockifyProfiles
from adapters.concurrency import gather
from adapters.errors import Forbidden, NotFound

T = TypeVar("T")
REPORT_PAGE_SIZE = 1000  # the detailed report's maximum


class ClockifyAdapter(ClockifyCatalog, ClockifyProfiles):
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

    async def users(self) -> dict[str, PersonRecord]:
        return {str(u["id"]): translate.person(u) for u in await self._users.get()}

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

    async def approval_requests(self) -> list[ApprovalRecord]:
        records = [approval_request(d) for d in await self._approvals.get()]
        # The newest decision on a period speaks for its entries.
        return sorted(
            records, key=lambda r: r.decided_at or datetime.min.replace(tzinfo=UTC), reverse=True
        )

    async def _finished_entries(
        self, person_ids: Sequence[str], first: datetime, last: datetime, typed: bool = False
    ) -> list[dict[str, Any]]:
        """Finished entries of many people: one detailed report, unless the key may not read
        it or the entries' `type` is wanted (the report has none, clockify-openapi.yaml
        TimeEntryDto); then each person's regular list, read concurrently."""
        if not self.report_forbidden and not typed:
            try:
                return await self._report(person_ids, first, last)
            except Forbidden:
                self.report_forbidden = True  # a member's key: fall back to per-user reads
        lists = await gather(
            *(
                self.http.get_all(
                    f"{self.http.ws}/user/{pid}/time-entries",
                    {"start": _z(first), "end": _z(last), "in-progress": "false"},
                )
                for pid in person_ids
            )
        )
        return [dto for chunk in lists for dto in chunk]

    async def _report(
        self, person_ids: Sequence[str], first: datetime, last: datetime
    ) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        page = 1
        while True:
            body = {
                "dateRangeStart": _z(first),
                "dateRangeEnd": _z(last),
                "timeZone": "UTC",
                "sortOrder": "ASCENDING",
                "users": {"ids": list(person_ids), "contains": "CONTAINS", "status": "ALL"},
                "detailedFilter": {
                    "page": page,
                    "pageSize": REPORT_PAGE_SIZE,
                    "sortColumn": "DATE",
                },
            }
            # The report is a read sent as POST: retrying it cannot double anything.
            answer = await self.http.post(
                f"{self.http.ws}/reports/detailed", body, reports=True, safe_to_retry=True
            )
            chunk = answer.get("timeentries") or []
            entries += chunk
            total = sum(t.get("entriesCount") or 0 for t in answer.get("totals") or [])
            if len(chunk) < REPORT_PAGE_SIZE or len(entries) >= total:
                return entries
            page += 1

    async def running_entries(self, person_ids: Sequence[str] | None) -> list[dict[str, Any]]:
        if not self.report_forbidden:
            try:
                running = await self.http.get_all(
                    f"{self.http.ws}/time-entries/status/in-progress", page_size=1000
                )
                wanted = set(person_ids) if person_ids is not None else None
                return [e for e in running if wanted is None or e.get("userId") in wanted]
            except Forbidden:
                self.report_forbidden = True
        ids = person_ids if person_ids is not None else list(await self.users())
        lists = await gather(
            *(
                self.http.get(f"{self.http.ws}/user/{pid}/time-entries", {"in-progress": "true"})
                for pid in ids
            )
        )
        return [dto for chunk in lists for dto in chunk]

    async def entry_window(
        self, query: EntryQuery, offset: int, limit: int, relations: frozenset[str] = frozenset()
    ) -> EntryWindow:
        """All matching entries are read (report pages of 1,000), merged with running ones,
        filtered by each person's local date, sorted, then sliced at the cursor's position."""
        users = await self.users()
        person_ids = list(query.person_ids) if query.person_ids is not None else list(users)
        if not person_ids:
            return EntryWindow([], 0, True)
        first, last = translate.utc_bounds(query.start, query.end)
        want_states = query.states is not None or "approval" in relations
        typed = query.types is not None or "type" in relations
        finished_task = (
            self._finished_entries(person_ids, first, last, typed)
            if query.running is not True
            else _empty()
        )
        running_task = self.running_entries(person_ids) if query.running is not False else _empty()
        approvals_task = self.approval_requests() if want_states else _empty()
        finished, running, approvals = await gather(finished_task, running_task, approvals_task)
        records = []
        for dto in [*finished, *running]:
            owner = users.get(str(dto.get("userId")))
            record = self._entry(dto, owner, approvals)
            if _matches(record, query):
                records.append(record)
        records.sort(key=_order_key(query), reverse=query.descending)
        window = records[offset : offset + limit]
        positions = [(r, offset + i + 1) for i, r in enumerate(window)]
        return EntryWindow(positions, len(records), offset + limit >= len(records))

    def _entry(
        self, dto: dict[str, Any], owner: PersonRecord | None, approvals: list[ApprovalRecord]
    ) -> TimeEntryRecord:
        entry = translate.time_entry(dto, owner.time_zone if owner else None)
        return with_approval(entry, covering(approvals, entry.person_id, entry.date))

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
            else _empty(),
            self.time_off_requests()
            if kinds is None or ApprovalKind.TIME_OFF in kinds
            else _empty(),
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


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _empty() -> list[Any]:
    return []


def _matches(record: TimeEntryRecord, query: EntryQuery) -> bool:
    if query.start and record.date < query.start:
        return False
    if query.end and record.date > query.end:
        return False
    if query.person_ids is not None and record.person_id not in query.person_ids:
        return False
    if query.project_ids is not None and record.project_id not in query.project_ids:
        return False
    if query.service_ids is not None:
        return False  # Clockify has no services
    if query.task_ids is not None and f"{record.project_id}/{record.task_id}" not in query.task_ids:
        return False
    if query.tag_ids is not None and not set(record.tag_ids) & set(query.tag_ids):
        return False
    if query.billable is not None and record.billable != query.billable:
        return False
    if query.types is not None and record.entry_type not in query.types:
        return False
    if query.states is not None and record.approval_state not in query.states:
        return False
    if query.running is not None and record.running != query.running:
        return False
    return not query.text or query.text.lower() in (record.note or "").lower()


def _order_key(query: EntryQuery) -> Callable[[TimeEntryRecord], Any]:
    epoch = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
    if query.by_start_time:
        return lambda r: (r.started_at or epoch, r.remote_id)
    return lambda r: (r.date, r.started_at or epoch, r.remote_id)
