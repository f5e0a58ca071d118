"""Picker lists: the projects, services, tasks and tags a start-timer or timesheet form offers,
searchable and filtered, each platform read once and the results merged by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

import strawberry

from adapters.base import Platform
from schema.arguments import After, Before, First, Last
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.enums import PlatformName
from schema.filters import ids_by_platform, platforms_of
from schema.viewer import gather_platforms
from schema.work import Project, Service, Tag, Task

TEXT = "Only those whose name contains this text (any case; Productive searches upstream)."


@strawberry.input(description="Which projects to return.")
class ProjectFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms (default: every configured one)."
    )
    text: str | None = strawberry.field(default=None, description=TEXT)
    archived: bool | None = strawberry.field(
        default=None, description="Only archived (true) or only active (false) projects."
    )


@strawberry.input(description="Which Productive services to return (Clockify has none).")
class ServiceFilter:
    text: str | None = strawberry.field(default=None, description=TEXT)
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only services of these projects (Project IDs)."
    )


@strawberry.input(description="Which tasks to return.")
class TaskFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms (default: every configured one)."
    )
    text: str | None = strawberry.field(default=None, description=TEXT)
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only tasks of these projects (Project IDs)."
    )
    service_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only tasks of these services (Service IDs; Productive: Clockify has no "
        "services, so its tasks are left out).",
    )
    done: bool | None = strawberry.field(
        default=None, description="Only done/closed (true) or only open (false) tasks."
    )


@strawberry.input(description="Which Clockify tags to return (Productive has none).")
class TagFilter:
    text: str | None = strawberry.field(default=None, description=TEXT)
    archived: bool | None = strawberry.field(
        default=None, description="Only archived (true) or only active (false) tags."
    )


ProjectFilterArg = Annotated[
    ProjectFilter | None, strawberry.argument(description="Which projects to return.")
]
ServiceFilterArg = Annotated[
    ServiceFilter | None, strawberry.argument(description="Which services to return.")
]
TaskFilterArg = Annotated[
    TaskFilter | None, strawberry.argument(description="Which tasks to return.")
]
TagFilterArg = Annotated[TagFilter | None, strawberry.argument(description="Which tags to return.")]
Read = Callable[[Platform], Awaitable[Sequence[Any]]]


async def _listed(
    info: strawberry.Info[Context, None], platforms: list[Platform], read: Read
) -> list[Any]:
    """Each platform's list, read concurrently (a failing one is an error beside the other's
    rows), merged by name."""

    async def one(platform: Platform) -> list[Any]:
        return list(await read(platform))

    records = await gather_platforms(info.context, info, platforms, one)
    return sorted(records, key=lambda r: (r.name.lower(), r.platform.value, r.remote_id))


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="Projects to track time on, by name, on every platform.")
    async def projects(
        self,
        info: strawberry.Info[Context, None],
        filter: ProjectFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Project]:
        ctx = info.context
        flt: ProjectFilter = filter or ProjectFilter()
        platforms = platforms_of(flt.platforms, ctx.configured())

        async def read(platform: Platform) -> Sequence[Any]:
            adapter: Any = ctx.adapter(platform)
            found: Sequence[Any] = await adapter.list_projects(text=flt.text, archived=flt.archived)
            return found

        records = await _listed(info, platforms, read)
        ctx.loaders.prime(records)
        key = fingerprint("projects", flt.text, flt.archived, [p.value for p in platforms])
        nodes = [Project(record=r) for r in records]
        return offset_connection(nodes, first, after, key, last=last, before=before)

    @strawberry.field(description="Productive services (what Productive tracks time on), by name.")
    async def services(
        self,
        info: strawberry.Info[Context, None],
        filter: ServiceFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Service]:
        ctx = info.context
        flt: ServiceFilter = filter or ServiceFilter()
        projects = ids_by_platform(flt.project_ids, "filter.projectIds", "Project")
        wanted = None if projects is None else projects[Platform.PRODUCTIVE]
        platforms: list[Platform] = [p for p in ctx.configured() if p is Platform.PRODUCTIVE]
        if wanted == ():
            platforms = []

        async def read(platform: Platform) -> Sequence[Any]:
            adapter: Any = ctx.adapter(platform)
            found: Sequence[Any] = await adapter.list_services(text=flt.text, project_ids=wanted)
            return found

        records = await _listed(info, platforms, read)
        ctx.loaders.prime(records)
        key = fingerprint("services", flt.text, wanted)
        nodes = [Service(record=r) for r in records]
        return offset_connection(nodes, first, after, key, last=last, before=before)

    @strawberry.field(
        description="Tasks, by name. Clockify lists tasks per project: without `projectIds` "
        "every project's tasks are read (one request each, concurrently)."
    )
    async def tasks(
        self,
        info: strawberry.Info[Context, None],
        filter: TaskFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Task]:
        ctx = info.context
        flt: TaskFilter = filter or TaskFilter()
        projects = ids_by_platform(flt.project_ids, "filter.projectIds", "Project")
        services = ids_by_platform(flt.service_ids, "filter.serviceIds", "Service")
        platforms = [
            p
            for p in platforms_of(flt.platforms, ctx.configured())
            if (projects is None or projects[p]) and (services is None or services[p])
        ]

        async def read(platform: Platform) -> Sequence[Any]:
            adapter: Any = ctx.adapter(platform)
            ids = None if projects is None else projects[platform]
            if services is None:
                found: Sequence[Any] = await adapter.list_tasks(
                    text=flt.text, project_ids=ids, done=flt.done
                )
            else:
                found = await adapter.list_tasks(
                    text=flt.text, project_ids=ids, done=flt.done, service_ids=services[platform]
                )
            return found

        records = await _listed(info, platforms, read)
        ctx.loaders.prime(records)
        scope = None if projects is None else {p.value: ids for p, ids in projects.items()}
        by_service = None if services is None else {p.value: v for p, v in services.items()}
        key = fingerprint(
            "tasks", flt.text, scope, by_service, flt.done, [p.value for p in platforms]
        )
        nodes = [Task(record=r) for r in records]
        return offset_connection(nodes, first, after, key, last=last, before=before)

    @strawberry.field(description="Clockify tags, by name.")
    async def tags(
        self,
        info: strawberry.Info[Context, None],
        filter: TagFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tag]:
        ctx = info.context
        flt: TagFilter = filter or TagFilter()
        platforms: list[Platform] = [p for p in ctx.configured() if p is Platform.CLOCKIFY]

        async def read(platform: Platform) -> Sequence[Any]:
            adapter: Any = ctx.adapter(platform)
            found: Sequence[Any] = await adapter.list_tags(text=flt.text, archived=flt.archived)
            return found

        records = await _listed(info, platforms, read)
        key = fingerprint("tags", flt.text, flt.archived)
        nodes = [Tag(record=r) for r in records]
        return offset_connection(nodes, first, after, key, last=last, before=before)
