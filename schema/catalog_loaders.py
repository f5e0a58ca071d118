"""Per-request loaders for what projects contain: every project's tasks or services asked for
in one tick become one Productive request (`filter[project_id]` takes a list), and one
Clockify request per project (its tasks are listed per project, and read once per request)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from aiodataloader import DataLoader

from adapters.base import Platform, ServiceRecord, TaskRecord
from adapters.concurrency import gather


class CatalogLoaders:
    """`adapter` gives the request's adapter for a platform (raising when not configured)."""

    def __init__(self, adapter: Callable[[Platform], Any]) -> None:
        self._adapter = adapter
        self.project_tasks: DataLoader = DataLoader(self._tasks)  # type: ignore[type-arg]
        self.project_services: DataLoader = DataLoader(self._services)  # type: ignore[type-arg]

    async def _tasks(self, keys: list[tuple[Platform, str]]) -> list[list[TaskRecord]]:
        by_platform: dict[Platform, list[str]] = defaultdict(list)
        for platform, project_id in keys:
            by_platform[platform].append(project_id)

        async def read(platform: Platform, pids: list[str]) -> dict[str, list[TaskRecord]]:
            found: list[TaskRecord] = await self._adapter(platform).list_tasks(
                text=None, project_ids=sorted(set(pids)), done=None
            )
            grouped: dict[str, list[TaskRecord]] = defaultdict(list)
            for task in found:
                grouped[task.project_id or ""].append(task)
            return grouped

        platforms = list(by_platform)
        answers = await gather(*(read(p, by_platform[p]) for p in platforms))
        tasks = dict(zip(platforms, answers, strict=True))
        return [sorted(tasks[p].get(pid, []), key=lambda t: t.name.lower()) for p, pid in keys]

    async def _services(self, project_ids: list[str]) -> list[list[ServiceRecord]]:
        found: list[ServiceRecord] = await self._adapter(Platform.PRODUCTIVE).list_services(
            text=None, project_ids=sorted(set(project_ids))
        )
        grouped: dict[str, list[ServiceRecord]] = defaultdict(list)
        for service in found:
            grouped[service.project_id or ""].append(service)
        return [sorted(grouped.get(pid, []), key=lambda s: s.name.lower()) for pid in project_ids]
