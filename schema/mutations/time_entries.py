"""createTimeEntry, updateTimeEntry, deleteTimeEntry on both platforms.

Unified inputs are translated per API: Productive takes a date and minutes (and `started_at`);
Clockify takes start and end instants, so a date with minutes becomes an entry starting 09:00
in the person's time zone, and minutes become the end.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import strawberry

from adapters.base import Platform, TimeEntryRecord
from adapters.clockify import translate as clockify_translate
from adapters.clockify.verify import ClockifyVerify
from adapters.productive.verify import ProductiveVerify
from schema.context import Context
from schema.enums import PlatformName
from schema.mutations.attempts import Intent, once
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.mutations.keyed import perform
from schema.mutations.targets import (
    check_platform,
    clockify_writes,
    person_on,
    productive_writes,
    unsupported,
)
from schema.mutations.time_entry_types import (
    CreateTimeEntryInput,
    DeleteTimeEntryInput,
    DeleteTimeEntryPayload,
    TimeEntryPayload,
    UpdateTimeEntryInput,
)
from schema.time_entry import TimeEntry

PRODUCTIVE_FIELDS = {
    "date": "date",
    "time": "minutes",
    "billable_time": "minutes",
    "note": "note",
    "service": "service",
    "person": "person",
    "task": "task",
    "started_at": "startedAt",
}
CLOCKIFY_FIELDS = {
    "start": "startedAt",
    "end": "endedAt",
    "description": "note",
    "projectId": "project",
    "taskId": "task",
    "tagIds": "tags",
}
WORKDAY_START = dt.time(9, 0)


def _check_times(value: CreateTimeEntryInput | UpdateTimeEntryInput, creating: bool) -> None:
    if value.minutes is not None and not 0 <= value.minutes <= 1440:
        raise invalid(("minutes",), f"must be between 0 and 1440, got {value.minutes}")
    for name, moment in (("startedAt", value.started_at), ("endedAt", value.ended_at)):
        if moment is not None and moment.tzinfo is None:
            raise invalid((name,), "needs a UTC offset, e.g. 2026-11-16T09:00:00+01:00")
    if value.started_at and value.ended_at and value.ended_at <= value.started_at:
        raise invalid(("endedAt",), "ends before (or when) it starts")
    if (value.date or value.minutes is not None) and (value.started_at or value.ended_at):
        raise invalid(("date",), "give date with minutes, or startedAt with endedAt, not both")
    if creating:
        by_day = value.date is not None and value.minutes is not None
        by_time = value.started_at is not None and value.ended_at is not None
        if not (by_day or by_time):
            missing = (
                "minutes"
                if value.date
                else "date"
                if value.minutes is not None
                else ("endedAt" if value.started_at else "startedAt" if value.ended_at else "date")
            )
            raise invalid((missing,), "required: give date with minutes, or startedAt with endedAt")


def _same_platform(value: str, path: tuple[str, ...], platform: Platform, *types: str) -> str:
    key = decode_input(value, path, *types)
    if key.platform is not platform:
        raise invalid(
            path, f"this {types[0].lower()} is on {key.platform.name}, not {platform.name}"
        )
    return key.remote_id


def _productive_changes(
    value: CreateTimeEntryInput | UpdateTimeEntryInput,
) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    p = Platform.PRODUCTIVE
    unsupported(p, project=value.project, tags=value.tags, billable=value.billable)
    attributes: dict[str, Any] = {}
    relationships: dict[str, tuple[str, str]] = {}
    if value.date is not None:
        attributes["date"] = value.date.isoformat()
    if value.minutes is not None:
        attributes["time"] = value.minutes
    if value.started_at is not None and value.ended_at is not None:
        attributes["date"] = value.started_at.date().isoformat()
        attributes["time"] = int((value.ended_at - value.started_at).total_seconds() // 60)
        attributes["started_at"] = value.started_at.isoformat()
    if value.note is not None:
        attributes["note"] = value.note
    if value.service is not None:
        relationships["service"] = (
            "services",
            _same_platform(value.service, ("service",), p, "Service"),
        )
    if value.task is not None:
        relationships["task"] = ("tasks", _same_platform(value.task, ("task",), p, "Task"))
    return attributes, relationships


def _clockify_refs(value: CreateTimeEntryInput | UpdateTimeEntryInput) -> dict[str, Any]:
    c = Platform.CLOCKIFY
    unsupported(c, service=value.service)
    body: dict[str, Any] = {}
    if value.project is not None:
        body["projectId"] = _same_platform(value.project, ("project",), c, "Project")
    if value.task is not None:
        if value.project is None:
            raise invalid(("task",), "a Clockify task needs its `project`")
        project_id, _, task_id = _same_platform(value.task, ("task",), c, "Task").rpartition("/")
        if project_id != body["projectId"]:
            raise invalid(("task",), "this task belongs to another project")
        body["taskId"] = task_id
    if value.tags is not None:
        body["tagIds"] = [_same_platform(t, ("tags",), c, "Tag") for t in value.tags]
    if value.note is not None:
        body["description"] = value.note
    if value.billable is not None:
        body["billable"] = value.billable
    return body


def _z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _zone(ctx: Context, person: str) -> ZoneInfo:
    people = await ctx.adapter(Platform.CLOCKIFY).users()
    found = people.get(person)
    return clockify_translate.zone(found.time_zone if found else None)


def _relations(raw: dict[str, Any]) -> dict[str, tuple[str, str]]:
    # Intents come back from the key store as JSON: pairs are lists there.
    return {name: (str(pair[0]), str(pair[1])) for name, pair in raw.items()}


async def create(ctx: Context, value: CreateTimeEntryInput) -> Outcome:
    platform = check_platform(value.platform, ctx)
    _check_times(value, creating=True)
    if platform is Platform.PRODUCTIVE:
        attributes, relationships = _productive_changes(value)
        if "service" not in relationships:
            raise invalid(("service",), "required on Productive: the service to track on")
        person = await person_on(ctx, platform, value.person)
        writes = productive_writes(ctx)

        async def look(intent: Intent) -> str | None:
            return await ProductiveVerify(writes).created_entry(
                person, intent["attributes"], _relations(intent["relations"]), intent["at"]
            )

        async def send(intent: Intent) -> str:
            relations = {**_relations(intent["relations"]), "person": ("people", person)}
            return await writes.create_entry(intent["attributes"], relations)

        intent = {"attributes": attributes, "relations": relationships}
        entry_id = await once(ctx.attempt, "create", intent, look, send)
        record = (await writes.reread_entries([entry_id]))[0]
    else:
        body = _clockify_refs(value)
        person = await person_on(ctx, platform, value.person)
        if value.started_at is not None and value.ended_at is not None:
            start, end = value.started_at, value.ended_at
        else:
            assert value.date is not None and value.minutes is not None
            start = dt.datetime.combine(value.date, WORKDAY_START, await _zone(ctx, person))
            end = start + dt.timedelta(minutes=value.minutes)
        cwrites = clockify_writes(ctx)

        async def look_c(intent: Intent) -> TimeEntryRecord | None:
            return await ClockifyVerify(cwrites).created_entry(person, intent["body"])

        async def send_c(intent: Intent) -> TimeEntryRecord:
            return await cwrites.create_entry(person, False, intent["body"])

        full = {**body, "start": _z(start), "end": _z(end)}
        record = await once(ctx.attempt, "create", {"body": full}, look_c, send_c)
    return Outcome(objects={"time_entry": TimeEntry(record=record) if record else None})


async def update(ctx: Context, value: UpdateTimeEntryInput) -> Outcome:
    key = decode_input(value.id, ("id",), "TimeEntry")
    ctx.adapter(key.platform)
    _check_times(value, creating=False)
    record: TimeEntryRecord | None
    if key.platform is Platform.PRODUCTIVE:
        attributes, relationships = _productive_changes(value)
        if (value.started_at is None) != (value.ended_at is None):
            raise invalid(("startedAt",), "give startedAt with endedAt on Productive")
        writes = productive_writes(ctx)

        async def look(intent: Intent) -> str | None:
            return await ProductiveVerify(writes).entry_has(
                key.remote_id, intent["attributes"], _relations(intent["relations"])
            )

        async def send(intent: Intent) -> str:
            return await writes.update_entry(
                key.remote_id, intent["attributes"], _relations(intent["relations"])
            )

        intent = {"attributes": attributes, "relations": relationships}
        await once(ctx.attempt, "update", intent, look, send)
        record = (await writes.reread_entries([key.remote_id]))[0]
    else:
        changes = _clockify_refs(value)
        writes_c = clockify_writes(ctx)
        verify = ClockifyVerify(writes_c)
        # After a landed replace the entry already has the new times; computing the body
        # again from it would move them once more.
        landed = await ctx.attempt.landed(
            "update", lambda i: verify.entry_has(key.remote_id, i["body"])
        )
        if landed is not None:
            return Outcome(objects={"time_entry": TimeEntry(record=landed)})
        raw = await writes_c.raw_entry(key.remote_id)
        current = clockify_translate.time_entry(raw, None)
        if current.running:
            raise Refused(
                Problem(
                    UserErrorCode.CONFLICT,
                    "A running entry changes by stopTimer, not updateTimeEntry",
                    ("input", "id"),
                )
            )
        assert current.started_at is not None and current.ended_at is not None
        zone = await _zone(ctx, str(raw.get("userId")))
        start = value.started_at or (
            dt.datetime.combine(value.date, current.started_at.astimezone(zone).time(), zone)
            if value.date
            else current.started_at
        )
        length = (
            dt.timedelta(minutes=value.minutes)
            if value.minutes is not None
            else current.ended_at - current.started_at
        )
        end = value.ended_at or start + length
        if end <= start:
            raise invalid(("endedAt",), "ends before (or when) it starts")
        body = {
            "start": _z(start),
            "end": _z(end),
            "description": raw.get("description") or "",
            "projectId": raw.get("projectId"),
            "taskId": raw.get("taskId"),
            "tagIds": raw.get("tagIds") or [],
            "billable": raw.get("billable"),
            **changes,
        }
        if "projectId" in changes and "taskId" not in changes:
            body["taskId"] = None  # a task belongs to the project it was on

        async def look_c(intent: Intent) -> TimeEntryRecord | None:
            return await verify.entry_has(key.remote_id, intent["body"])

        async def send_c(intent: Intent) -> TimeEntryRecord:
            return await writes_c.update_entry(key.remote_id, intent["body"])

        record = await once(ctx.attempt, "update", {"body": body}, look_c, send_c)
    return Outcome(objects={"time_entry": TimeEntry(record=record) if record else None})


async def delete(ctx: Context, value: DeleteTimeEntryInput) -> Outcome:
    key = decode_input(value.id, ("id",), "TimeEntry")
    ctx.adapter(key.platform)
    deleted = Outcome(extra={"deleted_id": value.id})
    if key.platform is Platform.PRODUCTIVE:
        writes = productive_writes(ctx)
        path = f"/time_entries/{key.remote_id}"

        async def look(intent: Intent) -> bool | None:
            return await ProductiveVerify(writes).gone(path)

        async def send(intent: Intent) -> bool:
            await writes.delete_entry(key.remote_id)
            return True

        await once(ctx.attempt, "delete", {}, look, send)
        return deleted
    cwrites = clockify_writes(ctx)

    async def look_c(intent: Intent) -> bool | None:
        return await ClockifyVerify(cwrites).gone(f"/time-entries/{key.remote_id}")

    async def send_c(intent: Intent) -> bool:
        await cwrites.delete_entry(key.remote_id)
        return True

    if await ctx.attempt.landed("delete", look_c):
        return deleted
    raw = await cwrites.raw_entry(key.remote_id)
    if raw.get("isLocked"):
        raise Refused(
            Problem(
                UserErrorCode.CONFLICT,
                "The entry is locked (submitted or approved for its period)",
                ("input", "id"),
            )
        )
    await once(ctx.attempt, "delete", {}, look_c, send_c)
    return deleted


def _fields(value: Any) -> dict[str, str]:
    platform = getattr(value, "platform", None)
    if platform is not None:
        return PRODUCTIVE_FIELDS if platform is PlatformName.PRODUCTIVE else CLOCKIFY_FIELDS
    return {**PRODUCTIVE_FIELDS, **CLOCKIFY_FIELDS}


@strawberry.type
class TimeEntryMutations:
    @strawberry.mutation(description="Create a time entry on either platform.")
    async def create_time_entry(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            CreateTimeEntryInput, strawberry.argument(description="The entry to create.")
        ],
    ) -> TimeEntryPayload:
        outcome = await perform(info, input, lambda: create(info.context, input), _fields(input))
        return TimeEntryPayload(
            time_entry=outcome.objects.get("time_entry"), user_errors=outcome.errors()
        )

    @strawberry.mutation(description="Change a time entry.")
    async def update_time_entry(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            UpdateTimeEntryInput, strawberry.argument(description="The entry and what changes.")
        ],
    ) -> TimeEntryPayload:
        outcome = await perform(info, input, lambda: update(info.context, input), _fields(input))
        return TimeEntryPayload(
            time_entry=outcome.objects.get("time_entry"), user_errors=outcome.errors()
        )

    @strawberry.mutation(description="Delete a time entry.")
    async def delete_time_entry(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            DeleteTimeEntryInput, strawberry.argument(description="The entry to delete.")
        ],
    ) -> DeleteTimeEntryPayload:
        outcome = await perform(info, input, lambda: delete(info.context, input))
        deleted = outcome.extra.get("deleted_id")
        return DeleteTimeEntryPayload(
            deleted_id=strawberry.ID(deleted) if deleted else None, user_errors=outcome.errors()
        )
