"""Per-request loaders: many keys collected in one tick become one upstream request.

Created fresh for every GraphQL request (credentials differ between requests, so nothing may be
cached across them). Batch functions return results in key order, None for a missing key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import cached_property
from typing import Any

from adapters.base import (
    ApprovalRecord,
    ApprovalState,
    PersonRecord,
    Platform,
    PolicyRecord,
    ProjectRecord,
    ServiceRecord,
    TagRecord,
    TaskRecord,
    TimeEntryRecord,
    TimerRecord,
    WorkScheduleRecord,
)
from adapters.clockify.adapter import ClockifyAdapter
from adapters.clockify.once import Once
from adapters.concurrency import gather
from adapters.errors import AdapterError, NotConfigured
from adapters.productive.adapter import ProductiveAdapter
from schema.batch_loader import BatchLoader, loader
from schema.catalog_loaders import CatalogLoaders
from schema.person_entry_reads import PersonEntryReads

P, C = Platform.PRODUCTIVE, Platform.CLOCKIFY


def _shared_with_nobody(records: Sequence[Any]) -> None:
    return None


class Loaders(PersonEntryReads):
    """One set per request; `prime` fills them from records an earlier answer included."""

    def __init__(
        self, productive: ProductiveAdapter | None, clockify: ClockifyAdapter | None
    ) -> None:
        self.productive = productive
        self.clockify = clockify
        self.relations: dict[Platform, frozenset[str]] = {P: frozenset(), C: frozenset()}
        if productive is not None:
            productive.share = self.prime

    # Each loader is made when first used: most requests need a few of them, and a trivial
    # query none.
    @cached_property
    def people(self) -> dict[Platform, BatchLoader]:
        return {P: loader(self._people(P)), C: loader(self._people(C))}

    @cached_property
    def entries(self) -> dict[Platform, BatchLoader]:
        return {P: loader(self._entries(P)), C: loader(self._entries(C))}

    @cached_property
    def services(self) -> BatchLoader:
        return loader(self._services)

    @cached_property
    def productive_tasks(self) -> BatchLoader:
        return loader(self._productive_tasks)

    @cached_property
    def productive_projects(self) -> BatchLoader:
        return loader(self._productive_projects)

    @cached_property
    def clockify_tasks(self) -> BatchLoader:
        return loader(self._clockify_tasks)

    @cached_property
    def clockify_projects(self) -> BatchLoader:
        return loader(self._clockify_projects)

    @cached_property
    def running_timer(self) -> dict[Platform, BatchLoader]:
        return {P: loader(self._running(P)), C: loader(self._running(C))}

    @cached_property
    def person_entries(self) -> BatchLoader:
        return loader(self._person_entries)

    @cached_property
    def person_approvals(self) -> BatchLoader:
        return loader(self._person_approvals)

    @cached_property
    def policies(self) -> dict[Platform, Once]:
        return {
            P: Once(lambda: self._p().list_policies()),
            C: Once(lambda: self._c().list_policies()),
        }

    @cached_property
    def everyone(self) -> dict[Platform, Once]:
        return {
            P: Once(lambda: self._p().list_people(text=None, emails=None, active=None)),
            C: Once(lambda: self._c().list_people(text=None, emails=None, active=None)),
        }

    @cached_property
    def work_schedule(self) -> BatchLoader:
        """Clockify member profiles, one request each: only for people whose schedule is asked."""
        return loader(self._work_schedules)

    @cached_property
    def catalog(self) -> CatalogLoaders:
        return CatalogLoaders(lambda p: self._p() if p is P else self._c())

    async def _services(self, ids: list[str]) -> list[ServiceRecord | None]:
        return await self._p().get_services(ids)

    async def _work_schedules(self, ids: list[str]) -> list[WorkScheduleRecord | None]:
        return await self._c().work_schedules(ids)

    async def _productive_tasks(self, ids: list[str]) -> list[TaskRecord | None]:
        return await self._p().get_tasks(ids)

    async def _productive_projects(self, ids: list[str]) -> list[ProjectRecord | None]:
        return await self._p().get_projects(ids)

    def _p(self) -> ProductiveAdapter:
        if self.productive is None:
            raise NotConfigured("productive", "not configured")
        return self.productive

    def _c(self) -> ClockifyAdapter:
        if self.clockify is None:
            raise NotConfigured("clockify", "not configured")
        return self.clockify

    def release(self) -> None:
        """Drops the loaders and what they hold once the request is answered. Loaders, their
        batch functions and the adapters refer to each other: released, an answer's records
        go when its last reference does, instead of waiting for (and feeding) the cycle
        collector. A loader used again is made afresh."""
        # A read nobody waits for any more (the people list failed) is not left running.
        for task in self.__dict__.get("everyones_entries", {}).values():
            task.cancel()
        made = [n for n in vars(self) if isinstance(getattr(Loaders, n, None), cached_property)]
        for name in made:
            del self.__dict__[name]
        if self.productive is not None:
            self.productive.share = _shared_with_nobody

    def forget_tracking(self, platform: Platform) -> None:
        """After a timer write: entries and running timers read before it are stale (a stopped
        entry got its duration, a resumed one runs again)."""
        self.entries[platform].clear_all()
        self.running_timer[platform].clear_all()

    def prime(self, records: Sequence[Any]) -> None:
        """Records that came along in a compound document: no request will ask for them."""
        for record in records:
            key = record.remote_id
            if isinstance(record, PersonRecord):
                self.people[record.platform].prime(key, record)
            elif isinstance(record, ServiceRecord):
                self.services.prime(key, record)
            elif isinstance(record, TaskRecord) and record.platform is P:
                self.productive_tasks.prime(key, record)
            elif isinstance(record, ProjectRecord) and record.platform is P:
                self.productive_projects.prime(key, record)
            elif isinstance(record, ProjectRecord):
                self.clockify_projects.prime(key, record)
            elif isinstance(record, TaskRecord):
                self.clockify_tasks.prime((record.project_id, key), record)
            elif isinstance(record, TimeEntryRecord):
                self.entries[record.platform].prime(key, record)
            elif isinstance(record, ApprovalRecord):
                self.prime(record.entries)

    def _people(self, platform: Platform) -> Callable[[list[str]], Awaitable[list[Any]]]:
        async def batch(ids: list[str]) -> list[PersonRecord | None]:
            if platform is P:
                return await self._p().get_people(ids)
            return await self._c().get_people(ids)

        return batch

    def _entries(self, platform: Platform) -> Callable[[list[str]], Awaitable[list[Any]]]:
        async def batch(ids: list[str]) -> list[TimeEntryRecord | None]:
            if platform is P:
                records, related = await self._p().entries_with_related(ids, self.relations[P])
                self.prime(related)
                return records
            if "approval" in self.relations[C]:
                return await self._c().entries_with_state(ids)
            return await self._c().get_time_entries(ids)

        return batch

    async def _clockify_projects(self, ids: list[str]) -> list[ProjectRecord | None]:
        projects = await self._c().projects()
        return [projects.get(i) for i in ids]

    async def _clockify_tasks(self, keys: list[tuple[str, str]]) -> list[TaskRecord | None]:
        """Clockify lists tasks per project: one request for each project asked about."""
        pids = sorted({p for p, _ in keys})
        lists = await gather(*(self._c().tasks_of(pid) for pid in pids))
        by_project = dict(zip(pids, lists, strict=True))
        return [by_project[pid].get(tid) for pid, tid in keys]

    async def running_timers(
        self, platform: Platform, person_ids: list[str] | None
    ) -> list[TimerRecord]:
        """Running timers, their entries primed (a Clockify timer is its entry)."""
        adapter: Any = self._p() if platform is P else self._c()
        timers, entries = await adapter.running_timers_with_entries(person_ids)
        self.prime(entries)
        found: list[TimerRecord] = timers
        return found

    def _running(self, platform: Platform) -> Callable[[list[str]], Awaitable[list[Any]]]:
        async def batch(person_ids: list[str]) -> list[TimerRecord | None]:
            timers = await self.running_timers(platform, person_ids)
            by_person = {t.person_id: t for t in timers}
            return [by_person.get(pid) for pid in person_ids]

        return batch

    async def _person_approvals(
        self, keys: list[tuple[Platform, str, frozenset[ApprovalState] | None]]
    ) -> list[list[ApprovalRecord] | Exception]:
        groups: dict[tuple[Platform, frozenset[ApprovalState] | None], list[str]] = defaultdict(
            list
        )
        for platform, pid, states in keys:
            groups[(platform, states)].append(pid)

        async def read(
            platform: Platform, states: frozenset[ApprovalState] | None, pids: list[str]
        ) -> list[ApprovalRecord] | AdapterError:
            adapter: Any = self._p() if platform is P else self._c()
            try:
                found: list[ApprovalRecord] = await adapter.list_approvals(
                    states=states, person_ids=pids
                )
            except AdapterError as error:
                return error
            return found

        answers = await gather(*(read(p, s, ids) for (p, s), ids in groups.items()))
        by_group = dict(zip(groups, answers, strict=True))
        out: list[list[ApprovalRecord] | Exception] = []
        for platform, pid, states in keys:
            answer = by_group[(platform, states)]
            out.append(
                answer
                if isinstance(answer, Exception)
                else [a for a in answer if a.requester_id == pid]
            )
        return out

    async def policy(self, platform: Platform, remote_id: str) -> PolicyRecord | None:
        policies: list[PolicyRecord] = await self.policies[platform].get()
        return next((p for p in policies if p.remote_id == remote_id), None)

    async def tag(self, remote_id: str) -> TagRecord | None:
        return (await self._c().tags()).get(remote_id)

    async def clockify_project(self, remote_id: str) -> ProjectRecord | None:
        found: ProjectRecord | None = await self.clockify_projects.load(remote_id)
        return found
