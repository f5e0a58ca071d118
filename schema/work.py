"""What time is tracked on: projects, tasks, Productive services and Clockify tags."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from adapters.base import (
    Platform,
    ProjectRecord,
    ServiceRecord,
    TagRecord,
    TaskRecord,
    TimeEntryRecord,
)
from adapters.clockify import translate
from schema.batch_loader import MISSING
from schema.context import Context
from schema.direct_resolvers import reads_context_only
from schema.node import RAW, PlatformObject


@strawberry.type(description="A project (Productive project; Clockify project).")
class Project(PlatformObject):
    record: strawberry.Private[ProjectRecord]

    @strawberry.field(description="The project's name.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="Display color as #RRGGBB, where the platform has one.")
    def color(self) -> str | None:
        return self.record.color

    @strawberry.field(description="Whether time on it is billable by default, where known.")
    @reads_context_only
    def billable(self, info: strawberry.Info[Context, None]) -> bool | None:
        if self.record.partial:
            return cast("bool | None", in_full(info.context, self.record, _billable))
        return self.record.billable

    @strawberry.field(description="Whether the project is archived.")
    @reads_context_only
    def archived(self, info: strawberry.Info[Context, None]) -> bool:
        if self.record.partial:
            return cast("bool", in_full(info.context, self.record, _archived))
        return self.record.archived

    @strawberry.field(description=RAW)
    @reads_context_only
    def raw(self, info: strawberry.Info[Context, None]) -> JSON | None:
        if self.record.partial:
            return cast("JSON", in_full(info.context, self.record, _raw))
        return cast("JSON", self.record.raw)

    @strawberry.field(
        description="The project's tasks, by name. Asked of many projects, Productive reads "
        "them in one request; Clockify in one request per project."
    )
    async def tasks(
        self,
        info: strawberry.Info[Context, None],
        done: Annotated[
            bool | None,
            strawberry.argument(description="Only done (true) or only open (false) tasks."),
        ] = None,
    ) -> list[Task]:
        loader = info.context.loaders.catalog.project_tasks
        records = await loader.load((self.record.platform, self.record.remote_id))
        return [Task(record=r) for r in records if done is None or r.done == done]

    @strawberry.field(
        description="Productive: the services of the project's deals, by name (one request "
        "for every project asked about); empty on Clockify, which has no services."
    )
    async def services(self, info: strawberry.Info[Context, None]) -> list[Service]:
        if self.record.platform is not Platform.PRODUCTIVE:
            return []
        records = await info.context.loaders.catalog.project_services.load(self.record.remote_id)
        return [Service(record=r) for r in records]


@strawberry.type(description="A task inside a project.")
class Task(PlatformObject):
    record: strawberry.Private[TaskRecord]

    def id_remote(self) -> str:
        # A Clockify task is only addressable through its project.
        if self.record.platform is Platform.CLOCKIFY:
            return f"{self.record.project_id}/{self.record.remote_id}"
        return self.record.remote_id

    @strawberry.field(description="The task's title.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="Whether the task is closed (Productive) or done (Clockify).")
    @reads_context_only
    def done(self, info: strawberry.Info[Context, None]) -> bool:
        if self.record.partial:
            return cast("bool", in_full(info.context, self.record, _done))
        return self.record.done

    @strawberry.field(description=RAW)
    @reads_context_only
    def raw(self, info: strawberry.Info[Context, None]) -> JSON | None:
        if self.record.partial:
            return cast("JSON", in_full(info.context, self.record, _raw))
        return cast("JSON", self.record.raw)

    @strawberry.field(description="The project the task belongs to.")
    async def project(self, info: strawberry.Info[Context, None]) -> Project | None:
        return await load_project(info.context, self.record.platform, self.record.project_id)


@strawberry.type(description="A Productive service: the budget line time is tracked against.")
class Service(PlatformObject):
    record: strawberry.Private[ServiceRecord]

    @strawberry.field(description="The service's name.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="Whether time on this service is billable.")
    def billable(self) -> bool | None:
        return self.record.billable

    @strawberry.field(description="The project the service's deal belongs to.")
    async def project(self, info: strawberry.Info[Context, None]) -> Project | None:
        return await load_project(info.context, Platform.PRODUCTIVE, self.record.project_id)


@strawberry.type(description="A Clockify tag.")
class Tag(PlatformObject):
    record: strawberry.Private[TagRecord]

    @strawberry.field(description="The tag's name.")
    def name(self) -> str:
        return self.record.name


def _billable(record: ProjectRecord) -> bool | None:
    return record.billable


def _archived(record: ProjectRecord) -> bool:
    return record.archived


def _done(record: TaskRecord) -> bool:
    return record.done


def _raw(record: ProjectRecord | TaskRecord) -> Any:
    return record.raw


def project_now(ctx: Context, entry: TimeEntryRecord) -> Project | None | Awaitable[Project | None]:
    """An entry's project at once when its record is already loaded (it came with the
    entries) or the entry names it (a Clockify report's entry), else an awaitable that loads
    it: a page of entries resolves without a coroutine each."""
    platform, remote_id = entry.platform, entry.project_id
    if remote_id is None:
        return None
    if platform is Platform.PRODUCTIVE:
        record = ctx.loaders.productive_projects.peek(remote_id)
    else:
        record = ctx.loaders.clockify_projects.peek(remote_id)
        if record is MISSING:
            record = translate.carried_project(entry) or MISSING
    if record is MISSING:
        return load_project(ctx, platform, remote_id)
    return Project(record=record) if record else None


def task_now(ctx: Context, entry: TimeEntryRecord) -> Task | None | Awaitable[Task | None]:
    """An entry's task at once when it is loaded or named by the entry (as above)."""
    platform, project_id, remote_id = entry.platform, entry.project_id, entry.task_id
    if remote_id is None:
        return None
    if platform is Platform.PRODUCTIVE:
        record = ctx.loaders.productive_tasks.peek(remote_id)
    elif project_id is None:
        return None
    else:
        record = ctx.loaders.clockify_tasks.peek((project_id, remote_id))
        if record is MISSING:
            record = translate.carried_task(entry) or MISSING
    if record is MISSING:
        return load_task(ctx, platform, project_id, remote_id)
    return Task(record=record) if record else None


def in_full(ctx: Context, record: ProjectRecord | TaskRecord, read: Callable[[Any], Any]) -> Any:
    """A field an entry did not carry, read from the project or task in full (the reads of
    many such fields are batched by the loaders into one)."""

    async def full() -> Any:
        if isinstance(record, ProjectRecord):
            found = await ctx.loaders.clockify_projects.load(record.remote_id)
        else:
            found = await ctx.loaders.clockify_tasks.load((record.project_id, record.remote_id))
        return read(found or record)

    return full()


async def load_project(ctx: Context, platform: Platform, remote_id: str | None) -> Project | None:
    if remote_id is None:
        return None
    if platform is Platform.PRODUCTIVE:
        record = await ctx.loaders.productive_projects.load(remote_id)
    else:
        record = await ctx.loaders.clockify_project(remote_id)
    return Project(record=record) if record else None


async def load_task(
    ctx: Context, platform: Platform, project_id: str | None, remote_id: str | None
) -> Task | None:
    if remote_id is None:
        return None
    if platform is Platform.PRODUCTIVE:
        record = await ctx.loaders.productive_tasks.load(remote_id)
    elif project_id is None:
        return None
    else:
        record = await ctx.loaders.clockify_tasks.load((project_id, remote_id))
    return Task(record=record) if record else None


ProjectRef = Annotated["Project", strawberry.lazy("schema.work")]
