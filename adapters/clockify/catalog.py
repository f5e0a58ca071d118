"""Clockify's catalog reads: projects, tags and tasks. Projects and tags are read once per
request (archived ones included) and filtered here; tasks are listed per project."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial

from adapters.base import ProjectRecord, TagRecord, TaskRecord
from adapters.clockify import translate
from adapters.clockify.client import ClockifyHttp
from adapters.clockify.once import Once
from adapters.concurrency import gather
from adapters.errors import NotFound


class ClockifyCatalog:
    """Mixed into ClockifyAdapter, which creates the per-request reads below."""

    http: ClockifyHttp
    _projects: Once
    _tags: Once
    _tasks: dict[str, Once]
    _prefetch: asyncio.Future[list[ProjectRecord | TaskRecord]] | None = None

    async def projects(self) -> dict[str, ProjectRecord]:
        return {str(p["id"]): translate.project(p) for p in await self._projects.get()}

    async def tags(self) -> dict[str, TagRecord]:
        return {str(t["id"]): translate.tag(t) for t in await self._tags.get()}

    def prefetch(self, tasks: bool) -> None:
        """Start reading the projects (and every project's tasks) now, beside the reads a
        query is about to make, so the names its entries need are there when they arrive
        instead of costing another round trip after them."""
        if getattr(self, "_prefetch", None) is not None:
            return

        async def read() -> list[ProjectRecord | TaskRecord]:
            projects = await self.projects()
            found: list[ProjectRecord | TaskRecord] = list(projects.values())
            if tasks:
                for listed in await gather(*(self.tasks_of(pid) for pid in projects)):
                    found.extend(listed.values())
            return found

        self._prefetch = asyncio.ensure_future(read())
        # A failure surfaces where the names are read; here it must not be "never retrieved".
        self._prefetch.add_done_callback(lambda f: f.cancelled() or f.exception())

    async def prefetched(self) -> list[ProjectRecord | TaskRecord]:
        """The projects and tasks a prefetch read, once it is done; nothing when none was
        started or it failed (the names are then read, and fail, where they are asked)."""
        if self._prefetch is None:
            return []
        try:
            # Shielded: a request that gives up must not cancel a read others wait on.
            return await asyncio.shield(self._prefetch)
        except Exception:
            return []

    async def list_projects(
        self, *, text: str | None, archived: bool | None
    ) -> list[ProjectRecord]:
        """From the one projects read a request makes (archived ones included)."""
        return [
            p
            for p in (await self.projects()).values()
            if _named(p.name, text) and (archived is None or p.archived == archived)
        ]

    async def list_tags(self, *, text: str | None, archived: bool | None) -> list[TagRecord]:
        return [
            t
            for t in (await self.tags()).values()
            if _named(t.name, text) and (archived is None or t.archived == archived)
        ]

    async def list_tasks(
        self, *, text: str | None, project_ids: Sequence[str] | None, done: bool | None
    ) -> list[TaskRecord]:
        """Clockify lists tasks per project: one read per project, sent concurrently."""
        pids = list(project_ids) if project_ids is not None else list(await self.projects())
        lists = await gather(*(self.tasks_of(pid) for pid in pids))
        return [
            t
            for tasks in lists
            for t in tasks.values()
            if _named(t.name, text) and (done is None or t.done == done)
        ]

    async def tasks_of(self, project_id: str) -> dict[str, TaskRecord]:
        once = self._tasks.setdefault(
            project_id,
            Once(partial(self.http.get_all, f"{self.http.ws}/projects/{project_id}/tasks")),
        )
        try:
            dtos = await once.get()
        except NotFound:
            return {}
        return {str(t["id"]): translate.task(t) for t in dtos}


def _named(name: str, text: str | None) -> bool:
    return not text or text.lower() in name.lower()
