"""createTimeEntry, updateTimeEntry, deleteTimeEntry on both platforms.

Unified inputs are translated per API: Productive takes a date and minutes (and `started_at`);
Clockify takes start and end instants, so a date with minutes becomes an entry starting 09:00
in the person's time zone, and minutes become the end.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from adapters.base import Platform, TimeEntryRecord
from adapters.clockify import translate as clockify_translate
from adapters.clockify.verify import ClockifyVerify
from adapters.productive.verify import ProductiveVerify
from schema.context import Context
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
)
from schema.mutations.time_entry_inputs import (
    WORKDAY_START,
    check_times,
    clockify_refs,
    fields_for,
    person_zone,
    productive_changes,
    relation_pairs,
    utc_text,
)
from schema.mutations.time_entry_types import (
    CreateTimeEntryInput,
    CreateTimeEntryPayload,
    DeleteTimeEntryInput,
    DeleteTimeEntryPayload,
    UpdateTimeEntryInput,
    UpdateTimeEntryPayload,
)
from schema.time_entry import TimeEntry


async def create(ctx: Context, value: CreateTimeEntryInput) -> Outcome:
    platform = check_platform(value.platform, ctx)
    check_times(value, creating=True)
    if platform is Platform.PRODUCTIVE:
        attributes, relationships = productive_changes(value)
        if "service" not in relationships:
            raise invalid(("serviceId",), "required on Productive: the service to track on")
        person = await person_on(ctx, platform, value.person_id)
        writes = productive_writes(ctx)

        async def look(intent: Intent) -> str | None:
            return await ProductiveVerify(writes).created_entry(
                person, intent["attributes"], relation_pairs(intent["relations"]), intent["at"]
            )

        async def send(intent: Intent) -> str:
            relations = {**relation_pairs(intent["relations"]), "person": ("people", person)}
            return await writes.create_entry(intent["attributes"], relations)

        intent = {"attributes": attributes, "relations": relationships}
        entry_id = await once(ctx.attempt, "create", intent, look, send)
        record = (await writes.reread_entries([entry_id]))[0]
    else:
        body = clockify_refs(value)
        person = await person_on(ctx, platform, value.person_id)
        if value.started_at is not None and value.ended_at is not None:
            start, end = value.started_at, value.ended_at
        else:
            assert value.date is not None and value.duration_minutes is not None
            start = dt.datetime.combine(value.date, WORKDAY_START, await person_zone(ctx, person))
            end = start + dt.timedelta(minutes=value.duration_minutes)
        cwrites = clockify_writes(ctx)

        async def look_c(intent: Intent) -> TimeEntryRecord | None:
            return await ClockifyVerify(cwrites).created_entry(person, intent["body"])

        async def send_c(intent: Intent) -> TimeEntryRecord:
            return await cwrites.create_entry(person, False, intent["body"])

        full = {**body, "start": utc_text(start), "end": utc_text(end)}
        record = await once(ctx.attempt, "create", {"body": full}, look_c, send_c)
    return Outcome(objects={"time_entry": TimeEntry(record=record) if record else None})


async def update(ctx: Context, value: UpdateTimeEntryInput) -> Outcome:
    key = decode_input(value.id, ("id",), "TimeEntry")
    ctx.adapter(key.platform)
    check_times(value, creating=False)
    record: TimeEntryRecord | None
    if key.platform is Platform.PRODUCTIVE:
        attributes, relationships = productive_changes(value)
        if (value.started_at is None) != (value.ended_at is None):
            raise invalid(("startedAt",), "give startedAt with endedAt on Productive")
        writes = productive_writes(ctx)
        if value.billable and "billable_time" not in attributes:
            current_p = (await writes.reread_entries([key.remote_id]))[0]
            minutes = (current_p.duration_seconds or 0) // 60 if current_p else 0
            attributes["billable_time"] = minutes

        async def look(intent: Intent) -> str | None:
            return await ProductiveVerify(writes).entry_has(
                key.remote_id, intent["attributes"], relation_pairs(intent["relations"])
            )

        async def send(intent: Intent) -> str:
            return await writes.update_entry(
                key.remote_id, intent["attributes"], relation_pairs(intent["relations"])
            )

        intent = {"attributes": attributes, "relations": relationships}
        await once(ctx.attempt, "update", intent, look, send)
        record = (await writes.reread_entries([key.remote_id]))[0]
    else:
        changes = clockify_refs(value)
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
        zone = await person_zone(ctx, str(raw.get("userId")))
        start = value.started_at or (
            dt.datetime.combine(value.date, current.started_at.astimezone(zone).time(), zone)
            if value.date
            else current.started_at
        )
        length = (
            dt.timedelta(minutes=value.duration_minutes)
            if value.duration_minutes is not None
            else current.ended_at - current.started_at
        )
        end = value.ended_at or start + length
        if end <= start:
            raise invalid(("endedAt",), "ends before (or when) it starts")
        body = {
            "start": utc_text(start),
            "end": utc_text(end),
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


@strawberry.type
class TimeEntryMutations:
    @strawberry.mutation(description="Create a time entry on either platform.")
    async def create_time_entry(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            CreateTimeEntryInput, strawberry.argument(description="The entry to create.")
        ],
    ) -> CreateTimeEntryPayload:
        outcome = await perform(info, input, lambda: create(info.context, input), fields_for(input))
        return CreateTimeEntryPayload(
            time_entry=outcome.objects.get("time_entry"), user_errors=outcome.errors()
        )

    @strawberry.mutation(description="Change a time entry.")
    async def update_time_entry(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            UpdateTimeEntryInput, strawberry.argument(description="The entry and what changes.")
        ],
    ) -> UpdateTimeEntryPayload:
        outcome = await perform(info, input, lambda: update(info.context, input), fields_for(input))
        return UpdateTimeEntryPayload(
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
